/**
 * The rule set as the webhook consumer uses it: compiled once, kept per Lambda instance, and
 * checked against the set's marker (one small consistent read) at most every RULES_MAX_AGE_MS —
 * a staff edit reaches every instance within that time, without a deploy or a restart.
 */
import { logger } from '../shared/powertools';
import { KeywordMatcher } from './matcher';
import type { KeywordRule } from './model';
import type { KeywordRuleRepository } from './ports';

export const RULES_MAX_AGE_MS = 3_000;

export class CachedKeywordRules {
  private current?: { version: number; matcher: KeywordMatcher<KeywordRule>; checkedAt: number };
  private refreshing?: Promise<KeywordMatcher<KeywordRule>>;

  constructor(
    private readonly deps: { keywordRules: KeywordRuleRepository },
    private readonly maxAgeMs = RULES_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async matcher(): Promise<KeywordMatcher<KeywordRule>> {
    if (this.current && this.now() - this.current.checkedAt < this.maxAgeMs) return this.current.matcher;
    // Concurrent messages of one instance share one refresh. A failed refresh keeps the set this
    // instance has (the next message tries again); without one, the message fails and is retried.
    this.refreshing ??= this.refresh()
      .catch((error: unknown) => {
        if (!this.current) throw error;
        logger.warn('Keyword rules not refreshed; answering with the set read before', { error: error instanceof Error ? error.message : String(error) });
        return this.current.matcher;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<KeywordMatcher<KeywordRule>> {
    const checkedAt = this.now();
    const marker = await this.deps.keywordRules.marker();
    const version = marker?.version ?? 0;
    if (this.current && this.current.version === version) {
      this.current.checkedAt = checkedAt;
      return this.current.matcher;
    }
    // Read after the marker: a change landing in between is newer than `version`, so the next check reads again.
    const matcher = new KeywordMatcher(await this.deps.keywordRules.list());
    this.current = { version, matcher, checkedAt };
    return matcher;
  }
}
