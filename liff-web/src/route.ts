/**
 * Which page and which form the page shows. Pure (unit-tested).
 * `/liff/forms/<formId>`, `/liff/?formId=<formId>`, `/liff/reports/place`, or — on LINE's first hop
 * before liff.init() redirects — `/liff/?liff.state=%2Fforms%2F<formId>` / `?liff.state=%2Freports%2Fplace`.
 */
const FORM_ID = /^[0-9A-Za-z_-]{1,64}$/;
const PLACE_PATH = /\/reports\/place\/?$/;

/** The form page (the default) or the place picker of a damage report. */
export type LiffPage = 'form' | 'place';

export function pageFrom(pathname: string, search: string): LiffPage {
  if (PLACE_PATH.test(pathname)) return 'place';
  const state = new URLSearchParams(search).get('liff.state');
  if (state && /^\/?reports\/place\/?$/.test(state.split(/[?#]/, 1)[0]!)) return 'place';
  return 'form';
}

export function formIdFrom(pathname: string, search: string): string | undefined {
  const match = /\/forms\/([^/?#]+)\/?$/.exec(pathname);
  const params = new URLSearchParams(search);
  let candidate = match ? safeDecode(match[1]) : params.get('formId');
  if (!candidate) {
    const state = params.get('liff.state');
    if (state) {
      const q = state.indexOf('?');
      const path = q >= 0 ? state.slice(0, q) : state;
      candidate = /\/?forms\/([^/?#]+)\/?$/.exec(path)?.[1] ?? new URLSearchParams(q >= 0 ? state.slice(q) : '').get('formId');
    }
  }
  return candidate && FORM_ID.test(candidate) ? candidate : undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
