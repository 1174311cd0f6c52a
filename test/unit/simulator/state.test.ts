import { SimState, newReadToken, parseDeliveryMessageId, type PersistedState } from '../../../simulator/state';

describe('simulator state', () => {
  it('indexes deliveries per recipient and counts quota per Tokyo month', () => {
    let now = Date.UTC(2026, 10, 30, 14, 59); // 23:59 JST on Nov 30
    const s = new SimState(() => now);
    const a = s.createCitizen({ displayName: 'A' });
    const b = s.createCitizen({ displayName: 'B' });
    for (const c of [a, b]) c.following = true;
    const d = s.deliver({
      requestId: 'r1',
      source: 'multicast',
      messages: [
        { type: 'text', text: '1' },
        { type: 'text', text: '2' },
      ],
      recipients: [a.userId, b.userId],
      aggregationUnit: 'u1',
    });
    expect(s.consumption('2026-11')).toBe(2); // one per recipient, however many bubbles
    now += 60_000; // 00:00 JST Dec 1
    s.deliver({ requestId: 'r2', source: 'reply', messages: [{ type: 'text', text: 'r' }], recipients: [a.userId] });
    expect(s.consumption()).toBe(0); // new month, and replies do not count
    const got = s.received(b.userId);
    expect(got.map((m) => m.message.text)).toEqual(['1', '2']);
    expect(parseDeliveryMessageId(got[1]!.id)).toEqual({ seq: d.seq, r: 1, m: 1 });
    expect(s.markOpened(b.userId, { messageId: got[0]!.id })).toBe(1);
    expect(s.markOpened(b.userId, {})).toBe(0);
    expect(s.received(b.userId)[0]!.openedAt).toBe(now);
    expect(s.aggregationUnits('2026-11')).toEqual(['u1']);
  });

  it('marks a citizen message and the earlier ones read by its token', () => {
    let now = 1_000;
    const s = new SimState(() => now);
    const a = s.createCitizen({ displayName: 'A' });
    const tokens = [newReadToken(), newReadToken(), newReadToken()];
    tokens.forEach((t, i) => s.addCitizenMessage(a.userId, 'text', { type: 'text', text: String(i) }, undefined, t));
    expect(s.markRead('unknown')).toBeUndefined();
    expect(s.markRead(tokens[0]!)).toEqual({ userId: a.userId, marked: 1 });
    now = 2_000;
    expect(s.markRead(tokens[1]!)).toEqual({ userId: a.userId, marked: 1 });
    expect(a.sent.map((m) => m.readAt)).toEqual([1_000, 2_000, undefined]); // the first keeps its time
    expect(s.conversation(a.userId).map((i) => i.from === 'citizen' && i.read)).toEqual([true, true, undefined]);
  });

  it('keeps read marks and tokens across a save, and loads a state saved before they existed', () => {
    const s = new SimState(() => 5);
    const a = s.createCitizen({ displayName: 'A' });
    const [t1, t2] = [newReadToken(), newReadToken()];
    s.addCitizenMessage(a.userId, 'text', { type: 'text', text: '1' }, undefined, t1);
    s.addCitizenMessage(a.userId, 'text', { type: 'text', text: '2' }, undefined, t2);
    s.markRead(t1);
    const saved = JSON.parse(JSON.stringify(s.snapshot())) as PersistedState;
    const again = new SimState(() => 9);
    again.restore(saved);
    expect(again.markRead(t2)).toEqual({ userId: a.userId, marked: 1 });
    expect(again.get(a.userId)!.sent.map((m) => m.readAt)).toEqual([5, 9]);

    // An older file: no readToken/readAt on the messages.
    for (const c of saved.citizens) c.sent = c.sent?.map(({ readToken: _t, readAt: _r, ...m }) => m);
    const old = new SimState(() => 7);
    old.restore(saved);
    expect(old.markRead(t1)).toBeUndefined();
    expect(old.conversation(a.userId).map((i) => i.from === 'citizen' && i.read)).toEqual([undefined, undefined]);
    const t3 = newReadToken();
    old.addCitizenMessage(a.userId, 'text', { type: 'text', text: '3' }, undefined, t3);
    expect(old.markRead(t3)).toEqual({ userId: a.userId, marked: 3 });
  });

  it('pages follower ids over non-blocked friends', () => {
    const s = new SimState(() => 0);
    const ids = Array.from({ length: 5 }, (_, i) => {
      const c = s.createCitizen({ displayName: String(i) });
      c.following = true;
      return c;
    });
    ids[1]!.blocked = true;
    const p1 = s.followerIds(2);
    expect(p1.userIds).toEqual([ids[0]!.userId, ids[2]!.userId]);
    const p2 = s.followerIds(2, p1.next);
    expect(p2).toEqual({ userIds: [ids[3]!.userId, ids[4]!.userId] });
  });
});
