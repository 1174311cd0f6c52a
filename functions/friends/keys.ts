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
 * one line of the packed string `e` of one of AUDIENCE_BUCKETS items.
 * - Bucket:        PK AUDIENCE#<nnn>  SK FRIENDS     e = "<userId>\t<entry>\n…", rev
 * - Built marker:  PK AUDIENCE        SK INDEX       version, builtAt
 */
export const audienceBucketKey = (bucket: number) => ({ PK: `AUDIENCE#${String(bucket).padStart(3, '0')}`, SK: 'FRIENDS' });
export const audienceIndexMarkerKey = { PK: 'AUDIENCE', SK: 'INDEX' };
