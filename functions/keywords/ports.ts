/** What the keyword capability needs from outside (adapters: functions/adapters/aws/keyword-*.ts). */
import type { KeywordHits, KeywordRule, UnansweredMessage } from './model';

/** The rule set's marker: bumped by every change, so a cached set knows in one small read whether it is stale. */
export interface RuleSetMarker {
  version: number;
  count: number;
  /** The starter set (starter-rules.ts) loaded at first start, and its version. */
  starterVersion?: number;
}

export type RuleWrite = 'done' | 'conflict' | 'missing' | 'full';

export interface KeywordRuleRepository {
  /** undefined until the starter set is loaded (first start). */
  marker(): Promise<RuleSetMarker | undefined>;
  list(): Promise<KeywordRule[]>;
  get(ruleId: string): Promise<KeywordRule | undefined>;
  /** The rule and the marker in one transaction: 'full' when the set already has `maxRules`. */
  create(rule: KeywordRule, maxRules: number): Promise<Exclude<RuleWrite, 'conflict' | 'missing'>>;
  /** Replaces the rule whose version is `next.version - 1`. */
  update(next: KeywordRule): Promise<Exclude<RuleWrite, 'full'>>;
  remove(ruleId: string, expectedVersion: number): Promise<Exclude<RuleWrite, 'full'>>;
  /** New rules beside the existing ones (an import in "add" mode), in transactions of up to 99 with the marker: 'full' past `maxRules`. */
  addMany(rules: KeywordRule[], maxRules: number): Promise<'done' | 'full'>;
  /**
   * The whole set replaced by `rules` (an import in "replace" mode): not one transaction (up to
   * 1,000 rules); the marker is bumped and recounted last, also after a failure, so every cached set
   * reads the result.
   */
  replaceAll(rules: KeywordRule[]): Promise<void>;
  /** Loads `rules` and creates the marker, once: 'exists' when the marker was already there. */
  seed(rules: KeywordRule[], starterVersion: number): Promise<'seeded' | 'exists'>;
}

export interface KeywordHitCounter {
  /** One answer by the rule to message `messageId` on a Japan date (yyyy-mm-dd): counted once per message, whatever the retries. */
  record(ruleId: string, date: string, messageId: string): Promise<void>;
  /** Every rule's hits on each date. */
  list(dates: string[]): Promise<KeywordHits[]>;
}

export interface UnansweredPage {
  items: UnansweredMessage[];
  /** Opaque and sealed: the next page (an edited or foreign one is refused with InvalidCursorError). */
  cursor?: string;
}

/** What the webhook needs: keep a message only the default reply answered. */
export interface UnansweredRecorder {
  record(message: UnansweredMessage): Promise<void>;
}

export interface UnansweredLog extends UnansweredRecorder {
  /** Newest first. */
  list(query: { limit: number; cursor?: string }): Promise<UnansweredPage>;
}
