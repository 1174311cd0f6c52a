import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** LIFF ID tokens issued by the simulator: HS256 JWTs signed with a per-simulator random key. */
export const LINE_ISSUER = 'https://access.line.me';

export interface IdTokenPayload {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nonce?: string;
  amr: string[];
  name: string;
  picture?: string;
}

const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');

export function signJwt(payload: object, key: Buffer): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac('sha256', key).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${sig}`;
}

/** Returns the payload when the signature is valid and the header says HS256, else undefined. */
export function decodeAndVerifyJwt(token: string, key: Buffer): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'HS256') return undefined;
    const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
    const actual = Buffer.from(s, 'base64url');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export type VerifyResult = { ok: true; payload: IdTokenPayload } | { ok: false; error_description: string };

export interface VerifyInput {
  idToken?: string;
  clientId?: string;
  nonce?: string;
  userId?: string;
}

/** Mirrors POST https://api.line.me/oauth2/v2.1/verify (ID token variant). */
export function verifyIdToken(input: VerifyInput, key: Buffer, nowMs: number): VerifyResult {
  if (!input.idToken) return { ok: false, error_description: 'Invalid IdToken.' };
  const payload = decodeAndVerifyJwt(input.idToken, key);
  if (!payload || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
    return { ok: false, error_description: 'Invalid IdToken.' };
  }
  if (payload.iss !== LINE_ISSUER) return { ok: false, error_description: 'Invalid IdToken Issuer.' };
  if (payload.exp * 1000 <= nowMs) return { ok: false, error_description: 'IdToken expired.' };
  if (!input.clientId || payload.aud !== input.clientId) {
    return { ok: false, error_description: 'Invalid IdToken Audience.' };
  }
  if (input.nonce !== undefined && input.nonce !== '' && payload.nonce !== input.nonce) {
    return { ok: false, error_description: 'Invalid IdToken Nonce.' };
  }
  if (input.userId !== undefined && input.userId !== '' && payload.sub !== input.userId) {
    return { ok: false, error_description: 'Invalid IdToken Subject Identifier.' };
  }
  return { ok: true, payload: payload as unknown as IdTokenPayload };
}

export interface IssueInput {
  userId: string;
  name: string;
  picture?: string;
  audience: string;
  nonce?: string;
  expiresInSec?: number;
  issuer?: string;
}

export function issueIdToken(input: IssueInput, key: Buffer, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const payload: IdTokenPayload = {
    iss: input.issuer ?? LINE_ISSUER,
    sub: input.userId,
    aud: input.audience,
    exp: iat + (input.expiresInSec ?? 3600),
    iat,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    amr: ['linesso'],
    name: input.name,
    ...(input.picture ? { picture: input.picture } : {}),
  };
  return signJwt(payload, key);
}

export function randomKey(): Buffer {
  return randomBytes(32);
}
