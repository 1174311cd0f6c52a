/**
 * One normal form for keywords and messages, so that ごみ, ゴミ, ｺﾞﾐ, 「ゴミ」 and ゴミ。 meet:
 * 1. NFKC: full-width letters and digits to half-width, half-width katakana to full-width with
 *    their voiced marks joined (ｺﾞ → ゴ), circled and compatibility forms to plain (① → 1);
 * 2. lower case (ＡＢＣ, ABC → abc);
 * 3. katakana to hiragana (ゴミ → ごみ; ヴ → ゔ);
 * 4. small kana to their full size (ぁ → あ, っ → つ, ゃ → や): ちょっと / ちよつと, キャンセル / キヤンセル;
 * 5. long-vowel marks, dashes and wave dashes dropped (コンピューター / コンピュータ, ～);
 * 6. spaces, punctuation and brackets dropped (「」『』【】（）・、。！？ …).
 * The same function runs on staff's keywords when they are saved and on every message, so it
 * needs no table of variants; it is linear in the text.
 */

const KATAKANA_START = 0x30a1; // ァ
const KATAKANA_END = 0x30f6; // ヶ
const KATA_TO_HIRA = 0x60;

/** Small kana (after step 3: hiragana) to their full size. */
const SMALL_TO_FULL: Record<string, string> = {
  ぁ: 'あ',
  ぃ: 'い',
  ぅ: 'う',
  ぇ: 'え',
  ぉ: 'お',
  っ: 'つ',
  ゃ: 'や',
  ゅ: 'ゆ',
  ょ: 'よ',
  ゎ: 'わ',
  ゕ: 'か',
  ゖ: 'か', // ヶ月・ヵ月・か月 (ヶ reads か here, as in most counters)
};

/** Long-vowel mark, dashes and wave dashes (after NFKC). */
const PROLONG = new Set(['ー', '-', '‐', '‑', '‒', '–', '—', '―', '−', '~', '〜', '〰']);

const DROPPED = /[\p{P}\p{Z}\s]/u;

export function normalizeForMatch(text: string): string {
  const nfkc = text.normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of nfkc) {
    let c = ch;
    const code = c.codePointAt(0)!;
    if (code >= KATAKANA_START && code <= KATAKANA_END) c = String.fromCodePoint(code - KATA_TO_HIRA);
    else if (c === 'ヷ' || c === 'ヸ' || c === 'ヹ' || c === 'ヺ') c = { ヷ: 'わ', ヸ: 'い', ヹ: 'え', ヺ: 'を' }[c]!;
    c = SMALL_TO_FULL[c] ?? c;
    // Long vowels and every dash (0968-63-… reads the same without them), spaces, punctuation.
    if (PROLONG.has(c) || DROPPED.test(c)) continue;
    out += c;
  }
  return out;
}
