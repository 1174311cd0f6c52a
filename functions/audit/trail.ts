/** Writes one audit entry for a use case (who, when, from where, what, before/after). */
import { ulid } from 'ulid';
import { AUDIT_ACTIONS, type AuditAction, type AuditLog } from '../audit/audit';
import type { Clock } from '../ports/clock';

export interface AuditDeps {
  audit: AuditLog;
  clock: Clock;
}

export async function recordAudit(
  deps: AuditDeps,
  entry: {
    actor: string;
    action: AuditAction;
    target: string;
    ip: string;
    summary?: string;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
  },
): Promise<void> {
  const now = deps.clock.now();
  await deps.audit.append({
    id: ulid(now.getTime()),
    at: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    summary: entry.summary ?? AUDIT_ACTIONS[entry.action],
    before: entry.before,
    after: entry.after,
    ip: entry.ip,
  });
}
