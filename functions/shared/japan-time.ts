/**
 * Japan time — the one module of the server and the staff console for it: how a time reads (CSV
 * cells, audit details, every screen), the city's calendar day, and wall time ↔ instant for what
 * staff type and what schedules fire. Dependency-free on purpose: the console imports this file as
 * it is. Japan has no daylight saving (UTC+9 all year), so no time-zone database is needed.
 */
/** Japan's offset from UTC, in milliseconds (+09:00 all year). */
export const JST_OFFSET_MS = 9 * 3600_000;
/** The IANA zone of the city (EventBridge Scheduler, Intl). */
export const JAPAN_TIME_ZONE = 'Asia/Tokyo';
const DAY_MS = 86_400_000;
const WEEKDAY_JA = ['日', '月', '火', '水', '木', '金', '土'];
const pad = (n: number) => String(n).padStart(2, '0');

interface JstParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string;
}

function partsOf(value: string | Date): JstParts | null {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms + JST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: WEEKDAY_JA[d.getUTCDay()],
  };
}

/**
 * A moment for staff: `2026/12/07 10:00` (Japan time). `weekday`: `2026/12/07（月）10:00`;
 * `seconds`: `2026/12/07 10:00:05`. Something that is not a time comes back as it was.
 */
export function jstDateTime(value: string | Date, options: { weekday?: boolean; seconds?: boolean } = {}): string {
  const p = partsOf(value);
  if (!p) return String(value);
  const date = `${p.year}/${pad(p.month)}/${pad(p.day)}`;
  const time = `${pad(p.hour)}:${pad(p.minute)}${options.seconds ? `:${pad(p.second)}` : ''}`;
  return options.weekday ? `${date}（${p.weekday}）${time}` : `${date} ${time}`;
}

/** The time of day, `10:00` (Japan time). */
export function jstClock(value: string | Date): string {
  const p = partsOf(value);
  return p ? `${pad(p.hour)}:${pad(p.minute)}` : String(value);
}

/**
 * A CSV cell: `2026-12-07 10:00:05` (Japan time) — sortable as text, read as a date and time by
 * spreadsheets, to the second (the CSV's readers reconcile records; the screens show minutes).
 */
export function jstTimestamp(value: string | Date): string {
  const p = partsOf(value);
  if (!p) return String(value);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** The Japan calendar day of a moment, `yyyy-mm-dd` (the city's day boundary). */
export function jstDay(value: string | Date): string {
  const p = partsOf(value);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : String(value);
}

/** `2026-12-07` → `2026/12/07` (a calendar day as staff write it). */
export function slashDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.replaceAll('-', '/') : date;
}

/** An ISO 8601 date-time with a zone (`2026-12-07T01:00:00.000Z`, `…+09:00`), as stored. */
export const ISO_DATE_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

export const isIsoDateTime = (value: unknown): value is string => typeof value === 'string' && new RegExp(`^(?:${ISO_DATE_TIME.source})$`).test(value);

/** Free text with stored ISO times in it (older audit summaries): each one in Japan time. */
export function withJapanTimes(text: string): string {
  return text.replace(ISO_DATE_TIME, (iso) => jstDateTime(iso));
}

// ---- wall time ↔ instants ----------------------------------------------------------------------

/** A moment's Japan wall time as a "floating" Date whose UTC fields are the Japan fields. */
export function toJstWall(instant: Date): Date {
  return new Date(instant.getTime() + JST_OFFSET_MS);
}

/** The moment of a floating Date (UTC fields = Japan wall time). */
export function fromJstWall(wall: Date): Date {
  return new Date(wall.getTime() - JST_OFFSET_MS);
}

/** `yyyy-mm-ddTHH:mm` (or `…:ss` with `seconds`) of a moment in Japan time: an `<input type="datetime-local">` value, a scheduler's wall time. */
export function jstWallString(instant: Date, options: { seconds?: boolean } = {}): string {
  return toJstWall(instant)
    .toISOString()
    .slice(0, options.seconds ? 19 : 16);
}

/** The moment of a Japan wall time (`yyyy-mm-dd` and `HH:mm[:ss]`); invalid → null. */
export function jstInstant(date: string, time = '00:00'): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}(?::\d{2})?$/.test(time)) return null;
  const d = new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+09:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Start of a Japan calendar day (`yyyy-mm-dd`) as epoch milliseconds (NaN when not a day). */
export function jstDayStartMs(day: string): number {
  return jstInstant(day)?.getTime() ?? Number.NaN;
}

/** UTC ISO bounds of Japan days `from`..`to` inclusive (00:00 of `from` to the last millisecond of `to`). */
export function jstDayRange(from: string, to: string): { startIso: string; endIso: string } {
  return { startIso: new Date(jstDayStartMs(from)).toISOString(), endIso: new Date(jstDayStartMs(to) + DAY_MS - 1).toISOString() };
}
