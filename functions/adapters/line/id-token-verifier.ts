/**
 * IdTokenVerifier calling LINE's `POST {LINE_API_BASE_URL}/oauth2/v2.1/verify` (form-encoded
 * id_token + client_id = the LINE Login channel id). A verified token is cached until its `exp`
 * in a bounded map (keyed by its SHA-256, oldest entries dropped first), so a page's calls cost
 * one LINE round trip.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { InvalidIdTokenError, type IdTokenVerifier, type VerifiedIdToken } from '../../ports/id-token-verifier';
import { lineApiBaseUrl } from './client';

/** A citizen's page waits on this check: LINE answers it in well under a second; 5 s is the most a page waits. */
const VERIFY_TIMEOUT_MS = 5_000;

const verified = z.object({ sub: z.string().min(1), exp: z.number(), aud: z.string(), name: z.string().optional() });

export interface LineIdTokenVerifierOptions {
  /** The LINE Login channel id (client_id); resolved lazily (Secrets Manager in AWS). */
  channelId: () => Promise<string>;
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  maxEntries?: number;
}

export class LineIdTokenVerifier implements IdTokenVerifier {
  private readonly cache = new Map<string, VerifiedIdToken>();
  constructor(private readonly options: LineIdTokenVerifierOptions) {}

  async verify(idToken: string): Promise<VerifiedIdToken> {
    const now = (this.options.now ?? Date.now)();
    const key = createHash('sha256').update(idToken).digest('base64url');
    const hit = this.cache.get(key);
    if (hit && hit.exp * 1000 > now) return hit;
    if (hit) this.cache.delete(key);

    const clientId = await this.options.channelId();
    const base = this.options.baseUrl ?? lineApiBaseUrl();
    const res = await (this.options.fetch ?? fetch)(`${base}/oauth2/v2.1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token: idToken, client_id: clientId }).toString(),
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 400 || res.status === 401) throw new InvalidIdTokenError(String(body.error_description ?? 'refused'));
    if (!res.ok) throw new Error(`LINE verify answered ${res.status}`);
    const parsed = verified.safeParse(body);
    // LINE checks the audience; checking again costs nothing and guards a misrouted base URL.
    if (!parsed.success || parsed.data.aud !== clientId) throw new InvalidIdTokenError('unexpected answer');
    if (parsed.data.exp * 1000 <= now) throw new InvalidIdTokenError('IdToken expired.');
    const result: VerifiedIdToken = { userId: parsed.data.sub, name: parsed.data.name ?? '', exp: parsed.data.exp };
    const max = this.options.maxEntries ?? 10_000;
    while (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, result);
    return result;
  }
}
