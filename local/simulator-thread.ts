/**
 * The LINE platform simulator in a worker thread of its own (simulator/thread.ts, bundled like the
 * Lambda workers): its work — a multicast of 500 recipients, the phone page, webhooks — runs beside
 * the platform's event loop instead of on it, as LINE's own servers would. Same options and result
 * as `startLineSimulator`, except `now` (a function cannot cross threads).
 */
import { Worker } from 'node:worker_threads';
import type { LineSimulator, LineSimulatorOptions } from '../simulator/index';
import { threadBundleOf, threadReady } from './lambda-worker';

export async function startLineSimulatorThread(options: Omit<LineSimulatorOptions, 'now'>): Promise<LineSimulator> {
  const worker = new Worker(threadBundleOf('simulator/thread.ts'), { workerData: options, env: { ...process.env } });
  const started = await threadReady<{ ready?: boolean; error?: string; url: string; port: number }>(worker, 'LINE simulator thread').catch(
    async (error: unknown) => {
      await worker.terminate();
      throw error;
    },
  );
  let exited = false;
  let closing: Promise<void> | undefined;
  worker.on('error', (error) => console.error('[local] LINE simulator thread', error));
  worker.on('exit', (code) => {
    exited = true;
    if (!closing) console.error(`[local] LINE simulator thread ended (${code}): LINE calls now fail until the runtime restarts`);
  });
  return {
    url: started.url,
    port: started.port,
    close() {
      // Its own close (data file written, connections ended), then the thread ends.
      closing ??= (async () => {
        if (exited) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          worker.once('message', done);
          worker.once('exit', done);
          worker.postMessage('close');
        });
        await worker.terminate();
      })();
      return closing;
    },
  };
}
