/** Time source; inject a fixed or stepping clock in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let lent: Clock | undefined;

/**
 * The clock a handler records a delivery's times by (first sent, a failed chunk, finished): the
 * system clock — in AWS every function reads the same time, so that is all there is. The local
 * runtime moves its time for schedules and the admin API (`/__local/clock`) and lends that clock to
 * the worker threads that run handlers (local/lambda-worker-thread.ts, `lendHostClock`), so a time
 * recorded there agrees with the schedule that fired it.
 */
export const hostClock: Clock = { now: () => (lent ?? systemClock).now() };

/** Local runtime only: the clock `hostClock` reads in this thread (undefined: the system clock again). */
export function lendHostClock(clock: Clock | undefined): void {
  lent = clock;
}
