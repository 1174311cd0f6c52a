/**
 * Values the platform hands to a client and takes back (paging cursors): opaque by contract (the
 * client only hands them back; they are readable base64 JSON, not encrypted) and tamper-evident. A sealed value is `<base64url JSON>.<base64url HMAC-SHA256, 128 bits>`, the MAC
 * over a purpose string that also binds the value to what it was issued for (the query a cursor
 * pages through), so a cursor of another query, another partition or an edited one never opens.
 * The key is the platform's signing key (functions/adapters/aws/app-secret.ts), derived per use.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Sealer {
  seal(purpose: string, value: unknown): Promise<string>;
  /** The value, or undefined when the token was not sealed by this platform for this purpose. */
  open(purpose: string, token: string): Promise<unknown>;
  /** A keyed hash (hex) of `text` for `purpose`: lets a store key records by a secret it never keeps. */
  digest(purpose: string, text: string): Promise<string>;
}

/** A sealed token longer than this is refused before any work (cursors are a few hundred bytes). */
export const MAX_SEALED_LENGTH = 2000;

export function hmacSealer(key: () => Promise<string>): Sealer {
  const mac = async (purpose: string, payload: string) =>
    createHmac('sha256', await key())
      .update(`${purpose}\0${payload}`)
      .digest()
      .subarray(0, 16);
  return {
    async seal(purpose, value) {
      const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${payload}.${(await mac(purpose, payload)).toString('base64url')}`;
    },
    async open(purpose, token) {
      if (typeof token !== 'string' || token.length > MAX_SEALED_LENGTH) return undefined;
      const dot = token.indexOf('.');
      if (dot <= 0) return undefined;
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = await mac(purpose, payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
    },
    async digest(purpose, text) {
      return createHmac('sha256', await key())
        .update(`${purpose}\0${text}`)
        .digest('hex');
    },
  };
}
