/**
 * Keys of the staff capability (docs/data-model.md, "Staff console").
 * - Staff account: PK STAFF#<loginId>        SK ACCOUNT   GSI1PK STAFF  GSI1SK <loginId>
 * - Session:       PK SESSION#<sha256(token)> SK SESSION   expiresAt = idle expiry (TTL, epoch seconds)
 * - Unknown-ID sign-in failures: PK SIGNIN_FAILURES#<HMAC(typed ID)> SK FAILURES  {failedAttempts, lockedUntil}, TTL a day
 */
export const staffKey = (loginId: string) => ({ PK: `STAFF#${loginId}`, SK: 'ACCOUNT' });
export const STAFF_LIST_PK = 'STAFF';
export const staffListKey = (loginId: string) => ({ GSI1PK: STAFF_LIST_PK, GSI1SK: loginId });
export const sessionKey = (tokenHash: string) => ({ PK: `SESSION#${tokenHash}`, SK: 'SESSION' });
/** Failed sign-ins with a login ID no account has: keyed by an HMAC of the typed ID (expiresAt: TTL a day after the last). */
export const unknownIdFailuresKey = (idDigest: string) => ({ PK: `SIGNIN_FAILURES#${idDigest}`, SK: 'FAILURES' });
