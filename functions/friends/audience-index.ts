/**
 * The audience index: what segment evaluation and sending need of each ACTIVE friend (name,
 * first follow, language, attributes), packed into a fixed number of bucket items. A delivery to
 * 100,000 friends then reads a few hundred items instead of 100,000 (DynamoDB's cost and latency
 * are per item and per page; measured in docs/ARCHITECTURE.md "Deliveries").
 *
 * Format version 2: a bucket's entries are ONE string attribute `e`, a line per friend
 * `<userId>\t<entry>` (entries are JSON, which never contains a raw tab or newline), with a
 * revision `rev` that every write of the bucket bumps. Version 1 kept one attribute per friend;
 * reading it cost DynamoDB per attribute (measured: 100,000 entries 0.45 s of DynamoDB Local's CPU
 * as attributes, 0.17 s packed).
 *
 * The friend item stays the source of truth. Every write that changes one of these fields
 * (follow, block, profile answers) updates the friend item and its bucket in ONE transaction,
 * guarded by the friend's revision and the bucket's revision as read, so the index can never
 * drift from it (a race reads both again). Blocked friends have no entry: they are never targeted.
 *
 * Capacity: an entry is about 100–250 bytes with its name; a bucket item holds at most 400 KB,
 * so 512 buckets hold about a million friends — far above a city's account.
 */
import type { AudienceFriend } from '../deliveries/model';

export const AUDIENCE_BUCKETS = 512;

/** FNV-1a (32 bit) of the user ID, modulo the bucket count: stable and evenly spread. */
export function audienceBucketOf(userId: string, buckets = AUDIENCE_BUCKETS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

export interface AudienceEntry {
  displayName: string;
  followedAt: string;
  language?: string;
  attributes?: AudienceFriend['attributes'];
}

/** Format version 1: `[1, followedAt, displayName, language|null, attributes|null]`. */
export function encodeAudienceEntry(entry: AudienceEntry): string {
  return JSON.stringify([1, entry.followedAt, entry.displayName, entry.language ?? null, entry.attributes ?? null]);
}

/**
 * A bucket's packed entries (`e`), user ID → encoded entry. A malformed line throws, or with
 * `onMalformed` is reported and dropped (writers and the rebuild: the next write repairs the bucket).
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

/** The largest packed bucket written (a DynamoDB item holds 400 KB with its keys and revision). */
export const AUDIENCE_BUCKET_MAX_BYTES = 390_000;

export function packAudienceBucket(entries: Map<string, string>): string {
  let packed = '';
  for (const [userId, entry] of entries) {
    if (!indexableUserId(userId)) throw new Error(`user ID ${JSON.stringify(userId)} cannot be indexed (tab or newline)`);
    packed += packed === '' ? `${userId}\t${entry}` : `\n${userId}\t${entry}`;
  }
  if (Buffer.byteLength(packed) > AUDIENCE_BUCKET_MAX_BYTES) throw new Error('audience bucket full: more friends than the index holds (about a million)');
  return packed;
}

/** Every friend of a packed bucket, for readers (no intermediate map). */
export function decodeAudienceBucket(packed: string): AudienceFriend[] {
  const friends: AudienceFriend[] = [];
  if (packed === '') return friends;
  let start = 0;
  while (start < packed.length) {
    let end = packed.indexOf('\n', start);
    if (end < 0) end = packed.length;
    const tab = packed.indexOf('\t', start);
    if (tab <= start || tab > end) throw new Error('audience bucket has a line of an unknown format');
    friends.push(decodeAudienceEntry(packed.slice(start, tab), packed.slice(tab + 1, end)));
    start = end + 1;
  }
  return friends;
}

export function decodeAudienceEntry(userId: string, encoded: string): AudienceFriend {
  const parsed: unknown = JSON.parse(encoded);
  if (!Array.isArray(parsed) || parsed[0] !== 1 || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'string') {
    throw new Error(`audience entry of ${userId} has an unknown format`);
  }
  const [, followedAt, displayName, language, attributes] = parsed as [1, string, string, string | null, AudienceFriend['attributes'] | null];
  // Assigned, not spread: a delivery decodes every active friend.
  const friend: AudienceFriend = { userId, displayName, status: 'active', followedAt };
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
    ...(item.attributes && typeof item.attributes === 'object' ? { attributes: item.attributes as AudienceFriend['attributes'] } : {}),
  };
}
