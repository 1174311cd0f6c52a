/**
 * Shapes of docs/admin-api.md — the server's own types (type-only imports: nothing of the server
 * reaches the bundle), so a changed field fails the console's type-check.
 */
import type { z } from 'zod';
import type { auditCsvQuery } from '../../../functions/admin/schemas';
import type { ManagedStaffView } from '../../../functions/admin/views';
import type { StaffView } from '../../../functions/staff/staff';

export type { FunctionId, Me, Role } from '../../../functions/staff/staff';
export type { AuditEntry } from '../../../functions/audit/audit';
export type { AuditSearchAnswer, Dashboard, FriendDay, RecentDelivery, SessionAnswer } from '../../../functions/admin/views';

/** An account: from the list (with `manageable`) or as a change answers it (without). */
export type Staff = StaffView & Partial<Pick<ManagedStaffView, 'manageable'>>;

/** The audit log's filters (GET /audit and /audit.csv). */
export type AuditFilter = z.input<typeof auditCsvQuery>;
