/**
 * Password hashing with scrypt (node:crypto; memory-hard) and the password policy.
 *
 * Stored form: `scrypt$<logN>$<r>$<p>$<salt base64url>$<hash base64url>`, so the cost can be
 * raised later and old hashes still verify (needsRehash tells when to upgrade at sign-in).
 * Production cost N=2^15, r=8, p=1 (32 MiB, about 70 ms on one core).
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import { DomainError } from '../shared/errors';
import { graphemeCount } from '../shared/text';

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
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
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
export const PASSWORD_POLICY_MESSAGE =
  'パスワードは12文字以上で、英字と数字の両方を含み、ログインIDを含まず、推測されにくいもの（よく使われるパスワードや同じ文字・並びのくり返しではないもの）にしてください。';

/** The strength estimator (zxcvbn-ts with its common-password lists), built on first use (~35 ms). */
let estimator: ZxcvbnFactory | undefined;
const strength = (password: string, userInputs: string[]) =>
  (estimator ??= new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs })).check(password, userInputs);

/** zxcvbn's score 0–4: 3 means "safely unguessable: moderate protection from offline attacks". */
export const MIN_STRENGTH_SCORE = 3;

/** Why a password is guessable, in plain Japanese (zxcvbn-ts warning codes). */
const WEAKNESS: Record<string, string> = {
  common: 'よく使われるパスワードです。',
  commonNames: 'よくある名前は推測されやすいです。',
  similarToCommon: 'よく使われるパスワードに似ています（Password1234 のように、よくある言葉に数字を足しただけのもの）。',
  simpleRepeat: '同じ文字のくり返し（aaaa など）は推測されやすいです。',
  extendedRepeat: '同じ文字の並びのくり返し（abcabc など）は推測されやすいです。',
  sequences: 'abcd や 1234 のような連続した並びは推測されやすいです。',
  straightRow: 'キーボードの横一列（qwerty など）は推測されやすいです。',
  keyPattern: 'キーボード上の並び（qazwsx など）は推測されやすいです。',
  recentYears: '最近の年は推測されやすいです。',
  dates: '日付は推測されやすいです。',
  topTen: 'もっともよく使われるパスワードの一つです。',
  topHundred: 'とてもよく使われるパスワードです。',
  wordByItself: '一つの単語だけでは推測されやすいです。',
  namesByThemselves: '名前だけでは推測されやすいです。',
  userInputs: 'ログインIDや名前に関係する言葉は推測されやすいです。',
  pwned: '過去に流出したパスワードです。',
};
const WEAK_FALLBACK = '推測されやすいパスワードです。言葉をいくつか組み合わせるなどして、長く、予想しにくいものにしてください。';

/**
 * Problems with a password under the policy (empty when it is acceptable), in Japanese. Length is
 * counted in characters a person sees (an emoji is one), the raw length capped first; a password
 * meeting the basic rules must also not be guessable: zxcvbn-ts (common and leaked-password lists,
 * repeats, sequences, keyboard patterns, the login ID and name) scores it at least 3 of 4.
 */
export function passwordPolicyProblems(password: string, loginId: string, userInputs: string[] = []): string[] {
  const problems: string[] = [];
  const length = graphemeCount(password, PASSWORD_MAX_LENGTH);
  if (length < PASSWORD_MIN_LENGTH) problems.push(`12文字以上にしてください（いまは${length}文字）。`);
  if (length > PASSWORD_MAX_LENGTH) return ['128文字以下にしてください。'];
  if (!/[A-Za-z]/.test(password)) problems.push('英字を含めてください。');
  if (!/[0-9]/.test(password)) problems.push('数字を含めてください。');
  if (loginId && password.toLowerCase().includes(loginId.toLowerCase())) problems.push('ログインIDを含めないでください。');
  if (problems.length > 0) return problems;
  const result = strength(password, [loginId, ...userInputs].filter(Boolean));
  if (result.score < MIN_STRENGTH_SCORE) problems.push((result.feedback.warning && WEAKNESS[result.feedback.warning]) || WEAK_FALLBACK);
  return problems;
}

export class PasswordPolicyError extends DomainError {
  override readonly status = 400;
  override readonly code = 'password_policy';
}

export function assertPasswordPolicy(password: string, loginId: string, field = 'newPassword', userInputs: string[] = []): void {
  const problems = passwordPolicyProblems(password, loginId, userInputs);
  if (problems.length)
    throw new PasswordPolicyError(
      PASSWORD_POLICY_MESSAGE,
      problems.map((message) => ({ path: field, message })),
    );
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
