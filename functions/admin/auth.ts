/**
 * Use cases of signing in and out, the session check, own password and TOTP (docs/admin-api.md).
 */
import type { Clock } from '../ports/clock';
import { assertPasswordPolicy, generatePassword, PasswordPolicyError, type PasswordHasher } from '../staff/password';
import { hashToken, isSessionExpired, newSession, SESSION_TOUCH_MS, type SessionRepository, type UnknownIdFailures } from '../staff/session';
import { isLocked, toMe, type StaffRepository } from '../staff/staff';
import { acceptTotp, newTotpSecret, otpauthUrl } from '../staff/totp';
import { updateAccount } from './account-updates';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { RequestInfo, SignedIn } from '../staff/context';
import {
  InvalidCredentialsError,
  InvalidCurrentPasswordError,
  InvalidTotpCodeError,
  LockedError,
  TotpRequiredError,
  TotpStateError,
  UnauthenticatedError,
} from './errors';
import type { SessionAnswer, TotpSetup } from './views';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;

export interface AuthDeps extends AuditDeps {
  staff: StaffRepository;
  sessions: SessionRepository;
  unknownIds: UnknownIdFailures;
  hasher: PasswordHasher;
  clock: Clock;
}

const staffTarget = (loginId: string) => `staff:${loginId}`;

/** A hash of a random password per hasher: unknown IDs cost as much time as known ones. */
const dummyHashes = new WeakMap<PasswordHasher, Promise<string>>();
function dummyHash(hasher: PasswordHasher): Promise<string> {
  let hash = dummyHashes.get(hasher);
  if (!hash) {
    hash = hasher.hash(generatePassword());
    dummyHashes.set(hasher, hash);
  }
  return hash;
}

export interface LoginResult extends SessionAnswer {
  /** The session token for the cookie; never stored. */
  token: string;
}

/**
 * Use case: sign in.
 *
 * 1. Look up the account; an unknown ID still costs one hash check and gets the same answers as
 *    an existing one: `invalid_credentials`, and `locked` from the fifth failure in a row for
 *    15 minutes — counted per typed ID (a keyed hash of it), so lockout never tells which IDs exist.
 * 2. A locked account is refused with `locked` and its lockedUntil, without checking the password.
 * 3. Check the password; a wrong one counts a failure, and the fifth in a row locks the account
 *    for 15 minutes (audit-logged). A disabled account gets `invalid_credentials`.
 * 4. With TOTP on: a missing code asks for it (`totp_required`); a wrong or reused code counts a failure.
 * 5. Reset the failure count, stamp lastLoginAt (rehash if the cost changed), open a new session
 *    (fresh token and CSRF token), write the audit entry.
 */
export async function login(deps: AuthDeps, input: { loginId: string; password: string; totp?: string }, info: RequestInfo): Promise<LoginResult> {
  const now = deps.clock.now();
  const account = await deps.staff.get(input.loginId);
  if (!account) {
    // The typed ID is not recorded: people sometimes type their password into the ID field.
    const target = 'staff:(未登録のID)';
    const locked = await deps.unknownIds.lockedUntil(input.loginId, now);
    if (locked) {
      await recordAudit(deps, { actor: '-', action: 'auth.login_failed', target, ip: info.ip, summary: 'サインイン失敗（登録されていないID・ロック中）' });
      throw new LockedError(locked);
    }
    await deps.hasher.verify(input.password, await dummyHash(deps.hasher));
    await recordAudit(deps, { actor: '-', action: 'auth.login_failed', target, ip: info.ip, summary: 'サインイン失敗（登録されていないID）' });
    const lockedUntil = await deps.unknownIds.fail(input.loginId, now, MAX_FAILED_ATTEMPTS, LOCKOUT_MS);
    if (lockedUntil) {
      await recordAudit(deps, {
        actor: '-',
        action: 'auth.locked',
        target,
        ip: info.ip,
        summary: `登録されていないIDで${MAX_FAILED_ATTEMPTS}回続けてサインインに失敗したため15分間ロック`,
        after: { lockedUntil },
      });
      throw new LockedError(lockedUntil);
    }
    throw new InvalidCredentialsError();
  }
  if (isLocked(account, now)) {
    await recordAudit(deps, {
      actor: account.loginId,
      action: 'auth.login_failed',
      target: staffTarget(account.loginId),
      ip: info.ip,
      summary: 'サインイン失敗（ロック中）',
    });
    throw new LockedError(account.lockedUntil!);
  }
  const passwordOk = await deps.hasher.verify(input.password, account.passwordHash);
  if (passwordOk && account.disabled) {
    await recordAudit(deps, {
      actor: account.loginId,
      action: 'auth.login_failed',
      target: staffTarget(account.loginId),
      ip: info.ip,
      summary: 'サインイン失敗（無効なアカウント）',
    });
    throw new InvalidCredentialsError();
  }
  if (!passwordOk) return failure(deps, account.loginId, info, 'サインイン失敗（パスワード誤り）', new InvalidCredentialsError());

  let totpStep: number | undefined;
  if (account.totp.secret) {
    if (!input.totp) throw new TotpRequiredError(false);
    const step = acceptTotp(account.totp.secret, input.totp, now, account.totp.lastStep);
    if (step === null) return failure(deps, account.loginId, info, 'サインイン失敗（確認コード誤り）', new TotpRequiredError(true));
    totpStep = step;
  }

  const rehash = deps.hasher.needsRehash(account.passwordHash) ? await deps.hasher.hash(input.password) : undefined;
  const { after } = await updateAccount(deps.staff, account.loginId, (current) => ({
    ...current,
    failedAttempts: 0,
    lockedUntil: undefined,
    lastLoginAt: now.toISOString(),
    passwordHash: rehash ?? current.passwordHash,
    totp: totpStep === undefined ? current.totp : { ...current.totp, lastStep: totpStep },
    updatedAt: now.toISOString(),
  }));
  const { token, session } = newSession(after.loginId, after.sessionEpoch, now);
  await deps.sessions.put(session);
  await recordAudit(deps, { actor: after.loginId, action: 'auth.login', target: staffTarget(after.loginId), ip: info.ip });
  return { me: toMe(after), csrfToken: session.csrfToken, token };
}

/** Counts a failed sign-in; the fifth in a row locks the account. Always throws. */
async function failure(deps: AuthDeps, loginId: string, info: RequestInfo, summary: string, error: Error): Promise<never> {
  const now = deps.clock.now();
  const { after } = await updateAccount(deps.staff, loginId, (current) => {
    const failedAttempts = current.failedAttempts + 1;
    if (failedAttempts >= MAX_FAILED_ATTEMPTS) {
      return { ...current, failedAttempts: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS).toISOString(), updatedAt: now.toISOString() };
    }
    return { ...current, failedAttempts, updatedAt: now.toISOString() };
  });
  await recordAudit(deps, { actor: loginId, action: 'auth.login_failed', target: staffTarget(loginId), ip: info.ip, summary });
  if (isLocked(after, now)) {
    await recordAudit(deps, {
      actor: loginId,
      action: 'auth.locked',
      target: staffTarget(loginId),
      ip: info.ip,
      summary: `${MAX_FAILED_ATTEMPTS}回続けてサインインに失敗したため15分間ロック`,
      after: { lockedUntil: after.lockedUntil },
    });
    throw new LockedError(after.lockedUntil!);
  }
  throw error;
}

/**
 * Use case: the session check of every signed-in route.
 *
 * 1. Find the session by SHA-256 of the cookie's token.
 * 2. Refuse (and delete) it after 30 idle minutes or 12 hours in all.
 * 3. Load the account: a disabled account, or a session older than the last reset, is refused.
 * 4. Record activity (at most once a minute) so the idle clock restarts.
 */
export async function authenticate(deps: AuthDeps, token: string | undefined): Promise<Omit<SignedIn, 'ip'>> {
  if (!token) throw new UnauthenticatedError();
  const now = deps.clock.now();
  const tokenHash = hashToken(token);
  const session = await deps.sessions.get(tokenHash);
  if (!session) throw new UnauthenticatedError();
  if (isSessionExpired(session, now)) {
    await deps.sessions.delete(tokenHash);
    throw new UnauthenticatedError('一定時間操作がなかったため、サインアウトしました。もう一度サインインしてください。');
  }
  const account = await deps.staff.get(session.loginId);
  if (!account || account.disabled || account.sessionEpoch !== session.epoch) {
    await deps.sessions.delete(tokenHash);
    throw new UnauthenticatedError();
  }
  if (now.getTime() - Date.parse(session.lastSeenAt) >= SESSION_TOUCH_MS) {
    session.lastSeenAt = now.toISOString();
    await deps.sessions.put(session);
  }
  return { account, session };
}

/** Use case: sign out — delete the session and record it. */
export async function logout(deps: AuthDeps, who: SignedIn): Promise<void> {
  await deps.sessions.delete(who.session.tokenHash);
  await recordAudit(deps, { actor: who.account.loginId, action: 'auth.logout', target: staffTarget(who.account.loginId), ip: who.ip });
}

export function me(who: Omit<SignedIn, 'ip'>): SessionAnswer {
  return { me: toMe(who.account), csrfToken: who.session.csrfToken };
}

/**
 * Use case: change one's own password.
 *
 * 1. Check the current password.
 * 2. Apply the policy; the new password must differ from the current one.
 * 3. Store the new hash, clear mustChangePassword, end every other session (epoch + 1)
 *    while keeping this one.
 * 4. Write the audit entry (no passwords).
 */
export async function changeOwnPassword(deps: AuthDeps, who: SignedIn, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const now = deps.clock.now();
  if (!(await deps.hasher.verify(input.currentPassword, who.account.passwordHash))) throw new InvalidCurrentPasswordError();
  assertPasswordPolicy(input.newPassword, who.account.loginId, 'newPassword', [who.account.displayName]);
  if (input.newPassword === input.currentPassword) {
    throw new PasswordPolicyError('新しいパスワードは現在のパスワードと異なるものにしてください。', [
      { path: 'newPassword', message: '現在のパスワードと同じです。' },
    ]);
  }
  const hash = await deps.hasher.hash(input.newPassword);
  const { after } = await updateAccount(deps.staff, who.account.loginId, (current) => ({
    ...current,
    passwordHash: hash,
    mustChangePassword: false,
    sessionEpoch: current.sessionEpoch + 1,
    updatedAt: now.toISOString(),
  }));
  await deps.sessions.put({ ...who.session, epoch: after.sessionEpoch, lastSeenAt: now.toISOString() });
  await recordAudit(deps, { actor: who.account.loginId, action: 'auth.password_changed', target: staffTarget(who.account.loginId), ip: who.ip });
}

/**
 * Use case: start TOTP for an administrator.
 *
 * 1. Refuse when TOTP is already on (turn it off first).
 * 2. Store a new pending secret; it is not checked at sign-in until enable confirms a code.
 * 3. Return the secret and the otpauth:// URL for the authenticator app (audit without the secret).
 */
export async function setupTotp(deps: AuthDeps, who: SignedIn): Promise<TotpSetup> {
  if (who.account.totp.secret) throw new TotpStateError('二要素認証はすでに有効です。変更する場合は先に無効にしてください。');
  const secret = newTotpSecret();
  const now = deps.clock.now();
  await updateAccount(deps.staff, who.account.loginId, (current) => ({
    ...current,
    totp: { ...current.totp, pendingSecret: secret },
    updatedAt: now.toISOString(),
  }));
  await recordAudit(deps, { actor: who.account.loginId, action: 'auth.totp_setup', target: staffTarget(who.account.loginId), ip: who.ip });
  return { secret, otpauthUrl: otpauthUrl(secret, who.account.loginId) };
}

/**
 * Use case: turn TOTP on.
 *
 * 1. Require a pending secret from setup.
 * 2. Check the code against it.
 * 3. Make it the active secret; write the audit entry.
 */
export async function enableTotp(deps: AuthDeps, who: SignedIn, code: string): Promise<void> {
  const now = deps.clock.now();
  const pending = who.account.totp.pendingSecret;
  if (who.account.totp.secret) throw new TotpStateError('二要素認証はすでに有効です。');
  if (!pending) throw new TotpStateError('先に二要素認証の準備（setup）を行ってください。');
  const step = acceptTotp(pending, code, now);
  if (step === null) throw new InvalidTotpCodeError();
  await updateAccount(deps.staff, who.account.loginId, (current) => ({ ...current, totp: { secret: pending, lastStep: step }, updatedAt: now.toISOString() }));
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'auth.totp_enabled',
    target: staffTarget(who.account.loginId),
    ip: who.ip,
    before: { totpEnabled: false },
    after: { totpEnabled: true },
  });
}

/**
 * Use case: turn TOTP off.
 *
 * 1. Require TOTP to be on and a current code from the authenticator.
 * 2. Remove the secret; write the audit entry.
 */
export async function disableTotp(deps: AuthDeps, who: SignedIn, code: string): Promise<void> {
  const now = deps.clock.now();
  const secret = who.account.totp.secret;
  if (!secret) throw new TotpStateError('二要素認証は有効になっていません。');
  if (acceptTotp(secret, code, now, who.account.totp.lastStep) === null) throw new InvalidTotpCodeError();
  await updateAccount(deps.staff, who.account.loginId, (current) => ({ ...current, totp: {}, updatedAt: now.toISOString() }));
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'auth.totp_disabled',
    target: staffTarget(who.account.loginId),
    ip: who.ip,
    before: { totpEnabled: true },
    after: { totpEnabled: false },
  });
}
