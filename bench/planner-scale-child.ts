/**
 * The planner in a process of its own (bench/planner-scale.ts starts it, bundled like the Lambda):
 * planDelivery with the real DynamoAudienceSource (the AWS SDK client against the synthetic
 * endpoint in DYNAMODB_ENDPOINT) and in-memory delivery and queue fakes that count chunks and
 * recipients but keep none (in AWS they leave for DynamoDB and SQS). Per run: time to the first
 * and to the last chunk enqueued, to the end of planning, the process's CPU time, and the peaks
 * of RSS and V8 heap (sampled every 5 ms; the reader yields to the event loop on every answer).
 * argv[2]: the runs (JSON). Prints one JSON line.
 */
import { getHeapStatistics } from 'node:v8';
import { DynamoAudienceSource } from '../functions/adapters/aws/audience-source';
import { planDelivery, type PlannerDeps } from '../functions/deliveries/planner';
import type { Chunk, SegmentRule } from '../functions/deliveries/model';
import { MemoryDeliveries, delivery } from '../test/support/pipeline-fakes';

type RunSpec = { name: string; rule: 'everyone' | 'districtA'; warmup?: true; names?: true; expected: { count: number; hashSum: number } };
const specs = JSON.parse(process.argv[2] ?? '[]') as RunSpec[];
const endpoint = process.env.DYNAMODB_ENDPOINT!;
const mb = (bytes: number) => bytes / 1024 / 1024;

/** FNV-1a of a recipient, summed per run (the same in bench/planner-scale.ts): a duplicate or a miss changes the sum. */
function recipientHash(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Chunks are counted (recipients, a sum of their page hashes), never kept. */
class CountingDeliveries extends MemoryDeliveries {
  recipients = 0;
  hashSum = 0;
  chunkCount = 0;
  override async putChunks(chunks: Chunk[]) {
    for (const c of chunks) {
      this.chunkCount++;
      this.recipients += c.recipients.length;
      for (const u of c.recipients) this.hashSum = (this.hashSum + recipientHash(u)) >>> 0;
    }
    return [];
  }
  override async listChunks() {
    return [];
  }
  override async chunkStates() {
    return [];
  }
}

const DISTRICT_A: SegmentRule = { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['a'] }] };
const serverStats = async () => (await (await fetch(`${endpoint}/stats`)).json()) as { requests: number; items: number; bytes: number };

// One reader for the process, as a Lambda instance keeps one.
const audience = new DynamoAudienceSource();
globalThis.gc?.();
const rssBeforeMb = mb(process.memoryUsage().rss);
const heapBeforeMb = mb(process.memoryUsage().heapUsed);
const runs = [];
for (const [i, spec] of specs.entries()) {
  const deliveries = new CountingDeliveries();
  const d = delivery({
    deliveryId: `01JSYNTHETIC${String(i).padStart(14, '0')}`,
    ...(spec.rule === 'districtA' ? { audience: { segmentId: null, rule: DISTRICT_A, label: '地区a' } } : {}),
    ...(spec.names
      ? {
          variants: [
            { lang: 'ja', bubbles: [{ type: 'text', text: '{name}さん、お知らせです' }] },
            { lang: 'en', bubbles: [{ type: 'text', text: 'Dear {name}, news' }] },
          ],
        }
      : {}),
  });
  await deliveries.create(d);
  let firstChunkAt: number | undefined;
  let lastChunkAt = 0;
  const deps: PlannerDeps = {
    deliveries,
    audience,
    send: {
      send: async () => {
        lastChunkAt = performance.now();
        firstChunkAt ??= lastChunkAt;
      },
    },
    clock: { now: () => new Date() },
  };
  globalThis.gc?.();
  let rssPeak = 0;
  let heapPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  };
  const sampler = setInterval(sample, 5);
  const before = await serverStats();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await planDelivery(deps, d.deliveryId);
  const plannedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  sample();
  const after = await serverStats();
  if (outcome.kind !== 'planned') throw new Error(`${spec.name}: not planned (${JSON.stringify(outcome)})`);
  runs.push({
    name: spec.name,
    ...(spec.warmup ? { warmup: true } : {}),
    recipients: deliveries.recipients,
    chunks: deliveries.chunkCount,
    expected: spec.expected,
    hashSum: deliveries.hashSum,
    firstChunkMs: (firstChunkAt ?? NaN) - t0,
    lastChunkMs: lastChunkAt - t0,
    plannedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssPeakMb: mb(rssPeak),
    heapPeakMb: mb(heapPeak),
    requests: after.requests - before.requests,
    items: after.items - before.items,
    megabytes: (after.bytes - before.bytes) / 1e6,
  });
}
console.log(
  JSON.stringify({
    rssBeforeMb,
    heapBeforeMb,
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    heapLimitMb: mb(getHeapStatistics().heap_size_limit),
    runs,
  }),
);
process.exit(0);
