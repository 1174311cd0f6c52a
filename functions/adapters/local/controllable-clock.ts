/**
 * The local runtime's clock: real time plus an offset that developers and tests move through
 * `/__local/clock` (set, advance, reset). Time keeps flowing after a change, so "in 10 minutes"
 * stays meaningful. Never used in AWS (the Lambda handlers there use systemClock).
 */
import type { Clock } from '../../ports/clock';

export class ControllableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  /** From now on, the clock reads `date` (and keeps running from there). */
  set(date: Date): Date {
    if (Number.isNaN(date.getTime())) throw new Error('invalid date');
    this.offsetMs = date.getTime() - this.realNow();
    return this.now();
  }

  /** Moves the clock by `ms` (negative moves it back). */
  advance(ms: number): Date {
    if (!Number.isFinite(ms)) throw new Error('invalid advanceMs');
    this.offsetMs += ms;
    return this.now();
  }

  /** Back to real time. */
  reset(): Date {
    this.offsetMs = 0;
    return this.now();
  }

  /** How far the clock is from real time (ms). */
  get offset(): number {
    return this.offsetMs;
  }
}
