/**
 * Use cases of managing staff accounts (admin, or a general account with the `staff` function).
 * A general manager handles general accounts only and grants only functions it holds itself;
 * only administrators create, change or reset administrators.
 */
import type { Clock } from '../ports/clock';
import { assertPasswordPolicy, type PasswordHasher } from '../staff/password';
import {
  auditSnapshot,
  effectivePermissions,
  FUNCTION_IDS,
  FUNCTION_LABELS,
  newStaffAccount,
  reportCategoriesOf,
  toStaffView,
  type FunctionId,
  type Role,
  type StaffAccount,
  type StaffRepository,
  type StaffView,
} from '../staff/staff';
import { updateAccount } from './account-updates';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { SignedIn } from '../staff/context';
import { AccessDeniedError, LoginIdTakenError, RouteNotFoundError, SelfChangeError } from './errors';
import type { ManagedStaffView } from './views';

export interface StaffDeps extends AuditDeps {
  staff: StaffRepository;
  hasher: PasswordHasher;
  clock: Clock;
}

const target = (loginId: string) => `staff:${loginId}`;

type Subject = { role: Role; permissions: FunctionId[]; reportCategories?: string[] };

/**
 * Why a general manager may not act on an account (create, change, reset), or null when it may.
 * Administrators manage everyone. A general manager acts only on general accounts whose functions
 * are all among its own — before and after the change — so it can never take over (reset the
 * password of and sign in as) an account that can do more than itself, nor grant what it lacks.
 * A manager limited to some report categories likewise acts only on accounts limited to those.
 */
function refusalToManage(actor: StaffAccount, subject: Subject, previous?: Subject): string | null {
  if (actor.role === 'admin') return null;
  if (subject.role === 'admin' || previous?.role === 'admin') return '管理者アカウントの作成・変更は管理者だけが行えます。';
  const held = new Set(effectivePermissions(actor));
  const beyond = (permissions: FunctionId[]) => permissions.filter((p) => !held.has(p));
  const already = previous ? beyond(previous.permissions) : [];
  if (already.length) {
    return `ご自身が持っていない機能（${already.map((p) => FUNCTION_LABELS[p]).join('、')}）を使えるアカウントは、変更・パスワード再設定できません。管理者に依頼してください。`;
  }
  const granted = beyond(subject.permissions);
  if (granted.length) return `ご自身が持っていない機能は付与できません（${granted.map((p) => FUNCTION_LABELS[p]).join('、')}）。`;
  const mine = reportCategoriesOf(actor);
  if (mine) {
    // Every category is more than some: an account of 市民通報 must be limited within the manager's own.
    const wider = (s: Subject) => s.permissions.includes('reports') && (reportCategoriesOf(s) ?? ['*']).some((c) => !mine.includes(c));
    if (previous && wider(previous))
      return 'ご自身が見られない市民通報の種類を見られるアカウントは、変更・パスワード再設定できません。管理者に依頼してください。';
    if (wider(subject)) return `市民通報で見られる種類は、ご自身が見られる種類の中から選んでください（${mine.join('、')}）。`;
  }
  return null;
}

function assertMayManage(actor: StaffAccount, subject: Subject, previous?: Subject): void {
  const refusal = refusalToManage(actor, subject, previous);
  if (refusal) throw new AccessDeniedError(refusal);
}

/** The categories kept on an account: only a general account with 市民通報 is limited, and an empty list is no limit. */
function categoryLimit(role: Role, permissions: FunctionId[], reportCategories: string[] | undefined): string[] | undefined {
  return role === 'general' && permissions.includes('reports') && reportCategories?.length ? [...new Set(reportCategories)] : undefined;
}

export type { ManagedStaffView } from './views';

/**
 * Use case: list every staff account, by login ID. A manager sees every account (to know who has
 * which functions); `manageable` marks those it may change or reset (see refusalToManage).
 */
export async function listStaff(deps: StaffDeps, who: SignedIn): Promise<ManagedStaffView[]> {
  const now = deps.clock.now();
  return (await deps.staff.list())
    .sort((a, b) => a.loginId.localeCompare(b.loginId))
    .map((a) => ({ ...toStaffView(a, now), manageable: refusalToManage(who.account, a, a) === null }));
}

/**
 * Use case: create a staff account.
 *
 * 1. Check the caller may create this role with these functions.
 * 2. Apply the password policy to the initial password.
 * 3. Store the account (unique login ID), marked to change the password at first sign-in.
 * 4. Write the audit entry with the new account's picture (no password).
 */
export async function createStaff(
  deps: StaffDeps,
  who: SignedIn,
  input: { loginId: string; displayName: string; role: Role; permissions: FunctionId[]; reportCategories?: string[]; initialPassword: string },
): Promise<StaffView> {
  const reportCategories = categoryLimit(input.role, input.permissions, input.reportCategories);
  assertMayManage(who.account, { role: input.role, permissions: input.permissions, ...(reportCategories ? { reportCategories } : {}) });
  assertPasswordPolicy(input.initialPassword, input.loginId, 'initialPassword', [input.displayName]);
  const now = deps.clock.now();
  const created = newStaffAccount({ ...input, passwordHash: await deps.hasher.hash(input.initialPassword), mustChangePassword: true, now });
  const account: StaffAccount = reportCategories ? { ...created, reportCategories } : created;
  if ((await deps.staff.create(account)) === 'exists') throw new LoginIdTakenError();
  await recordAudit(deps, { actor: who.account.loginId, action: 'staff.created', target: target(account.loginId), ip: who.ip, after: auditSnapshot(account) });
  return toStaffView(account, now);
}

/**
 * Use case: change a staff account's name, role, functions (with its report categories) or disabled flag.
 *
 * 1. Load it; check the caller may manage it before and after the change.
 * 2. Nobody changes their own role, functions, report categories or disabled flag (no self-promotion, no locking oneself out).
 * 3. Save; disabling ends the account's sessions.
 * 4. Write the audit entry with before and after.
 */
export async function updateStaff(
  deps: StaffDeps,
  who: SignedIn,
  loginId: string,
  patch: { displayName?: string; role?: Role; permissions?: FunctionId[]; reportCategories?: string[]; disabled?: boolean },
): Promise<StaffView> {
  const now = deps.clock.now();
  const self = loginId === who.account.loginId;
  const { before, after } = await updateAccount(deps.staff, loginId, (current) => {
    const role = patch.role ?? current.role;
    const wanted = role === 'admin' ? [] : (patch.permissions ?? (current.role === 'admin' ? [] : current.permissions));
    const permissions = FUNCTION_IDS.filter((f) => wanted.includes(f));
    const disabled = patch.disabled ?? current.disabled;
    const reportCategories = categoryLimit(role, permissions, patch.reportCategories ?? current.reportCategories);
    assertMayManage(who.account, { role, permissions, ...(reportCategories ? { reportCategories } : {}) }, current);
    const categoriesChanged = [...(reportCategories ?? [])].sort().join() !== [...(reportCategoriesOf(current) ?? [])].sort().join();
    if (self && (role !== current.role || disabled !== current.disabled || permissions.join() !== current.permissions.join() || categoriesChanged)) {
      throw new SelfChangeError('ご自身の権限・利用できる機能・無効化は変更できません。ほかの管理者に依頼してください。');
    }
    const { reportCategories: _previous, ...rest } = current;
    return {
      ...rest,
      ...(reportCategories ? { reportCategories } : {}),
      displayName: patch.displayName ?? current.displayName,
      role,
      permissions: [...permissions],
      disabled,
      sessionEpoch: disabled && !current.disabled ? current.sessionEpoch + 1 : current.sessionEpoch,
      updatedAt: now.toISOString(),
    };
  });
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'staff.updated',
    target: target(loginId),
    ip: who.ip,
    before: auditSnapshot(before),
    after: auditSnapshot(after),
  });
  return toStaffView(after, now);
}

/**
 * Use case: set a new password for someone who forgot theirs.
 *
 * 1. Check the caller may manage the account; one's own password is changed through /auth/password.
 * 2. Apply the policy.
 * 3. Store the hash, unlock, require a change at next sign-in, end the account's sessions.
 * 4. Write the audit entry (no password).
 */
export async function resetStaffPassword(deps: StaffDeps, who: SignedIn, loginId: string, newPassword: string): Promise<void> {
  if (loginId === who.account.loginId) throw new SelfChangeError('ご自身のパスワードは「パスワード変更」から変更してください。');
  const existing = await deps.staff.get(loginId);
  if (!existing) throw new RouteNotFoundError('職員アカウントが見つかりません。');
  assertMayManage(who.account, existing, existing);
  assertPasswordPolicy(newPassword, loginId, 'newPassword', [existing.displayName]);
  const hash = await deps.hasher.hash(newPassword);
  const now = deps.clock.now();
  const { before } = await updateAccount(deps.staff, loginId, (current) => {
    assertMayManage(who.account, current, current);
    return {
      ...current,
      passwordHash: hash,
      mustChangePassword: true,
      failedAttempts: 0,
      lockedUntil: undefined,
      sessionEpoch: current.sessionEpoch + 1,
      updatedAt: now.toISOString(),
    };
  });
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'staff.password_reset',
    target: target(loginId),
    ip: who.ip,
    before: { locked: Boolean(before.lockedUntil && Date.parse(before.lockedUntil) > now.getTime()) },
    after: { locked: false, mustChangePassword: true },
  });
}
