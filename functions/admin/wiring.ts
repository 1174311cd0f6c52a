/**
 * Builds the admin API's dependencies from the environment (composition root).
 * ADMIN_ALLOWED_ORIGINS (comma-separated, optional): origins allowed to sign in besides the
 * API's own host, e.g. the CloudFront URL of the console when the API sits behind it.
 */
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { DynamoFormStore, DynamoUploadStore } from '../adapters/aws/form-store';
import { DynamoFriendStatsReader } from '../adapters/aws/friend-stats-reader';
import { DynamoSessionRepository } from '../adapters/aws/session-store';
import { DynamoStaffRepository } from '../adapters/aws/staff-store';
import { systemClock } from '../ports/clock';
import { ScryptPasswordHasher } from '../staff/password';
import { onceProfileForm } from '../forms/bootstrap';
import { blobStore } from '../liff/wiring';
import type { AdminDeps } from './api';
import type { CsvDelivery } from './form-routes';
import type { BootstrapDeps } from './bootstrap';

export const ADMIN_ALLOWED_ORIGINS = 'ADMIN_ALLOWED_ORIGINS';

/** `stream` only where the caller can pipe a Node stream (the local gateway); Lambda buffers. */
export function adminDeps(options: { csvDelivery?: CsvDelivery } = {}): AdminDeps {
  const audit = new DynamoAuditLog();
  const forms = new DynamoFormStore();
  return {
    staff: new DynamoStaffRepository(),
    sessions: new DynamoSessionRepository(),
    audit,
    forms,
    responses: forms,
    uploads: new DynamoUploadStore(),
    blobs: blobStore(),
    csvDelivery: options.csvDelivery ?? 'buffered',
    formsBootstrap: onceProfileForm({ forms, audit, clock: systemClock }),
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
