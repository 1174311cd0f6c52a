/**
 * Addresses of the citizen pages as LINE knows them: `https://liff.line.me/<liffId>/<path>` opens
 * the city's LIFF app in LINE's LIFF browser, signed in (LINE: "tap the LIFF URL in a chat room";
 * https://developers.line.biz/en/docs/liff/opening-liff-app/). The same address works locally,
 * where the LINE simulator's phone resolves it to this platform's /liff/ pages.
 *
 * A LIFF address is never hidden behind the click counter (/r/…): LINE opens a LIFF address reached
 * through a redirect in its in-app browser or an external one, where the page is not signed in.
 * Clicks on links to the city's own LIFF app are counted by the page instead: the link carries
 * `clk=<deliveryId>.<linkIndex>` and the page reports it (POST /api/liff/clicks).
 */
export const LIFF_ORIGIN = 'https://liff.line.me';
/** Query parameter of a counted link to the city's LIFF app. */
export const CLICK_PARAM = 'clk';

const LIFF_ID = /^\d{10}-[A-Za-z0-9]{8}$/;

/** `https://liff.line.me/<liffId>/<path>` (path without a leading slash, already encoded). */
export function liffUrl(liffId: string, path = ''): string {
  return `${LIFF_ORIGIN}/${liffId}${path ? `/${path.replace(/^\/+/, '')}` : ''}`;
}

/** The LIFF address of a form (`profile` names the standard profile form). */
export function formLiffUrl(liffId: string, formId: string): string {
  return liffUrl(liffId, `forms/${encodeURIComponent(formId)}`);
}

/**
 * The LIFF address of the place picker (`/liff/reports/place`): a citizen reporting damage drops a
 * pin on a map and the page sends the place into the chat as their own location message.
 */
export function placePickerLiffUrl(liffId: string): string {
  return liffUrl(liffId, 'reports/place');
}

/**
 * A LIFF address — `https://liff.line.me/<liffId><rest>` or `line://app/<liffId><rest>` — as its
 * LIFF ID and what follows it (path, query, fragment; may be empty), or undefined for any other
 * URL. The ID is not checked: the LINE simulator's phone looks it up among the apps it knows.
 */
export function parseLiffUrl(url: string): { liffId: string; rest: string } | undefined {
  const m = /^(?:https:\/\/liff\.line\.me\/|line:\/\/app\/)([^/?#]+)(.*)$/i.exec(url);
  return m ? { liffId: m[1], rest: m[2] } : undefined;
}

/** The LIFF ID a URL opens (https://liff.line.me/<id>… or line://app/<id>…), or undefined. */
export function liffIdOf(url: string): string | undefined {
  const liffId = parseLiffUrl(url)?.liffId;
  return liffId && LIFF_ID.test(liffId) ? liffId : undefined;
}

/** `url` with the click reference added to its query (anything already there is kept). */
export function withClickRef(url: string, ref: string): string {
  const u = new URL(url);
  u.searchParams.set(CLICK_PARAM, ref);
  return u.toString();
}

/** `<deliveryId>.<linkIndex>` of a counted link, or undefined when malformed. */
export function clickRef(deliveryId: string, linkIndex: number): string {
  return `${deliveryId}.${linkIndex}`;
}

export function parseClickRef(ref: string): { deliveryId: string; linkIndex: number } | undefined {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})\.(\d{1,3})$/.exec(ref);
  return m ? { deliveryId: m[1], linkIndex: Number(m[2]) } : undefined;
}
