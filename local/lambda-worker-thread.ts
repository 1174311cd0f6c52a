/**
 * The worker thread's side of a LambdaWorker (local/lambda-worker.ts): bundled with the handler
 * entry, it answers one message per invocation with the handler's result or error.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SharedOffsetClock } from '../functions/adapters/local/controllable-clock';
import { localContext } from '../functions/adapters/local/lambda-context';
import { lendHostClock } from '../functions/ports/clock';

/** What a LambdaWorker hands its thread: the runtime clock's shared offset, when it lends it. */
export interface ThreadData {
  clockOffset?: SharedArrayBuffer;
}

export interface Invocation {
  id: number;
  event: unknown;
  functionName: string;
  timeoutMs: number;
}

export type Reply = { id: number; result?: unknown; error?: string };

export function serveInvocations(handler: (event: unknown, context: unknown) => Promise<unknown>): void {
  if (isMainThread || !parentPort) throw new Error('serveInvocations runs inside a LambdaWorker thread');
  process.setSourceMapsEnabled(true);
  // The handler records times by `hostClock`: the runtime's moved clock, read from shared memory.
  const { clockOffset } = (workerData ?? {}) as ThreadData;
  if (clockOffset) lendHostClock(new SharedOffsetClock(clockOffset));
  const port = parentPort;
  port.on('message', async (inv: Invocation) => {
    if (typeof inv?.id !== 'number') return; // an answer to a borrowed port's call (thread-ports.ts)
    try {
      const result = await handler(inv.event, localContext(inv.functionName, inv.timeoutMs));
      port.postMessage({ id: inv.id, result } satisfies Reply);
    } catch (error) {
      port.postMessage({ id: inv.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies Reply);
    }
  });
  port.postMessage({ ready: true });
}
