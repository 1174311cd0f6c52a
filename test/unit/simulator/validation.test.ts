import { isAcceptableMediaUrl, validateRichMenu, validateSendRequest } from '../../../simulator/validation';

const text = (t: string) => ({ type: 'text', text: t });
const props = (r: ReturnType<typeof validateSendRequest>) => (r.ok ? [] : r.body.details.map((d) => d.property));

describe('message validation', () => {
  it('accepts a valid push', () => {
    expect(validateSendRequest('push', { to: 'U1', messages: [text('こんにちは')] })).toEqual({ ok: true });
  });

  it('requires 1..5 messages', () => {
    expect(props(validateSendRequest('push', { to: 'U1', messages: [] }))).toEqual(['messages']);
    expect(props(validateSendRequest('push', { to: 'U1', messages: Array(6).fill(text('a')) }))).toEqual(['messages']);
    expect(props(validateSendRequest('push', { to: 'U1' }))).toEqual(['messages']);
    expect(validateSendRequest('push', { to: 'U1', messages: Array(5).fill(text('a')) }).ok).toBe(true);
  });

  it('reports errors like LINE', () => {
    const r = validateSendRequest('push', { to: 'U1', messages: [text(''), { type: 'bogus' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.body.message).toBe('The request body has 2 error(s)');
    expect(r.body.details).toEqual([{ message: 'must be specified', property: 'messages[0].text' }, expect.objectContaining({ property: 'messages[1].type' })]);
  });

  it('limits text to 5000 characters (counting code points)', () => {
    expect(validateSendRequest('push', { to: 'U1', messages: [text('あ'.repeat(5000))] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U1', messages: [text('あ'.repeat(5001))] }))).toEqual(['messages[0].text']);
  });

  it('requires https media URLs but allows http on loopback', () => {
    expect(isAcceptableMediaUrl('https://example.jp/a.png')).toBe(true);
    expect(isAcceptableMediaUrl('http://127.0.0.1:3000/a.png')).toBe(true);
    expect(isAcceptableMediaUrl('http://localhost/a.png')).toBe(true);
    expect(isAcceptableMediaUrl('http://example.jp/a.png')).toBe(false);
    expect(isAcceptableMediaUrl('')).toBe(false);
    const r = validateSendRequest('push', { to: 'U1', messages: [{ type: 'image', originalContentUrl: 'http://example.jp/a.png' }] });
    expect(props(r)).toEqual(['messages[0].originalContentUrl', 'messages[0].previewImageUrl']);
  });

  it('checks altText lengths of template (400) and flex (1500)', () => {
    const buttons = { type: 'buttons', text: 'x', actions: [{ type: 'message', label: 'a', text: 'a' }] };
    expect(validateSendRequest('push', { to: 'U', messages: [{ type: 'template', altText: 'a'.repeat(400), template: buttons }] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U', messages: [{ type: 'template', altText: 'a'.repeat(401), template: buttons }] }))).toEqual([
      'messages[0].altText',
    ]);
    const bubble = { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x' }] } };
    expect(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a'.repeat(1500), contents: bubble }] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a'.repeat(1501), contents: bubble }] }))).toEqual([
      'messages[0].altText',
    ]);
  });

  it('limits flex bubble size (30 KB), carousel size (50 KB) and bubbles (12)', () => {
    const bubble = (n: number) => ({ type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x'.repeat(n) }] } });
    expect(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a', contents: bubble(29_000) }] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a', contents: bubble(31_000) }] }))).toEqual([
      'messages[0].contents',
    ]);
    const carousel = (k: number, n: number) => ({ type: 'carousel', contents: Array.from({ length: k }, () => bubble(n)) });
    expect(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a', contents: carousel(12, 10) }] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a', contents: carousel(13, 10) }] }))).toEqual([
      'messages[0].contents.contents',
    ]);
    expect(props(validateSendRequest('push', { to: 'U', messages: [{ type: 'flex', altText: 'a', contents: carousel(2, 26_000) }] }))).toEqual([
      'messages[0].contents',
    ]);
  });

  it('limits quick reply items to 13', () => {
    const item = { type: 'action', action: { type: 'message', label: 'a', text: 'a' } };
    expect(validateSendRequest('push', { to: 'U', messages: [{ ...text('q'), quickReply: { items: Array(13).fill(item) } }] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U', messages: [{ ...text('q'), quickReply: { items: Array(14).fill(item) } }] }))).toEqual([
      'messages[0].quickReply.items',
    ]);
  });

  it('limits postback data to 300 characters wherever the action is', () => {
    const pb = (n: number) => ({ type: 'postback', label: 'p', data: 'd'.repeat(n) });
    const qr = (n: number) => ({ ...text('q'), quickReply: { items: [{ type: 'action', action: pb(n) }] } });
    expect(validateSendRequest('push', { to: 'U', messages: [qr(300)] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { to: 'U', messages: [qr(301)] }))).toEqual(['messages[0].quickReply.items[0].action.data']);
    const flex = {
      type: 'flex',
      altText: 'a',
      contents: { type: 'bubble', footer: { type: 'box', layout: 'vertical', contents: [{ type: 'button', action: pb(301) }] } },
    };
    expect(props(validateSendRequest('push', { to: 'U', messages: [flex] }))).toEqual(['messages[0].contents.footer.contents[0].action.data']);
  });

  it('validates customAggregationUnits: at most one name matching ^[a-zA-Z0-9_]{1,30}$', () => {
    const base = { to: 'U', messages: [text('a')] };
    expect(validateSendRequest('push', { ...base, customAggregationUnits: ['notice_2026_11'] }).ok).toBe(true);
    expect(props(validateSendRequest('push', { ...base, customAggregationUnits: ['a', 'b'] }))).toEqual(['customAggregationUnits']);
    expect(props(validateSendRequest('push', { ...base, customAggregationUnits: ['has-dash'] }))).toEqual(['customAggregationUnits[0]']);
    expect(props(validateSendRequest('push', { ...base, customAggregationUnits: ['x'.repeat(31)] }))).toEqual(['customAggregationUnits[0]']);
  });

  it('limits multicast recipients to 1..500', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `U${i}`);
    expect(validateSendRequest('multicast', { to: ids(500), messages: [text('a')] }).ok).toBe(true);
    expect(props(validateSendRequest('multicast', { to: ids(501), messages: [text('a')] }))).toEqual(['to']);
    expect(props(validateSendRequest('multicast', { to: [], messages: [text('a')] }))).toEqual(['to']);
  });

  it('requires a reply token for reply', () => {
    expect(props(validateSendRequest('reply', { messages: [text('a')] }))).toEqual(['replyToken']);
  });

  it('validates rich menus', () => {
    const menu = {
      size: { width: 2500, height: 843 },
      selected: false,
      name: 'main',
      chatBarText: 'メニュー',
      areas: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'message', text: 'ごみ' } }],
    };
    expect(validateRichMenu(menu).ok).toBe(true);
    const bad = validateRichMenu({ ...menu, size: { width: 2500, height: 1000 }, chatBarText: 'x'.repeat(15) });
    expect(bad.ok ? [] : bad.body.details.map((d) => d.property)).toEqual(expect.arrayContaining(['size', 'chatBarText']));
  });
});
