/**
 * Signed webhooks posted as LINE would, processed by the real consumer and DynamoDB Local:
 * - follow / unfollow / follow of one citizen in every processing order ends in the newest
 *   event's status, with each event counted once in the day's figures (defect 2);
 * - signed events that can never succeed (a text that is an object, postback data of 301
 *   characters, a timestamp of 8.64e15, a 100,000-deep body, a follow and a message from users
 *   LINE does not know) are acknowledged, recorded once as refused and never reach the DLQ (defect 20).
 */
import { getItem, it_env, queueIdle, signBody } from '../../support/integration';

const env = it_env();
const T = Date.now() - 60_000;
let seq = 0;

const userId = (tag: string) => `U${(tag + '0'.repeat(32)).replace(/[^0-9a-f]/g, 'a').slice(0, 32)}`;
const eventId = () => `01JORDER${Date.now().toString(36).toUpperCase()}${String(seq++).padStart(6, '0')}`.slice(0, 26);

async function post(events: unknown[] | string): Promise<number> {
  const body = typeof events === 'string' ? events : JSON.stringify({ destination: 'Ubot', events });
  const res = await fetch(env.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': signBody(body, env.channelSecret) },
    body,
  });
  return res.status;
}

async function status(): Promise<{ deadLettered: number; failedReceives: number }> {
  const s = (await (await fetch(`${env.platformUrl}/__local/status`)).json()) as { queues: { webhook: { deadLettered: number; failedReceives: number } } };
  return s.queues.webhook;
}

const statusEvent = (type: 'follow' | 'unfollow', user: string, at: number) => ({
  type,
  mode: 'active',
  timestamp: at,
  source: { type: 'user', userId: user },
  webhookEventId: eventId(),
  deliveryContext: { isRedelivery: false },
  ...(type === 'follow' ? { replyToken: `reply-${seq}`, follow: { isUnblocked: false } } : {}),
});

const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

describe('follow / unfollow / follow of one citizen, processed in every order', () => {
  it.each(ORDERS)('order %i %i %i: the newest event decides, the first follow is the earliest', async (...order) => {
    const user = userId(`order${order.join('')}${Date.now().toString(16)}`);
    const burst = [statusEvent('follow', user, T), statusEvent('unfollow', user, T + 1000), statusEvent('follow', user, T + 2000)];
    const before = await status();
    for (const i of order) {
      expect(await post([burst[i]])).toBe(200);
      await queueIdle(); // one at a time: this exact processing order
    }
    const friend = await getItem(`FRIEND#${user}`, 'PROFILE');
    expect(friend).toMatchObject({ status: 'active', statusEventAt: T + 2000, followedAt: new Date(T).toISOString(), seenEvents: [T, T + 1000, T + 2000] });
    // Redelivered all at once (any order): nothing changes.
    expect(await post(burst.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })))).toBe(200);
    await queueIdle();
    expect(await getItem(`FRIEND#${user}`, 'PROFILE')).toMatchObject({ status: 'active', rev: friend!.rev });
    // Users LINE does not know: the greeting is refused by LINE and recorded, never retried.
    expect((await status()).deadLettered).toBe(before.deadLettered);
  });

  it('a block processed before the follow it came after is never undone by that follow', async () => {
    const user = userId(`blockfirst${Date.now().toString(16)}`);
    const follow = statusEvent('follow', user, T);
    const unfollow = statusEvent('unfollow', user, T + 1000);
    expect(await post([unfollow])).toBe(200);
    await queueIdle();
    expect(await getItem(`FRIEND#${user}`, 'PROFILE')).toMatchObject({ status: 'blocked', statusEventAt: T + 1000 });
    expect(await post([follow])).toBe(200);
    await queueIdle();
    expect(await getItem(`FRIEND#${user}`, 'PROFILE')).toMatchObject({ status: 'blocked', statusEventAt: T + 1000, followedAt: new Date(T).toISOString() });
    expect((await getItem(`WEBHOOK_EVENT#${follow.webhookEventId}`, 'LEDGER'))?.status).toBe('completed');
  });
});

describe('signed events that can never succeed', () => {
  it('are acknowledged, recorded once as refused, and never dead-lettered', async () => {
    const before = await status();
    const base = { mode: 'active', deliveryContext: { isRedelivery: false }, replyToken: 'never-issued' };
    const stranger = userId(`stranger${Date.now().toString(16)}`);
    const events = {
      objectText: {
        ...base,
        type: 'message',
        timestamp: T,
        webhookEventId: eventId(),
        source: { type: 'user', userId: stranger },
        message: { id: '1', type: 'text', text: { a: 1 } },
      },
      longPostback: {
        ...base,
        type: 'postback',
        timestamp: T,
        webhookEventId: eventId(),
        source: { type: 'user', userId: stranger },
        postback: { data: 'x'.repeat(301) },
      },
      farFuture: { ...base, type: 'follow', timestamp: 8.64e15, webhookEventId: eventId(), source: { type: 'user', userId: stranger } },
      unknownFollow: { ...base, type: 'follow', timestamp: T, webhookEventId: eventId(), source: { type: 'user', userId: stranger } },
      unknownMessage: {
        ...base,
        type: 'message',
        timestamp: T + 1,
        webhookEventId: eventId(),
        source: { type: 'user', userId: userId(`other${Date.now().toString(16)}`) },
        message: { id: '2', type: 'text', text: 'こんにちは' },
      },
    };
    for (const event of Object.values(events)) expect(await post([event])).toBe(200);
    expect(await post(`{"destination":"Ubot","events":[{"type":"message","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`)).toBe(200);
    await queueIdle();
    for (const [name, event] of Object.entries(events)) {
      const ledger = await getItem(`WEBHOOK_EVENT#${event.webhookEventId}`, 'LEDGER');
      expect([name, ledger]).toEqual([
        name,
        expect.objectContaining({ status: 'completed', outcome: 'refused', reason: expect.any(String), GSI1PK: 'WEBHOOK_REFUSALS' }),
      ]);
    }
    const after = await status();
    expect(after.deadLettered).toBe(before.deadLettered);
    expect(after.failedReceives).toBe(before.failedReceives);
  });
});
