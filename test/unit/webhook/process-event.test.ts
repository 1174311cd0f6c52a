import { defaultReplyResponder, Dispatcher, type InboundMessage } from '../../../functions/webhook/dispatcher';
import { answerRetryKey } from '../../../functions/messaging/outbound';
import { retryKey } from '../../../functions/shared/retry-key';
import { InvalidReplyTokenError } from '../../../functions/ports/line-gateway';
import { EventBusyError, processWebhookEvent, type ProcessEventDeps } from '../../../functions/webhook/process-event';
import type { QueuedEvent } from '../../../functions/webhook/schema';
import { FakeClock, FakeLine, MemoryConversations, MemoryFriends, MemoryLedger } from '../../support/fakes';

const USER = 'U0123456789abcdef0123456789abcdef';
let seq = 0;

function queued(type: string, extra: Record<string, unknown> = {}, timestamp = 1_795_914_000_000): QueuedEvent {
  seq += 1;
  return {
    destination: 'Ubot',
    receivedAt: '2026-11-24T01:00:00.000Z',
    event: {
      type,
      mode: 'active',
      timestamp,
      source: { type: 'user', userId: USER },
      webhookEventId: `01JEVENT${String(seq).padStart(18, '0')}`,
      deliveryContext: { isRedelivery: false },
      replyToken: `token-${seq}`,
      ...extra,
    },
  };
}

describe('processWebhookEvent', () => {
  let deps: ProcessEventDeps & { ledger: MemoryLedger; friends: MemoryFriends; conversations: MemoryConversations; line: FakeLine };

  beforeEach(() => {
    const line = new FakeLine();
    line.profiles.set(USER, { userId: USER, displayName: '荒尾 花子', language: 'en' });
    deps = {
      ledger: new MemoryLedger(),
      friends: new MemoryFriends(),
      conversations: new MemoryConversations(),
      line,
      dispatcher: new Dispatcher([], defaultReplyResponder('荒尾市')),
      clock: new FakeClock(),
      cityName: '荒尾市',
    };
  });

  it('registers a follower from the profile and greets them in their language', async () => {
    const outcome = await processWebhookEvent(deps, queued('follow', { follow: { isUnblocked: false } }));

    expect(outcome).toBe('processed');
    const friend = await deps.friends.get(USER);
    expect(friend).toMatchObject({ displayName: '荒尾 花子', language: 'en', status: 'active' });
    expect(deps.line.replies).toHaveLength(1);
    expect((deps.line.replies[0].messages[0] as { text: string }).text).toContain('Hello 荒尾 花子');
    expect(deps.conversations.entries.filter((e) => e.direction === 'out')).toHaveLength(1);
  });

  it('applies a redelivered event once', async () => {
    const event = queued('follow');
    const redelivered = { ...event, event: { ...event.event, deliveryContext: { isRedelivery: true } } };

    expect(await processWebhookEvent(deps, event)).toBe('processed');
    expect(await processWebhookEvent(deps, redelivered)).toBe('duplicate');
    expect(deps.line.replies).toHaveLength(1);
  });

  it('asks for a later retry while another worker holds the event', async () => {
    const event = queued('message', { message: { id: 'm1', type: 'text', text: 'hi' } });
    await deps.ledger.claim(event.event.webhookEventId);
    await expect(processWebhookEvent(deps, event)).rejects.toBeInstanceOf(EventBusyError);
    expect(deps.conversations.entries).toHaveLength(0);
  });

  it('gives the claim back when processing fails, so the retry applies it', async () => {
    const event = queued('follow');
    deps.line.failNextReplyWith = new Error('LINE 500');
    await expect(processWebhookEvent(deps, event)).rejects.toThrow('LINE 500');
    expect(deps.ledger.states.has(event.event.webhookEventId)).toBe(false);

    expect(await processWebhookEvent(deps, event)).toBe('processed');
    expect(deps.line.replies).toHaveLength(1);
  });

  it('marks an unfollowing friend blocked and keeps them', async () => {
    await processWebhookEvent(deps, queued('follow', {}, 1000));
    const outcome = await processWebhookEvent(deps, queued('unfollow', { replyToken: undefined }, 2000));
    expect(outcome).toBe('processed');
    expect(await deps.friends.get(USER)).toMatchObject({ status: 'blocked', followedAt: new Date(1000).toISOString() });
  });

  it('ignores an older follow that arrives after the unfollow (events can be out of order)', async () => {
    await processWebhookEvent(deps, queued('follow', {}, 1000));
    await processWebhookEvent(deps, queued('unfollow', {}, 3000));
    const outcome = await processWebhookEvent(deps, queued('follow', {}, 2000));
    expect(outcome).toBe('stale');
    expect((await deps.friends.get(USER))?.status).toBe('blocked');
    expect(deps.line.replies).toHaveLength(1);
  });

  it('stores a text message, registers an unknown sender and answers with the default reply', async () => {
    const outcome = await processWebhookEvent(deps, queued('message', { message: { id: '4711', type: 'text', text: 'ごみの日は？' } }));
    expect(outcome).toBe('processed');
    expect(await deps.friends.get(USER)).not.toBeNull();
    const inbound = deps.conversations.entries.find((e) => e.direction === 'in');
    expect(inbound).toMatchObject({ id: '4711', kind: 'text', text: 'ごみの日は？' });
    expect(deps.line.replies).toHaveLength(1);
  });

  it('falls back to a push with a retry key derived from the event when the reply token is spent', async () => {
    const event = queued('message', { message: { id: '4712', type: 'text', text: 'hello' } });
    deps.line.usedTokens.add(event.event.replyToken as string);
    await processWebhookEvent(deps, event);
    expect(deps.line.pushes).toEqual([expect.objectContaining({ to: USER, retryKey: answerRetryKey(event.event.webhookEventId) })]);
  });

  it('stores postbacks and locations', async () => {
    await processWebhookEvent(deps, queued('postback', { postback: { data: 'action=menu' } }));
    await processWebhookEvent(
      deps,
      queued('message', { message: { id: 'loc1', type: 'location', address: '熊本県荒尾市', latitude: 32.98, longitude: 130.43 } }),
    );
    const kinds = deps.conversations.entries.filter((e) => e.direction === 'in').map((e) => e.kind);
    expect(kinds).toEqual(['postback', 'location']);
    expect(deps.conversations.entries.find((e) => e.kind === 'location')?.location).toMatchObject({ latitude: 32.98 });
  });

  it("hands an image's imageSet to the responders; a single image has none, a malformed one is dropped, not the event", async () => {
    const seen: InboundMessage[] = [];
    const spy = {
      name: 'spy',
      respond: async (input: InboundMessage) => {
        seen.push(input);
        return null;
      },
    };
    deps.dispatcher = new Dispatcher([spy], defaultReplyResponder('荒尾市'));
    const set = 'E005D41A7288F41B65593ED38FF6E9834B046AB36A37921A56BC236F13A91855';
    const image = (id: string, extra: Record<string, unknown> = {}) =>
      queued('message', { message: { id, type: 'image', contentProvider: { type: 'line' }, quoteToken: 'q', markAsReadToken: `read-${id}`, ...extra } });

    // Out of order, as LINE may send a set.
    expect(await processWebhookEvent(deps, image('img2', { imageSet: { id: set, index: 2, total: 2 } }))).toBe('processed');
    expect(await processWebhookEvent(deps, image('img1', { imageSet: { id: set, index: 1, total: 2 } }))).toBe('processed');
    expect(await processWebhookEvent(deps, image('single'))).toBe('processed');
    const bad = image('bad', { imageSet: { id: set, index: 3, total: 2 } });
    expect(await processWebhookEvent(deps, bad)).toBe('processed');
    expect(deps.ledger.refusals.has(bad.event.webhookEventId)).toBe(false);
    // Only an image carries a set.
    await processWebhookEvent(deps, queued('message', { message: { id: 'txt', type: 'text', text: 'x', imageSet: { id: set, index: 1, total: 2 } } }));

    expect(seen.map((i) => [i.messageId, i.kind, i.imageSet])).toEqual([
      ['img2', 'image', { id: set, index: 2, total: 2 }],
      ['img1', 'image', { id: set, index: 1, total: 2 }],
      ['single', 'image', undefined],
      ['bad', 'image', undefined],
      ['txt', 'text', undefined],
    ]);
    expect(seen.filter((i) => 'imageSet' in i).map((i) => i.messageId)).toEqual(['img2', 'img1']);
    expect(seen[0]!.readToken).toBe('read-img2');
    const stored = deps.conversations.entries.filter((e) => e.direction === 'in' && e.kind === 'image');
    expect(stored.map((e) => [e.id, e.contentMessageId])).toEqual([
      ['img2', 'img2'],
      ['img1', 'img1'],
      ['single', 'single'],
      ['bad', 'bad'],
    ]);
  });

  it('acknowledges unknown event types and group events without acting', async () => {
    expect(await processWebhookEvent(deps, queued('brandNewType'))).toBe('ignored');
    const group = queued('message', { source: { type: 'group', groupId: 'Cgroup' }, message: { id: '1', type: 'text', text: 'x' } });
    expect(await processWebhookEvent(deps, group)).toBe('ignored');
    expect(deps.line.replies).toHaveLength(0);
  });
});

describe('answerRetryKey', () => {
  it('is the platform retry key of the event (UUID v5), stable per event and distinct from delivery keys', () => {
    const key = answerRetryKey('01J');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(answerRetryKey('01J')).toBe(key);
    expect(answerRetryKey('01K')).not.toBe(key);
    expect(key).toBe(retryKey('answer', '01J'));
  });
});

describe('events that can never succeed are recorded once, never retried', () => {
  let deps: ProcessEventDeps & { ledger: MemoryLedger; friends: MemoryFriends; conversations: MemoryConversations; line: FakeLine };
  beforeEach(() => {
    deps = {
      ledger: new MemoryLedger(),
      friends: new MemoryFriends(),
      conversations: new MemoryConversations(),
      line: new FakeLine(),
      dispatcher: new Dispatcher([], defaultReplyResponder('荒尾市')),
      clock: new FakeClock(),
      cityName: '荒尾市',
    };
  });

  it.each([
    ['a text that is an object', queued('message', { message: { id: '1', type: 'text', text: { evil: true } } }), /message\.text/],
    ['postback data of 301 characters', queued('postback', { postback: { data: 'x'.repeat(301) } }), /postback\.data/],
  ])('%s: refused with its reason, done, no answer sent', async (_label, event, reason) => {
    expect(await processWebhookEvent(deps, event)).toBe('refused');
    expect(deps.ledger.states.get(event.event.webhookEventId)).toBe('completed');
    expect(deps.ledger.refusals.get(event.event.webhookEventId)?.reason).toMatch(reason);
    expect(deps.line.replies.length + deps.line.pushes.length).toBe(0);
    // Redelivered: already done, nothing more.
    expect(await processWebhookEvent(deps, event)).toBe('duplicate');
  });

  it('a follow from a user LINE does not know: LINE refuses the answer (400), the event is refused, not thrown', async () => {
    deps.line.unknownUsers.add(USER);
    deps.line.failNextReplyWith = new InvalidReplyTokenError();
    const event = queued('follow');
    expect(await processWebhookEvent(deps, event)).toBe('refused');
    expect(deps.ledger.refusals.get(event.event.webhookEventId)).toEqual({ reason: 'LINE refused the push (400)', eventType: 'follow' });
  });

  it('a transient failure still gives the claim back and throws, so the queue retries', async () => {
    deps.line.failNextReplyWith = new Error('LINE timed out');
    const event = queued('follow');
    await expect(processWebhookEvent(deps, event)).rejects.toThrow('LINE timed out');
    expect(deps.ledger.states.has(event.event.webhookEventId)).toBe(false);
  });
});
