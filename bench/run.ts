// `npm run bench`: bounded benchmarks against the local runtime on loopback. Prints figures; asserts nothing.
import { parseArgs } from 'node:util';
import { measureDynamoDbLocalCeiling } from './dynamodb-ceiling';
import { runFormsBench } from './forms';
import { runWebhookBench } from './webhook';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    citizens: { type: 'string', default: '200' },
    'form-rows': { type: 'string', default: '100000' },
    'form-submissions': { type: 'string', default: '1000' },
    'delivery-friends': { type: 'string', default: '100000' },
    /** Comma list of sections to run (default: all), e.g. --only forms. */
    only: { type: 'string', default: '' },
  },
});
const sections = new Set(values.only.split(',').map((s) => s.trim()).filter(Boolean));
const want = (section: string) => sections.size === 0 || sections.has(section);

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`civic-line benchmark — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
if (want('ceiling')) {
const ceiling = await measureDynamoDbLocalCeiling();
console.log(`\nDynamoDB Local ceiling on this machine: ${fmt(ceiling, 0)} conditional writes/s (16 concurrent); AWS DynamoDB on demand is far above it`);
}
if (want('webhook')) {
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

}
if (want('forms')) {
console.log('\n## Forms: responses CSV export (streamed) and profile form submissions');
const f = await runFormsBench({ rows: Number(values['form-rows']), submissions: Number(values['form-submissions']), citizens: 100, concurrency: 16 });
console.log(`seeding:                    ${f.exportRows.toLocaleString('en-US')} responses in ${fmt(f.seedSeconds, 1)} s (${fmt(f.seedRowsPerSecond, 0)}/s, BatchWriteItem ×25, 16 in flight; --form-rows to change)`);
console.log(`GET responses.csv:          ${fmt(f.exportSeconds, 2)} s, ${f.exportRows.toLocaleString('en-US')} rows, ${fmt(f.exportBytes / 1048576, 1)} MB (target ≤ 10 s)`);
console.log(`runtime RSS:                ${fmt(f.rssBeforeMb, 0)} MB before, peak ${fmt(f.rssPeakMb, 0)} MB during the export (+${fmt(f.rssPeakMb - f.rssBeforeMb, 0)} MB; the process also runs the simulator and the webhook worker)`);
console.log(`RSS while streaming:        ${f.rssAtRows.map((m) => `${m.rows / 1000}k rows ${fmt(m.mb, 0)} MB`).join(', ') || '–'}`);
console.log(`export alone (own process): ${fmt(f.isolated.seconds, 2)} s, ${f.isolated.rows.toLocaleString('en-US')} rows; RSS ${fmt(f.isolated.rssBeforeMb, 0)} MB before, peak ${fmt(f.isolated.rssPeakMb, 0)} MB (target ≤ 150 MB), heap peak ${fmt(f.isolated.heapPeakMb, 0)} MB; ${f.isolated.rssAtRows.map((m) => `${m.rows / 1000}k rows ${fmt(m.mb, 0)} MB`).join(', ')}`);
console.log(`profile form submissions:   ${fmt(f.submitsPerSecond, 0)}/s (${f.submissions} by 100 citizens, 16 concurrent; p50 ${fmt(f.submitP50Ms, 0)} ms, p99 ${fmt(f.submitP99Ms, 0)} ms; failures ${f.submitFailures})`);
}
if (want('deliveries')) {
console.log('\n## Deliveries: send now to 100,000 friends (planner → send queue → multicast), LINE limit 200 multicasts/s');
// The deliveries runtime runs in this process: quiet Powertools before its modules load.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { runDeliveriesBench } = await import('./deliveries');
const d = await runDeliveriesBench({ friends: Number(values['delivery-friends']) });
console.log(`seeding:                    ${d.friends.toLocaleString('en-US')} friends in ${fmt(d.seedSeconds, 1)} s (BatchWrite; --delivery-friends to change); send queue: ${d.sendConcurrency} concurrent batches, ${d.senderWorkers} sender threads, retry after ${d.sendRetryDelayMs} ms`);
for (const r of d.runs) {
  console.log(`${r.name}${r.warmup ? ' (first delivery of the process: JIT warm-up; not compared with the target)' : ''}:`);
  console.log(`  recipients ${r.recipients.toLocaleString('en-US')}, floor ${fmt(r.floorSeconds, 2)} s; last ${r.minimum === 1 ? 'request (a broadcast; LINE then delivers it asynchronously)' : 'multicast'} accepted ${fmt(r.lastMs / 1000, 2)} s = ${fmt(r.lastMs / 1000 / r.floorSeconds, 2)} × floor${r.warmup ? '' : ' (target ≤ 1.5)'}; first request ${fmt(r.firstMs, 0)} ms (target ≤ 1,000); finished (status ${r.status}) ${fmt(r.finishedMs / 1000, 2)} s`);
  console.log(`  requests ${r.requests} issued, ${r.accepted} accepted, minimum ${r.minimum} (chunks ${r.chunks}: one language per chunk); duplicates ${r.duplicates}, misses ${r.misses}, unexpected ${r.unexpected} (all must be 0)${r.note ? `; ${r.note}` : ''}`);
}
}
