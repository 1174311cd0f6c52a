/**
 * The LIFF contract of the simulator (docs/line-simulator.md "LIFF contract"): which URIs open in
 * the overlay, and the URL the overlay's frame loads. Pure, unit-tested. The LIFF address format
 * itself is the platform's (functions/shared/liff-url.ts).
 */
import { parseLiffUrl } from '../../../functions/shared/liff-url';

export interface LiffTarget {
  liffId: string;
  /** the LIFF app's endpoint URL with the path and query of the tapped URI (no fragment) */
  url: string;
}

/**
 * `https://liff.line.me/<liffId>/<path?query>` or `line://app/<liffId>…` whose liffId is a known
 * app, or any URL under a known endpoint; undefined for anything else (opened as a normal link).
 */
export function resolveLiff(uri: string, liffApps: Record<string, string>): LiffTarget | undefined {
  const address = parseLiffUrl(uri);
  const known = address && liffApps[address.liffId];
  if (address && known) return { liffId: address.liffId, url: (known.replace(/\/+$/, '') + address.rest).split('#')[0]! };
  for (const [liffId, endpoint] of Object.entries(liffApps)) {
    if (endpoint && uri.startsWith(endpoint)) return { liffId, url: uri.split('#')[0]! };
  }
  return undefined;
}

/**
 * `<endpoint><path?query>#sim_id_token=<jwt>&sim_liff_id=<liffId>&sim_lang=<language>`: the ID
 * token of the current citizen, the LIFF app, and the citizen's LINE language (what
 * `liff.getLanguage()` answers inside LINE: the LINE app's language).
 */
export function liffFrameUrl(target: LiffTarget, idToken: string, language: string | undefined): string {
  const base = target.url.split('#')[0]!;
  let fragment = `#sim_id_token=${encodeURIComponent(idToken)}&sim_liff_id=${encodeURIComponent(target.liffId)}`;
  if (language) fragment += `&sim_lang=${encodeURIComponent(language)}`;
  return base + fragment;
}
