/** Calendar helpers in Asia/Tokyo (UTC+9, no DST), as LINE counts quotas and statistics. The simulator stands in for LINE, an outside system: it keeps its own clock arithmetic and imports nothing of the platform. */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** 'YYYY-MM' of the Tokyo calendar month containing `ms`. */
export function tokyoMonthKey(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 7);
}

/** 'yyyyMMdd' of the Tokyo calendar day containing `ms`. */
export function tokyoDayKey(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Start (inclusive, epoch ms) of a Tokyo day given as yyyyMMdd; undefined when malformed. */
export function tokyoDayStart(yyyymmdd: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return utc - JST_OFFSET_MS;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
