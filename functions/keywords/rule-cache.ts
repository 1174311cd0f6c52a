/**
 * The rule set as the webhook consumer uses it: compiled once, kept per Lambda instance, and
 * checked against the set's marker (one small consistent read) at most every RULES_MAX_AGE_MS —
 * a staff edit reaches every instance within that time, without a deploy or a restart. The
 * starter set is loaded first when the table has never had one.
 */
import { KeywordMatcher } from './matcher';
import type { KeywordRule } from './model';
import type { KeywordRuleRepository } from './ports';

export const RULES_MAX_AGE_MS = 3_000;

export class CachedKeywordRules {
  private current?: { version: number; matcher: KeywordMatcher<KeywordRule>; checkedAt: number };
  private refreshing?: Promise<KeywordMatcher<KeywordRule>>;

  constructor(
    private readonly deps: { keywordRules: KeywordRuleRepository; seedStarter?: () => Promise<unknown> },
    private readonly maxAgeMs = RULES_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async matcher(): Promise<KeywordMatcher<KeywordRule>> {
    if (this.current && this.now() - this.current.checkedAt < this.maxAgeMs) return this.current.matcher;
    // Concurrent messages of one instance share one refresh.
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<KeywordMatcher<KeywordRule>> {
    const checkedAt = this.now();
    let marker = await this.deps.keywordRules.marker();
    if (!marker && this.deps.seedStarter) {
      await this.deps.seedStarter();
      marker = await this.deps.keywordRules.marker();
    }
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
