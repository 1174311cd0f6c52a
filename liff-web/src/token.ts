/**
 * Where the ID token comes from. Pure (unit-tested).
 * The simulator's overlay opens `…/liff/<path>#sim_id_token=<jwt>&sim_liff_id=<liffId>`; in that
 * case the LIFF SDK is never loaded. Otherwise the page is in LINE (or an external browser) and
 * the SDK gives the token after liff.init().
 */
export type TokenSource =
  | { kind: 'simulator'; idToken: string; liffId?: string }
  | { kind: 'liff'; liffId?: string };

export function tokenSource(hash: string): TokenSource {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const idToken = params.get('sim_id_token')?.trim();
  const liffId = params.get('sim_liff_id')?.trim() || undefined;
  // Three dot-separated parts, as a JWT has; anything else is not a simulator token.
  if (idToken && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(idToken)) return { kind: 'simulator', idToken, liffId };
  return { kind: 'liff', liffId };
}

