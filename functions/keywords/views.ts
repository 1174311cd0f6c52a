/** The answers of the keyword staff API (docs/keywords-api.md); the console imports these types. */
import type { LineMessage } from '../ports/line-gateway';
import type { KeywordRule, UnansweredMessage } from './model';

export interface KeywordRuleView extends KeywordRule {
  /** 1-based place in the order rules are tried. */
  order: number;
  hits: { today: number; last7Days: number; last30Days: number };
}
export interface KeywordListView {
  rules: KeywordRuleView[];
  max: number;
}
export interface TryView {
  /** What was matched: the message's first characters, and their normal form. */
  matchedPart: string;
  normalized: string;
  /** Rules that match, in the order they are tried (the first answers), at most 10. */
  matches: { ruleId: string; name: string; match: KeywordRule['match']; priority: number }[];
  /** The answer the citizen would get (null: the default reply). */
  messages: LineMessage[] | null;
}
export interface HitsView {
  /** Japan dates, oldest first. */
  dates: string[];
  rules: { ruleId: string; name: string; counts: number[]; total: number }[];
}
export interface UnansweredView {
  items: (UnansweredMessage & { answeredNowBy?: { ruleId: string; name: string } })[];
  cursor?: string;
}

/** POST /keywords/import. */
export interface ImportResult {
  imported: number;
  total: number;
}
