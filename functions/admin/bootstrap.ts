/**
 * The first administrator, never with a default password: `npm run create-admin` in AWS,
 * and the local runtime on first start. Both generate a strong random password shown once.
 */
import type { AuditLog } from '../audit/audit';
import type { Clock } from '../ports/clock';
import { generatePassword, type PasswordHasher } from '../staff/password';
import { auditSnapshot, newStaffAccount, type StaffRepository } from '../staff/staff';
import { recordAudit } from '../audit/trail';
import { LoginIdTakenError } from './errors';

export interface BootstrapDeps {
  staff: StaffRepository;
  audit: AuditLog;
  hasher: PasswordHasher;
  clock: Clock;
}

/**
 * Use case: create an administrator with a generated password.
 *
 * 1. Generate a 20-character random password (meets the policy).
 * 2. Store the account, refusing an existing login ID.
 * 3. Write the audit entry (actor = `by`, no password) and return the password to show once.
 */
export async function createAdministrator(
  deps: BootstrapDeps,
  input: { loginId: string; displayName: string; mustChangePassword: boolean; by: string },
): Promise<{ loginId: string; password: string }> {
  const password = generatePassword();
  const account = newStaffAccount({
    loginId: input.loginId,
    displayName: input.displayName,
    role: 'admin',
    permissions: [],
    passwordHash: await deps.hasher.hash(password),
    mustChangePassword: input.mustChangePassword,
    now: deps.clock.now(),
  });
  if ((await deps.staff.create(account)) === 'exists') throw new LoginIdTakenError();
  await recordAudit(deps, {
    actor: input.by,
    action: 'staff.created',
    target: `staff:${account.loginId}`,
    ip: '-',
    summary: '最初の管理者アカウントを作成',
    after: auditSnapshot(account),
  });
  return { loginId: account.loginId, password };
}

/**
 * Local runtime: `admin` (管理者) when no account exists yet; null when there is one. Like the
 * AWS one (`npm run create-admin`), its printed password must be changed at the first sign-in.
 */
export async function ensureLocalAdministrator(deps: BootstrapDeps): Promise<{ loginId: string; password: string } | null> {
  if (await deps.staff.any()) return null;
  try {
    return await createAdministrator(deps, { loginId: 'admin', displayName: '管理者', mustChangePassword: true, by: 'local-runtime' });
  } catch (error) {
    if (error instanceof LoginIdTakenError) return null;
    throw error;
  }
}
