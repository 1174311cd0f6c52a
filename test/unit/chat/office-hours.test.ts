/**
 * Office hours of the 1:1 chat (functions/chat/office-hours.ts), all in Japan time whatever the
 * instant's UTC day: open from `from` (inclusive) to `to` (exclusive) on the office's weekdays,
 * closed on public holidays, the year-end span and the office's own closed dates; the next opening
 * is the exact instant the office opens again.
 */
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../../../functions/chat/model';
import { isOfficeOpen, isWorkingDay, nextOpening } from '../../../functions/chat/office-hours';

/** An instant given as Japan wall time. */
const jst = (wall: string) => new Date(`${wall}+09:00`);
const hours = (over: Partial<OfficeHours> = {}): OfficeHours => ({ ...DEFAULT_OFFICE_HOURS, ...over });
const next = (h: OfficeHours, wall: string) => nextOpening(h, jst(wall))?.toISOString() ?? null;

describe('isOfficeOpen', () => {
  it('opens at 8:30 on a weekday, not a minute before, and closes at 17:15 (the end is not included)', () => {
    // Monday 2026-12-07.
    expect(isOfficeOpen(hours(), jst('2026-12-07T08:29:00'))).toBe(false);
    expect(isOfficeOpen(hours(), jst('2026-12-07T08:29:59'))).toBe(false);
    expect(isOfficeOpen(hours(), jst('2026-12-07T08:30:00'))).toBe(true);
    expect(isOfficeOpen(hours(), jst('2026-12-07T12:00:00'))).toBe(true);
    expect(isOfficeOpen(hours(), jst('2026-12-07T17:14:59'))).toBe(true);
    expect(isOfficeOpen(hours(), jst('2026-12-07T17:15:00'))).toBe(false);
  });

  it('reads the day in Japan time: Monday 8:30 JST is still Sunday in UTC, Monday 5:00 UTC-wise is Monday evening', () => {
    expect(new Date('2026-12-13T23:30:00Z').getUTCDay()).toBe(0);
    expect(isOfficeOpen(hours(), new Date('2026-12-13T23:30:00Z'))).toBe(true);
    // Monday 20:00 UTC is Tuesday 05:00 in Japan: before opening.
    expect(isOfficeOpen(hours(), new Date('2026-12-07T20:00:00Z'))).toBe(false);
  });

  it('is closed on weekends, public holidays, the year-end span and closed dates; each switch can be turned off', () => {
    expect(isOfficeOpen(hours(), jst('2026-12-12T10:00:00'))).toBe(false); // Saturday
    expect(isOfficeOpen(hours({ days: [1, 2, 3, 4, 5, 6] }), jst('2026-12-12T10:00:00'))).toBe(true);
    expect(isOfficeOpen(hours(), jst('2026-11-23T10:00:00'))).toBe(false); // 勤労感謝の日 (Monday)
    expect(isOfficeOpen(hours({ holidays: false }), jst('2026-11-23T10:00:00'))).toBe(true);
    expect(isOfficeOpen(hours(), jst('2026-12-29T10:00:00'))).toBe(false); // Tuesday, year-end
    expect(isOfficeOpen(hours({ yearEnd: null }), jst('2026-12-29T10:00:00'))).toBe(true);
    expect(isOfficeOpen(hours(), jst('2026-12-08T10:00:00'))).toBe(true);
    expect(isOfficeOpen(hours({ closedDates: ['2026-12-08'] }), jst('2026-12-08T10:00:00'))).toBe(false);
  });

  it('with office hours off, staff are always there (a Sunday night too)', () => {
    const off = hours({ enabled: false });
    expect(isOfficeOpen(off, jst('2026-12-13T03:00:00'))).toBe(true);
    expect(isOfficeOpen(off, jst('2027-01-01T00:00:00'))).toBe(true);
    expect(nextOpening(off, jst('2026-12-13T03:00:00'))!.toISOString()).toBe('2026-12-12T18:00:00.000Z');
  });
});

describe('isWorkingDay', () => {
  it('tells a span inside one year (お盆 08-13 to 08-16) from one across the new year', () => {
    const obon = hours({ yearEnd: { from: '08-13', to: '08-16' } });
    const day = (date: string, weekday: number) => ({ date, monthDay: date.slice(5), weekday });
    expect(isWorkingDay(obon, day('2027-08-13', 5))).toBe(false);
    expect(isWorkingDay(obon, day('2027-08-16', 1))).toBe(false);
    expect(isWorkingDay(obon, day('2027-08-17', 2))).toBe(true);
    // Not across the new year: December and January are working days with this span.
    expect(isWorkingDay(obon, day('2026-12-29', 2))).toBe(true);
    expect(isWorkingDay(hours(), day('2026-12-29', 2))).toBe(false);
    expect(isWorkingDay(hours(), day('2027-01-04', 1))).toBe(true);
  });
});

describe('nextOpening', () => {
  it('is the moment itself when the office is open', () => {
    expect(next(hours(), '2026-12-07T10:00:00')).toBe('2026-12-07T01:00:00.000Z');
  });

  it('is 8:30 the same day before opening, and 8:30 the next working day after closing', () => {
    expect(next(hours(), '2026-12-07T08:29:00')).toBe('2026-12-06T23:30:00.000Z');
    expect(next(hours(), '2026-12-07T00:00:00')).toBe('2026-12-06T23:30:00.000Z');
    expect(next(hours(), '2026-12-07T17:15:00')).toBe('2026-12-07T23:30:00.000Z');
    expect(next(hours(), '2026-12-07T23:59:00')).toBe('2026-12-07T23:30:00.000Z');
  });

  it('skips the weekend: Saturday and Sunday → Monday 8:30', () => {
    expect(next(hours(), '2026-12-12T10:00:00')).toBe('2026-12-13T23:30:00.000Z');
    expect(next(hours(), '2026-12-11T17:30:00')).toBe('2026-12-13T23:30:00.000Z'); // Friday evening
    expect(next(hours(), '2026-12-13T22:00:00')).toBe('2026-12-13T23:30:00.000Z'); // Sunday night
  });

  it('skips public holidays: 勤労感謝の日 2026-11-23 and 成人の日 2027-01-11 (after a weekend)', () => {
    expect(next(hours(), '2026-11-23T09:00:00')).toBe('2026-11-23T23:30:00.000Z');
    expect(next(hours(), '2027-01-08T17:30:00')).toBe('2027-01-11T23:30:00.000Z');
    expect(next(hours({ holidays: false }), '2027-01-08T17:30:00')).toBe('2027-01-10T23:30:00.000Z');
  });

  it('skips the year-end and new-year holidays: 12-28 17:30 → 2027-01-04 8:30', () => {
    expect(next(hours(), '2026-12-28T17:30:00')).toBe('2027-01-03T23:30:00.000Z');
    expect(next(hours(), '2026-12-31T10:00:00')).toBe('2027-01-03T23:30:00.000Z');
    expect(next(hours({ yearEnd: null }), '2026-12-28T17:30:00')).toBe('2026-12-28T23:30:00.000Z');
  });

  it("skips the office's closed dates", () => {
    const closed = hours({ closedDates: ['2026-12-08', '2026-12-09'] });
    expect(next(closed, '2026-12-07T17:30:00')).toBe('2026-12-09T23:30:00.000Z');
  });

  it('follows other hours than the default (a Saturday morning desk)', () => {
    const saturday = hours({ days: [6], from: '09:00', to: '12:00' });
    expect(isOfficeOpen(saturday, jst('2026-12-12T11:59:00'))).toBe(true);
    expect(isOfficeOpen(saturday, jst('2026-12-12T12:00:00'))).toBe(false);
    expect(next(saturday, '2026-12-12T12:00:00')).toBe('2026-12-19T00:00:00.000Z');
  });

  it('is null when the office does not open within 60 days', () => {
    expect(next(hours({ days: [] }), '2026-12-07T10:00:00')).toBeNull();
  });
});
