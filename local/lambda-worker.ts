/**
 * Runs a Lambda entry file (e.g. functions/webhook/process-handler.ts) in its
 * own worker thread, the local analogue of a separate Lambda function: its
 * work does not stall the HTTP gateway's event loop, and it builds its
 * dependencies from the environment exactly as in AWS.
 *
 * The entry is bundled once per process with esbuild, as CDK bundles it for
 * Lambda (ESM, a `require` for CommonJS dependencies, source maps), and each
 * thread loads the bundle. Loading the TypeScript sources through tsx in every
 * thread cost about 0.8 s of CPU per thread start (measured), which a replaced
 * ("crashed") instance took from a running delivery.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { lambdaEsbuildOptions } from '../lib/lambda-bundle';
import type { Invocation, Reply, ThreadData } from './lambda-worker-thread';
import { answerPortCall, isPortCall, type LentPorts } from './thread-ports';

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
  /** The thread is gone (crashed or stopped): invocations fail at once instead of waiting forever. */
  exited = false;

  /**
   * @param entry repo-relative path of a module exporting `handler`
   * @param clockOffset the runtime's moved clock (ControllableClock `shared`): the handler's
   *   `hostClock` reads it, so the times it records agree with the schedules (absent: real time)
   * @param ports the main thread's objects the handler calls through `borrowedPort` (local/thread-ports.ts)
   * @param nice the thread's nice value (background work; absent: the process's priority)
   */
  constructor(
    private readonly entry: string,
    private readonly functionName: string,
    clockOffset?: SharedArrayBuffer,
    ports?: LentPorts,
    nice?: number,
  ) {
    this.worker = new Worker(bundleOf(entry), { env: { ...process.env }, workerData: { clockOffset, nice } satisfies ThreadData });
    this.ready = threadReady(this.worker, `${functionName} worker`).then(() => undefined);
    this.ready.catch(() => undefined); // observed by started()/invoke(); never an unhandled rejection
    this.worker.on('message', (m: Reply & { ready?: boolean }) => {
      if (isPortCall(m)) return void answerPortCall(ports, m, (answer) => this.worker.postMessage(answer));
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
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`${this.functionName} worker exited (${code}) during an invocation`));
      this.pending.clear();
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  /** Fails when the thread is gone, and after `timeoutMs` (the function's timeout, as Lambda ends an invocation). */
  async invoke<T>(event: unknown, timeoutMs = 30_000): Promise<T> {
    await this.ready;
    if (this.exited) throw new Error(`${this.functionName} worker has exited`);
    const id = this.nextId++;
    return new Promise<T>((resolveInvoke, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        reject(new Error(`${this.functionName} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const settle =
        <V>(fn: (v: V) => void) =>
        (v: V) => {
          clearTimeout(timer);
          fn(v);
        };
      this.pending.set(id, { resolve: settle(resolveInvoke as (v: unknown) => void), reject: settle(reject) });
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

/**
 * A thread's first message: `{ ready: true, … }` resolves with it; `{ error }`, a thread error or an
 * exit before it (killed while starting, process.exit in a module) rejects — callers never hang.
 */
export function threadReady<T extends { ready?: boolean; error?: string }>(worker: Worker, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number) => settle(new Error(`${name} exited (${code}) before it was ready`));
    const onError = (error: Error) => settle(error);
    const onMessage = (m: T) => settle(m.ready ? undefined : new Error(m.error ?? `${name} failed to start`), m);
    const settle = (error: Error | undefined, m?: T) => {
      worker.off('exit', onExit).off('error', onError).off('message', onMessage);
      if (error) reject(error);
      else resolve(m!);
    };
    worker.once('exit', onExit).once('error', onError).once('message', onMessage);
  });
}

/** Bundle folders of processes that are gone (killed before their exit handler ran). */
function removeStaleBundles(parent: string): void {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0); // alive: keep
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

const bundles = new Map<string, string>();
let bundleDir: string | undefined;

/**
 * The entry bundled with the thread's loop (lambda-worker-thread.ts), once per process:
 * `node_modules/.cache/civic-line-workers/<pid>-<random>/<name>.mjs` with its source map, removed when
 * the process exits (and by the next process when this one was killed).
 */
export function bundleOf(entry: string): string {
  const root = repoRoot();
  return bundle(
    `${entry} (worker)`,
    [
      `import { handler } from ${JSON.stringify(join(root, entry))};`,
      `import { serveInvocations } from ${JSON.stringify(join(root, 'local', 'lambda-worker-thread.ts'))};`,
      'serveInvocations(handler);',
    ].join('\n'),
  );
}

/** A thread program (a module that does its work when loaded) bundled the same way, once per process. */
export function threadBundleOf(entry: string): string {
  return bundle(`${entry} (thread)`, `import ${JSON.stringify(join(repoRoot(), entry))};`);
}

function bundle(name: string, contents: string): string {
  const cached = bundles.get(name);
  if (cached) return cached;
  const root = repoRoot();
  if (!bundleDir) {
    const parent = join(root, 'node_modules', '.cache', 'civic-line-workers');
    removeStaleBundles(parent);
    bundleDir = join(parent, `${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(bundleDir, { recursive: true });
    const dir = bundleDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const outfile = join(bundleDir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}-${createHash('sha1').update(name).digest('hex').slice(0, 8)}.mjs`);
  // As lib/constructs/app-function.ts bundles, but not minified: a worker starts at every `npm start`.
  buildSync(lambdaEsbuildOptions({ stdin: { contents, resolveDir: root, sourcefile: name, loader: 'ts' }, outfile, minify: false }));
  bundles.set(name, outfile);
  return outfile;
}
