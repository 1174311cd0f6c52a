/**
 * Keys of the friends capability (docs/data-model.md).
 * - Friend:        PK FRIEND#<userId>  SK PROFILE        GSI1PK FRIENDS  GSI1SK <followedAt>#<userId>
 * - Daily counts:  PK FRIEND_STATS     SK DAY#<yyyy-mm-dd, Asia/Tokyo>
 */
export const friendKey = (userId: string) => ({ PK: `FRIEND#${userId}`, SK: 'PROFILE' });
export const FRIENDS_LIST_PK = 'FRIENDS';
export const friendListKey = (followedAt: string, userId: string) => ({ GSI1PK: FRIENDS_LIST_PK, GSI1SK: `${followedAt}#${userId}` });
export const friendStatsKey = (tokyoDate: string) => ({ PK: 'FRIEND_STATS', SK: `DAY#${tokyoDate}` });

/**
 * Audience index (functions/friends/audience-index.ts): every active friend's segment fields as
 * one line of the packed string `e` of one of AUDIENCE_BUCKETS items — or, once a bucket split,
 * of one of its pages.
 * - Bucket:        PK AUDIENCE#<nnn>  SK FRIENDS       e = "<userId>\t<entry>\n…", n, rev (number)
 *                                                      split: e = "\t<nnn>\t<bits> <bits> …" (directory), rev (string)
 * - Page:          PK AUDIENCE#<nnn>  SK PAGE#<bits>   e, n, rev (number)
 * - Built marker:  PK AUDIENCE        SK INDEX         version, builtAt
 */
const audiencePartition = (bucket: number) => `AUDIENCE#${String(bucket).padStart(3, '0')}`;
export const audienceBucketKey = (bucket: number) => ({ PK: audiencePartition(bucket), SK: 'FRIENDS' });
export const AUDIENCE_PAGE_PREFIX = 'PAGE#';
export const audiencePageKey = (bucket: number, leaf: string) => ({ PK: audiencePartition(bucket), SK: `${AUDIENCE_PAGE_PREFIX}${leaf}` });
/** The bucket and page bits of a page key; null for any other key. */
export function parseAudiencePageKey(key: { PK: string; SK: string }): { bucket: number; leaf: string } | null {
  if (!key.PK.startsWith('AUDIENCE#') || !key.SK.startsWith(AUDIENCE_PAGE_PREFIX)) return null;
  return { bucket: Number(key.PK.slice('AUDIENCE#'.length)), leaf: key.SK.slice(AUDIENCE_PAGE_PREFIX.length) };
}
export const audienceIndexMarkerKey = { PK: 'AUDIENCE', SK: 'INDEX' };
