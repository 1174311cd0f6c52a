/**
 * Occurrences of a recurring delivery. Rules are Asia/Tokyo wall time (UTC+9, no daylight saving).
 * rrule computes in "floating" UTC fields, so a JST wall time is written as the same UTC fields
 * (2026-04-01 08:00 JST → Date.UTC(2026, 3, 1, 8, 0)) and shifted back by 9 hours at the end.
 * Nothing here reads the process time zone.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import * as rruleModule from 'rrule';
import type { Options as RRuleOptions } from 'rrule';
import { WEEKDAYS, type RecurrenceRule, type Weekday } from './model';
import { parseDate, parseTime } from './recurrence-text';
import { fromJstWall, toJstWall } from '../shared/japan-time';

// rrule ships a UMD bundle as `main`: Node's ESM loader sees only its default export, while
// CommonJS (jest) and bundlers (esbuild, which reads `module`) see named exports. Reflect.get,
// not `.default`: esbuild warns (once per bundle, 20 times a test run) that `.default` of an ES
// module without one is always undefined — true for it, not for Node's loader.
const rrule = ((rruleModule as { RRule?: unknown }).RRule ? rruleModule : Reflect.get(rruleModule, 'default')) as typeof rruleModule;

/** Candidates looked at after `after` before giving up (a rule whose every day is excluded). */
export const MAX_EXAMINED = 5000;
/** How far ahead an open-ended rule is searched. */
const HORIZON_YEARS = 30;

const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

/** A Japanese public holiday (including substitute and citizens' holidays), yyyy-mm-dd. */
export function isJapaneseHoliday(date: string): boolean {
  return HOLIDAYS.has(date);
}

// ---- wall time <-> instants ------------------------------------------------------------------

/** JST wall time as a floating Date (UTC fields = JST fields). */
function floating(date: string, time: string): Date {
  const [y, mo, d] = parseDate(date);
  const [h, mi] = parseTime(time);
  return new Date(Date.UTC(y, mo - 1, d, h, mi));
}

const toInstant = fromJstWall;
const toFloating = toJstWall;
/** yyyy-mm-dd of a floating date (its JST calendar day). */
const dayOf = (f: Date) => f.toISOString().slice(0, 10);
/** MO..SU of a floating date. */
const weekdayOf = (f: Date): Weekday => WEEKDAYS[(f.getUTCDay() + 6) % 7];

// ---- occurrences -------------------------------------------------------------------------------

/**
 * The next `count` occurrences strictly after `after`, within start..end (inclusive, JST days),
 * without excluded dates, excluded weekdays and (when asked) Japanese public holidays.
 * Terminates for any rule: at most MAX_EXAMINED candidates and HORIZON_YEARS are searched.
 */
export function occurrences(rule: RecurrenceRule, after: Date, count: number): Date[] {
  if (count <= 0) return [];
  const excluded = exclusionTest(rule);
  const afterF = toFloating(after);
  const out: Date[] = [];
  let examined = 0;
  const take = (f: Date): boolean => {
    examined += 1;
    if (f.getTime() > afterF.getTime() && !excluded(f)) out.push(toInstant(f));
    return out.length < count && examined < MAX_EXAMINED;
  };

  const startF = floating(rule.start, rule.time);
  const endF = rule.end ? floating(rule.end, rule.time) : null;
  if (rule.freq === 'dates') {
    for (const f of listedDates(rule)) {
      if (f < startF || (endF && f > endF)) continue;
      if (!take(f)) break;
    }
    return out;
  }

  const from = new Date(Math.max(afterF.getTime(), startF.getTime() - 1));
  const horizon = new Date(Date.UTC(from.getUTCFullYear() + HORIZON_YEARS, from.getUTCMonth(), from.getUTCDate()));
  const until = endF && endF < horizon ? endF : horizon;
  if (until < from) return [];
  new rrule.RRule(rruleOptions(rule, startF, until)).between(from, until, true, (f) => take(f));
  return out;
}

/** The first occurrence strictly after `after`, or null when none is left. */
export function nextOccurrence(rule: RecurrenceRule, after: Date): Date | null {
  return occurrences(rule, after, 1)[0] ?? null;
}

function listedDates(rule: RecurrenceRule): Date[] {
  const unique = [...new Set(rule.dates ?? [])];
  return unique.map((d) => floating(d, rule.time)).sort((a, b) => a.getTime() - b.getTime());
}

function exclusionTest(rule: RecurrenceRule): (f: Date) => boolean {
  const dates = new Set(rule.excludeDates);
  const weekdays = new Set(rule.excludeWeekdays);
  return (f) => {
    const day = dayOf(f);
    return dates.has(day) || weekdays.has(weekdayOf(f)) || (rule.excludeHolidays && isJapaneseHoliday(day));
  };
}

const FREQ = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY' } as const;

function rruleOptions(rule: RecurrenceRule, dtstart: Date, until: Date): Partial<RRuleOptions> {
  const { RRule } = rrule;
  const options: Partial<RRuleOptions> = {
    freq: RRule[FREQ[rule.freq as keyof typeof FREQ]],
    interval: Math.max(1, rule.interval),
    dtstart,
    until,
    wkst: RRule.MO,
  };
  const weekdays = (rule.byWeekday ?? []).map((w) => RRule[w]);
  if (rule.freq === 'monthly' && rule.byMonthDay && rule.byMonthDay.length > 0) {
    // Days of the month win over weekdays (rrule would intersect them).
    options.bymonthday = rule.byMonthDay;
  } else if (weekdays.length > 0) {
    options.byweekday = weekdays;
    if (rule.freq === 'monthly' && rule.bySetPos !== undefined) options.bysetpos = rule.bySetPos;
  }
  return options;
}

// ---- description: recurrence-text.ts (dependency-free, shared with the console's audit log) ----

export { describeRecurrence } from './recurrence-text';
