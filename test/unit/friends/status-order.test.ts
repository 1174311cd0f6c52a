/**
 * LINE promises no order, and consumers run in parallel: a citizen who adds, blocks and adds the
 * account again within one burst may be processed in any order. Whatever the order (and with every
 * event redelivered once), the friend ends in the status of the newest event, the first follow is
 * the earliest one, each event counts once in its day's figures, and a block that arrives before
 * the follow it came after is never undone by that follow.
 */
import { decideStatus } from '../../../functions/friends/friend';
import { defaultReplyResponder, Dispatcher } from '../../../functions/webhook/dispatcher';
import { processWebhookEvent, type ProcessEventDeps } from '../../../functions/webhook/process-event';
import type { QueuedEvent } from '../../../functions/webhook/schema';
import { FakeClock, FakeLine, MemoryConversations, MemoryFriends, MemoryLedger } from '../../support/fakes';

const USER = 'U0123456789abcdef0123456789abcdef';
const T = Date.parse('2026-12-07T01:00:00Z');
type Kind = 'follow' | 'unfollow';

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const event = (kind: Kind, at: number, n: number): QueuedEvent => ({
  destination: 'Ubot',
  receivedAt: new Date(at).toISOString(),
  event: {
    type: kind,
    mode: 'active',
    timestamp: at,
    source: { type: 'user', userId: USER },
    webhookEventId: `01JEVENT${String(n).padStart(18, '0')}`,
    deliveryContext: { isRedelivery: false },
    ...(kind === 'follow' ? { replyToken: `token-${n}` } : {}),
  },
});

function deps() {
  const line = new FakeLine();
  line.profiles.set(USER, { userId: USER, displayName: '荒尾 花子', language: 'ja' });
  return {
    ledger: new MemoryLedger(),
    friends: new MemoryFriends(),
    conversations: new MemoryConversations(),
    line,
    dispatcher: new Dispatcher([], defaultReplyResponder('荒尾市')),
    clock: new FakeClock(),
    cityName: '荒尾市',
  } satisfies ProcessEventDeps;
}

const BURSTS: [string, [Kind, number][]][] = [
  [
    'follow, unfollow',
    [
      ['follow', T],
      ['unfollow', T + 1000],
    ],
  ],
  [
    'follow, unfollow, follow',
    [
      ['follow', T],
      ['unfollow', T + 1000],
      ['follow', T + 2000],
    ],
  ],
  [
    'unfollow, follow (an unblock after an earlier block)',
    [
      ['unfollow', T],
      ['follow', T + 1000],
    ],
  ],
];

describe.each(BURSTS)('a burst of %s', (_name, burst) => {
  const newest = burst.reduce((a, b) => (b[1] > a[1] ? b : a));
  const follows = burst.filter(([k]) => k === 'follow');
  const expected = {
    status: newest[0] === 'follow' ? 'active' : 'blocked',
    followedAt: follows.length ? new Date(Math.min(...follows.map(([, at]) => at))).toISOString() : undefined,
    added: follows.length,
    blocked: burst.length - follows.length,
  };

  it.each(permutations(burst.map((e, i) => [...e, i] as const)).map((order) => [order.map(([k, at]) => `${k}@+${(at - T) / 1000}s`).join(' → '), order]))(
    'processed as %s (each also redelivered): status of the newest event, every event counted once',
    async (_label, order) => {
      const d = deps();
      for (const [kind, at, n] of order) await processWebhookEvent(d, event(kind, at, n));
      // Every event again, as LINE's redelivery or a second SQS delivery would bring it.
      for (const [kind, at, n] of order) expect(await processWebhookEvent(d, event(kind, at, n))).toBe('duplicate');
      const friend = await d.friends.get(USER);
      expect(friend).toMatchObject({ status: expected.status, followedAt: expected.followedAt, statusEventAt: newest[1] });
      expect([...d.friends.days.values()].reduce((s, x) => ({ added: s.added + x.added, blocked: s.blocked + x.blocked }), { added: 0, blocked: 0 })).toEqual({
        added: expected.added,
        blocked: expected.blocked,
      });
      // A greeting only for a follow that was the newest event when it was processed (never for a stale one).
      let latest = -Infinity;
      let greetings = 0;
      for (const [kind, at] of order) {
        if (kind === 'follow' && at > latest) greetings += 1;
        latest = Math.max(latest, at);
      }
      expect(d.line.replies).toHaveLength(greetings);
      // The status history in the friend's timeline: each event once, at its own time, in time order when read.
      const history = (await d.conversations.list(USER, 100)).filter((e) => e.kind === 'follow' || e.kind === 'unfollow');
      expect(history.map((e) => [e.kind, e.at.getTime()]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual(
        [...burst].sort((a, b) => a[1] - b[1]).map(([kind, at]) => [kind, at]),
      );
    },
  );
});

describe('a first message processed before the follow it came after', () => {
  // LINE sends the follow, then the message; processed the other way round, the message registers
  // the friend with a stand-in follow (counted), and the real follow must not count again.
  it.each([
    ['message first, then the follow', ['message', 'follow']],
    ['the follow first, then the message', ['follow', 'message']],
  ])('%s: one friend added, once', async (_label, order) => {
    const d = deps();
    const follow = event('follow', T, 1);
    const message: QueuedEvent = {
      ...event('follow', T + 1000, 2),
      event: { ...event('follow', T + 1000, 2).event, type: 'message', replyToken: 'token-2', message: { id: 'm1', type: 'text', text: 'こんにちは' } },
    };
    for (const which of order) await processWebhookEvent(d, which === 'follow' ? follow : message);
    expect([...d.friends.days.values()].reduce((s, x) => s + x.added, 0)).toBe(1);
    expect(await d.friends.get(USER)).toMatchObject({ status: 'active', followedAt: new Date(T).toISOString() });
  });

  it('a friend registered from a message who later blocks and comes back counts that return', () => {
    const standIn = decideStatus(null, { kind: 'follow', eventAt: T, standIn: true });
    const blocked = decideStatus({ ...standIn, status: standIn.status, statusEventAt: standIn.statusEventAt }, { kind: 'unfollow', eventAt: T + 1000 });
    expect(blocked.counts).toEqual([{ counter: 'blocked', at: T + 1000 }]);
    const back = decideStatus({ ...blocked, status: blocked.status, statusEventAt: blocked.statusEventAt }, { kind: 'follow', eventAt: T + 2000 });
    expect(back.counts).toEqual([{ counter: 'added', at: T + 2000 }]);
  });
});

describe('decideStatus', () => {
  it('remembers a block of someone not known yet, so the older follow is stale; both count once the follow is seen', () => {
    const blocked = decideStatus(null, { kind: 'unfollow', eventAt: T + 1000 });
    expect(blocked).toMatchObject({ outcome: 'applied', status: 'blocked', counts: [], uncountedBlockAt: T + 1000, seenEvents: [T + 1000] });
    expect(decideStatus(blocked, { kind: 'follow', eventAt: T })).toMatchObject({
      outcome: 'stale',
      status: 'blocked',
      followedAt: new Date(T).toISOString(),
      counts: [
        { counter: 'added', at: T },
        { counter: 'blocked', at: T + 1000 },
      ],
      uncountedBlockAt: undefined,
    });
  });

  it('a friend from before the platform who blocks changes no figure (they were never counted as added)', () => {
    expect(decideStatus(null, { kind: 'unfollow', eventAt: T }).counts).toEqual([]);
  });

  it('counts a retry of any recorded event never again', () => {
    const first = decideStatus(null, { kind: 'follow', eventAt: T + 2000 });
    const stale = decideStatus(first, { kind: 'unfollow', eventAt: T + 1000 });
    for (const retry of [decideStatus(stale, { kind: 'unfollow', eventAt: T + 1000 }), decideStatus(stale, { kind: 'follow', eventAt: T + 2000 })]) {
      expect(retry.outcome).toBe('already');
      expect(retry.counts).toEqual([]);
    }
  });

  it('treats a friend stored before events were remembered by its status event, as before', () => {
    expect(decideStatus({ status: 'active', statusEventAt: T }, { kind: 'follow', eventAt: T }).outcome).toBe('already');
    expect(decideStatus({ status: 'active', statusEventAt: T }, { kind: 'unfollow', eventAt: T + 1 }).outcome).toBe('applied');
  });

  it('remembers a week of events at most', () => {
    const old = decideStatus(null, { kind: 'follow', eventAt: T });
    const later = decideStatus(old, { kind: 'unfollow', eventAt: T + 8 * 86_400_000 });
    expect(later.seenEvents).toEqual([T + 8 * 86_400_000]);
  });
});
