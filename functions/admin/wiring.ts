/**
 * Builds the admin API's dependencies from the environment (composition root).
 * ADMIN_ALLOWED_ORIGINS (comma-separated, optional): origins allowed to sign in besides the
 * API's own host, e.g. the CloudFront URL of the console when the API sits behind it.
 */
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { DynamoFriendStatsReader } from '../adapters/aws/friend-stats-reader';
import { DynamoSessionRepository } from '../adapters/aws/session-store';
import { DynamoStaffRepository } from '../adapters/aws/staff-store';
import { systemClock } from '../ports/clock';
import { ScryptPasswordHasher } from '../staff/password';
import type { AdminDeps } from './api';
import type { BootstrapDeps } from './bootstrap';

export const ADMIN_ALLOWED_ORIGINS = 'ADMIN_ALLOWED_ORIGINS';

export function adminDeps(): AdminDeps {
  return {
    staff: new DynamoStaffRepository(),
    sessions: new DynamoSessionRepository(),
    audit: new DynamoAuditLog(),
    friendStats: new DynamoFriendStatsReader(),
    hasher: new ScryptPasswordHasher(),
    clock: systemClock,
    allowedOrigins: (process.env[ADMIN_ALLOWED_ORIGINS] ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  };
}

export function bootstrapDeps(): BootstrapDeps {
  return { staff: new DynamoStaffRepository(), audit: new DynamoAuditLog(), hasher: new ScryptPasswordHasher(), clock: systemClock };
}
