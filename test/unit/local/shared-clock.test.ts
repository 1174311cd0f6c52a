/**
 * One clock for a delivery's times: the local runtime's moved clock (ControllableClock) is read in
 * other threads through shared memory, and `hostClock` — what the senders record first-sent and
 * finished times by — follows the clock the runtime lends (in AWS nothing is lent: system time).
 */
import { Worker } from 'node:worker_threads';
import { ControllableClock, SharedOffsetClock } from '../../../functions/adapters/local/controllable-clock';
import { hostClock, lendHostClock } from '../../../functions/ports/clock';

const DAY = 86_400_000;

describe('the moved clock, shared', () => {
  afterEach(() => lendHostClock(undefined));

  it('reads the same moved time through the shared offset, after every move', () => {
    let real = Date.parse('2026-12-07T00:00:00Z');
    const clock = new ControllableClock(() => real);
    const seen = new SharedOffsetClock(clock.shared, () => real);
    clock.set(new Date('2026-12-12T07:00:00+09:00'));
    expect(seen.now().toISOString()).toBe('2026-12-11T22:00:00.000Z');
    clock.advance(90_000);
    real += 1_000;
    expect(seen.now().getTime()).toBe(clock.now().getTime());
    clock.reset();
    expect(seen.now().getTime()).toBe(real);
  });

  it('hostClock is the system clock until the runtime lends its clock', () => {
    expect(Math.abs(hostClock.now().getTime() - Date.now())).toBeLessThan(1_000);
    const clock = new ControllableClock();
    clock.advance(3 * DAY);
    lendHostClock(new SharedOffsetClock(clock.shared));
    expect(Math.abs(hostClock.now().getTime() - (Date.now() + 3 * DAY))).toBeLessThan(1_000);
  });

  it('a worker thread sees a move made after it started', async () => {
    const clock = new ControllableClock();
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const view = new BigInt64Array(workerData, 0, 1);
       parentPort.on('message', () => parentPort.postMessage(Date.now() + Number(Atomics.load(view, 0))));`,
      { eval: true, workerData: clock.shared },
    );
    try {
      clock.advance(5 * DAY);
      const seen = await new Promise<number>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage('now?');
      });
      expect(Math.abs(seen - clock.now().getTime())).toBeLessThan(1_000);
    } finally {
      await worker.terminate();
    }
  });
});
