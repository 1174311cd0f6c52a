import { chunkRetryKey, sendMessageOf } from '../../../functions/deliveries/chunking';
import type { Chunk } from '../../../functions/deliveries/model';
import { parseSendMessage, sendMessageSchema } from '../../../functions/deliveries/pipeline-handlers';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `U${i.toString(16).padStart(32, '0')}`);
const chunk = (over: Partial<Chunk> = {}): Chunk => ({
  deliveryId: 'D1',
  index: 7,
  lang: 'en',
  mode: 'multicast',
  recipients: ids(500),
  retryKey: chunkRetryKey('D1', 7),
  status: 'pending',
  attempts: 0,
  ...over,
});

describe('the send message', () => {
  test('carries a multicast chunk (packed recipients) and a broadcast chunk; a push chunk is read by the sender', () => {
    expect(sendMessageOf(chunk())).toEqual({
      deliveryId: 'D1',
      index: 7,
      chunk: { lang: 'en', mode: 'multicast', retryKey: chunkRetryKey('D1', 7), to: ids(500).join('\n') },
    });
    expect(sendMessageOf(chunk({ mode: 'broadcast', recipients: [] })).chunk).toMatchObject({ mode: 'broadcast', to: '' });
    expect(sendMessageOf(chunk({ mode: 'push', names: ids(500) }))).toEqual({ deliveryId: 'D1', index: 7 });
  });

  test('what the planner sends passes validation, unchanged', () => {
    for (const c of [chunk(), chunk({ mode: 'broadcast', recipients: [] }), chunk({ mode: 'push' })]) {
      const message = JSON.parse(JSON.stringify(sendMessageOf(c)));
      expect(sendMessageSchema.parse(message)).toEqual(message);
    }
    expect(sendMessageSchema.parse({ deliveryId: 'D1', index: 0 })).toEqual({ deliveryId: 'D1', index: 0 });
  });

  test.each([
    ['more than 500 recipients', { to: ids(501).join('\n') }],
    ['an empty user ID', { to: `${ids(2).join('\n')}\n` }],
    ['a user ID with a space', { to: 'U1 U2' }],
    ['a user ID over 64 characters', { to: `U${'0'.repeat(64)}` }],
    ['a multicast without recipients', { to: '' }],
    ['a broadcast with recipients', { mode: 'broadcast' }],
    ['an unknown language', { lang: 'fr' }],
    ['a retry key that is not a UUID', { retryKey: 'again' }],
    ['push mode', { mode: 'push' }],
  ])('refuses a carried chunk with %s', (_, change) => {
    const message = sendMessageOf(chunk());
    expect(sendMessageSchema.safeParse({ ...message, chunk: { ...message.chunk, ...change } }).success).toBe(false);
  });

  test('a message whose carried chunk is refused keeps its delivery and index (the sender reads the chunk item): never a poison message', () => {
    const message = sendMessageOf(chunk());
    const odd = JSON.stringify({ ...message, chunk: { ...message.chunk, to: 'U1 with a space' } });
    expect(parseSendMessage(odd)).toEqual({ deliveryId: 'D1', index: 7 });
    expect(parseSendMessage(JSON.stringify(message))).toEqual(message);
    expect(() => parseSendMessage(JSON.stringify({ deliveryId: 'D1' }))).toThrow();
    expect(() => parseSendMessage('not json')).toThrow();
  });
});
