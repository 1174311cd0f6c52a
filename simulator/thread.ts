/**
 * The simulator as a thread program (local/simulator-thread.ts starts it): LINE is another system,
 * so locally it gets its own event loop and does not take the platform's. Starts with the options
 * in `workerData`, says `{ ready, url, port }` (or `{ error }`), and closes on the message 'close'.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startLineSimulator, type LineSimulatorOptions } from './index';

if (isMainThread || !parentPort) throw new Error('simulator/thread.ts runs inside a worker thread');
const port = parentPort;
process.setSourceMapsEnabled(true);
try {
  const simulator = await startLineSimulator(workerData as LineSimulatorOptions);
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void simulator.close().then(() => port.postMessage({ closed: true }));
  });
  port.postMessage({ ready: true, url: simulator.url, port: simulator.port });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
