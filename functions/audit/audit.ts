/**
 * The audit log of the staff console: who did what, when, from where, to what,
 * with before/after pictures that never hold password hashes or secrets.
 */
import type { AuditAction } from './labels';

/** The action names (one table, shared with the console and the CSV): functions/audit/labels.ts. */
export { AUDIT_ACTIONS, type AuditAction } from './labels';

export interface AuditEntry {
  id: string;
  /** UTC ISO time. */
  at: string;
  /** Login ID of the staff member, or a system name such as `system`. */
  actor: string;
  action: AuditAction;
  /** What was acted on, e.g. `staff:tanaka`. */
  target: string;
  /** Japanese, for the console's list. */
  summary: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  ip: string;
}

export interface AuditQuery {
  /** yyyy-mm-dd, Asia/Tokyo, inclusive. */
  from: string;
  to: string;
  actor?: string;
  action?: string;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; throws InvalidCursorError for a cursor it did not issue. */
  search(query: AuditQuery): Promise<AuditPage>;
}

/** Tokyo months (yyyy-mm) from `to` back to `from`, newest first. */
export function tokyoMonthsDescending(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = to.slice(0, 7).split('-').map(Number);
  const [fy, fm] = from.slice(0, 7).split('-').map(Number);
  while (y > fy || (y === fy && m >= fm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return months;
}
