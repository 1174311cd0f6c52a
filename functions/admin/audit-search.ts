/** Use cases of reading the audit log (admin, or a general account with the `audit` function). */
import type { AuditEntry, AuditLog, AuditPage, AuditQuery } from '../audit/audit';
import { auditCsv } from '../audit/csv';

/** The most rows one CSV export holds; narrow the dates for more. */
export const CSV_MAX_ROWS = 50_000;

/** Use case: one page of entries matching the filters, newest first. */
export function searchAudit(deps: { audit: AuditLog }, query: AuditQuery): Promise<AuditPage> {
  return deps.audit.search(query);
}

/**
 * Use case: CSV export.
 *
 * 1. Read every page matching the filters (up to CSV_MAX_ROWS).
 * 2. Render UTF-8 CSV with a BOM and formula-safe cells.
 */
export async function exportAuditCsv(deps: { audit: AuditLog }, query: Omit<AuditQuery, 'cursor' | 'limit'>): Promise<{ csv: string; rows: number }> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.audit.search({ ...query, limit: 1000, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && entries.length < CSV_MAX_ROWS);
  const rows = entries.slice(0, CSV_MAX_ROWS);
  return { csv: auditCsv(rows), rows: rows.length };
}
