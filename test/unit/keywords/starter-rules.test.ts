/**
 * The starter keyword rules (初期データ, functions/keywords/starter-rules.ts): every rule is one
 * staff could have saved (the same schema), the set has no ambiguity a normalised keyword would
 * hide, the replies stay within LINE's and the city's limits, and the messages citizens really
 * send reach the rule meant for them.
 */
import { toLineMessages } from '../../../functions/deliveries/compose';
import { KEYWORD_LIMITS } from '../../../functions/keywords/model';
import { normalizeForMatch } from '../../../functions/keywords/normalize';
import { ruleInput } from '../../../functions/keywords/schemas';
import { STARTER_KEYWORD_RULES, STARTER_SET_VERSION, type StarterRule } from '../../../functions/keywords/starter-rules';
import { patternVerdict } from '../../../functions/shared/pattern-safety';

const rules = STARTER_KEYWORD_RULES;

/** The first enabled rule, in priority order, whose keyword meets the message (as the matcher reads it). */
function firstMatch(message: string): StarterRule | undefined {
  const raw = message.slice(0, KEYWORD_LIMITS.matchChars);
  const normalised = normalizeForMatch(raw);
  const ordered = [...rules].filter((r) => r.enabled).sort((a, b) => a.priority - b.priority);
  return ordered.find((rule) =>
    rule.patterns.some((p) => {
      if (rule.match === 'exact') return normalised === normalizeForMatch(p);
      if (rule.match === 'contains') return normalised.includes(normalizeForMatch(p));
      const re = new RegExp(p, 'iu');
      return re.test(raw) || re.test(normalised);
    }),
  );
}

const allBubbles = () => rules.flatMap((r) => r.replies.flatMap((v) => v.bubbles.map((b) => ({ rule: r.name, lang: v.lang, bubble: b }))));

describe('starter keyword rules', () => {
  it('has a version and a realistic number of rules, all enabled', () => {
    expect(STARTER_SET_VERSION).toBeGreaterThanOrEqual(1);
    expect(rules.length).toBeGreaterThanOrEqual(25);
    expect(rules.length).toBeLessThanOrEqual(35);
    expect(rules.every((r) => r.enabled)).toBe(true);
  });

  it.each(rules.map((r) => [r.name, r] as const))('%s passes the staff schema', (_name, rule) => {
    const parsed = ruleInput.safeParse(rule);
    if (!parsed.success) {
      throw new Error(`${rule.name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(' / ')}`);
    }
    // Nothing is trimmed or reshaped: what is seeded is what staff will see.
    expect(parsed.data.patterns).toEqual(rule.patterns);
  });

  it('has unique names and unique priorities (the order never depends on the list)', () => {
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
  });

  it('uses the priority bands: emergencies 1–10, topics 100–499, general 800–999', () => {
    for (const r of rules) {
      const inBand = (r.priority >= 1 && r.priority <= 10) || (r.priority >= 100 && r.priority <= 499) || (r.priority >= 800 && r.priority <= 999);
      expect({ rule: r.name, inBand }).toEqual({ rule: r.name, inBand: true });
    }
    expect(firstMatch('救急車')?.priority).toBe(1);
  });

  it('never gives two rules the same keyword once normalised', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const r of rules) {
      if (r.match === 'regex') continue;
      for (const p of r.patterns) {
        const key = normalizeForMatch(p);
        const other = owner.get(key);
        if (other !== undefined && other !== r.name) clashes.push(`${p} (${other} / ${r.name})`);
        owner.set(key, r.name);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('answers every rule in Japanese, and the most needed ones in English too', () => {
    for (const r of rules) {
      expect({ rule: r.name, ja: r.replies.some((v) => v.lang === 'ja') }).toEqual({ rule: r.name, ja: true });
      for (const v of r.replies) expect(v.bubbles.length).toBeGreaterThanOrEqual(1);
      expect(r.replies.find((v) => v.lang === 'ja')!.bubbles.length).toBeLessThanOrEqual(3);
    }
    const withEnglish = rules.filter((r) => r.replies.some((v) => v.lang === 'en')).map((r) => r.name);
    for (const name of [
      '救急・火事（119番）',
      '避難所',
      '防災情報の受け取り方',
      'ごみの出し方・分別',
      '窓口の時間（開庁時間）',
      '住民票',
      'マイナンバーカード',
      '使い方（ヘルプ）',
    ]) {
      expect(withEnglish).toContain(name);
    }
  });

  it('keeps replies short and links on https', () => {
    for (const { rule, lang, bubble } of allBubbles()) {
      if (bubble.type === 'text') expect({ rule, lang, long: bubble.text.length > 300 }).toEqual({ rule, lang, long: false });
      if (bubble.type === 'link') {
        expect(bubble.url).toMatch(/^https:\/\//);
        expect(new URL(bubble.url).protocol).toBe('https:');
        expect(bubble.text.length).toBeLessThanOrEqual(300);
        expect([...bubble.label].length).toBeLessThanOrEqual(20);
      }
      if (bubble.type === 'card' && bubble.button) expect(bubble.button.url).toMatch(/^https:\/\//);
    }
    // No URL hides in a text bubble (links go in link bubbles, where the platform counts clicks).
    for (const { rule, bubble } of allBubbles()) {
      if (bubble.type === 'text') expect({ rule, url: /https?:\/\//.test(bubble.text) }).toEqual({ rule, url: false });
    }
  });

  it("composes into LINE messages within LINE's limits, with no name placeholder", () => {
    const ctx = { mediaUrl: (id: string, kind: string) => `https://example.test/media/${id}/${kind}`, linkUrl: (_i: number, url: string) => url };
    for (const r of rules) {
      for (const v of r.replies) {
        expect(() => toLineMessages(v, [], ctx)).not.toThrow();
        expect(toLineMessages(v, [], ctx)).toHaveLength(v.bubbles.length);
        expect(JSON.stringify(v)).not.toContain('{name}');
      }
    }
  });

  it('sends the emergency answer first: call 119', () => {
    const emergency = firstMatch('家が火事です！');
    expect(emergency?.name).toBe('救急・火事（119番）');
    const first = emergency!.replies.find((v) => v.lang === 'ja')!.bubbles[0]!;
    expect(first.type === 'text' && first.text).toContain('119番に電話してください');
  });

  it('keeps greetings and help words exact, so they never swallow a question', () => {
    for (const name of ['あいさつ', 'お礼', '使い方（ヘルプ）']) expect(rules.find((r) => r.name === name)?.match).toBe('exact');
    expect(firstMatch('こんにちは、ごみの日を教えてください')?.name).toBe('ごみの収集日');
    expect(firstMatch('ありがとう、粗大ごみはどうすれば？')?.name).toBe('粗大ごみ');
  });

  it.each([
    ['粗大ゴミを出したい', '粗大ごみ'],
    ['大型ごみの申し込み', '粗大ごみ'],
    ['ｺﾞﾐの日はいつ？', 'ごみの収集日'],
    ['ゴミ出しは何曜日ですか', 'ごみの収集日'],
    ['粗大ごみの日', '粗大ごみ'],
    ['燃えないゴミの分別がわからない', 'ごみの出し方・分別'],
    ['ペットボトルの捨て方', 'ごみの出し方・分別'],
    ['避難所どこ', '避難所'],
    ['大雨で避難したい', '避難所'],
    ['Where is the evacuation shelter?', '避難所'],
    ['防災メールを受け取りたい', '防災情報の受け取り方'],
    ['台風の情報', '防災情報の受け取り方'],
    ['救急車を呼びたい', '救急・火事（119番）'],
    ['空き巣に入られた', '事件・事故（110番）'],
    ['市役所は何時まで開いてますか', '窓口の時間（開庁時間）'],
    ['土曜日に窓口はあいてる？', '窓口の時間（開庁時間）'],
    ['住民票をとりたい', '住民票'],
    ['住民票の写しがほしい', '住民票'],
    ['コンビニで住民票はとれますか', '証明書のコンビニ交付'],
    ['マイナンバーカードの更新', 'マイナンバーカード'],
    ['マイナカードをなくした', 'マイナンバーカード'],
    ['マイナ保険証について', 'マイナンバーカード'],
    ['引っ越しの手続き', '転入・転出・転居（引っ越し）'],
    ['印鑑証明がほしい', '印鑑登録・印鑑登録証明書'],
    ['戸籍謄本を取りたい', '戸籍・戸籍の届出'],
    ['日曜に開いてる病院', '休日・夜間の医療（当番医）'],
    ['子どもが熱を出した', '休日・夜間の医療（当番医）'],
    ['インフルエンザの予防接種', '健診・予防接種'],
    ['保育園に入りたい', '保育園・幼稚園'],
    ['児童手当の申請', '子育て・児童手当'],
    ['水道管から水が漏れている', '水道の漏水・凍結'],
    ['水道を使い始めたい', '水道の使用開始・中止・料金'],
    ['介護認定を受けたい', '介護・高齢者の相談'],
    ['国民健康保険に入りたい', '国民健康保険'],
    ['固定資産税の納付', '税金（市税）'],
    ['コンビニで税金を払いたい', '税金（市税）'],
    ['道路に穴があいている', '道路・街灯・公園などの不具合'],
    ['街灯が切れてる', '道路・街灯・公園などの不具合'],
    ['犬の登録をしたい', '犬・猫・ペット'],
    ['図書館の場所', '図書館'],
    ['公民館を予約したい', '施設の利用・予約'],
    ['市役所の電話番号を教えて', '問い合わせ先・電話番号'],
    ['ヘルプ', '使い方（ヘルプ）'],
    ['help', '使い方（ヘルプ）'],
    ['このアカウントの使い方を教えて', '使い方（文章での質問）'],
    ['こんにちは！', 'あいさつ'],
    ['ありがとうございました。', 'お礼'],
  ])('%s → %s', (message, expected) => {
    expect(firstMatch(message)?.name).toBe(expected);
  });

  it('leaves unrelated messages to the default reply (the unanswered list)', () => {
    expect(firstMatch('今日はいい天気ですね')).toBeUndefined();
    expect(firstMatch('1100円でした')).toBeUndefined();
  });

  it('uses regular expressions that cannot stall the matcher', async () => {
    const regexes = rules.filter((r) => r.match === 'regex').flatMap((r) => r.patterns.map((p) => ({ rule: r.name, p })));
    expect(regexes.length).toBeGreaterThan(0);
    for (const { rule, p } of regexes) {
      expect(new RegExp(p, 'iu').test('')).toBe(false);
      const verdict = await patternVerdict(p, KEYWORD_LIMITS.matchChars, 3_000, 'search');
      expect({ rule, p, verdict }).toEqual({ rule, p, verdict: { safe: true } });
    }
  }, 60_000);
});
