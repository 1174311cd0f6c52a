import { SimState, parseDeliveryMessageId } from '../../../simulator/state';

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
