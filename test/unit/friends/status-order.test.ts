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
  event: { type: kind, mode: 'active', timestamp: at, source: { type: 'user', userId: USER }, webhookEventId: `01JEVENT${String(n).padStart(18, '0')}`, deliveryContext: { isRedelivery: false }, ...(kind === 'follow' ? { replyToken: `token-${n}` } : {}) },
});

function deps() {
  const line = new FakeLine();
  line.profiles.set(USER, { userId: USER, displayName: '荒尾 花子', language: 'ja' });
  return { ledger: new MemoryLedger(), friends: new MemoryFriends(), conversations: new MemoryConversations(), line, dispatcher: new Dispatcher([], defaultReplyResponder('荒尾市')), clock: new FakeClock(), cityName: '荒尾市' } satisfies ProcessEventDeps;
}

const BURSTS: [string, [Kind, number][]][] = [
  ['follow, unfollow', [['follow', T], ['unfollow', T + 1000]]],
  ['follow, unfollow, follow', [['follow', T], ['unfollow', T + 1000], ['follow', T + 2000]]],
  ['unfollow, follow (an unblock after an earlier block)', [['unfollow', T], ['follow', T + 1000]]],
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
      expect([...d.friends.days.values()].reduce((s, x) => ({ added: s.added + x.added, blocked: s.blocked + x.blocked }), { added: 0, blocked: 0 })).toEqual({ added: expected.added, blocked: expected.blocked });
      // A greeting only for a follow that was the newest event when it was processed (never for a stale one).
      let latest = -Infinity;
      let greetings = 0;
      for (const [kind, at] of order) {
        if (kind === 'follow' && at > latest) greetings += 1;
        latest = Math.max(latest, at);
      }
      expect(d.line.replies).toHaveLength(greetings);
    },
  );
});

describe('decideStatus', () => {
  it('remembers a block of someone not known yet, so the older follow is stale', () => {
    const blocked = decideStatus(null, { kind: 'unfollow', eventAt: T + 1000 });
    expect(blocked).toMatchObject({ outcome: 'applied', status: 'blocked', count: 'blocked', seenEvents: [T + 1000] });
    expect(decideStatus(blocked, { kind: 'follow', eventAt: T })).toMatchObject({ outcome: 'stale', status: 'blocked', followedAt: new Date(T).toISOString(), count: 'added' });
  });

  it('counts a retry of any recorded event never again', () => {
    const first = decideStatus(null, { kind: 'follow', eventAt: T + 2000 });
    const stale = decideStatus(first, { kind: 'unfollow', eventAt: T + 1000 });
    for (const retry of [decideStatus(stale, { kind: 'unfollow', eventAt: T + 1000 }), decideStatus(stale, { kind: 'follow', eventAt: T + 2000 })]) {
      expect(retry.outcome).toBe('already');
      expect(retry.count).toBeUndefined();
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
