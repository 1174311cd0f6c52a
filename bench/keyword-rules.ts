/**
 * A synthetic city's keyword rules and citizens' messages, deterministic (seeded), for the keyword
 * benchmark and the webhook benchmark's "1,000 active rules": 60 % contains, 30 % exact, 10 %
 * regular expressions (bounded, as the save-time check lets through), priorities spread, a few
 * switched off or outside their period; messages from two words to 300 characters, some matching a
 * rule early, some late, many none (the slowest path: every rule tried).
 */
import type { KeywordRule } from '../functions/keywords/model';

const WORDS = [
  'ごみ',
  '粗大ごみ',
  '資源物',
  '収集日',
  '避難所',
  '防災',
  '台風',
  '大雨',
  '地震',
  '給水',
  '住民票',
  '戸籍',
  '印鑑',
  'マイナンバー',
  '転入',
  '転出',
  '児童手当',
  '保育園',
  '幼稚園',
  '予防接種',
  '健診',
  '国保',
  '年金',
  '介護',
  '障がい',
  '税金',
  '住民税',
  '固定資産税',
  '軽自動車税',
  '水道',
  '下水道',
  '道路',
  '街灯',
  '公園',
  '河川',
  '側溝',
  '犬',
  '猫',
  '図書館',
  '体育館',
  'プール',
  '公民館',
  '市民会館',
  '観光',
  '祭り',
  '花火',
  'イベント',
  '選挙',
  'パスポート',
  '証明書',
  'コンビニ交付',
  '窓口',
  '開庁時間',
  '駐車場',
  'バス',
  '電車',
  'ふるさと納税',
  '空き家',
  '移住',
  '就職',
  '求人',
  '農業',
  '漁業',
  '商工',
  '補助金',
  '助成',
  '奨学金',
  '学校',
  '給食',
  '放課後',
  '学童',
  '子育て',
  '妊娠',
  '出産',
  '母子手帳',
  '婚姻',
  '離婚',
  '死亡',
  '火葬',
  '墓地',
  '消防',
  '救急',
  '防犯',
  '交通安全',
  '自転車',
  '騒音',
  'ペット',
  '野良猫',
  'カラス',
  '害虫',
  '草刈り',
  '不法投棄',
  '相談',
  '苦情',
];
const ASKS = ['について教えてください', 'はどこですか', 'はいつですか', 'の手続き', 'の申し込み方法', 'を知りたい', 'の電話番号', 'はどうすればいいですか'];
const FILLER = '先日から気になっていたのですが、家の前の様子がいつもと違っていて、家族とも話し合ったうえで市に相談することにしました。';

/** Mulberry32: a small seeded generator (the same rules and messages on every run). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` rules in use (every 40th of them with a period still to come), and 1 in 50 more switched off. */
export function syntheticRules(count: number, seed = 1): KeywordRule[] {
  const r = rng(seed);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const at = '2026-12-01T00:00:00.000Z';
  const off = Math.floor(count / 50);
  return Array.from({ length: count + off }, (_, i) => {
    const kind = i % 10 < 6 ? 'contains' : i % 10 < 9 ? 'exact' : 'regex';
    const a = pick();
    const b = pick();
    const patterns =
      kind === 'contains'
        ? [`${a}の${b}`, `${b}${ASKS[i % ASKS.length]!.slice(0, 3)}${i}`]
        : kind === 'exact'
          ? [`${a}${b}`, `${a}　${b}${i}`]
          : [`(${a}|${b}).{0,10}(日|時間|場所)`, `^${a}${i}`];
    return {
      ruleId: `01KBENCH${String(i).padStart(18, '0')}`,
      name: `ルール${i + 1} ${a}・${b}`,
      match: kind,
      patterns,
      priority: 1 + Math.floor(r() * 999),
      enabled: i < count,
      ...(i % 40 === 39 ? { activeFrom: '2027-04-01T00:00:00.000Z' } : {}),
      replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: `${a}と${b}のご案内です。詳しくは市のホームページをご覧ください。` }] }],
      createdAt: at,
      createdBy: 'bench',
      updatedAt: at,
      updatedBy: 'bench',
      version: 1,
    } satisfies KeywordRule;
  });
}

/** Messages; one in five says a rule's keyword (in katakana or half width now and then, as citizens type). */
export function syntheticMessages(count: number, rules: readonly KeywordRule[], seed = 2): string[] {
  const r = rng(seed);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const said = rules.filter((rule) => rule.match !== 'regex').map((rule) => rule.patterns[0]!);
  return Array.from({ length: count }, (_, i) => {
    switch (i % 5) {
      case 0:
        return `${pick()}${ASKS[Math.floor(r() * ASKS.length)]}`;
      case 1: {
        const keyword = said[Math.floor(r() * said.length)]!;
        return i % 3 === 0 ? `「${keyword}」${ASKS[i % ASKS.length]}` : i % 3 === 1 ? keyword.normalize('NFKC') : `${keyword}？`;
      }
      case 2:
        return `こんにちは。${pick()}${ASKS[Math.floor(r() * ASKS.length)]}？よろしくお願いします。`;
      case 3:
        return `${FILLER.repeat(1 + Math.floor(r() * 5))}${pick()}`.slice(0, 300);
      default:
        return `ありがとうございました ${i}`;
    }
  });
}
