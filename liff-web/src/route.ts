/**
 * Which form the page shows. Pure (unit-tested).
 * `/liff/forms/<formId>`, `/liff/?formId=<formId>`, or — on LINE's first hop before liff.init()
 * redirects — `/liff/?liff.state=%2Fforms%2F<formId>`.
 */
const FORM_ID = /^[0-9A-Za-z_-]{1,64}$/;

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
