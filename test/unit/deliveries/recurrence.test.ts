import { MAX_EXAMINED, describeRecurrence, isJapaneseHoliday, nextOccurrence, occurrences } from '../../../functions/deliveries/recurrence';
import type { RecurrenceRule } from '../../../functions/deliveries/model';

const rule = (over: Partial<RecurrenceRule>): RecurrenceRule => ({
  freq: 'daily',
  interval: 1,
  time: '08:00',
  start: '2026-04-01',
  excludeDates: [],
  excludeWeekdays: [],
  excludeHolidays: false,
  ...over,
});
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
/** Occurrences as JST wall times "yyyy-mm-dd HH:mm", easier to read than UTC instants. */
const jst = (dates: Date[]) => dates.map((d) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' '));
const BEFORE_START = new Date('2026-03-01T00:00:00Z');

describe('occurrences', () => {
  it('daily 07:00 JST is 22:00 UTC the day before', () => {
    const got = occurrences(rule({ time: '07:00' }), BEFORE_START, 3);
    expect(iso(got)).toEqual(['2026-03-31T22:00:00.000Z', '2026-04-01T22:00:00.000Z', '2026-04-02T22:00:00.000Z']);
  });

  it('every N days counts from the start', () => {
    expect(jst(occurrences(rule({ interval: 3 }), BEFORE_START, 3))).toEqual(['2026-04-01 08:00', '2026-04-04 08:00', '2026-04-07 08:00']);
  });

  it('every Monday 8:00 (start on a Wednesday)', () => {
    const got = occurrences(rule({ freq: 'weekly', byWeekday: ['MO'] }), BEFORE_START, 3);
    expect(iso(got)).toEqual(['2026-04-05T23:00:00.000Z', '2026-04-12T23:00:00.000Z', '2026-04-19T23:00:00.000Z']);
    expect(jst(got)).toEqual(['2026-04-06 08:00', '2026-04-13 08:00', '2026-04-20 08:00']);
  });

  it('weekly without weekdays repeats the weekday of the start', () => {
    expect(jst(occurrences(rule({ freq: 'weekly' }), BEFORE_START, 2))).toEqual(['2026-04-01 08:00', '2026-04-08 08:00']);
  });

  it('every other week counts weeks (Monday-based) from the week of the start', () => {
    expect(jst(occurrences(rule({ freq: 'weekly', interval: 2, byWeekday: ['MO'], start: '2026-04-06' }), BEFORE_START, 3))).toEqual([
      '2026-04-06 08:00',
      '2026-04-20 08:00',
      '2026-05-04 08:00',
    ]);
    // Starting on the Wednesday of that week: its Monday (03-30) is before the start, the next is two weeks later.
    expect(jst(occurrences(rule({ freq: 'weekly', interval: 2, byWeekday: ['MO'], start: '2026-04-01' }), BEFORE_START, 2))).toEqual([
      '2026-04-13 08:00',
      '2026-04-27 08:00',
    ]);
    // Several weekdays every other week.
    expect(jst(occurrences(rule({ freq: 'weekly', interval: 2, byWeekday: ['FR', 'MO'], start: '2026-04-06' }), BEFORE_START, 4))).toEqual([
      '2026-04-06 08:00',
      '2026-04-10 08:00',
      '2026-04-20 08:00',
      '2026-04-24 08:00',
    ]);
  });

  it('the 1st and the 15th at 9:00', () => {
    const got = occurrences(rule({ freq: 'monthly', byMonthDay: [15, 1], time: '09:00' }), BEFORE_START, 4);
    expect(iso(got)).toEqual(['2026-04-01T00:00:00.000Z', '2026-04-15T00:00:00.000Z', '2026-05-01T00:00:00.000Z', '2026-05-15T00:00:00.000Z']);
  });

  it('the last day of the month: 31, 28 (February), 31, 30', () => {
    const got = occurrences(rule({ freq: 'monthly', byMonthDay: [-1], time: '10:00', start: '2026-01-01' }), new Date('2025-12-01T00:00:00Z'), 4);
    expect(jst(got)).toEqual(['2026-01-31 10:00', '2026-02-28 10:00', '2026-03-31 10:00', '2026-04-30 10:00']);
  });

  it('the last day of February in a leap year (2028) is the 29th', () => {
    const got = occurrences(rule({ freq: 'monthly', byMonthDay: [-1], time: '10:00', start: '2028-01-01' }), new Date('2027-12-01T00:00:00Z'), 3);
    expect(jst(got)).toEqual(['2028-01-31 10:00', '2028-02-29 10:00', '2028-03-31 10:00']);
  });

  it('the 31st skips months without one (RFC 5545), the last day does not', () => {
    const got = occurrences(rule({ freq: 'monthly', byMonthDay: [31], start: '2026-01-01' }), new Date('2025-12-01T00:00:00Z'), 3);
    expect(jst(got)).toEqual(['2026-01-31 08:00', '2026-03-31 08:00', '2026-05-31 08:00']);
  });

  it('every other month on the 10th', () => {
    expect(jst(occurrences(rule({ freq: 'monthly', interval: 2, byMonthDay: [10] }), BEFORE_START, 3))).toEqual([
      '2026-04-10 08:00',
      '2026-06-10 08:00',
      '2026-08-10 08:00',
    ]);
  });

  it('the 2nd Tuesday at 10:00 and the last Friday', () => {
    const second = occurrences(rule({ freq: 'monthly', byWeekday: ['TU'], bySetPos: 2, time: '10:00' }), BEFORE_START, 3);
    expect(iso(second)).toEqual(['2026-04-14T01:00:00.000Z', '2026-05-12T01:00:00.000Z', '2026-06-09T01:00:00.000Z']);
    const last = occurrences(rule({ freq: 'monthly', byWeekday: ['FR'], bySetPos: -1 }), BEFORE_START, 3);
    expect(jst(last)).toEqual(['2026-04-24 08:00', '2026-05-29 08:00', '2026-06-26 08:00']);
  });

  it('a list of dates: sorted, duplicates once, within the window', () => {
    const r = rule({ freq: 'dates', dates: ['2026-05-01', '2026-04-10', '2026-04-10', '2026-03-20'], time: '09:00' });
    expect(jst(occurrences(r, BEFORE_START, 10))).toEqual(['2026-04-10 09:00', '2026-05-01 09:00']);
    expect(occurrences(r, new Date('2026-05-01T00:00:00Z'), 10)).toEqual([]);
    expect(jst(occurrences(r, new Date('2026-04-30T23:59:59Z'), 10))).toEqual(['2026-05-01 09:00']);
  });

  it('stays within start..end inclusive', () => {
    const r = rule({ time: '07:00', end: '2026-04-03' });
    expect(jst(occurrences(r, new Date('2020-01-01T00:00:00Z'), 10))).toEqual(['2026-04-01 07:00', '2026-04-02 07:00', '2026-04-03 07:00']);
    // Strictly after: the last occurrence itself is not "after" itself.
    expect(occurrences(r, new Date('2026-04-02T22:00:00Z'), 10)).toEqual([]);
    expect(iso(occurrences(r, new Date('2026-04-02T21:59:59.999Z'), 10))).toEqual(['2026-04-02T22:00:00.000Z']);
  });

  it('skips excluded dates and excluded weekdays', () => {
    const r = rule({ excludeWeekdays: ['SA', 'SU'], excludeDates: ['2026-04-02'] });
    expect(jst(occurrences(r, BEFORE_START, 4))).toEqual(['2026-04-01 08:00', '2026-04-03 08:00', '2026-04-06 08:00', '2026-04-07 08:00']);
  });

  it('skips Japanese public holidays when asked: New Year, 成人の日 2027-01-11, a 振替休日', () => {
    expect(isJapaneseHoliday('2027-01-01')).toBe(true);
    expect(isJapaneseHoliday('2027-01-11')).toBe(true);
    expect(isJapaneseHoliday('2027-03-22')).toBe(true); // 春分の日 振替休日
    expect(isJapaneseHoliday('2027-01-12')).toBe(false);

    const daily = rule({ start: '2026-12-30', excludeHolidays: true });
    expect(jst(occurrences(daily, new Date('2026-12-01T00:00:00Z'), 3))).toEqual(['2026-12-30 08:00', '2026-12-31 08:00', '2027-01-02 08:00']);
    expect(jst(occurrences({ ...daily, excludeHolidays: false }, new Date('2026-12-01T00:00:00Z'), 3))).toEqual([
      '2026-12-30 08:00',
      '2026-12-31 08:00',
      '2027-01-01 08:00',
    ]);

    const mondays = rule({ freq: 'weekly', byWeekday: ['MO'], start: '2027-01-04', excludeHolidays: true });
    expect(jst(occurrences(mondays, new Date('2027-01-01T00:00:00Z'), 3))).toEqual(['2027-01-04 08:00', '2027-01-18 08:00', '2027-01-25 08:00']);
    const march = rule({ freq: 'weekly', byWeekday: ['MO'], start: '2027-03-15', excludeHolidays: true });
    expect(jst(occurrences(march, new Date('2027-03-01T00:00:00Z'), 2))).toEqual(['2027-03-15 08:00', '2027-03-29 08:00']);
  });

  it('times near midnight: 00:30 JST is 15:30 UTC the day before, and keeps its JST weekday', () => {
    const r = rule({ freq: 'weekly', byWeekday: ['MO'], time: '00:30', excludeWeekdays: ['SU'] });
    const got = occurrences(r, BEFORE_START, 2);
    expect(iso(got)).toEqual(['2026-04-05T15:30:00.000Z', '2026-04-12T15:30:00.000Z']);
    expect(new Date(got[0]).getUTCDay()).toBe(0); // a Sunday in UTC, a Monday in Tokyo: not excluded by SU
    // Holidays are JST days too: 2027-01-11 00:30 JST (2027-01-10 15:30 UTC) is 成人の日.
    const h = rule({ freq: 'weekly', byWeekday: ['MO'], time: '00:30', start: '2027-01-04', excludeHolidays: true });
    expect(iso(occurrences(h, new Date('2027-01-01T00:00:00Z'), 2))).toEqual(['2027-01-03T15:30:00.000Z', '2027-01-17T15:30:00.000Z']);
    // 23:59 JST stays on the same UTC day.
    expect(iso(occurrences(rule({ time: '23:59' }), BEFORE_START, 1))).toEqual(['2026-04-01T14:59:00.000Z']);
  });

  it('an "after" in the middle of the series continues from there, strictly after', () => {
    const r = rule({ freq: 'weekly', byWeekday: ['MO'] });
    expect(jst(occurrences(r, new Date('2026-04-12T23:00:00Z'), 2))).toEqual(['2026-04-20 08:00', '2026-04-27 08:00']);
    expect(jst(occurrences(r, new Date('2026-04-12T22:59:59Z'), 1))).toEqual(['2026-04-13 08:00']);
  });

  it('a rule whose every candidate is excluded returns [] quickly', () => {
    const started = performance.now();
    expect(occurrences(rule({ freq: 'weekly', byWeekday: ['MO'], excludeWeekdays: ['MO'] }), BEFORE_START, 10)).toEqual([]);
    expect(occurrences(rule({ excludeWeekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] }), BEFORE_START, 10)).toEqual([]);
    expect(occurrences(rule({ freq: 'dates', dates: ['2026-04-10'], excludeDates: ['2026-04-10'] }), BEFORE_START, 10)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(MAX_EXAMINED).toBeGreaterThanOrEqual(366 * 10);
  });

  it('a rule far in the past keeps going (long-running daily rule)', () => {
    const r = rule({ start: '2020-01-01' });
    expect(jst(occurrences(r, new Date('2026-04-01T00:00:00Z'), 1))).toEqual(['2026-04-02 08:00']);
  });

  it('does not depend on the process time zone', () => {
    const r = rule({ freq: 'monthly', byWeekday: ['TU'], bySetPos: 2, time: '00:30', excludeHolidays: true });
    const inTokyo = iso(occurrences(r, BEFORE_START, 12));
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(iso(occurrences(r, BEFORE_START, 12))).toEqual(inTokyo);
      process.env.TZ = 'UTC';
      expect(iso(occurrences(r, BEFORE_START, 12))).toEqual(inTokyo);
    } finally {
      process.env.TZ = saved;
    }
  });

  it('count 0 gives nothing; an end before the start gives nothing', () => {
    expect(occurrences(rule({}), BEFORE_START, 0)).toEqual([]);
    expect(occurrences(rule({ end: '2026-03-01' }), BEFORE_START, 5)).toEqual([]);
  });
});

describe('nextOccurrence', () => {
  it('is the first occurrence after, or null when none is left', () => {
    expect(nextOccurrence(rule({ freq: 'weekly', byWeekday: ['MO'] }), BEFORE_START)?.toISOString()).toBe('2026-04-05T23:00:00.000Z');
    expect(nextOccurrence(rule({ end: '2026-04-02' }), new Date('2026-04-02T00:00:00Z'))).toBeNull();
  });
});

describe('describeRecurrence', () => {
  it.each<[Partial<RecurrenceRule>, string]>([
    [{ time: '07:00' }, '毎日 7:00'],
    [{ interval: 3 }, '3日ごと 8:00'],
    [{ byWeekday: ['MO', 'WE', 'FR'] }, '毎日（月・水・金曜日） 8:00'],
    [{ freq: 'weekly', byWeekday: ['MO'] }, '毎週月曜日 8:00'],
    [{ freq: 'weekly', byWeekday: ['TH', 'MO'] }, '毎週月・木曜日 8:00'],
    [{ freq: 'weekly' }, '毎週水曜日 8:00'],
    [{ freq: 'weekly', interval: 2, byWeekday: ['FR'], time: '18:30' }, '隔週金曜日 18:30'],
    [{ freq: 'weekly', interval: 3, byWeekday: ['FR'] }, '3週ごとの金曜日 8:00'],
    [{ freq: 'monthly', byMonthDay: [15, 1], time: '09:00' }, '毎月1日・15日 9:00'],
    [{ freq: 'monthly', byMonthDay: [-1], time: '09:00' }, '毎月末日 9:00'],
    [{ freq: 'monthly', byMonthDay: [-1, 15] }, '毎月15日・末日 8:00'],
    [{ freq: 'monthly', interval: 2, byMonthDay: [10] }, '隔月10日 8:00'],
    [{ freq: 'monthly', interval: 3, byMonthDay: [10] }, '3か月ごとの10日 8:00'],
    [{ freq: 'monthly', byWeekday: ['TU'], bySetPos: 2, time: '10:00' }, '毎月第2火曜日 10:00'],
    [{ freq: 'monthly', byWeekday: ['FR'], bySetPos: -1 }, '毎月最終金曜日 8:00'],
    [{ freq: 'monthly' }, '毎月1日 8:00'],
    [{ freq: 'dates', dates: ['2026-05-01', '2026-04-10'], time: '09:00' }, '2026年4月10日・2026年5月1日 9:00'],
    [{ freq: 'dates', dates: ['2026-05-01', '2026-04-10', '2026-06-01', '2026-07-01'], time: '09:00' }, '2026年4月10日ほか全4回 9:00'],
    [{ freq: 'weekly', byWeekday: ['MO'], excludeHolidays: true }, '毎週月曜日 8:00（祝日を除く）'],
    [{ excludeWeekdays: ['SU', 'SA'], excludeHolidays: true, excludeDates: ['2026-12-31', '2027-01-02'] }, '毎日 8:00（土・日曜日・祝日・除外日2日を除く）'],
    [{ freq: 'weekly', byWeekday: ['MO'], end: '2027-03-31' }, '毎週月曜日 8:00、2027年3月31日まで'],
  ])('%j → %s', (over, expected) => expect(describeRecurrence(rule(over))).toBe(expected));
});
