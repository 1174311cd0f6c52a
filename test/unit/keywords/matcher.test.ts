/** The keyword matcher (functions/keywords/matcher.ts): order, kinds, periods, switched-off rules, the matched length. */
import { KeywordMatcher, compareRules } from '../../../functions/keywords/matcher';
import type { MatchableRule } from '../../../functions/keywords/model';

const NOW = new Date('2026-12-07T03:00:00Z'); // 12:00 in Japan
let seq = 0;
const rule = (over: Partial<MatchableRule>): MatchableRule => ({
  ruleId: `01KB${String(seq++).padStart(22, '0')}`,
  match: 'contains',
  patterns: ['ごみ'],
  priority: 500,
  enabled: true,
  ...over,
});

describe('KeywordMatcher', () => {
  it('answers with the first rule in priority order, whatever the order rules were given in', () => {
    const general = rule({ patterns: ['ごみ'], priority: 300 });
    const large = rule({ patterns: ['粗大ごみ'], priority: 110 });
    for (const rules of [
      [general, large],
      [large, general],
    ]) {
      const m = new KeywordMatcher(rules);
      expect(m.match('粗大ゴミを出したい', NOW)?.ruleId).toBe(large.ruleId);
      expect(m.match('ゴミの出し方', NOW)?.ruleId).toBe(general.ruleId);
      expect(m.matches('粗大ゴミを出したい', NOW).map((r) => r.ruleId)).toEqual([large.ruleId, general.ruleId]);
    }
  });

  it('on equal priority tries exact, then contains, then regular expressions, then the older rule', () => {
    const regex = rule({ match: 'regex', patterns: ['ご.'], priority: 100 });
    const contains = rule({ match: 'contains', patterns: ['ごみ'], priority: 100 });
    const exact = rule({ match: 'exact', patterns: ['ごみ'], priority: 100 });
    const olderContains = { ...contains, ruleId: '01KA0000000000000000000000' };
    const m = new KeywordMatcher([regex, contains, exact, olderContains]);
    expect(m.matches('ゴミ', NOW).map((r) => r.ruleId)).toEqual([exact.ruleId, olderContains.ruleId, contains.ruleId, regex.ruleId]);
    expect([regex, contains, exact, olderContains].sort(compareRules).map((r) => r.ruleId)).toEqual([
      exact.ruleId,
      olderContains.ruleId,
      contains.ruleId,
      regex.ruleId,
    ]);
  });

  it('a lower priority exact rule waits behind an earlier contains rule', () => {
    const contains = rule({ patterns: ['こんにちは'], priority: 10 });
    const exact = rule({ match: 'exact', patterns: ['こんにちは'], priority: 900 });
    expect(new KeywordMatcher([exact, contains]).match('こんにちは！', NOW)?.ruleId).toBe(contains.ruleId);
  });

  it('exact needs the whole message (after normalisation); contains finds it anywhere', () => {
    const exact = rule({ match: 'exact', patterns: ['ヘルプ'] });
    const m = new KeywordMatcher([exact]);
    expect(m.match('「ﾍﾙﾌﾟ」', NOW)?.ruleId).toBe(exact.ruleId);
    expect(m.match('ヘルプを見たい', NOW)).toBeUndefined();
  });

  it('tries a regular expression on the message as written and on its normal form', () => {
    const r = rule({ match: 'regex', patterns: ['(ごみ|ゴミ).{0,10}(日|曜)'] });
    const ascii = rule({ match: 'regex', patterns: ['^help$'] });
    const m = new KeywordMatcher([r, ascii]);
    expect(m.match('ｺﾞﾐの収集日', NOW)?.ruleId).toBe(r.ruleId); // only the normal form has ごみ
    expect(m.match('ゴミは何曜日？', NOW)?.ruleId).toBe(r.ruleId);
    expect(m.match('ＨＥＬＰ', NOW)?.ruleId).toBe(ascii.ruleId); // i flag on the raw text, and the normal form
    expect(m.match('ごみ袋', NOW)).toBeUndefined();
  });

  it('skips rules switched off or outside their period, judged at the message time', () => {
    const off = rule({ priority: 1, enabled: false });
    const future = rule({ priority: 2, activeFrom: '2026-12-08T00:00:00.000Z' });
    const past = rule({ priority: 3, activeUntil: '2026-12-06T23:59:59.000Z' });
    const now = rule({ priority: 4, activeFrom: '2026-12-07T00:00:00.000Z', activeUntil: '2026-12-07T03:00:00.000Z' });
    const m = new KeywordMatcher([off, future, past, now]);
    expect(m.match('ごみ', NOW)?.ruleId).toBe(now.ruleId);
    expect(m.match('ごみ', new Date('2026-12-07T03:00:00.001Z'))).toBeUndefined();
    expect(m.match('ごみ', new Date('2026-12-08T00:00:00Z'))?.ruleId).toBe(future.ruleId);
    expect(m.size).toBe(3);
  });

  it('cuts the normal form too: NFKC cannot lengthen what an expression runs on past the checked 300 characters', () => {
    // One ﷺ (U+FDFA) becomes 18 characters under NFKC: 300 of them would be 5,400.
    const longer = rule({ match: 'regex', patterns: ['^.{301}'] });
    const within = rule({ match: 'regex', patterns: ['^.{300}$'] });
    const m = new KeywordMatcher([longer, within]);
    expect(m.matches('\uFDFA'.repeat(300), NOW).map((r) => r.ruleId)).toEqual([within.ruleId]);
  });

  it('matches only the first 300 characters of a long message', () => {
    const r = rule({ patterns: ['避難所'] });
    const m = new KeywordMatcher([r]);
    expect(m.match(`${'あ'.repeat(290)}避難所`, NOW)?.ruleId).toBe(r.ruleId);
    expect(m.match(`${'あ'.repeat(300)}避難所`, NOW)).toBeUndefined();
  });

  it('never answers an empty or blank message (punctuation is a message: an expression may match it), and skips an expression that no longer compiles', () => {
    const broken = rule({ match: 'regex', patterns: ['(unclosed'] });
    const any = rule({ match: 'regex', patterns: ['.'] });
    const m = new KeywordMatcher([broken, any]);
    expect(m.match('', NOW)).toBeUndefined();
    expect(m.match('   ', NOW)).toBeUndefined();
    expect(m.match('？', NOW)?.ruleId).toBe(any.ruleId);
  });
});
