/**
 * Password hashing with scrypt (node:crypto; memory-hard) and the password policy.
 *
 * Stored form: `scrypt$<logN>$<r>$<p>$<salt base64url>$<hash base64url>`, so the cost can be
 * raised later and old hashes still verify (needsRehash tells when to upgrade at sign-in).
 * Production cost N=2^15, r=8, p=1 (32 MiB, about 70 ms on one core).
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../shared/errors';

export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export const PRODUCTION_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: 256 * 2 ** params.logN * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  needsRehash(stored: string): boolean;
}

export class ScryptPasswordHasher implements PasswordHasher {
  /** A lower cost is for unit tests only; production code uses the default. */
  constructor(private readonly params: ScryptParams = PRODUCTION_SCRYPT) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await scryptAsync(password, salt, this.params);
    const { logN, r, p } = this.params;
    return ['scrypt', logN, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Constant-time comparison; a malformed stored value never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const key = await scryptAsync(password, parsed.salt, parsed.params);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    return !parsed || parsed.params.logN !== this.params.logN || parsed.params.r !== this.params.r || parsed.params.p !== this.params.p;
  }
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  if (![logN, r, p].every(Number.isInteger) || logN < 1 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { params: { logN, r, p }, salt: Buffer.from(parts[4], 'base64url'), key: Buffer.from(parts[5], 'base64url') };
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_POLICY_MESSAGE = 'パスワードは12文字以上で、英字と数字の両方を含み、ログインIDを含まないものにしてください。';

/** Problems with a password under the policy (empty when it is acceptable). */
export function passwordPolicyProblems(password: string, loginId: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('12文字以上にしてください。');
  if (password.length > PASSWORD_MAX_LENGTH) problems.push('128文字以下にしてください。');
  if (!/[A-Za-z]/.test(password)) problems.push('英字を含めてください。');
  if (!/[0-9]/.test(password)) problems.push('数字を含めてください。');
  if (loginId && password.toLowerCase().includes(loginId.toLowerCase())) problems.push('ログインIDを含めないでください。');
  return problems;
}

export class PasswordPolicyError extends DomainError {
  override readonly status = 400;
  override readonly code = 'password_policy';
}

export function assertPasswordPolicy(password: string, loginId: string, field = 'newPassword'): void {
  const problems = passwordPolicyProblems(password, loginId);
  if (problems.length) throw new PasswordPolicyError(PASSWORD_POLICY_MESSAGE, problems.map((message) => ({ path: field, message })));
}

/** A random password that satisfies the policy (20 characters, no look-alike characters). */
export function generatePassword(length = 20): string {
  const letters = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  for (;;) {
    const chars = Array.from({ length }, () => all[randomInt(all.length)]).join('');
    if (/[A-Za-z]/.test(chars) && /[0-9]/.test(chars)) return chars;
  }
}
