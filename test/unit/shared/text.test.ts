/**
 * Length checks are never slower than the input: a 60 KB button label (11.3 s to refuse before,
 * blocking the process) is refused by its raw length without segmenting.
 */
import { estimateBody } from '../../../functions/deliveries/schemas';
import { toLineMessages } from '../../../functions/deliveries/compose';
import { MAX_UNITS_PER_GRAPHEME, withinGraphemes } from '../../../functions/shared/text';

describe('grapheme limits', () => {
  let segment: jest.SpyInstance;
  beforeEach(() => {
    segment = jest.spyOn(Intl.Segmenter.prototype, 'segment');
  });
  afterEach(() => segment.mockRestore());

  /** The longest text the segmenter was ever given in this test. */
  const longestSegmented = () => Math.max(0, ...segment.mock.calls.map(([t]) => String(t).length));

  it('counts clusters a person sees as one character', () => {
    expect(withinGraphemes('👍🏽'.repeat(20), 20)).toBe(true);
    expect(withinGraphemes('👨‍👩‍👧‍👦'.repeat(20), 20)).toBe(true);
    expect(withinGraphemes('が'.repeat(21), 20)).toBe(false);
    expect(withinGraphemes('🇯🇵'.repeat(21), 20)).toBe(false);
  });

  it('refuses an over-long text by its raw length, never segmenting it', () => {
    expect(withinGraphemes('a'.repeat(60_000), 20)).toBe(false);
    expect(withinGraphemes('a\u0301'.repeat(30_000), 20)).toBe(false);
    expect(longestSegmented()).toBeLessThanOrEqual(20 * MAX_UNITS_PER_GRAPHEME);
  });

  it('the estimate API refuses a 60 KB button label without segmenting it', () => {
    const result = estimateBody.safeParse({
      audience: { segmentId: 'everyone' },
      variants: [{ lang: 'ja', bubbles: [{ type: 'link', text: '詳しくはこちら', label: 'あ'.repeat(60_000), url: 'https://www.city.arao.lg.jp/' }] }],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toContain('ボタンの文言は20文字以内にしてください。');
    expect(longestSegmented()).toBeLessThanOrEqual(20 * MAX_UNITS_PER_GRAPHEME);
  });

  it('composing refuses it the same way', () => {
    const variant = { lang: 'ja' as const, bubbles: [{ type: 'link' as const, text: 't', label: 'a'.repeat(60_000), url: 'https://x.jp' }] };
    const ctx = { mediaUrl: () => 'https://x.jp/m', linkUrl: (i: number) => `https://x.jp/r/${i}` };
    expect(() => toLineMessages(variant, [], ctx)).toThrow('ボタンの文言は20文字以内にしてください。');
    expect(longestSegmented()).toBeLessThanOrEqual(20 * MAX_UNITS_PER_GRAPHEME);
  });
});
