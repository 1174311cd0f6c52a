/**
 * A recurrence rule in Japanese words ("毎週月曜日 8:00（祝日を除く）"). Dependency-free, so the
 * console renders the audit log's くり返し details with the same words (admin-web imports it);
 * the occurrences themselves are computed in recurrence.ts (rrule, holidays).
 */
const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
type WeekdayCode = (typeof WEEKDAY_CODES)[number];

/** What the description reads of a rule (functions/deliveries/model.ts `RecurrenceRule`). */
export interface RecurrenceRuleText {
  freq: 'daily' | 'weekly' | 'monthly' | 'dates';
  interval: number;
  time: string;
  byWeekday?: readonly WeekdayCode[];
  byMonthDay?: readonly number[];
  bySetPos?: number;
  dates?: readonly string[];
  start: string;
  end?: string;
  excludeDates: readonly string[];
  excludeWeekdays: readonly WeekdayCode[];
  excludeHolidays: boolean;
}

const WEEKDAY_JA: Record<WeekdayCode, string> = { MO: '月', TU: '火', WE: '水', TH: '木', FR: '金', SA: '土', SU: '日' };

/** yyyy-mm-dd → [year, month, day] (shared with recurrence.ts). */
export function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Invalid date ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** HH:mm → [hours, minutes]. */
export function parseTime(time: string): [number, number] {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new RangeError(`Invalid time ${time}`);
  return [Number(m[1]), Number(m[2])];
}

/** "08:00" → "8:00". */
function clock(time: string): string {
  const [h, m] = parseTime(time);
  return `${h}:${String(m).padStart(2, '0')}`;
}

function jaDate(date: string): string {
  const [y, m, d] = parseDate(date);
  return `${y}年${m}月${d}日`;
}

/** MO..SU and the day of the month of a calendar day. */
function dayOf(date: string): { weekday: WeekdayCode; day: number } {
  const [y, m, d] = parseDate(date);
  const f = new Date(Date.UTC(y, m - 1, d));
  return { weekday: WEEKDAY_CODES[(f.getUTCDay() + 6) % 7], day: f.getUTCDate() };
}

function weekdayList(days: readonly WeekdayCode[]): string {
  const sorted = WEEKDAY_CODES.filter((w) => days.includes(w));
  return `${sorted.map((w) => WEEKDAY_JA[w]).join('・')}曜日`;
}

function every(interval: number, unit: '日' | '週' | '月'): string {
  if (interval <= 1) return { 日: '毎日', 週: '毎週', 月: '毎月' }[unit];
  if (interval === 2 && unit !== '日') return unit === '週' ? '隔週' : '隔月';
  return unit === '月' ? `${interval}か月ごと` : `${interval}${unit}ごと`;
}

function monthDay(d: number): string {
  return d === -1 ? '末日' : `${d}日`;
}

function pattern(rule: RecurrenceRuleText): string {
  const days = rule.byWeekday ?? [];
  switch (rule.freq) {
    case 'daily':
      return days.length > 0 ? `${every(rule.interval, '日')}（${weekdayList(days)}）` : every(rule.interval, '日');
    case 'weekly': {
      const prefix = every(rule.interval, '週');
      return `${prefix}${rule.interval > 2 ? 'の' : ''}${weekdayList(days.length > 0 ? days : [dayOf(rule.start).weekday])}`;
    }
    case 'monthly': {
      const prefix = every(rule.interval, '月');
      const sep = rule.interval > 2 ? 'の' : '';
      if (rule.byMonthDay && rule.byMonthDay.length > 0) {
        const sorted = [...rule.byMonthDay].sort((a, b) => (a === -1 ? 99 : a) - (b === -1 ? 99 : b));
        return `${prefix}${sep}${sorted.map(monthDay).join('・')}`;
      }
      if (days.length > 0) {
        const pos = rule.bySetPos === undefined ? '' : rule.bySetPos === -1 ? '最終' : `第${rule.bySetPos}`;
        return `${prefix}${sep}${pos}${weekdayList(days)}`;
      }
      return `${prefix}${sep}${dayOf(rule.start).day}日`;
    }
    case 'dates': {
      const dates = [...new Set(rule.dates ?? [])].sort();
      if (dates.length === 0) return '指定日なし';
      if (dates.length <= 3) return dates.map(jaDate).join('・');
      return `${jaDate(dates[0])}ほか全${dates.length}回`;
    }
  }
}

function exclusions(rule: RecurrenceRuleText): string {
  const parts: string[] = [];
  if (rule.excludeWeekdays.length > 0) parts.push(weekdayList(rule.excludeWeekdays));
  if (rule.excludeHolidays) parts.push('祝日');
  if (rule.excludeDates.length > 0) parts.push(`除外日${rule.excludeDates.length}日`);
  return parts.length > 0 ? `（${parts.join('・')}を除く）` : '';
}

/**
 * A Japanese description for lists, the editor and the audit log, e.g. "毎週月曜日 8:00",
 * "毎月1日・15日 9:00", "毎月第2火曜日 10:00", "隔週金曜日 18:30（祝日を除く）、2027年3月31日まで".
 */
export function describeRecurrence(rule: RecurrenceRuleText): string {
  const until = rule.end ? `、${jaDate(rule.end)}まで` : '';
  return `${pattern(rule)} ${clock(rule.time)}${exclusions(rule)}${until}`;
}
