/**
 * Office hours in Japan time: whether staff are there now, and when they next are (the automatic
 * answer to a citizen who asks for a person outside them). Public holidays from @holiday-jp.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { jstDay, jstDayStartMs, toJstWall } from '../shared/japan-time';
import type { OfficeHours } from './model';

const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));
const DAY_MS = 86_400_000;
/** How far ahead the next opening is searched (a long closure: the answer then names no time). */
const SEARCH_DAYS = 60;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The Japan calendar day of an instant (shared/japan-time.ts): its date, weekday (0 = Sunday), minutes since midnight and midnight itself. */
function jstDayOf(ms: number) {
  const wall = toJstWall(new Date(ms));
  const date = jstDay(new Date(ms));
  return { date, monthDay: date.slice(5), weekday: wall.getUTCDay(), minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(), midnight: jstDayStartMs(date) };
}

function inYearEnd(monthDay: string, span: { from: string; to: string }): boolean {
  // 12-29 … 01-03 wraps the new year; 08-13 … 08-16 does not.
  return span.from <= span.to ? monthDay >= span.from && monthDay <= span.to : monthDay >= span.from || monthDay <= span.to;
}

/** Whether the office works on this Japan day at all. */
export function isWorkingDay(hours: OfficeHours, day: { date: string; monthDay: string; weekday: number }): boolean {
  if (!hours.days.includes(day.weekday)) return false;
  if (hours.holidays && HOLIDAYS.has(day.date)) return false;
  if (hours.yearEnd && inYearEnd(day.monthDay, hours.yearEnd)) return false;
  return !hours.closedDates.includes(day.date);
}

/** Staff are there now (always, when office hours are off). */
export function isOfficeOpen(hours: OfficeHours, now: Date): boolean {
  if (!hours.enabled) return true;
  const day = jstDayOf(now.getTime());
  return isWorkingDay(hours, day) && day.minutes >= minutesOf(hours.from) && day.minutes < minutesOf(hours.to);
}

/** The next time the office opens after `now` (now itself when open); null when none within 60 days. */
export function nextOpening(hours: OfficeHours, now: Date): Date | null {
  if (isOfficeOpen(hours, now)) return now;
  const today = jstDayOf(now.getTime());
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const day = jstDayOf(today.midnight + i * DAY_MS + 12 * 3600_000);
    if (!isWorkingDay(hours, day)) continue;
    const opens = day.midnight + minutesOf(hours.from) * 60_000;
    if (opens > now.getTime()) return new Date(opens);
  }
  return null;
}
