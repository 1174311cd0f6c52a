/**
 * The audience index: what segment evaluation and sending need of each ACTIVE friend (first
 * follow, language, attributes, name), packed into bucket items. A delivery to 100,000 friends
 * then reads a few hundred items instead of 100,000 (DynamoDB's cost and latency are per item and
 * per page; measured in docs/ARCHITECTURE.md "Deliveries").
 *
 * Format version 3 (this one). A bucket item has
 * - `e`: a line per friend, `<userId>\t<followed>\t<language>\t<attributes>` — the first follow
 *   in epoch milliseconds, base 36; the language code; the attributes as JSON (empty: none);
 * - `n`: a line per friend with a name, `<userId>\t<displayName>` (backslash, tab and newline
 *   escaped) — read only by a delivery that writes the name into its text (push mode);
 * - `rev`: bumped by every write of the bucket.
 * A reader parses the attribute JSON once per distinct value (friends share a few district / age /
 * gender combinations). Measured on 100,000 friends against format 2: 9.1 → 6.6 MB read, and
 * about a third less CPU for DynamoDB Local and for the reader. Format 2 lines in `e`
 * (`[1, followedAt, displayName, language, attributes]` JSON) are still read, so a bucket half-way
 * through its migration reads whole. Version 1 kept one attribute per friend (DynamoDB's cost is
 * per attribute: 0.45 s of DynamoDB Local's CPU for 100,000 entries, 0.17 s packed).
 *
 * The friend item stays the source of truth. Every write that changes one of these fields
 * (follow, block, profile answers) updates the friend item and the item holding its line in ONE
 * transaction, guarded by the friend's revision and that item's revision as read, so the index can
 * never drift from it (a race reads both again). Blocked friends have no entry: they are never targeted.
 *
 * Layout: 512 buckets (FNV-1a of the user ID). A bucket item holds its friends' lines itself — the
 * layout the first release writes and reads — until a write would take its `e` + `n` past
 * AUDIENCE_BUCKET_MAX_BYTES (the first release refused such a write: at ~100 bytes a friend about
 * two million friends; with long names and rich attributes, ~390 bytes, already ~500,000).
 * Then the bucket SPLITS into pages: items `PAGE#<bits>` in the bucket's partition, each holding
 * the friends whose page hash (a second mix of the same FNV-1a) starts with those bits; the bucket
 * item keeps only the directory of its pages in `e` (a line without a user ID, see
 * encodeAudienceDirectory) and a string `rev`. A page that would pass AUDIENCE_PAGE_MAX_BYTES
 * splits again in two. Item sizes therefore stop growing with the city: a page holds at most 200 KB
 * (~100 KB just after a split) whatever the number of friends, and 5 million friends with long names and rich attributes take
 * ~16,000 items (arithmetic in test/unit/friends/audience-capacity.test.ts). Accounts the first
 * release could hold never split, so they keep exactly its layout; the first release refuses a
 * split bucket (its reader throws on the directory line, its writer's revision condition fails on
 * the string `rev`) instead of reading or writing it wrongly.
 */
import type { AudienceFriend } from '../deliveries/model';

export const AUDIENCE_BUCKETS = 512;

function fnv1a(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** FNV-1a (32 bit) of the user ID, modulo the bucket count: stable and evenly spread. */
export function audienceBucketOf(userId: string, buckets = AUDIENCE_BUCKETS): number {
  return fnv1a(userId) % buckets;
}

/**
 * The friend's page hash within its bucket (32 bits, read from the most significant): FNV-1a
 * mixed again by murmur3's finalizer, so its leading bits do not repeat the low bits that chose the
 * bucket (all friends of a bucket share those).
 */
export function audiencePageHash(userId: string): number {
  let h = fnv1a(userId);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The deepest page: 16 bits, 65,536 pages per bucket (far beyond any account; a directory of them would not fit its item). */
export const AUDIENCE_PAGE_MAX_DEPTH = 16;

const bitAt = (hash: number, depth: number) => ((hash >>> (32 - depth)) & 1) === 1;

/** Does the page `leaf` (a bit string) hold this page hash: do the hash's leading bits spell it? */
export function audienceLeafHolds(leaf: string, hash: number): boolean {
  for (let d = 1; d <= leaf.length; d++) if (bitAt(hash, d) !== (leaf.charCodeAt(d - 1) === 0x31)) return false;
  return true;
}

/** The page of a split bucket (its directory's leaves) that holds this page hash; undefined when none does (a broken directory). */
export function audienceLeafOf(leaves: ReadonlySet<string>, hash: number): string | undefined {
  let bits = '';
  for (let d = 1; d <= AUDIENCE_PAGE_MAX_DEPTH; d++) {
    bits += bitAt(hash, d) ? '1' : '0';
    if (leaves.has(bits)) return bits;
  }
  return undefined;
}

const LEAF = /^[01]{1,16}$/;

/**
 * A split bucket's `e`: one line WITHOUT a user ID, `\t<bucket, 3 digits>\t<leaf> <leaf> …` — the
 * pages (bit strings) that hold the bucket's friends. Readers of this version read the pages; a
 * reader of the first release throws on the line ("unknown format") instead of reading the bucket
 * as empty.
 */
export function encodeAudienceDirectory(bucket: number, leaves: Iterable<string>): string {
  return `\t${String(bucket).padStart(3, '0')}\t${[...leaves].sort().join(' ')}`;
}

/** A bucket's `e` that is a directory (it starts with a tab): its bucket and pages; null for lines of friends. */
export function parseAudienceDirectory(e: string): { bucket: number; leaves: string[] } | null {
  if (e.charCodeAt(0) !== 9) return null;
  const tab = e.indexOf('\t', 1);
  const bucket = Number(e.slice(1, tab));
  const leaves = tab < 0 ? [] : e.slice(tab + 1).split(' ');
  if (tab < 0 || !Number.isInteger(bucket) || leaves.length < 2 || !leaves.every((l) => LEAF.test(l)))
    throw new Error('audience bucket has a directory of an unknown format');
  return { bucket, leaves };
}

/** What the index keeps of a friend, as the friend item has it. */
export interface AudienceEntry {
  displayName: string;
  followedAt: string;
  language?: string;
  attributes?: AudienceFriend['attributes'];
}

const ESCAPABLE = /[\\\t\n]/;

/** A text field of a line: backslash, tab and newline escaped (they are the separators). */
function escapeField(text: string): string {
  if (!ESCAPABLE.test(text)) return text;
  return text.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'));
}

function unescapeField(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}

/** A friend's `e` value (after `<userId>\t`): `followed(ms, base 36) \t language \t attributes JSON` (empty: none). */
export function encodeAudienceEntry(entry: AudienceEntry): string {
  const followedMs = Date.parse(entry.followedAt);
  // JSON escapes control characters inside strings: a raw tab or newline never appears in it.
  const attributes = entry.attributes && !Array.isArray(entry.attributes) && Object.keys(entry.attributes).length > 0 ? JSON.stringify(entry.attributes) : '';
  return `${Number.isNaN(followedMs) ? '' : followedMs.toString(36)}\t${escapeField(entry.language ?? '')}\t${attributes}`;
}

/** A bucket as writers hold it: user ID → `e` value, and user ID → `n` value (the escaped name). */
export interface AudienceLines {
  entries: Map<string, string>;
  names: Map<string, string>;
}

/** Sets the friend's lines (entry and name), or removes them (null: blocked or gone). */
export function setAudienceLines(lines: AudienceLines, userId: string, entry: AudienceEntry | null): void {
  if (!entry) {
    lines.entries.delete(userId);
    lines.names.delete(userId);
    return;
  }
  lines.entries.set(userId, encodeAudienceEntry(entry));
  if (entry.displayName) lines.names.set(userId, escapeField(entry.displayName));
  else lines.names.delete(userId);
}

/**
 * Packed lines (`e` or `n`), user ID → value. A malformed line throws, or with `onMalformed` is
 * reported and dropped (writers and the rebuild: the next write repairs the bucket).
 */
export function unpackAudienceBucket(packed: unknown, onMalformed?: (line: string) => void): Map<string, string> {
  const entries = new Map<string, string>();
  if (typeof packed !== 'string' || packed === '') return entries;
  for (const line of packed.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) {
      if (!onMalformed) throw new Error('audience bucket has a line of an unknown format');
      onMalformed(line);
      continue;
    }
    entries.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return entries;
}

/** A user ID that can be a line's key (LINE's never contain a tab or newline). */
export const indexableUserId = (userId: string) => !/[\t\n]/.test(userId);

/**
 * The most a bucket item's `e` + `n` holds (a DynamoDB item holds 400 KB with its keys and
 * revision). The first release refused a write past it; this one splits the bucket into pages.
 */
export const AUDIENCE_BUCKET_MAX_BYTES = 390_000;

/**
 * The most a page's `e` + `n` holds: a write past it splits the page in two. Half the item limit,
 * so a friend write in a big city writes ≤ 200 KB (a transaction's write costs 2 units per KB),
 * while a reader still gets 70–200 KB per item.
 */
export const AUDIENCE_PAGE_MAX_BYTES = 200_000;

/** What a split aims each new page at (as a share of the page limit): 390 KB → 4 pages of ~98 KB; 200 KB → 2 of ~100 KB. */
export const AUDIENCE_SPLIT_TARGET = 0.6;

function packLines(lines: Map<string, string>): string {
  let packed = '';
  for (const [userId, value] of lines) {
    if (!indexableUserId(userId)) throw new Error(`user ID ${JSON.stringify(userId)} cannot be indexed (tab or newline)`);
    packed += packed === '' ? `${userId}\t${value}` : `\n${userId}\t${value}`;
  }
  return packed;
}

/** The `e` and `n` values of a bucket or page, and their size together in bytes (UTF-8, as DynamoDB counts). */
export function packAudienceLines(lines: AudienceLines): { e: string; n: string; bytes: number } {
  const e = packLines(lines.entries);
  const n = packLines(lines.names);
  return { e, n, bytes: Buffer.byteLength(e) + Buffer.byteLength(n) };
}

/** The bucket's `e` and `n` values; refused when together they would not fit in an item. */
export function packAudienceBucket(lines: AudienceLines): { e: string; n: string } {
  const { e, n, bytes } = packAudienceLines(lines);
  if (bytes > AUDIENCE_BUCKET_MAX_BYTES) throw new Error('audience item full: more lines than one item holds (the bucket or page must split)');
  return { e, n };
}

/** The bytes one friend's lines add to an item: its `e` line, its `n` line (if named), and their separators. */
export function audienceLineBytes(userId: string, entry: string | undefined, name: string | undefined): number {
  const id = Buffer.byteLength(userId) + 2;
  return (entry === undefined ? 0 : id + Buffer.byteLength(entry)) + (name === undefined ? 0 : id + Buffer.byteLength(name));
}

/**
 * The lines of a bucket or page (`leaf`: its bits; '' for the bucket item itself) dealt out to
 * pages one bit deeper, and deeper again where a page would still hold more than `targetBytes`
 * (so a split never leaves a page that must split at once). Every friend goes to the page whose
 * bits start its page hash. Children that would be empty are still made: the directory must cover
 * every hash.
 */
export function splitAudienceLines(lines: AudienceLines, leaf: string, targetBytes: number): Map<string, AudienceLines> {
  const users = new Set([...lines.entries.keys(), ...lines.names.keys()]);
  const all = [...users].map((userId) => ({
    userId,
    hash: audiencePageHash(userId),
    bytes: audienceLineBytes(userId, lines.entries.get(userId), lines.names.get(userId)),
  }));
  const pages = new Map<string, AudienceLines>();
  const deal = (bits: string, members: typeof all) => {
    const bytes = members.reduce((sum, m) => sum + m.bytes, 0);
    if (bits.length > leaf.length && (bytes <= targetBytes || bits.length >= AUDIENCE_PAGE_MAX_DEPTH)) {
      const page: AudienceLines = { entries: new Map(), names: new Map() };
      for (const m of members) {
        const entry = lines.entries.get(m.userId);
        const name = lines.names.get(m.userId);
        if (entry !== undefined) page.entries.set(m.userId, entry);
        if (name !== undefined) page.names.set(m.userId, name);
      }
      pages.set(bits, page);
      return;
    }
    const depth = bits.length + 1;
    deal(
      `${bits}0`,
      members.filter((m) => !bitAt(m.hash, depth)),
    );
    deal(
      `${bits}1`,
      members.filter((m) => bitAt(m.hash, depth)),
    );
  };
  deal(leaf, all);
  return pages;
}

/** Parsed attribute JSON by its text: one parse per distinct value within a read (shared, never mutated). */
export type AttributesMemo = Map<string, AudienceFriend['attributes']>;

/** Distinct attribute values a memo keeps (beyond it, values are parsed per friend: memory stays bounded). */
export const ATTRIBUTES_MEMO_MAX = 10_000;

/**
 * Every friend of a bucket's `e`, for readers (no intermediate map). `names` (the bucket's `n`,
 * unpacked) gives them their names; without it names are empty. Pass one `memo` to all the
 * buckets of a read: identical attribute values are then parsed once and shared.
 */
export function decodeAudienceBucket(packed: string, options: { names?: Map<string, string>; memo?: AttributesMemo } = {}): AudienceFriend[] {
  const names = options.names;
  const memo = options.memo ?? new Map();
  const friends: AudienceFriend[] = [];
  const length = packed.length;
  let start = 0;
  while (start < length) {
    let end = packed.indexOf('\n', start);
    if (end < 0) end = length;
    const tab = packed.indexOf('\t', start);
    if (tab <= start || tab > end) throw new Error('audience bucket has a line of an unknown format');
    friends.push(decodeLine(packed, start, tab, end, memo, names));
    start = end + 1;
  }
  return friends;
}

/** One friend from its `e` value and (escaped) `n` value, e.g. as `unpackAudienceBucket` gives them. */
export function decodeAudienceEntry(userId: string, encoded: string, name?: string): AudienceFriend {
  return decodeAudienceBucket(`${userId}\t${encoded}`, name === undefined ? {} : { names: new Map([[userId, name]]) })[0]!;
}

function decodeLine(packed: string, start: number, tab: number, end: number, memo: AttributesMemo, names?: Map<string, string>): AudienceFriend {
  const userId = packed.slice(start, tab);
  // A format 2 line carries its own name (a writer of the previous version may have renamed the
  // friend after `n` was written); `n` names format 3 lines only.
  if (packed.charCodeAt(tab + 1) === 0x5b /* [ */) return decodeFormat2(userId, packed.slice(tab + 1, end));
  const t2 = packed.indexOf('\t', tab + 1);
  const t3 = t2 < 0 ? -1 : packed.indexOf('\t', t2 + 1);
  if (t3 < 0 || t3 >= end) throw new Error(`audience entry of ${userId} has an unknown format`);
  // Assigned, not spread: a delivery decodes every active friend.
  const name = names?.get(userId);
  const friend: AudienceFriend = {
    userId,
    displayName: name === undefined ? '' : unescapeField(name),
    status: 'active',
    followedAtMs: t2 > tab + 1 ? parseInt(packed.slice(tab + 1, t2), 36) : NaN,
  };
  if (t3 > t2 + 1) friend.language = unescapeField(packed.slice(t2 + 1, t3));
  if (end > t3 + 1) {
    const text = packed.slice(t3 + 1, end);
    let attributes = memo.get(text);
    if (attributes === undefined) {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`audience entry of ${userId} has an unknown format`);
      attributes = parsed as AudienceFriend['attributes'];
      if (memo.size < ATTRIBUTES_MEMO_MAX) memo.set(text, attributes);
    }
    friend.attributes = attributes;
  }
  return friend;
}

/** Format 2: `[1, followedAt, displayName, language|null, attributes|null]` (lines not yet rewritten). */
function decodeFormat2(userId: string, encoded: string): AudienceFriend {
  const parsed: unknown = JSON.parse(encoded);
  if (!Array.isArray(parsed) || parsed[0] !== 1 || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'string') {
    throw new Error(`audience entry of ${userId} has an unknown format`);
  }
  const [, followedAt, displayName, language, attributes] = parsed as [1, string, string, string | null, AudienceFriend['attributes'] | null];
  const friend: AudienceFriend = { userId, displayName, status: 'active', followedAtMs: Date.parse(followedAt) };
  if (typeof language === 'string') friend.language = language;
  if (attributes && typeof attributes === 'object') friend.attributes = attributes;
  return friend;
}

/** The entry of a stored friend item (its raw attributes), or null when it must have none. */
export function audienceEntryOf(item: Record<string, unknown>): AudienceEntry | null {
  if (item.status !== 'active' || typeof item.userId !== 'string' || typeof item.followedAt !== 'string') return null;
  return {
    displayName: typeof item.displayName === 'string' ? item.displayName : '',
    followedAt: item.followedAt,
    ...(typeof item.language === 'string' ? { language: item.language } : {}),
    ...(item.attributes && typeof item.attributes === 'object' && !Array.isArray(item.attributes)
      ? { attributes: item.attributes as AudienceFriend['attributes'] }
      : {}),
  };
}
