/**
 * Console sessions: the browser holds a random 256-bit token in an HttpOnly cookie;
 * the table holds only its SHA-256. Idle expiry 30 minutes, absolute 12 hours.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'cl_session';
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** lastSeenAt is written at most this often (one write per minute, not per request). */
export const SESSION_TOUCH_MS = 60_000;

export interface Session {
  tokenHash: string;
  loginId: string;
  csrfToken: string;
  /** Must equal the account's sessionEpoch; a reset or disable bumps it and ends older sessions. */
  epoch: number;
  createdAt: string;
  lastSeenAt: string;
  absoluteExpiresAt: string;
}

export interface SessionRepository {
  put(session: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | null>;
  delete(tokenHash: string): Promise<void>;
}

export const newToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function newSession(loginId: string, epoch: number, now: Date): { token: string; session: Session } {
  const token = newToken();
  const iso = now.toISOString();
  return {
    token,
    session: {
      tokenHash: hashToken(token),
      loginId,
      csrfToken: newToken(),
      epoch,
      createdAt: iso,
      lastSeenAt: iso,
      absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
    },
  };
}

/** When the session ends if nothing happens: the earlier of idle and absolute expiry. */
export function sessionExpiry(session: Session): Date {
  return new Date(Math.min(Date.parse(session.lastSeenAt) + SESSION_IDLE_MS, Date.parse(session.absoluteExpiresAt)));
}

export function isSessionExpired(session: Session, now: Date): boolean {
  return now.getTime() >= sessionExpiry(session).getTime();
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; Secure; SameSite=Strict; Path=/api/admin; Max-Age=${SESSION_ABSOLUTE_MS / 1000}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/api/admin; Max-Age=0`;
}

/**
 * Port: failed sign-ins with a login ID that no account has. They lock exactly as an account's do
 * (MAX_FAILED_ATTEMPTS in a row → LOCKOUT_MS), so the answers never tell which IDs exist. The store
 * keeps a keyed hash of the typed ID, never the ID (people type passwords into the ID field).
 */
export interface UnknownIdFailures {
  /** The lock in force for this typed ID, if any. */
  lockedUntil(loginId: string, now: Date): Promise<string | undefined>;
  /** Counts a failure; the lock's end when this one reached the limit. */
  fail(loginId: string, now: Date, limit: number, lockMs: number): Promise<string | undefined>;
}
