/** Time-based one-time passwords (RFC 6238, 6 digits, 30 s) for administrators, via otpauth. */
import { Secret, TOTP } from 'otpauth';

const ISSUER = '荒尾市LINE管理画面';
const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

export function otpauthUrl(secret: string, loginId: string): string {
  return totp(secret, loginId).toString();
}

/**
 * The time step the code belongs to (±1 step for clock drift), or null when it is wrong
 * or was already used (step not after lastStep).
 */
export function acceptTotp(secret: string, code: string, now: Date, lastStep?: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta;
  if (lastStep !== undefined && step <= lastStep) return null;
  return step;
}

/** The current code, for tests and tools. */
export function currentTotp(secret: string, now: Date): string {
  return totp(secret, 'x').generate({ timestamp: now.getTime() });
}
