/**
 * Keys of the audit log (docs/data-model.md, "Staff console").
 * - Audit entry: PK AUDIT#<yyyy-mm, Asia/Tokyo>  SK <at, UTC ISO>#<ulid>
 * Month partitions: a search over a date range queries one partition per month, newest first,
 * with `SK BETWEEN` the range's UTC bounds. Staff activity is far below a partition's limits.
 */
export const AUDIT_PK_PREFIX = 'AUDIT#';
export const auditPartition = (tokyoMonth: string) => `${AUDIT_PK_PREFIX}${tokyoMonth}`;
export const auditKey = (tokyoMonth: string, atIso: string, id: string) => ({ PK: auditPartition(tokyoMonth), SK: `${atIso}#${id}` });
