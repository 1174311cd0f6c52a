/**
 * Keys of the friends capability (docs/data-model.md).
 * - Friend:        PK FRIEND#<userId>  SK PROFILE        GSI1PK FRIENDS  GSI1SK <followedAt>#<userId>
 * - Daily counts:  PK FRIEND_STATS     SK DAY#<yyyy-mm-dd, Asia/Tokyo>
 */
export const friendKey = (userId: string) => ({ PK: `FRIEND#${userId}`, SK: 'PROFILE' });
export const friendListKey = (followedAt: string, userId: string) => ({ GSI1PK: 'FRIENDS', GSI1SK: `${followedAt}#${userId}` });
export const friendStatsKey = (tokyoDate: string) => ({ PK: 'FRIEND_STATS', SK: `DAY#${tokyoDate}` });
