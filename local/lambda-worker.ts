/**
 * Runs a Lambda entry file (e.g. functions/webhook/process-handler.ts) in its
 * own worker thread, the local analogue of a separate Lambda function: its
 * work does not stall the HTTP gateway's event loop, and it builds its
 * dependencies from the environment exactly as in AWS.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

interface Invocation {
  id: number;
  event: unknown;
  functionName: string;
  timeoutMs: number;
}

type Reply = { id: number; result?: unknown; error?: string };

/** The repository root: the nearest folder up from the working directory with this project's package.json. */
export function repoRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'functions'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`civic-line repository not found above ${start}`);
    dir = parent;
  }
}

export class LambdaWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private ready: Promise<void>;

  /** @param entry repo-relative path of a module exporting `handler` */
  constructor(
    private readonly entry: string,
    private readonly functionName: string,
  ) {
    const root = repoRoot();
    // Workers do not inherit tsx's loader hooks: a tiny ESM bootstrap registers tsx, then loads this file.
    const tsxApi = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href;
    const self = pathToFileURL(join(root, 'local', 'lambda-worker.ts')).href;
    const bootstrap = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(self)});`;
    this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
      workerData: { entry: join(root, entry), functionName },
      env: { ...process.env },
    });
    this.ready = new Promise((res, rej) => {
      this.worker.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? res() : rej(new Error(m.error))));
      this.worker.once('error', rej);
    });
    this.worker.on('message', (m: Reply & { ready?: boolean }) => {
      if (m.ready !== undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    this.worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    // A terminated thread (a Lambda instance dying) fails what it was running, so the queue retries it.
    this.worker.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.functionName} worker exited (${code}) during an invocation`));
      this.pending.clear();
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  async invoke<T>(event: unknown, timeoutMs = 30_000): Promise<T> {
    await this.ready;
    const id = this.nextId++;
    return new Promise<T>((resolveInvoke, reject) => {
      this.pending.set(id, { resolve: resolveInvoke as (v: unknown) => void, reject });
      this.worker.postMessage({ id, event, functionName: this.functionName, timeoutMs } satisfies Invocation);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  /** Invocations running now. */
  get busy(): number {
    return this.pending.size;
  }

  toString(): string {
    return `LambdaWorker(${this.entry})`;
  }
}

// ---- inside the worker thread ----
if (!isMainThread && parentPort && (workerData as { entry?: string })?.entry) {
  const port = parentPort;
  const { entry } = workerData as { entry: string; functionName: string };
  (async () => {
    const [{ handler }, { localContext }] = await Promise.all([
      import(pathToFileURL(entry).href) as Promise<{ handler: (event: unknown, context: unknown) => Promise<unknown> }>,
      import('../functions/adapters/local/lambda-context'),
    ]);
    port.on('message', async (inv: Invocation) => {
      try {
        const result = await handler(inv.event, localContext(inv.functionName, inv.timeoutMs));
        port.postMessage({ id: inv.id, result } satisfies Reply);
      } catch (error) {
        port.postMessage({ id: inv.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies Reply);
      }
    });
    port.postMessage({ ready: true });
  })().catch((error) => port.postMessage({ ready: false, error: String(error?.stack ?? error) }));
}
