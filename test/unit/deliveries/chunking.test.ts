import { ChunkBuilder, chunkRetryKey, minimumRequests, pushRetryKey } from '../../../functions/deliveries/chunking';
import { retryKey, uuidV5 } from '../../../functions/shared/retry-key';
import type { AudienceFriend, Chunk, Lang } from '../../../functions/deliveries/model';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const D = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const friend = (n: number): AudienceFriend => ({
  userId: `U${String(n).padStart(32, '0')}`,
  displayName: `友だち${n}`,
  status: 'active',
  followedAtMs: Date.parse('2026-01-01T00:00:00Z'),
});

/** Adds `count` friends of `lang` starting at number `from`; returns the chunks completed on the way. */
function addMany(builder: ChunkBuilder, lang: Lang, from: number, count: number): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < count; i++) out.push(...builder.add(friend(from + i), lang));
  return out;
}

describe('retry keys', () => {
  it('are RFC 4122 version-5 UUIDs', () => {
    expect(chunkRetryKey(D, 0)).toMatch(UUID_V5);
    expect(pushRetryKey(D, 0, 'U1')).toMatch(UUID_V5);
  });

  it('are deterministic and differ per delivery, chunk and friend', () => {
    expect(chunkRetryKey(D, 7)).toBe(chunkRetryKey(D, 7));
    expect(pushRetryKey(D, 7, 'U1')).toBe(pushRetryKey(D, 7, 'U1'));
    const keys = new Set([
      chunkRetryKey(D, 0),
      chunkRetryKey(D, 1),
      chunkRetryKey(`${D.slice(0, -1)}1`, 0),
      pushRetryKey(D, 0, 'U1'),
      pushRetryKey(D, 0, 'U2'),
      pushRetryKey(D, 1, 'U1'),
    ]);
    expect(keys.size).toBe(6);
  });

  it('match the published UUID v5 test vector (DNS namespace, "python.org")', () => {
    // RFC 4122 DNS namespace; Python's uuid.uuid5(NAMESPACE_DNS, 'python.org') = 886313e1-3b8a-5372-9b90-0c9aee199e5d.
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5('python.org', dns)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('are pinned: a change of namespace or name format would break "resend the failed part" within 24 h', () => {
    // Values recorded when the scheme was introduced; they must never change.
    expect(chunkRetryKey(D, 0)).toBe('287fd1aa-832f-5e4d-9569-f112c2a19b63');
    expect(pushRetryKey(D, 0, 'U1')).toBe('9e6ec1ca-ede9-509a-897f-d47810c32b91');
    expect(chunkRetryKey('d', 1)).toBe(uuidV5('d:1'));
    expect(pushRetryKey('d', 1, 'U')).toBe(uuidV5('d:1:U'));
    expect(chunkRetryKey('d', 1)).toBe(retryKey('d', 1));
  });
});

describe('minimumRequests', () => {
  it.each([
    [0, 0],
    [1, 1],
    [499, 1],
    [500, 1],
    [501, 2],
    [100_000, 200],
    [100_001, 201],
  ])('%i recipients → %i requests', (n, expected) => expect(minimumRequests(n)).toBe(expected));

  it('honours another size', () => expect(minimumRequests(10, 3)).toBe(4));
});

describe('ChunkBuilder', () => {
  it.each([
    [499, [], [499]],
    [500, [500], []],
    [501, [500], [1]],
    [1000, [500, 500], []],
  ])('%i friends of one language → completed %j, flushed %j', (n, completed, flushed) => {
    const builder = new ChunkBuilder({ deliveryId: D, mode: 'multicast' });
    const done = addMany(builder, 'ja', 0, n);
    expect(done.map((c) => c.recipients.length)).toEqual(completed);
    const rest = builder.flush();
    expect(rest.map((c) => c.recipients.length)).toEqual(flushed);
    const all = [...done, ...rest];
    expect(all.map((c) => c.index)).toEqual(all.map((_, i) => i));
    expect(all.flatMap((c) => c.recipients)).toEqual(Array.from({ length: n }, (_, i) => friend(i).userId));
  });

  it('a chunk completes on exactly the 500th add of its language', () => {
    const builder = new ChunkBuilder({ deliveryId: D, mode: 'multicast' });
    expect(addMany(builder, 'ja', 0, 499)).toEqual([]);
    expect(builder.pending).toBe(499);
    const done = builder.add(friend(499), 'ja');
    expect(done).toHaveLength(1);
    expect(done[0].recipients).toHaveLength(500);
    expect(builder.pending).toBe(0);
    expect(builder.flush()).toEqual([]);
  });

  it('keeps one language per chunk, with per-language boundaries at 499/500/501', () => {
    const builder = new ChunkBuilder({ deliveryId: D, mode: 'multicast' });
    const done: Chunk[] = [];
    // Interleave: ja gets 501, en 500, ko 499.
    for (let i = 0; i < 501; i++) {
      done.push(...builder.add(friend(i), 'ja'));
      if (i < 500) done.push(...builder.add(friend(10_000 + i), 'en'));
      if (i < 499) done.push(...builder.add(friend(20_000 + i), 'ko'));
    }
    expect(done.map((c) => [c.lang, c.recipients.length])).toEqual([
      ['ja', 500],
      ['en', 500],
    ]);
    const rest = builder.flush();
    expect(rest.map((c) => [c.lang, c.recipients.length])).toEqual([
      ['ja', 1],
      ['ko', 499],
    ]);
    const all = [...done, ...rest];
    expect(all.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    for (const c of all) {
      expect(c.recipients.every((u) => /^U0*(\d+)$/.test(u))).toBe(true);
      const numbers = c.recipients.map((u) => Number(u.slice(1)));
      const band = c.lang === 'ja' ? [0, 9_999] : c.lang === 'en' ? [10_000, 19_999] : [20_000, 29_999];
      expect(numbers.every((n) => n >= band[0] && n <= band[1])).toBe(true);
    }
    expect(new Set(all.flatMap((c) => c.recipients)).size).toBe(501 + 500 + 499);
  });

  it('makes pending multicast chunks with the deterministic retry key and no names', () => {
    const builder = new ChunkBuilder({ deliveryId: D, mode: 'multicast', firstIndex: 3, size: 2 });
    const [chunk] = addMany(builder, 'en', 0, 2);
    expect(chunk).toEqual({
      deliveryId: D,
      index: 3,
      lang: 'en',
      mode: 'multicast',
      recipients: [friend(0).userId, friend(1).userId],
      retryKey: chunkRetryKey(D, 3),
      status: 'pending',
      attempts: 0,
    });
    expect(chunk).not.toHaveProperty('names');
  });

  it('push mode keeps display names in recipients order', () => {
    const builder = new ChunkBuilder({ deliveryId: D, mode: 'push', size: 3 });
    addMany(builder, 'ja', 5, 2);
    const [chunk] = builder.flush();
    expect(chunk.mode).toBe('push');
    expect(chunk.names).toEqual(['友だち5', '友だち6']);
    expect(chunk.recipients).toEqual([friend(5).userId, friend(6).userId]);
  });

  it('numbers after firstIndex (a resumed planner) and reports the next index', () => {
    const builder = new ChunkBuilder({ deliveryId: D, mode: 'multicast', firstIndex: 12, size: 2 });
    const done = addMany(builder, 'ja', 0, 5);
    expect(done.map((c) => c.index)).toEqual([12, 13]);
    expect(builder.nextIndex).toBe(14);
    expect(builder.flush().map((c) => c.index)).toEqual([14]);
    expect(builder.nextIndex).toBe(15);
    expect(builder.flush()).toEqual([]);
  });

  it('refuses sizes above LINE multicast limit and bad indexes', () => {
    expect(() => new ChunkBuilder({ deliveryId: D, mode: 'multicast', size: 501 })).toThrow(RangeError);
    expect(() => new ChunkBuilder({ deliveryId: D, mode: 'multicast', size: 0 })).toThrow(RangeError);
    expect(() => new ChunkBuilder({ deliveryId: D, mode: 'multicast', firstIndex: -1 })).toThrow(RangeError);
  });
});
