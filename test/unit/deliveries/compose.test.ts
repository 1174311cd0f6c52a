import type { messagingApi } from '@line/bot-sdk';
import {
  CATEGORIES,
  LIMITS,
  NAME_FALLBACK,
  altText,
  collectLinks,
  needsFriendName,
  pickVariant,
  toLineMessages,
  urlsInText,
  type ComposeContext,
} from '../../../functions/deliveries/compose';
import type { Bubble, DeliveryContent, Variant } from '../../../functions/deliveries/model';
import { ValidationError } from '../../../functions/shared/errors';
import { checkContent } from '../../../functions/deliveries/staff-deliveries';
import { MemoryScenarios, scenarioHeader } from '../../support/scenario-fakes';

const ctx: ComposeContext = {
  mediaUrl: (id, kind) => `https://cdn.example.jp/media/${id}/${kind}`,
  linkUrl: (i) => `https://line.example.jp/r/D1/${i}`,
};
const content = (variants: Variant[]): DeliveryContent => ({ title: 't', category: '防災', variants });
const ja = (...bubbles: Bubble[]): Variant => ({ lang: 'ja', bubbles });

type Flex = messagingApi.FlexMessage & { contents: messagingApi.FlexBubble };
const asFlex = (m: unknown) => m as Flex;
const texts = (node: unknown): string[] => {
  if (!node || typeof node !== 'object') return [];
  const own =
    (node as { type?: string; text?: string }).type === 'text' && typeof (node as { text?: string }).text === 'string' ? [(node as { text: string }).text] : [];
  return [...own, ...Object.values(node).flatMap(texts)];
};

function expectValidation(fn: () => unknown, pattern: RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as Error).message).toMatch(pattern);
}

describe('collectLinks', () => {
  it('lists distinct URLs of every variant in a stable order (text, card, link)', () => {
    const c = content([
      ja(
        { type: 'text', text: '詳細は https://city.example.jp/a をご覧ください。地図 http://localhost:3000/map.' },
        {
          type: 'card',
          template: 'notice',
          title: 'お知らせ',
          body: '本文 https://city.example.jp/b',
          button: { label: '開く', url: 'https://city.example.jp/c' },
        },
        { type: 'link', text: 'リンク', label: '詳しく見る', url: 'https://city.example.jp/a' },
      ),
      { lang: 'en', bubbles: [{ type: 'link', text: 'See https://city.example.jp/en,', label: 'More', url: 'https://city.example.jp/c' }] },
    ]);
    expect(collectLinks(c)).toEqual([
      'https://city.example.jp/a',
      'http://localhost:3000/map',
      'https://city.example.jp/b',
      'https://city.example.jp/c',
      'https://city.example.jp/en',
    ]);
  });

  it('ends URLs at Japanese text, full-width punctuation and unbalanced parentheses', () => {
    expect(urlsInText('https://example.jp/pathをご覧ください')).toEqual(['https://example.jp/path']);
    expect(urlsInText('（https://example.jp/x）')).toEqual(['https://example.jp/x']);
    expect(urlsInText('(see https://example.jp/x)')).toEqual(['https://example.jp/x']);
    expect(urlsInText('https://en.wikipedia.org/wiki/Arao_(Kumamoto)')).toEqual(['https://en.wikipedia.org/wiki/Arao_(Kumamoto)']);
    expect(urlsInText('ftp://example.jp and mailto:a@b.jp')).toEqual([]);
  });

  it('is empty for content without URLs', () => {
    expect(collectLinks(content([ja({ type: 'text', text: 'こんにちは' }, { type: 'image', mediaId: 'M1' })]))).toEqual([]);
  });
});

describe('pickVariant', () => {
  const c = content([
    ja({ type: 'text', text: 'こんにちは' }),
    { lang: 'en', bubbles: [{ type: 'text', text: 'Hello' }] },
    { lang: 'zh-Hant', bubbles: [{ type: 'text', text: '你好' }] },
  ]);
  it.each([
    ['en', 'en'],
    ['en-GB', 'en'],
    ['zh-TW', 'zh-Hant'],
    ['ko', 'ja'],
    ['th', 'ja'],
    [undefined, 'ja'],
  ])('friend language %s → %s variant', (lang, expected) => expect(pickVariant(c, lang).lang).toBe(expected));
});

describe('needsFriendName', () => {
  it('is true when any text, card or link text of any variant contains {name}', () => {
    expect(needsFriendName(content([ja({ type: 'text', text: 'お知らせ' })]))).toBe(false);
    expect(needsFriendName(content([ja({ type: 'text', text: '{name}さん、こんにちは' })]))).toBe(true);
    expect(
      needsFriendName(
        content([ja({ type: 'text', text: 'a' }), { lang: 'en', bubbles: [{ type: 'link', text: 'Hi {name}', label: 'Go', url: 'https://x.jp' }] }]),
      ),
    ).toBe(true);
    expect(needsFriendName(content([ja({ type: 'card', template: 'event', title: 't', body: 'b', where: '{name}さんのお近くの会場' })]))).toBe(true);
    expect(needsFriendName(content([ja({ type: 'text', text: '{ name }' })]))).toBe(false);
  });
});

describe('toLineMessages', () => {
  it('text: URLs go through the click redirect, {name} becomes the display name (after URL rewriting)', () => {
    const v = ja({ type: 'text', text: '{name}さん、詳細は https://city.example.jp/a をご覧ください。' });
    const links = collectLinks(content([v]));
    const [m] = toLineMessages(v, links, ctx, 'http://evil.example/');
    expect(m).toEqual({ type: 'text', text: 'http://evil.example/さん、詳細は https://line.example.jp/r/D1/0 をご覧ください。' });
  });

  it('without a name, {name} becomes the language fallback ("皆さん", "Hello friend")', () => {
    const [m] = toLineMessages(ja({ type: 'text', text: '{name}さん' }), [], ctx);
    expect(m).toEqual({ type: 'text', text: '皆さん' });
    const [en] = toLineMessages({ lang: 'en', bubbles: [{ type: 'text', text: 'Hello {name}' }] }, [], ctx, '   ');
    expect(en).toEqual({ type: 'text', text: `Hello ${NAME_FALLBACK.en}` });
  });

  it('keeps trailing punctuation outside the rewritten URL', () => {
    const v = ja({ type: 'text', text: 'See https://city.example.jp/a.' });
    const [m] = toLineMessages(v, ['https://city.example.jp/a'], ctx);
    expect(m).toEqual({ type: 'text', text: 'See https://line.example.jp/r/D1/0.' });
  });

  it('image: original and preview URLs from the context', () => {
    const [m] = toLineMessages(ja({ type: 'image', mediaId: 'M1' }), [], ctx);
    expect(m).toEqual({
      type: 'image',
      originalContentUrl: 'https://cdn.example.jp/media/M1/original',
      previewImageUrl: 'https://cdn.example.jp/media/M1/preview',
    });
  });

  it('notice card: blue header, hero image, body and redirected button', () => {
    const v = ja({
      type: 'card',
      template: 'notice',
      title: 'ごみ収集日の変更',
      body: '年末年始は収集日が変わります。',
      mediaId: 'M2',
      button: { label: '詳しく見る', url: 'https://city.example.jp/gomi' },
    });
    const [m] = toLineMessages(v, collectLinks(content([v])), ctx);
    const flex = asFlex(m);
    expect(flex.type).toBe('flex');
    expect(flex.altText).toBe('ごみ収集日の変更');
    expect(flex.contents.header?.backgroundColor).toBe('#1565C0');
    expect(flex.contents.hero).toMatchObject({ type: 'image', url: 'https://cdn.example.jp/media/M2/original' });
    expect(flex.contents.footer?.contents[0]).toMatchObject({
      type: 'button',
      action: { type: 'uri', label: '詳しく見る', uri: 'https://line.example.jp/r/D1/0' },
    });
    expect(texts(flex.contents)).toEqual(['ごみ収集日の変更', '年末年始は収集日が変わります。']);
  });

  it('event card: when/where rows in the variant language; no hero or footer when absent', () => {
    const v: Variant = {
      lang: 'en',
      bubbles: [{ type: 'card', template: 'event', title: 'Festival', body: 'Come!', when: 'Aug 1, 18:00', where: 'Arao Park' }],
    };
    const flex = asFlex(toLineMessages(v, [], ctx)[0]);
    expect(flex.contents.header?.backgroundColor).toBe('#2E7D32');
    expect(texts(flex.contents)).toEqual(['Festival', 'Come!', 'When', 'Aug 1, 18:00', 'Where', 'Arao Park']);
    expect(flex.contents.hero).toBeUndefined();
    expect(flex.contents.footer).toBeUndefined();
  });

  it('emergency card: red header with a label, bold body', () => {
    const v = ja({ type: 'card', template: 'emergency', title: '避難指示', body: '直ちに避難してください。' });
    const flex = asFlex(toLineMessages(v, [], ctx)[0]);
    expect(flex.contents.header?.backgroundColor).toBe('#C62828');
    expect(texts(flex.contents)).toEqual(['緊急', '避難指示', '直ちに避難してください。']);
    expect(flex.contents.body?.contents[0]).toMatchObject({ type: 'text', weight: 'bold' });
  });

  it('link bubble: the text and a button with the given label', () => {
    const v = ja({ type: 'link', text: '{name}さん向けの案内です', label: '詳しく見る', url: 'https://city.example.jp/x' });
    const flex = asFlex(toLineMessages(v, ['https://city.example.jp/x'], ctx, '花子')[0]);
    expect(flex.altText).toBe('花子さん向けの案内です');
    expect(texts(flex.contents)).toEqual(['花子さん向けの案内です']);
    expect(flex.contents.footer?.contents[0]).toMatchObject({ action: { type: 'uri', label: '詳しく見る', uri: 'https://line.example.jp/r/D1/0' } });
  });

  it("scenario bubble: the text and a postback button that starts the scenario, its label shown as the friend's message", () => {
    const [m] = toLineMessages(
      ja({ type: 'scenario', text: '{name}さん、粗大ごみの出し方をご案内します。', label: '案内を始める', scenarioId: '01KA00000000000000000SC000' }),
      [],
      ctx,
      '花子',
    );
    const flex = asFlex(m);
    expect(texts(flex.contents.body)).toEqual(['花子さん、粗大ごみの出し方をご案内します。']);
    expect((flex.contents.footer!.contents[0] as messagingApi.FlexButton).action).toEqual({
      type: 'postback',
      label: '案内を始める',
      data: 'scenario:01KA00000000000000000SC000',
      displayText: '案内を始める',
    });
    expect(collectLinks(content([ja({ type: 'scenario', text: 'https://city.example.jp/a', label: 'x', scenarioId: '01KA00000000000000000SC000' })]))).toEqual([
      'https://city.example.jp/a',
    ]);
  });

  it('a scenario button starts only a published scenario: checked when the content is saved', async () => {
    const scenarios = new MemoryScenarios();
    scenarios.headers.set('01KA00000000000000000SC000', scenarioHeader('01KA00000000000000000SC000', '粗大ごみ案内'));
    const button = content([ja({ type: 'scenario', text: '粗大ごみの出し方', label: '案内を始める', scenarioId: '01KA00000000000000000SC000' })]);
    const deps = { media: { get: async () => null }, scenarios };
    await expect(checkContent(deps, button)).rejects.toThrow('シナリオ「粗大ごみ案内」は公開されていません。');
    scenarios.headers.get('01KA00000000000000000SC000')!.publishedVersion = 1;
    await expect(checkContent(deps, button)).resolves.toBeUndefined();
  });

  it('alt text is one line of at most 400 characters', () => {
    const v = ja({ type: 'link', text: `${'あ'.repeat(300)}\n${'い'.repeat(300)}`, label: '開く', url: 'https://x.jp' });
    const flex = asFlex(toLineMessages(v, [], ctx)[0]);
    expect(flex.altText.length).toBe(LIMITS.altTextChars);
    expect(flex.altText).not.toContain('\n');
    expect(flex.altText.endsWith('…')).toBe(true);
    expect(altText('  ')).toBe('お知らせ');
  });

  it('sends up to 5 messages in order and refuses 6 or none', () => {
    const five = ja(...Array.from({ length: 5 }, (_, i): Bubble => ({ type: 'text', text: `${i}` })));
    expect(toLineMessages(five, [], ctx).map((m) => (m as messagingApi.TextMessage).text)).toEqual(['0', '1', '2', '3', '4']);
    expectValidation(() => toLineMessages(ja(...five.bubbles, { type: 'text', text: '5' }), [], ctx), /日本語版: 吹き出しは5個まで/);
    expectValidation(() => toLineMessages(ja(), [], ctx), /1つ以上/);
  });

  it('text limit of 5,000 UTF-16 units is checked after names and links are filled in', () => {
    expect(toLineMessages(ja({ type: 'text', text: 'あ'.repeat(5000) }), [], ctx)).toHaveLength(1);
    expectValidation(() => toLineMessages(ja({ type: 'text', text: 'あ'.repeat(5001) }), [], ctx), /1番目の吹き出し: テキストは5,000文字以内/);
    // An emoji is two UTF-16 units for LINE.
    expectValidation(() => toLineMessages(ja({ type: 'text', text: '🍎'.repeat(2501) }), [], ctx), /5,000文字以内/);
    const nearLimit = `${'あ'.repeat(4990)}{name}`;
    expect(toLineMessages(ja({ type: 'text', text: nearLimit }), [], ctx, '太郎')).toHaveLength(1);
    expectValidation(() => toLineMessages(ja({ type: 'text', text: nearLimit }), [], ctx, 'あ'.repeat(20)), /5,010文字/);
  });

  it('refuses a flex bubble over 30 KB of JSON', () => {
    // 3 bytes per character in UTF-8: 10,000 characters are 30,000 bytes of body alone.
    const big = ja({ type: 'card', template: 'notice', title: '大きい', body: 'あ'.repeat(10_000) });
    expectValidation(() => toLineMessages(big, [], ctx), /30KB/);
    const fits = ja({ type: 'card', template: 'notice', title: '普通', body: 'あ'.repeat(9_000) });
    const flex = asFlex(toLineMessages(fits, [], ctx)[0]);
    expect(Buffer.byteLength(JSON.stringify(flex.contents))).toBeLessThanOrEqual(LIMITS.flexBubbleBytes);
  });

  it('refuses a button label over 20 characters (grapheme clusters) and an empty text', () => {
    const label = (l: string) => ja({ type: 'link', text: 't', label: l, url: 'https://x.jp' });
    expect(toLineMessages(label('あ'.repeat(20)), [], ctx)).toHaveLength(1);
    expect(toLineMessages(label('👨‍👩‍👧'.repeat(20)), [], ctx)).toHaveLength(1);
    expectValidation(() => toLineMessages(label('あ'.repeat(21)), [], ctx), /ボタンの文言は20文字以内/);
    expectValidation(() => toLineMessages(ja({ type: 'text', text: '  ' }), [], ctx), /テキストを入力/);
  });

  it('names the language of the failing variant for staff', () => {
    expectValidation(() => toLineMessages({ lang: 'ko', bubbles: [{ type: 'text', text: 'x'.repeat(5001) }] }, [], ctx), /^韓国語版: 1番目の吹き出し/);
  });
});

describe('CATEGORIES', () => {
  it('offers the default categories in Japanese', () => {
    expect(CATEGORIES).toEqual(['防災', '新型コロナ・健康', '子育て', 'イベント', '市政', '観光', 'その他']);
  });
});
