/**
 * Several LambdaWorker threads behind one consumer function, the local analogue of a Lambda
 * function's concurrent instances. `crash()` terminates an instance in the middle of its
 * invocations (as when a Lambda instance dies) and starts a fresh one: the queue sees the batch
 * fail and offers its messages again after the visibility timeout.
 */
import { LambdaWorker } from './lambda-worker';
import type { LentPorts } from './thread-ports';

export class WorkerPool {
  private workers: LambdaWorker[];
  private turn = 0;
  crashes = 0;

  /** @param clockOffset the runtime's moved clock, lent to every instance; ports: the main thread's queues and scheduler it may call (see LambdaWorker) */
  constructor(
    private readonly entry: string,
    private readonly functionName: string,
    size: number,
    private readonly clockOffset?: SharedArrayBuffer,
    private readonly ports?: LentPorts,
    /** The threads' nice value (background work), see LambdaWorker. */
    private readonly nice?: number,
  ) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => this.spawn());
  }

  async started(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.started()));
  }

  invoke<T>(event: unknown, timeoutMs = 30_000): Promise<T> {
    const index = this.turn++ % this.workers.length;
    // A thread that died by itself (an uncaught error) is replaced, as Lambda starts a new instance.
    if (this.workers[index]!.exited && !this.stopped) this.workers[index] = this.spawn();
    return this.workers[index]!.invoke<T>(event, timeoutMs);
  }

  /** Terminates the busiest worker (mid-invocation when one is running) and replaces it. Returns the invocations it dropped. */
  async crash(): Promise<number> {
    let victim = 0;
    this.workers.forEach((w, i) => {
      if (w.busy > this.workers[victim]!.busy) victim = i;
    });
    const dying = this.workers[victim]!;
    const dropped = dying.busy;
    const fresh = this.spawn();
    this.workers[victim] = fresh;
    this.crashes++;
    await dying.stop();
    await fresh.started();
    return dropped;
  }

  private stopped = false;

  private spawn(): LambdaWorker {
    return new LambdaWorker(this.entry, this.functionName, this.clockOffset, this.ports, this.nice);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}
