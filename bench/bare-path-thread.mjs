// One thread of the bare path (bench/bare-path.ts, BareSenders): sender loops that take the next batch
// of 10 request bodies (a counter shared by all threads) and POST them in parallel, 429 tried again
// after 5 ms. Plain JavaScript: nothing to bundle, nothing of the product loaded.
import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

const { url, authorization, batchSize, nice } = workerData;
if (nice) {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + nice));
  } catch {
    // not Linux: the process's priority
  }
}
let rateLimited = 0;
let errors = 0;
const send = async (body) => {
  const retryKey = randomUUID();
  for (;;) {
    let res;
    try {
      res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json', 'x-line-retry-key': retryKey }, body });
      await res.arrayBuffer();
    } catch {
      errors++; // a refused or cut connection: counted (the bench reports it), never the thread's end
      return;
    }
    if (res.status === 429) {
      rateLimited++;
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    if (res.status !== 200) errors++;
    return;
  }
};
// A run: `load` hands over the bodies, the share of senders and the shared counter (answered
// 'loaded'); `go` starts them (answered with the run's 429s and errors). The thread lives for the
// whole benchmark, so its HTTP client is as warm as the runtime's senders.
let run;
parentPort.on('message', async (message) => {
  if (message.type === 'load') {
    run = message;
    parentPort.postMessage({ type: 'loaded' });
    return;
  }
  const { bodies, senders, next } = run;
  rateLimited = 0;
  errors = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (;;) {
        const from = Atomics.add(next, 0, batchSize);
        if (from >= bodies.length) return;
        await Promise.all(bodies.slice(from, from + batchSize).map(send));
      }
    }),
  );
  run = undefined;
  parentPort.postMessage({ type: 'done', rateLimited, errors });
});
