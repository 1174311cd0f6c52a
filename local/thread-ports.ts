/**
 * Ports a handler's worker thread borrows from the runtime's main thread: the local queues and the
 * local scheduler live there (SQS and EventBridge Scheduler in AWS, reachable from any function).
 * A call in the thread becomes a message to the LambdaWorker that runs it, which calls the lent
 * object and answers with its result or error — the planner and the disaster-mail intake run in
 * their own threads like the senders, so their work never stalls the HTTP gateway's event loop.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';

/** Thread → main: call `method` of the lent port `port`. */
export interface PortCall {
  portCall: number;
  port: string;
  method: string;
  args: unknown[];
}
/** Main → thread: the call's result or error message. */
export interface PortAnswer {
  portAnswer: number;
  result?: unknown;
  error?: string;
}

/** The objects a LambdaWorker lends its thread, by name; only their methods (not Object's) can be called. */
export type LentPorts = Record<string, object>;

export const isPortCall = (m: unknown): m is PortCall => typeof m === 'object' && m !== null && typeof (m as PortCall).portCall === 'number';

/** Main thread: answers one call of the thread from `ports`. */
export async function answerPortCall(ports: LentPorts | undefined, call: PortCall, reply: (answer: PortAnswer) => void): Promise<void> {
  try {
    // Only the lent object's own or class methods: never Object's (toString, constructor, __proto__ …).
    const lent = ports !== undefined && Object.hasOwn(ports, call.port) && !(call.method in Object.prototype);
    const target = lent ? (ports[call.port] as Record<string, unknown>) : undefined;
    const fn = target?.[call.method];
    if (!target || typeof fn !== 'function') {
      throw new Error(`port ${call.port}.${call.method} is not lent to this thread`);
    }
    const result: unknown = await (fn as (...a: unknown[]) => unknown).apply(target, call.args);
    reply({ portAnswer: call.portCall, result });
  } catch (error) {
    reply({ portAnswer: call.portCall, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}

const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextCall = 1;
let listening: MessagePort | undefined;

function channel(): MessagePort {
  if (isMainThread || !parentPort) throw new Error('a borrowed port is used inside a LambdaWorker thread only');
  if (listening !== parentPort) {
    listening = parentPort;
    parentPort.on('message', (m: PortAnswer) => {
      if (typeof m?.portAnswer !== 'number') return;
      const w = waiting.get(m.portAnswer);
      if (!w) return;
      waiting.delete(m.portAnswer);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
  }
  return parentPort;
}

/**
 * Thread side: an object whose `methods` call the main thread's lent port `port` (arguments and
 * results are structured-cloned: plain data and Dates).
 */
export function borrowedPort<T extends object>(port: string, methods: readonly (keyof T & string)[]): T {
  const target: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of methods) {
    target[method] = (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const id = nextCall++;
        waiting.set(id, { resolve, reject });
        try {
          channel().postMessage({ portCall: id, port, method, args } satisfies PortCall);
        } catch (error) {
          // Not cloneable (or no channel): the call never left.
          waiting.delete(id);
          reject(error as Error);
        }
      });
  }
  return target as unknown as T;
}
