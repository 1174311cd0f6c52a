/** Time source; inject a fixed or stepping clock in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Calendar date (yyyy-mm-dd) in Asia/Tokyo, the city's day boundary. */
export function tokyoDate(date: Date): string {
  return new Date(date.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}
