/**
 * A handler's worker thread calls objects the main thread lends it (local/thread-ports.ts): the
 * local planner and disaster-mail intake use the runtime's queues and scheduler this way.
 */
import { LambdaWorker } from '../../../local/lambda-worker';
import { WorkerPool } from '../../../local/worker-pool';

const calls: string[] = [];
const box = {
  add: async (a: number, b: number) => {
    calls.push(`add ${a} ${b}`);
    return a + b;
  },
  // A Date from the thread is the host realm's Date, not the one of Jest's sandbox: ask its tag.
  later: async (at: Date) => (Object.prototype.toString.call(at) === '[object Date]' ? at.toISOString() : `not a Date: ${typeof at}`),
  fail: async () => {
    throw new Error('満杯です');
  },
};

let worker: LambdaWorker;
beforeAll(async () => {
  worker = new LambdaWorker('test/support/port-probe-handler.ts', 'port-probe', undefined, { box });
  await worker.started();
});
afterAll(() => worker.stop());

it('answers each call with its own result, concurrent calls included, and passes Dates as Dates', async () => {
  await expect(worker.invoke({ op: 'add' })).resolves.toEqual([5, 30]);
  expect(calls.sort()).toEqual(['add 10 20', 'add 2 3']);
  await expect(worker.invoke({ op: 'later' })).resolves.toBe('2026-12-07T00:00:00.000Z');
});

it("fails the thread's call with the lent object's error", async () => {
  await expect(worker.invoke({ op: 'fail' })).rejects.toThrow('Error: 満杯です');
});

it('refuses a port that was not lent and a method the object does not own', async () => {
  await expect(worker.invoke({ op: 'notLent' })).rejects.toThrow('port notLent.open is not lent to this thread');
  await expect(worker.invoke({ op: 'inherited' })).rejects.toThrow('port box.toString is not lent to this thread');
});

it('ends an invocation at its timeout, fails at once on a dead thread, and a pool replaces a dead thread', async () => {
  await expect(worker.invoke({ op: 'hang' }, 200)).rejects.toThrow('port-probe timed out after 200 ms');
  const lone = new LambdaWorker('test/support/port-probe-handler.ts', 'port-probe', undefined, { box });
  await lone.started();
  await expect(lone.invoke({ op: 'exit' })).rejects.toThrow('port-probe worker exited (3) during an invocation');
  await expect(lone.invoke({ op: 'ping' })).rejects.toThrow('port-probe worker has exited');

  const pool = new WorkerPool('test/support/port-probe-handler.ts', 'port-probe', 1, undefined, { box });
  try {
    await pool.started();
    await expect(pool.invoke({ op: 'exit' })).rejects.toThrow(/exited \(3\)/);
    await expect(pool.invoke({ op: 'ping' })).resolves.toBe('pong');
  } finally {
    await pool.stop();
  }
});

(process.platform === 'linux' ? it : it.skip)("runs a pool's threads that much nicer than the process (Linux), the rest of the process untouched", async () => {
  const pool = new WorkerPool('test/support/port-probe-handler.ts', 'port-probe', 2, undefined, { box }, 7);
  try {
    await pool.started();
    const seen = await Promise.all([
      pool.invoke<{ thread: number; process: number }>({ op: 'nice' }),
      pool.invoke<{ thread: number; process: number }>({ op: 'nice' }),
    ]);
    // Relative to the process (tests may run under `nice`), at most 19.
    const base = seen[0]!.process;
    expect(seen).toEqual([
      { thread: Math.min(19, base + 7), process: base },
      { thread: Math.min(19, base + 7), process: base },
    ]);
    // Without one, a thread keeps the process's priority.
    await expect(worker.invoke({ op: 'nice' })).resolves.toEqual({ thread: base, process: base });
  } finally {
    await pool.stop();
  }
});
