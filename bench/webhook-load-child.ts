/**
 * Open-loop webhook load in a process of its own (bench/disaster-mail.ts): the signed requests
 * prepared by the parent (a JSON file: [{body, signature}]) POSTed to the webhook at a fixed rate
 * — on schedule whatever the answers take, as citizens do not wait for each other — over
 * keep-alive connections (as many as the answers in flight need). Prints one JSON line when it
 * starts ({type: 'started', at}) and one when every answer came back ({type: 'done', file}); the
 * file (<requests.json>.out.json) holds per request the offset of its start from `at` (ms), its
 * latency (ms, request issued → answer read), its status, and whether it had to open a connection
 * (and how long the TCP connect took).
 * argv: <requests.json> <webhook URL> <requests per second>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const [file, target, rateArg] = process.argv.slice(2);
if (!file || !target || !rateArg) throw new Error('usage: webhook-load-child <requests.json> <url> <rate>');
const requests = JSON.parse(readFileSync(file, 'utf8')) as { body: string; signature: string }[];
const rate = Number(rateArg);
const url = new URL(target);
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

const startOffsets = new Float64Array(requests.length);
const latencies = new Float64Array(requests.length);
const statuses = new Uint16Array(requests.length);
/** 1: the request opened a new connection (none was free); then the TCP connect's time (ms). */
const fresh = new Uint8Array(requests.length);
const connectMs = new Float64Array(requests.length);
let answered = 0;
let maxLagMs = 0;

function post(i: number, t0: number): void {
  const { body, signature } = requests[i]!;
  const req = request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-line-signature': signature },
    },
    (res) => {
      res.resume();
      res.on('end', () => done(i, t0, res.statusCode ?? 0));
    },
  );
  req.on('socket', (socket) => {
    if (!socket.connecting) return;
    fresh[i] = 1;
    const c0 = performance.now();
    socket.once('connect', () => (connectMs[i] = performance.now() - c0));
  });
  req.on('error', () => done(i, t0, 0));
  req.end(body);
}

function done(i: number, t0: number, status: number): void {
  latencies[i] = performance.now() - t0;
  statuses[i] = status;
  if (++answered === requests.length) finish();
}

const startedAt = Date.now();
const start = performance.now();
console.log(JSON.stringify({ type: 'started', at: startedAt }));
let sent = 0;
const tick = () => {
  const now = performance.now();
  const due = Math.min(requests.length, Math.floor(((now - start) * rate) / 1000) + 1);
  // How late the oldest request due is (the timer's 1 ms granularity included).
  if (due > sent) maxLagMs = Math.max(maxLagMs, now - start - (sent * 1000) / rate);
  while (sent < due) {
    const t0 = performance.now();
    startOffsets[sent] = t0 - start;
    post(sent++, t0);
  }
  if (sent < requests.length) setTimeout(tick, 1);
};
tick();

function finish(): void {
  agent.destroy();
  // The figures go to a file (a pipe would be cut by the exit), then one line says where.
  const out = `${file}.out.json`;
  writeFileSync(
    out,
    JSON.stringify({
      type: 'done',
      seconds: (performance.now() - start) / 1000,
      sendSeconds: startOffsets[requests.length - 1]! / 1000,
      maxLagMs,
      startOffsets: Array.from(startOffsets, (v) => Math.round(v * 100) / 100),
      latencies: Array.from(latencies, (v) => Math.round(v * 100) / 100),
      statuses: Array.from(statuses),
      fresh: Array.from(fresh),
      connectMs: Array.from(connectMs, (v) => Math.round(v * 100) / 100),
    }),
  );
  process.stdout.write(`${JSON.stringify({ type: 'done', file: out })}\n`, () => process.exit(0));
}
