/**
 * The audience index's layout and its capacity arithmetic (functions/friends/audience-index.ts):
 * buckets hold their lines until the first release's limit, then split into pages whose size does
 * not grow with the city. 5 million friends with long names and rich attributes must fit, with
 * every item well under DynamoDB's 400 KB, and a city the first release could hold must keep
 * exactly its layout (512 items read, nothing split).
 */
import {
  AUDIENCE_BUCKETS,
  AUDIENCE_BUCKET_MAX_BYTES,
  AUDIENCE_PAGE_MAX_BYTES,
  AUDIENCE_PAGE_MAX_DEPTH,
  AUDIENCE_SPLIT_TARGET,
  audienceBucketOf,
  audienceLeafHolds,
  audienceLeafOf,
  audienceLineBytes,
  audiencePageHash,
  decodeAudienceBucket,
  encodeAudienceDirectory,
  encodeAudienceEntry,
  parseAudienceDirectory,
  setAudienceLines,
  splitAudienceLines,
  unpackAudienceBucket,
  type AudienceEntry,
  type AudienceLines,
} from '../../../functions/friends/audience-index';
import { AudienceBucketModel, hex8, prng } from './audience-layout';

const HEX = '0123456789abcdef';
const FNV_PRIME = 0x01000193;
/** FNV's prime is odd, so invertible modulo 512 (the bucket count): the last multiply can be undone. */
const PRIME_INVERSE_512 = Array.from({ length: 256 }, (_, k) => 2 * k + 1).find((x) => ((FNV_PRIME % 512) * x) % 512 === 1)!;

/**
 * `count` LINE-like user IDs (`U` + 32 hex digits) that all fall into `bucket` (as the real IDs of
 * one bucket are random IDs that happen to hash there): 29 random digits, two searched, and the
 * last one solved — FNV-1a's last step `(h ^ c) × prime` lands in the bucket (its low 9 bits) when
 * `c`'s low 9 bits are `(bucket × prime⁻¹) ^ h`, which must be a hex digit. (Jest runs test code in a
 * VM context where Math.imul is slow: a brute-force search took seconds.)
 */
function userIdsInBucket(bucket: number, count: number, seed = 7): string[] {
  const next = prng(seed);
  const ids: string[] = [];
  const want = (bucket * PRIME_INVERSE_512) % 512;
  while (ids.length < count) {
    const prefix = `U${hex8(next())}${hex8(next())}${hex8(next())}${hex8(next()).slice(0, 5)}`;
    let h = 0x811c9dc5;
    for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), FNV_PRIME);
    for (let t = 0; t < 256; t++) {
      const pair = HEX[t >> 4]! + HEX[t & 15]!;
      const g = Math.imul(Math.imul(h ^ pair.charCodeAt(0), FNV_PRIME) ^ pair.charCodeAt(1), FNV_PRIME);
      const last = String.fromCharCode((want ^ g) & 511);
      if (HEX.includes(last)) {
        ids.push(prefix + pair + last);
        break;
      }
    }
  }
  return ids;
}

/**
 * A friend with a long name and rich attributes: a 20-character display name (LINE's maximum)
 * of kanji and emoji (3–4 bytes each), the longest language code, and all four profile attributes
 * answered with long choice IDs, eight categories among them.
 */
const RICH: AudienceEntry = {
  displayName: '荒尾市民🌸山田花子🌸万田坑見学大好き😀',
  followedAt: '2026-11-24T01:00:00.000Z',
  language: 'zh-Hant',
  attributes: {
    district: 'arao-chuo-3-chome-kita',
    ageBand: 'age-40-to-49',
    gender: 'no-answer',
    categories: [
      'disaster-prevention',
      'childcare-support',
      'health-checkups',
      'city-events',
      'environment-recycling',
      'tourism-manda',
      'city-news',
      'culture-sports',
    ],
  },
};
const richLines = (userId: string) => {
  const lines: AudienceLines = { entries: new Map(), names: new Map() };
  setAudienceLines(lines, userId, RICH);
  return { entry: lines.entries.get(userId)!, name: lines.names.get(userId)! };
};

describe('audience pages', () => {
  it("spreads a bucket's friends evenly over its pages (the page hash does not repeat the bucket's bits)", () => {
    const ids = userIdsInBucket(3, 8_000);
    expect(ids.every((u) => audienceBucketOf(u) === 3)).toBe(true);
    const counts = new Map<string, number>();
    for (const u of ids) {
      const leaf = audienceLeafOf(new Set(['000', '001', '010', '011', '100', '101', '110', '111']), audiencePageHash(u))!;
      counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
    }
    expect(counts.size).toBe(8);
    // 1,000 expected per page, σ ≈ 30: ±15 % is 5σ.
    for (const n of counts.values()) expect(Math.abs(n - 1_000)).toBeLessThan(150);
  });

  it('finds the page of a hash in a directory of uneven depth, and only there', () => {
    const leaves = new Set(['0', '10', '110', '111']);
    const hash = (bits: string) => parseInt(bits.padEnd(32, '0'), 2) >>> 0;
    expect(audienceLeafOf(leaves, hash('0111'))).toBe('0');
    expect(audienceLeafOf(leaves, hash('1011'))).toBe('10');
    expect(audienceLeafOf(leaves, hash('1101'))).toBe('110');
    expect(audienceLeafOf(leaves, hash('1111'))).toBe('111');
    expect(audienceLeafHolds('110', hash('1101'))).toBe(true);
    expect(audienceLeafHolds('110', hash('1111'))).toBe(false);
    expect(audienceLeafHolds('', hash('1111'))).toBe(true);
    // A directory that does not cover the hash (broken): no page.
    expect(audienceLeafOf(new Set(['0']), hash('1'))).toBeUndefined();
  });

  it("keeps a split bucket's directory in `e` as a line without a user ID, which the first release's reader refuses", () => {
    const directory = encodeAudienceDirectory(42, ['1', '00', '01']);
    expect(directory).toBe('\t042\t00 01 1');
    expect(parseAudienceDirectory(directory)).toEqual({ bucket: 42, leaves: ['00', '01', '1'] });
    expect(parseAudienceDirectory(`U1\t${encodeAudienceEntry(RICH)}`)).toBeNull();
    expect(() => parseAudienceDirectory('\t042\t0 2')).toThrow(/unknown format/);
    // decodeAudienceBucket reads lines as the first release does (unchanged): a directory is not silently empty.
    expect(() => decodeAudienceBucket(directory)).toThrow(/unknown format/);
    // The first release's writers unpack it as one malformed line (dropped and logged), then their revision condition fails on the string `rev`.
    const dropped: string[] = [];
    expect(unpackAudienceBucket(directory, (line) => dropped.push(line)).size).toBe(0);
    expect(dropped).toEqual([directory]);
  });

  it('splits lines into pages by the leading bits of their page hash, each under the target, covering every hash', () => {
    const ids = userIdsInBucket(9, 3_000);
    const lines: AudienceLines = { entries: new Map(), names: new Map() };
    for (const u of ids) setAudienceLines(lines, u, RICH);
    const pages = splitAudienceLines(lines, '', 300_000);
    // ~1.1 MB of lines → at least 4 pages of ≤ 300 KB.
    expect(pages.size).toBeGreaterThanOrEqual(4);
    let coverage = 0;
    let friends = 0;
    for (const [bits, page] of pages) {
      coverage += 2 ** -bits.length;
      friends += page.entries.size;
      let bytes = 0;
      for (const [u, e] of page.entries) {
        expect(audienceLeafHolds(bits, audiencePageHash(u))).toBe(true);
        expect(page.names.get(u)).toBe(lines.names.get(u));
        bytes += audienceLineBytes(u, e, page.names.get(u));
      }
      expect(bytes).toBeLessThanOrEqual(300_000);
    }
    expect(coverage).toBe(1);
    expect(friends).toBe(ids.length);
    // A page splits one level deeper (at least): its children start with its bits.
    const [first, page] = [...pages][0]!;
    const children = splitAudienceLines(page, first, 1);
    expect([...children.keys()].every((b) => b.startsWith(first) && b.length > first.length)).toBe(true);
    expect([...children.values()].reduce((n, c) => n + c.entries.size, 0)).toBe(page.entries.size);
    expect(Math.max(...[...children.keys()].map((b) => b.length))).toBeLessThanOrEqual(AUDIENCE_PAGE_MAX_DEPTH);
  });
});

describe('capacity arithmetic', () => {
  const { entry, name } = richLines('U0123456789abcdef0123456789abcdef');
  const perFriend = audienceLineBytes('U0123456789abcdef0123456789abcdef', entry, name);

  it('a rich friend takes ~380 bytes of an item (e + n)', () => {
    expect(perFriend).toBeGreaterThan(350);
    expect(perFriend).toBeLessThan(420);
  });

  it('5,000,000 rich friends: the fullest of the 512 buckets splits into ~32 pages of ≤ 200 KB (~125 KB), ~16,000 items in all', () => {
    const friends = 5_000_000;
    const mean = friends / AUDIENCE_BUCKETS; // 9,766
    // The fullest bucket of 512 (binomial, σ ≈ 99): mean + 5σ.
    const fullest = Math.ceil(mean + 5 * Math.sqrt(mean));
    // The first release's cliff: one bucket item for these friends would need ~3.9 MB.
    expect(fullest * perFriend).toBeGreaterThan(AUDIENCE_BUCKET_MAX_BYTES * 9);

    // The fullest bucket grown friend by friend with the writers' split rule.
    const users = userIdsInBucket(0, fullest);
    expect(users.every((u) => audienceBucketOf(u) === 0)).toBe(true);
    const model = new AudienceBucketModel(0);
    for (const userId of users) {
      const lines = richLines(userId);
      model.add(userId, lines.entry, lines.name);
    }
    const items = model.items();
    const [directory, ...pages] = items;
    const largest = Math.max(...items.map((i) => i.bytes));
    // Every item stays far below DynamoDB's 400 KB (and below the first release's 390 KB): a page at most 200 KB.
    expect(largest).toBeLessThanOrEqual(AUDIENCE_PAGE_MAX_BYTES);
    expect(largest).toBeLessThan(AUDIENCE_BUCKET_MAX_BYTES);
    // Pages are not left small either: each at least a third of the target a split aims at.
    expect(Math.min(...pages.map((p) => p.bytes))).toBeGreaterThan((AUDIENCE_PAGE_MAX_BYTES * AUDIENCE_SPLIT_TARGET) / 3);
    // ~4 MB in 20–40 pages (measured: 32 of 111–135 KB, 5 bits deep); the directory is a few hundred bytes.
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(pages.length).toBeLessThanOrEqual(40);
    expect(directory!.bytes).toBeLessThan(300);
    const { leaves } = parseAudienceDirectory(directory!.e)!;
    expect(leaves).toHaveLength(pages.length);
    expect(Math.max(...leaves.map((l) => l.length))).toBeLessThanOrEqual(7);
    // Every friend is in exactly one page, the one its hash names.
    expect(pages.reduce((n, p) => n + decodeAudienceBucket(p.e).length, 0)).toBe(fullest);

    // All 512 buckets: bytes / average page fill of the fullest bucket, plus the 512 directories
    // (measured: ~16,100 items; a delivery reads them 8 a request, 2,000 BatchGetItem requests).
    const averagePage = pages.reduce((n, p) => n + p.bytes, 0) / pages.length;
    const totalItems = Math.ceil((friends * perFriend) / averagePage) + AUDIENCE_BUCKETS;
    expect(totalItems).toBeGreaterThan(10_000);
    expect(totalItems).toBeLessThan(20_000);
    // A transaction holds 100 items and 4 MB: a split writes the bucket item, deletes one page, puts its children.
    expect(model.splits).toBeGreaterThan(0);
  });

  it('a city the first release could hold keeps its layout: 100,000 rich friends never split, 512 items read', () => {
    const mean = 100_000 / AUDIENCE_BUCKETS;
    const fullest = Math.ceil(mean + 5 * Math.sqrt(mean)); // 265
    const model = new AudienceBucketModel(0);
    for (const userId of userIdsInBucket(0, fullest)) {
      const lines = richLines(userId);
      model.add(userId, lines.entry, lines.name);
    }
    expect(model.split).toBe(false);
    const [item] = model.items();
    expect(item!.bytes).toBeLessThan(AUDIENCE_BUCKET_MAX_BYTES / 3);
    // Until the bucket item passes 390 KB nothing splits: ~1,000 rich friends a bucket, ~500,000
    // in all; with a short name and one attribute (~100 bytes) about two million.
    const firstSplit = Math.floor(AUDIENCE_BUCKET_MAX_BYTES / perFriend) * AUDIENCE_BUCKETS;
    expect(firstSplit).toBeGreaterThan(450_000);
    const plain = audienceLineBytes(
      'U0123456789abcdef0123456789abcdef',
      encodeAudienceEntry({ displayName: '', followedAt: RICH.followedAt, language: 'ja', attributes: { district: 'a' } }),
      '市民12345',
    );
    expect(Math.floor(AUDIENCE_BUCKET_MAX_BYTES / plain) * AUDIENCE_BUCKETS).toBeGreaterThan(1_800_000);
  });
});
