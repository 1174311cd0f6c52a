/** The one Japan-time formatter of the server and the console (functions/shared/japan-time.ts). */
import {
  fromJstWall,
  jstClock,
  jstDateTime,
  jstDay,
  jstDayRange,
  jstDayStartMs,
  jstInstant,
  jstTimestamp,
  jstWallString,
  slashDate,
  toJstWall,
  withJapanTimes,
} from '../../../functions/shared/japan-time';

describe('Japan time', () => {
  it('reads a UTC moment as Japan time, to the minute, with a weekday or seconds when asked', () => {
    // 10:00 on Monday 7 December 2026 in Japan is 01:00 UTC.
    expect(jstDateTime('2026-12-07T01:00:00.000Z')).toBe('2026/12/07 10:00');
    expect(jstDateTime(new Date('2026-12-07T01:00:05Z'), { seconds: true })).toBe('2026/12/07 10:00:05');
    expect(jstDateTime('2026-12-06T22:30:00.000Z', { weekday: true })).toBe('2026/12/07（月）07:30');
    expect(jstDateTime('2026-12-07T10:00:00+09:00')).toBe('2026/12/07 10:00');
    expect(jstClock('2026-12-07T01:00:00Z')).toBe('10:00');
  });

  it('crosses the day, month and year boundary at Japan midnight, not UTC midnight', () => {
    expect(jstDateTime('2026-12-31T15:00:00.000Z')).toBe('2027/01/01 00:00');
    expect(jstDay('2026-12-31T14:59:59.999Z')).toBe('2026-12-31');
    expect(jstDay(new Date('2026-12-31T15:00:00.000Z'))).toBe('2027-01-01');
  });

  it('writes CSV cells to the second, sortable as text', () => {
    expect(jstTimestamp('2026-11-24T01:00:00.000Z')).toBe('2026-11-24 10:00:00');
  });

  it('leaves what is not a time as it was, and turns stored ISO times inside text into Japan time', () => {
    expect(jstDateTime('まもなく')).toBe('まもなく');
    expect(slashDate('2026-12-07')).toBe('2026/12/07');
    expect(withJapanTimes('配信の予約（2026-12-07T01:00:00.000Z）')).toBe('配信の予約（2026/12/07 10:00）');
  });
});

describe('Japan wall time and instants', () => {
  it('turns what staff type (a Japan date and time) into the moment, refusing what is not a time', () => {
    expect(jstInstant('2026-12-07', '10:00')?.toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(jstInstant('2027-01-01', '00:00:30')?.toISOString()).toBe('2026-12-31T15:00:30.000Z');
    expect(jstInstant('2026-12-07')?.toISOString()).toBe('2026-12-06T15:00:00.000Z');
    expect(jstInstant('2026-13-07', '10:00')).toBeNull();
    expect(jstInstant('2026-12-07', '9:00')).toBeNull();
    expect(jstInstant('７日', '10:00')).toBeNull();
  });

  it('writes a moment as Japan wall time (datetime-local inputs, scheduler expressions)', () => {
    expect(jstWallString(new Date('2026-12-31T15:00:00.900Z'))).toBe('2027-01-01T00:00');
    expect(jstWallString(new Date('2026-12-01T23:30:05Z'), { seconds: true })).toBe('2026-12-02T08:30:05');
    const wall = toJstWall(new Date('2026-12-07T01:00:00Z'));
    expect(wall.getUTCHours()).toBe(10);
    expect(fromJstWall(wall).toISOString()).toBe('2026-12-07T01:00:00.000Z');
  });

  it('bounds Japan calendar days in UTC (history and audit searches)', () => {
    expect(jstDayStartMs('2026-12-07')).toBe(Date.parse('2026-12-06T15:00:00Z'));
    expect(jstDayStartMs('not a day')).toBeNaN();
    expect(jstDayRange('2026-12-01', '2026-12-07')).toEqual({ startIso: '2026-11-30T15:00:00.000Z', endIso: '2026-12-07T14:59:59.999Z' });
  });
});
