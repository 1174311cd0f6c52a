// `npm run bench`: bounded benchmarks against the local runtime on loopback. Prints figures; asserts nothing.
import { parseArgs } from 'node:util';
import { measureDynamoDbLocalCeiling } from './dynamodb-ceiling';
import { runWebhookBench } from './webhook';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    citizens: { type: 'string', default: '200' },
  },
});

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`civic-line benchmark — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
const ceiling = await measureDynamoDbLocalCeiling();
console.log(`\nDynamoDB Local ceiling on this machine: ${fmt(ceiling, 0)} conditional writes/s (16 concurrent); AWS DynamoDB on demand is far above it`);
console.log('\n## Webhook (POST /webhook → SQS → consumer), LINE answers 200-or-give-up at 2 s');
const w = await runWebhookBench({
  events: Number(values.events),
  redeliveryRatio: 0.05,
  concurrency: Number(values.concurrency),
  citizens: Number(values.citizens),
});
console.log(`events sent:                ${w.events} (+${w.requests - w.events} redelivered duplicates, ${w.requests} requests, ${values.concurrency} concurrent)`);
console.log(`accepted:                   ${fmt(w.eventsPerSecond, 0)} events/s over ${fmt(w.seconds, 2)} s (target ≥ 1,000)`);
console.log(`POST /webhook latency:      p50 ${fmt(w.p50Ms, 2)} ms, p99 ${fmt(w.p99Ms, 2)} ms, max ${fmt(w.maxMs, 2)} ms (target p99 ≤ 50 ms; LINE gives up at 2,000 ms)`);
console.log(`non-200 answers:            ${w.non200}`);
console.log(`processing:                 queue drained ${fmt(w.drainSeconds, 2)} s after the last request; ${fmt(w.processedPerSecond, 0)} events/s end to end (5 DynamoDB calls + LINE calls per event, bounded by DynamoDB Local)`);
console.log(`lost:                       ${w.lost} (must be 0)`);
console.log(`processed twice:            ${w.processedTwice} (must be 0); LINE retry-key conflicts: ${w.retryKeyConflicts}`);
