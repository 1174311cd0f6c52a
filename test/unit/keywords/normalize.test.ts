/** The one normal form of keywords and messages (functions/keywords/normalize.ts): each pair must meet. */
import { normalizeForMatch } from '../../../functions/keywords/normalize';

const SAME: [string, string, string][] = [
  // [written one way, written another way, what both become]
  ['ごみ', 'ゴミ', 'ごみ'],
  ['ごみ', 'ｺﾞﾐ', 'ごみ'],
  ['ごみ', '「ゴミ」', 'ごみ'],
  ['ごみ', 'ゴミ。', 'ごみ'],
  ['ごみ', '『ごみ』！', 'ごみ'],
  ['ごみ', '【ゴミ】', 'ごみ'],
  ['ごみの日', 'ゴミ の 日', 'ごみの日'],
  ['ごみの日', 'ゴミ　の　日', 'ごみの日'],
  ['ぱぴぷ', 'ﾊﾟﾋﾟﾌﾟ', 'ぱぴぷ'],
  ['がっこう', 'ｶﾞｯｺｳ', 'がつこう'],
  ['キャンセル', 'きやんせる', 'きやんせる'],
  ['ちょっと', 'ちよつと', 'ちよつと'],
  ['ファイル', 'ふあいる', 'ふあいる'],
  ['ヴァイオリン', 'ゔぁいおりん', 'ゔあいおりん'],
  ['コンピューター', 'コンピュータ', 'こんぴゆた'],
  ['マイナンバーカード', 'まいなんばー かーど', 'まいなんばかど'],
  ['マイナンバー', 'マイナンバ―', 'まいなんば'],
  ['マイナンバー', 'マイナンバｰ', 'まいなんば'],
  ['スープ', 'スーープ', 'すぷ'],
  ['ABC', 'ａｂｃ', 'abc'],
  ['Help', 'ＨＥＬＰ', 'help'],
  ['wifi', 'Wi-Fi', 'wifi'],
  ['123', '１２３', '123'],
  ['1番', '①番', '1番'],
  ['0968-63-1111', '０９６８－６３－１１１１', '0968631111'],
  ['住民票', '住民票？', '住民票'],
  ['住民票', ' 住民票 ', '住民票'],
  ['避難所はどこ', '避難所は、どこ？', '避難所はどこ'],
  ['粗大ごみ', '粗大ゴミ!!', '粗大ごみ'],
  ['ありがとう', 'ありがとう〜', 'ありがとう'],
  ['ありがとう', 'ありがとう～！', 'ありがとう'],
  ['㈱', '(株)', '株'],
  ['kg', '㎏', 'kg'],
  ['ヶ月', 'ヵ月', 'か月'],
  ['3か月', '３ヶ月', '3か月'],
  ['ﾏｲﾅﾝﾊﾞｰ', 'マイナンバー', 'まいなんば'],
];

describe('normalizeForMatch', () => {
  it.each(SAME)('%s and %s both become %s', (a, b, expected) => {
    expect(normalizeForMatch(a)).toBe(expected);
    expect(normalizeForMatch(b)).toBe(expected);
  });

  it('has at least 30 pairs', () => expect(SAME.length).toBeGreaterThanOrEqual(30));

  it('keeps kanji and meaning-bearing symbols, and drops only spacing and punctuation', () => {
    expect(normalizeForMatch('市役所 ＠ 荒尾')).toBe('市役所荒尾');
    expect(normalizeForMatch('★お知らせ★')).toBe('★お知らせ★');
    expect(normalizeForMatch('😀ゴミ')).toBe('😀ごみ');
  });

  it('is idempotent and leaves an empty or punctuation-only text empty', () => {
    for (const [a] of SAME) expect(normalizeForMatch(normalizeForMatch(a))).toBe(normalizeForMatch(a));
    expect(normalizeForMatch('')).toBe('');
    expect(normalizeForMatch('「」。、！？ 　')).toBe('');
  });
});
