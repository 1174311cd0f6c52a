/**
 * The audience index: what segment evaluation and sending need of each ACTIVE friend (name,
 * first follow, language, attributes), packed as one attribute per friend into a fixed number
 * of bucket items. A delivery to 100,000 friends then reads a few hundred items instead of
 * 100,000 (DynamoDB's cost and latency are per item and per page; measured in
 * docs/ARCHITECTURE.md "Deliveries").
 *
 * The friend item stays the source of truth. Every write that changes one of these fields
 * (follow, block, profile answers) updates the friend item and its entry in ONE transaction,
 * guarded by the friend's revision number (`rev`), so the index can never drift from it.
 * Blocked friends have no entry: they are never targeted.
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
