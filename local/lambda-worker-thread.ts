/**
 * The worker thread's side of a LambdaWorker (local/lambda-worker.ts): bundled with the handler
 * entry, it answers one message per invocation with the handler's result or error.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SharedOffsetClock } from '../functions/adapters/local/controllable-clock';
import { localContext } from '../functions/adapters/local/lambda-context';
import { lendHostClock } from '../functions/ports/clock';

/** What a LambdaWorker hands its thread: the runtime clock's shared offset, when it lends it. */
export interface ThreadData {
  clockOffset?: SharedArrayBuffer;
  /** How much lower than the process this thread runs (nice, added; Linux: per thread), for background work; absent: the process's. */
  nice?: number;
}

export interface Invocation {
  id: number;
  event: unknown;
  functionName: string;
  timeoutMs: number;
}

export type Reply = { id: number; result?: unknown; error?: string };

/**
 * Lowers this thread's CPU priority (Linux keeps a nice value per thread; /proc/thread-self names
 * it). Elsewhere, or when refused, the thread keeps the process's priority.
 */
function lowerThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    // Relative to the process (a runtime started under `nice` keeps its threads below its gateway), at most 19.
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + nice));
  } catch {
    // not Linux, or not allowed: same priority as the rest
  }
}

export function serveInvocations(handler: (event: unknown, context: unknown) => Promise<unknown>): void {
  if (isMainThread || !parentPort) throw new Error('serveInvocations runs inside a LambdaWorker thread');
  process.setSourceMapsEnabled(true);
  // The handler records times by `hostClock`: the runtime's moved clock, read from shared memory.
  const { clockOffset, nice } = (workerData ?? {}) as ThreadData;
  if (clockOffset) lendHostClock(new SharedOffsetClock(clockOffset));
  if (nice !== undefined) lowerThreadPriority(nice);
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
