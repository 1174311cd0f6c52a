/**
 * The local runtime's clock: real time plus an offset that developers and tests move through
 * `/__local/clock` (set, advance, reset). Time keeps flowing after a change, so "in 10 minutes"
 * stays meaningful. Never used in AWS (the Lambda handlers there use the system clock).
 *
 * The offset lives in shared memory (`shared`), so the worker threads that run handlers (the
 * senders: local/worker-pool.ts) read the very same time through `SharedOffsetClock`: a delivery's
 * first-sent time then agrees with the moved clock that fired its schedule.
 */
import type { Clock } from '../../ports/clock';

/** Milliseconds of offset, one 64-bit integer (read and written atomically). */
const offsetView = (buffer: SharedArrayBuffer) => new BigInt64Array(buffer, 0, 1);

export class ControllableClock implements Clock {
  /** The offset, shared with worker threads (pass it in `workerData`). */
  readonly shared = new SharedArrayBuffer(8);
  private readonly view = offsetView(this.shared);

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.realNow() + this.offset);
  }

  /** From now on, the clock reads `date` (and keeps running from there). */
  set(date: Date): Date {
    if (Number.isNaN(date.getTime())) throw new Error('invalid date');
    this.store(date.getTime() - this.realNow());
    return this.now();
  }

  /** Moves the clock by `ms` (negative moves it back). */
  advance(ms: number): Date {
    if (!Number.isFinite(ms)) throw new Error('invalid advanceMs');
    this.store(this.offset + ms);
    return this.now();
  }

  /** Back to real time. */
  reset(): Date {
    this.store(0);
    return this.now();
  }

  /** How far the clock is from real time (ms). */
  get offset(): number {
    return Number(Atomics.load(this.view, 0));
  }

  private store(ms: number): void {
    Atomics.store(this.view, 0, BigInt(Math.round(ms)));
  }
}

/** The same clock seen from another thread: real time plus the offset in `shared` (read-only). */
export class SharedOffsetClock implements Clock {
  private readonly view: BigInt64Array;

  constructor(
    shared: SharedArrayBuffer,
    private readonly realNow: () => number = Date.now,
  ) {
    this.view = offsetView(shared);
  }

  now(): Date {
    return new Date(this.realNow() + Number(Atomics.load(this.view, 0)));
  }
}
