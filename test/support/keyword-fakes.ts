/** In-memory fakes of the keyword capability's ports (functions/keywords/ports.ts), for unit tests. */
import type { KeywordHits, KeywordRule, UnansweredMessage } from '../../functions/keywords/model';
import type { KeywordHitCounter, KeywordRuleRepository, RuleSetMarker, RuleWrite, UnansweredLog, UnansweredPage } from '../../functions/keywords/ports';
import { InvalidCursorError } from '../../functions/adapters/aws/cursor';

export class MemoryKeywordRules implements KeywordRuleRepository {
  rules = new Map<string, KeywordRule>();
  set?: RuleSetMarker;
  /** Reads of the rule list (a cached set should read it only when the marker moved). */
  lists = 0;

  async marker() {
    return this.set ? { ...this.set } : undefined;
  }
  async list() {
    this.lists++;
    return [...this.rules.values()].map((r) => structuredClone(r));
  }
  async get(ruleId: string) {
    const r = this.rules.get(ruleId);
    return r ? structuredClone(r) : undefined;
  }
  private bump(by: number) {
    this.set = { version: (this.set?.version ?? 0) + 1, count: (this.set?.count ?? 0) + by, starterVersion: this.set?.starterVersion };
  }
  async create(rule: KeywordRule, maxRules: number): Promise<'done' | 'full'> {
    if ((this.set?.count ?? 0) >= maxRules) return 'full';
    if (this.rules.has(rule.ruleId)) throw new Error('duplicate rule id');
    this.rules.set(rule.ruleId, structuredClone(rule));
    this.bump(1);
    return 'done';
  }
  async update(next: KeywordRule): Promise<Exclude<RuleWrite, 'full'>> {
    const cur = this.rules.get(next.ruleId);
    if (!cur) return 'missing';
    if (cur.version !== next.version - 1) return 'conflict';
    this.rules.set(next.ruleId, structuredClone(next));
    this.bump(0);
    return 'done';
  }
  async remove(ruleId: string, expectedVersion: number): Promise<Exclude<RuleWrite, 'full'>> {
    const cur = this.rules.get(ruleId);
    if (!cur) return 'missing';
    if (cur.version !== expectedVersion) return 'conflict';
    this.rules.delete(ruleId);
    this.bump(-1);
    return 'done';
  }
  async addMany(rules: KeywordRule[], maxRules: number): Promise<'done' | 'full'> {
    if ((this.set?.count ?? 0) + rules.length > maxRules) return 'full';
    for (const r of rules) this.rules.set(r.ruleId, structuredClone(r));
    this.set = { version: (this.set?.version ?? 0) + 1, count: (this.set?.count ?? 0) + rules.length, starterVersion: this.set?.starterVersion };
    return 'done';
  }
  async replaceAll(rules: KeywordRule[]) {
    this.rules = new Map(rules.map((r) => [r.ruleId, structuredClone(r)]));
    this.set = { version: (this.set?.version ?? 0) + 1, count: rules.length, starterVersion: this.set?.starterVersion };
  }
  async seed(rules: KeywordRule[], starterVersion: number): Promise<'seeded' | 'exists'> {
    if (this.set) return 'exists';
    for (const r of rules) this.rules.set(r.ruleId, structuredClone(r));
    this.set = { version: 1, count: rules.length, starterVersion };
    return 'seeded';
  }
}

export class MemoryKeywordHits implements KeywordHitCounter {
  counts = new Map<string, number>();
  private counted = new Set<string>();
  async record(ruleId: string, date: string, messageId: string) {
    if (this.counted.has(messageId)) return;
    this.counted.add(messageId);
    const key = `${date} ${ruleId}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  async list(dates: string[]): Promise<KeywordHits[]> {
    const wanted = new Set(dates);
    return [...this.counts.entries()]
      .map(([key, count]) => {
        const [date, ruleId] = key.split(' ') as [string, string];
        return { date, ruleId, count };
      })
      .filter((h) => wanted.has(h.date));
  }
}

export class MemoryUnanswered implements UnansweredLog {
  items = new Map<string, UnansweredMessage>();
  async record(m: UnansweredMessage) {
    this.items.set(`${m.at}#${m.messageId}`, structuredClone(m));
  }
  async list(query: { limit: number; cursor?: string }): Promise<UnansweredPage> {
    const all = [...this.items.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
    let start = 0;
    if (query.cursor) {
      start = all.findIndex(([k]) => k === query.cursor) + 1;
      if (start === 0) throw new InvalidCursorError();
    }
    const page = all.slice(start, start + query.limit);
    const more = start + query.limit < all.length;
    return { items: page.map(([, m]) => structuredClone(m)), ...(more ? { cursor: page.at(-1)![0] } : {}) };
  }
}
