/**
 * Dates as Arao City staff read them: Japan time, 2026/05/01 09:30 — from the one formatter the
 * server's CSVs and audit details use too (functions/shared/japan-time.ts), on every page.
 */
import { jstClock, jstDateTime, jstDay } from '../../functions/shared/japan-time';

export { slashDate } from '../../functions/shared/japan-time';

/** 2026/05/01 09:30 (Japan time); '—' when there is no time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return jstDateTime(iso);
}

/** 2026/06/01（月）07:00 (Japan time). */
export function formatDateTimeWithWeekday(iso: string): string {
  return jstDateTime(iso, { weekday: true });
}

export function formatTime(iso: string): string {
  return jstClock(iso);
}

/** yyyy-mm-dd of a moment in Japan time. */
export function jstDate(d: Date = new Date()): string {
  return jstDay(d);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "5/1" from "2026-05-01". */
export function shortDate(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}/${Number(d)}`;
}

export const number = new Intl.NumberFormat('ja-JP');

/** A person as staff know them: the display name the server added, else the login ID. */
export function personName(name: string | null | undefined, loginId: string | null | undefined): string {
  return name || loginId || '—';
}
