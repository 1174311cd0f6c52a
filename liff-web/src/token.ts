/**
 * Where the ID token comes from. Pure (unit-tested).
 * The simulator's overlay opens `…/liff/<path>#sim_id_token=<jwt>&sim_liff_id=<liffId>&sim_lang=<LINE language>`;
 * in that case the LIFF SDK is never loaded and `sim_lang` stands for liff.getLanguage(). Otherwise
 * the page is in LINE (or an external browser) and the SDK gives the token and language after liff.init().
 */
import { CLICK_PARAM, parseClickRef } from '../../functions/shared/liff-url';

export type TokenSource = { kind: 'simulator'; idToken: string; liffId?: string; language?: string } | { kind: 'liff'; liffId?: string };

export function tokenSource(hash: string): TokenSource {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const idToken = params.get('sim_id_token')?.trim();
  const liffId = params.get('sim_liff_id')?.trim() || undefined;
  // Three dot-separated parts, as a JWT has; anything else is not a simulator token.
  const language = params.get('sim_lang')?.trim().slice(0, 35) || undefined;
  if (idToken && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(idToken)) return { kind: 'simulator', idToken, liffId, ...(language ? { language } : {}) };
  return { kind: 'liff', liffId };
}

/**
 * The LINE user an ID token names (`sub`), read without verifying — only to keep a citizen's own
 * language pick apart from another's on a shared device (the simulator's phone, a family tablet).
 * The server never trusts it: every API call sends the token, which LINE verifies.
 */
export function tokenSubject(idToken: string): string | undefined {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' && /^U[0-9a-f]{32}$/.test(sub) ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** `clk` of a counted link in a delivery (`<deliveryId>.<linkIndex>`, the server's own shape), or undefined. */
export function clickRefOf(search: string): string | undefined {
  const ref = new URLSearchParams(search).get(CLICK_PARAM);
  return ref && parseClickRef(ref) ? ref : undefined;
}
