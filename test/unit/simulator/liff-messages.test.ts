/**
 * liff.sendMessages() in the phone's LIFF overlay (simulator/phone-web/src/liff-messages.ts): what
 * the phone accepts from a LIFF page and what it asks the control API to send as the citizen.
 */
import { MAX_LIFF_MESSAGES, liffMessageBodies, requestIdOf } from '../../../simulator/phone-web/src/liff-messages';
import { MAX_LIFF_MESSAGES as PAGE_MAX, placeMessage } from '../../../liff-web/src/place-model';

const place = { type: 'location', title: '地図で選んだ場所', address: '32.986800, 130.433400', latitude: 32.9868, longitude: 130.4334 };

describe('liff.sendMessages in the simulator', () => {
  it('sends a location as the citizen location message, and text as text', () => {
    expect(liffMessageBodies([place, { type: 'text', text: '道路に穴があります' }])).toEqual({
      ok: true,
      bodies: [
        { type: 'location', title: '地図で選んだ場所', address: '32.986800, 130.433400', latitude: 32.9868, longitude: 130.4334 },
        { type: 'text', text: '道路に穴があります' },
      ],
    });
  });

  it('takes what the place picker sends as it is', () => {
    const sent = placeMessage({ latitude: 32.97, longitude: 130.45 }, 'Place chosen on the map');
    expect(liffMessageBodies([sent])).toEqual({ ok: true, bodies: [sent] });
  });

  it('drops what LINE would not carry (extra fields) and keeps the order', () => {
    const result = liffMessageBodies([
      { ...place, quickReply: { items: [] }, sender: { name: 'x' } },
      { type: 'text', text: 'b' },
      { type: 'text', text: 'c' },
    ]);
    expect(result.ok && result.bodies.map((b) => b.type)).toEqual(['location', 'text', 'text']);
    expect(result.ok && result.bodies[0]).not.toHaveProperty('quickReply');
  });

  it('refuses more than five messages, as LINE does', () => {
    expect(MAX_LIFF_MESSAGES).toBe(5);
    expect(PAGE_MAX).toBe(MAX_LIFF_MESSAGES);
    expect(liffMessageBodies(Array(5).fill(place)).ok).toBe(true);
    expect(liffMessageBodies(Array(6).fill(place))).toEqual({ ok: false, error: 'liff.sendMessages: 一度に送れるメッセージは5件までです（6件）' });
  });

  it('refuses nothing to send', () => {
    for (const messages of [[], undefined, null, 'hello', { type: 'text', text: 'x' }]) expect(liffMessageBodies(messages)).toMatchObject({ ok: false });
  });

  it('refuses other message types with their name (the whole call, nothing sent)', () => {
    const result = liffMessageBodies([place, { type: 'sticker', packageId: '446', stickerId: '1988' }]);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('messages[1] の種類 "sticker"') });
    expect(liffMessageBodies([{ type: 'flex', altText: 'x', contents: {} }])).toMatchObject({ ok: false, error: expect.stringContaining('"flex"') });
    expect(liffMessageBodies(['text'])).toMatchObject({ ok: false, error: expect.stringContaining('messages[0]') });
  });

  it("checks a location as LINE's message object: title and address 1–100 characters, coordinates on Earth", () => {
    const bad = (patch: object) => liffMessageBodies([{ ...place, ...patch }]);
    expect(bad({ title: '' })).toMatchObject({ ok: false, error: expect.stringContaining('messages[0].title') });
    expect(bad({ title: undefined })).toMatchObject({ ok: false });
    expect(bad({ title: '場'.repeat(101) })).toMatchObject({ ok: false });
    expect(bad({ title: '場'.repeat(100) })).toMatchObject({ ok: true });
    expect(bad({ title: '😀'.repeat(100) })).toMatchObject({ ok: true }); // characters, not UTF-16 units
    expect(bad({ address: '  ' })).toMatchObject({ ok: false, error: expect.stringContaining('address') });
    expect(bad({ latitude: 90.5 })).toMatchObject({ ok: false, error: expect.stringContaining('latitude') });
    expect(bad({ latitude: '32.9' })).toMatchObject({ ok: false });
    expect(bad({ longitude: -181 })).toMatchObject({ ok: false, error: expect.stringContaining('longitude') });
    expect(bad({ longitude: Infinity })).toMatchObject({ ok: false });
  });

  it('checks text: not blank, at most 5,000 characters', () => {
    expect(liffMessageBodies([{ type: 'text', text: ' ' }])).toMatchObject({ ok: false });
    expect(liffMessageBodies([{ type: 'text', text: 'あ'.repeat(5001) }])).toMatchObject({ ok: false });
    expect(liffMessageBodies([{ type: 'text', text: 'あ'.repeat(5000) }])).toMatchObject({ ok: true });
  });

  it('answers only a page that gave a plain request id', () => {
    expect(requestIdOf({ id: 'send-lx1-1' })).toBe('send-lx1-1');
    expect(requestIdOf({})).toBeUndefined();
    expect(requestIdOf({ id: 42 })).toBeUndefined();
    expect(requestIdOf({ id: 'x'.repeat(65) })).toBeUndefined();
    expect(requestIdOf({ id: '<script>' })).toBeUndefined();
  });
});
