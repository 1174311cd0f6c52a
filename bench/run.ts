// `npm run bench`: bounded benchmarks against the local runtime on loopback. Prints figures against
// their targets without judging them; only a correctness failure of the disaster-mail section (an alert
// doubled or missed, a webhook event lost or processed twice) makes the exit code 1.
import './quiet';
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
    /** keywords and webhook: active keyword rules; keywords: messages matched. */
    'keyword-rules': { type: 'string', default: '1000' },
    'keyword-messages': { type: 'string', default: '20000' },
    'form-rows': { type: 'string', default: '100000' },
    'form-submissions': { type: 'string', default: '1000' },
    'delivery-friends': { type: 'string', default: '100000' },
    /** friends-list: friends in the table, measured rounds (every case once per round, after a warm-up round). */
    'list-friends': { type: 'string', default: '100000' },
    'list-rounds': { type: 'string', default: '3' },
    /** disaster-mail: friends, timed alerts, citizens' messages per second to the webhook and for how long, distinct writers. */
    'mail-friends': { type: 'string', default: '100000' },
    'mail-alerts': { type: 'string', default: '20' },
    'mail-load-rate': { type: 'string', default: '1000' },
    'mail-load-seconds': { type: 'string', default: '20' },
    'mail-load-writers': { type: 'string', default: '1000' },
    /** cold-start: fresh-process imports per Lambda bundle (at least 5). */
    'cold-start-runs': { type: 'string', default: '9' },
    /** planner-scale: friends of the synthetic city, a delay per BatchGetItem answer (ms); --planner-no-names skips the {name} (push) run; --planner-repeat N repeats the measured runs. */
    'planner-friends': { type: 'string', default: '2000000' },
    'planner-latency-ms': { type: 'string', default: '0' },
    'planner-no-names': { type: 'boolean', default: false },
    'planner-repeat': { type: 'string', default: '1' },
    /** scenarios: steps of the scenario, citizens walking it at once, answers each. */
    'scenario-steps': { type: 'string', default: '500' },
    'scenario-citizens': { type: 'string', default: '100' },
    'scenario-answers': { type: 'string', default: '50' },
    /** chat: citizens writing at once, messages each, staff replying at once. */
    'chat-citizens': { type: 'string', default: '20' },
    'chat-messages': { type: 'string', default: '10' },
    'chat-staff': { type: 'string', default: '4' },
    /** reports: reports in the list and map, rounds; citizens reporting with 3 photos through the runtime. */
    'report-count': { type: 'string', default: '10000' },
    'report-rounds': { type: 'string', default: '3' },
    'report-citizens': { type: 'string', default: '10' },
    /** Comma list of sections to run (default: all), e.g. --only forms. */
    only: { type: 'string', default: '' },
  },
});
const sections = new Set(
  values.only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
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
    keywordRules: Number(values['keyword-rules']),
  });
  console.log(
    `events sent:                ${w.events} (+${w.requests - w.events} redelivered duplicates, ${w.requests} requests, ${values.concurrency} concurrent); the consumer matches each text against ${Number(values['keyword-rules']).toLocaleString('en-US')} active keyword rules`,
  );
  console.log(`accepted:                   ${fmt(w.eventsPerSecond, 0)} events/s over ${fmt(w.seconds, 2)} s (target ≥ 1,000)`);
  console.log(
    `POST /webhook latency:      p50 ${fmt(w.p50Ms, 2)} ms, p99 ${fmt(w.p99Ms, 2)} ms, max ${fmt(w.maxMs, 2)} ms (target p99 ≤ 50 ms; LINE gives up at 2,000 ms)`,
  );
  console.log(`non-200 answers:            ${w.non200}`);
  console.log(
    `processing:                 queue drained ${fmt(w.drainSeconds, 2)} s after the last request; ${fmt(w.processedPerSecond, 0)} events/s end to end (5 DynamoDB calls + LINE calls per event, bounded by DynamoDB Local)`,
  );
  console.log(`lost:                       ${w.lost} (must be 0)`);
  console.log(`processed twice:            ${w.processedTwice} (must be 0); LINE retry-key conflicts: ${w.retryKeyConflicts}`);
}
if (want('keywords')) {
  console.log(
    `\n## Keyword matching: ${Number(values['keyword-rules']).toLocaleString('en-US')} active rules, every message normalised and matched as the webhook's dispatcher does (in this process)`,
  );
  const { runKeywordBench } = await import('./keywords');
  const k = runKeywordBench({ rules: Number(values['keyword-rules']), messages: Number(values['keyword-messages']) });
  console.log(
    `rule set compiled:          ${fmt(k.compileMs, 1)} ms (${k.rules.toLocaleString('en-US')} rules in use; a webhook instance compiles after a change it sees)`,
  );
  console.log(
    `per message:                p50 ${fmt(k.p50Us / 1000, 3)} ms, p99 ${fmt(k.p99Us / 1000, 3)} ms, max ${fmt(k.maxUs / 1000, 1)} ms over ${k.messages.toLocaleString('en-US')} messages, ${k.matched.toLocaleString('en-US')} answered by a rule (target p99 ≤ 1 ms); no rule matching (every rule tried): p99 ${fmt(k.noMatchP99Us / 1000, 3)} ms`,
  );
}
if (want('forms')) {
  console.log('\n## Forms: responses CSV export (streamed) and profile form submissions');
  const f = await runFormsBench({ rows: Number(values['form-rows']), submissions: Number(values['form-submissions']), citizens: 100, concurrency: 16 });
  console.log(
    `seeding:                    ${f.exportRows.toLocaleString('en-US')} responses in ${fmt(f.seedSeconds, 1)} s (${fmt(f.seedRowsPerSecond, 0)}/s, BatchWriteItem ×25, 16 in flight; --form-rows to change)`,
  );
  console.log(
    `GET responses.csv:          ${fmt(f.exportSeconds, 2)} s, ${f.exportRows.toLocaleString('en-US')} rows, ${fmt(f.exportBytes / 1048576, 1)} MB (target ≤ 10 s)`,
  );
  console.log(
    `runtime RSS:                ${fmt(f.rssBeforeMb, 0)} MB before, peak ${fmt(f.rssPeakMb, 0)} MB during the export (+${fmt(f.rssPeakMb - f.rssBeforeMb, 0)} MB; the process also runs the simulator and the webhook worker)`,
  );
  console.log(`RSS while streaming:        ${f.rssAtRows.map((m) => `${m.rows / 1000}k rows ${fmt(m.mb, 0)} MB`).join(', ') || '–'}`);
  console.log(
    `export alone (own process): ${fmt(f.isolated.seconds, 2)} s, ${f.isolated.rows.toLocaleString('en-US')} rows; RSS ${fmt(f.isolated.rssBeforeMb, 0)} MB before, peak ${fmt(f.isolated.rssPeakMb, 0)} MB (target ≤ 150 MB), heap peak ${fmt(f.isolated.heapPeakMb, 0)} MB; ${f.isolated.rssAtRows.map((m) => `${m.rows / 1000}k rows ${fmt(m.mb, 0)} MB`).join(', ')}`,
  );
  console.log(
    `profile form submissions:   ${fmt(f.submitsPerSecond, 0)}/s (${f.submissions} by 100 citizens, 16 concurrent; p50 ${fmt(f.submitP50Ms, 0)} ms, p99 ${fmt(f.submitP99Ms, 0)} ms; failures ${f.submitFailures})`,
  );
}
if (want('friends-list')) {
  console.log(
    `\n## Friends list (console 友だち): ${Number(values['list-friends']).toLocaleString('en-US')} friends in DynamoDB Local, the list use case on the real adapters in this process (no HTTP), ≤ 2,000 friends read per request`,
  );
  const { formatFriendsList, runFriendsListBench } = await import('./friends-list');
  console.log(formatFriendsList(await runFriendsListBench({ friends: Number(values['list-friends']), rounds: Number(values['list-rounds']) })));
}
if (want('scenarios')) {
  const steps = Number(values['scenario-steps']);
  const citizens = Number(values['scenario-citizens']);
  console.log(`\n## Scenarios: a ${steps}-step scenario walked by ${citizens} citizens at once (webhook in → reply accepted by the simulator)`);
  const { runScenarioBench } = await import('./scenarios');
  const s = await runScenarioBench({ steps, citizens, answers: Math.min(steps, Number(values['scenario-answers'])) });
  console.log(
    `answers:                    ${s.answers.toLocaleString('en-US')} (${s.citizens} citizens × ${Math.round(s.answers / s.citizens)} steps each) in ${fmt(s.seconds, 1)} s = ${fmt(s.answersPerSecond, 0)} answers/s`,
  );
  console.log(
    `answer → reply:             p50 ${fmt(s.p50Ms, 0)} ms, p99 ${fmt(s.p99Ms, 0)} ms, max ${fmt(s.maxMs, 0)} ms (target p50 ≤ 150 ms, p99 ≤ 500 ms)`,
  );
  console.log(`lost / doubled:             ${s.lost} / ${s.doubled} (must be 0 / 0)`);
  if (s.lost > 0 || s.doubled > 0) process.exitCode = 1;
}
if (want('chat')) {
  const citizens = Number(values['chat-citizens']);
  const messages = Number(values['chat-messages']);
  const staffCount = Number(values['chat-staff']);
  console.log(`\n## 1:1 chat: ${citizens} citizens writing at once (${messages} messages each), ${staffCount} staff replying at once`);
  const { runChatBench } = await import('./chat');
  const c = await runChatBench({ citizens, messages, staff: staffCount });
  console.log(
    `citizen → in the inbox:     p50 ${fmt(c.inboxP50Ms, 0)} ms, p99 ${fmt(c.inboxP99Ms, 0)} ms, max ${fmt(c.inboxMaxMs, 0)} ms (read every 50 ms; the console polls every 1 s: add up to 1 s; target ≤ 2 s)`,
  );
  console.log(
    `staff reply → LINE accepted: p50 ${fmt(c.replyP50Ms, 0)} ms, p99 ${fmt(c.replyP99Ms, 0)} ms, max ${fmt(c.replyMaxMs, 0)} ms over ${c.replies} replies (target ≤ 1 s)`,
  );
  console.log(`lost / doubled:             ${c.lost} / ${c.doubled} (must be 0 / 0)`);
  if (c.lost > 0 || c.doubled > 0) process.exitCode = 1;
}
if (want('reports')) {
  const count = Number(values['report-count']);
  console.log(`\n## Citizen reports: list and map of ${count.toLocaleString('en-US')} reports (DynamoDB Local, the staff use cases in this process)`);
  const { runReportsListBench, runReportSaveBench, LIST_AND_MAP_TARGET_MS, SAVED_TARGET_MS } = await import('./reports');
  const r = await runReportsListBench({ reports: count, rounds: Number(values['report-rounds']) });
  const line = (name: string, f: { p50: number; max: number; roundMedians: number[] }, extra = '') =>
    console.log(
      `${name.padEnd(28)}p50 ${fmt(f.p50, 0)} ms, max ${fmt(f.max, 0)} ms, round medians ${f.roundMedians.map((m) => fmt(m, 0)).join(' / ')} ms${extra}`,
    );
  console.log(`seeding:                    ${r.reports.toLocaleString('en-US')} reports in ${fmt(r.seedSeconds, 1)} s (BatchWrite; not measured)`);
  line('list, first page (50):', r.firstPage);
  line('list, one status:', r.filtered);
  line('list, 20th page (cursor):', r.deepPage);
  line('map (every report):', r.map, `, ${r.map.points.toLocaleString('en-US')} points`);
  line('first load (list + map):', r.firstLoad, ` (target ≤ ${fmt(LIST_AND_MAP_TARGET_MS, 0)} ms)`);
  const citizens = Number(values['report-citizens']);
  console.log(`\n## Citizen reports: ${citizens} citizens each reporting with 3 photos through the whole runtime`);
  const s = await runReportSaveBench({ citizens });
  console.log(`confirm → receipt (saved):  p50 ${fmt(s.savedP50Ms, 0)} ms, max ${fmt(s.savedMaxMs, 0)} ms (target ≤ ${fmt(SAVED_TARGET_MS, 0)} ms)`);
  console.log(
    `confirm → 3 photos secured: p50 ${fmt(s.securedP50Ms, 0)} ms, max ${fmt(s.securedMaxMs, 0)} ms (fetched from LINE and checked, in our store; target ≤ ${fmt(SAVED_TARGET_MS, 0)} ms)`,
  );
  console.log(
    `confirm → 3 photos shown:   p50 ${fmt(s.photosP50Ms, 0)} ms, max ${fmt(s.photosMaxMs, 0)} ms (re-encoded without EXIF one by one: ~1.2–1.7 s a 1,600 × 1,200 photo in jimp here)`,
  );
  console.log(`lost:                       ${s.lost} (must be 0)`);
  if (s.lost > 0) process.exitCode = 1;
}
if (want('deliveries')) {
  console.log('\n## Deliveries: send now to 100,000 friends (planner → send queue → multicast), LINE limit 200 multicasts/s');
  // The deliveries runtime runs in this process (Powertools quietened by ./quiet).
  const { runDeliveriesBench } = await import('./deliveries');
  const d = await runDeliveriesBench({ friends: Number(values['delivery-friends']) });
  console.log(
    `seeding:                    ${d.friends.toLocaleString('en-US')} friends in ${fmt(d.seedSeconds, 1)} s (BatchWrite; --delivery-friends to change); send queue: ${d.sendConcurrency} concurrent batches, ${d.senderWorkers} sender threads, retry after ${d.sendRetryDelayMs} ms`,
  );
  for (const r of d.runs) {
    console.log(`${r.name}${r.warmup ? ' (first delivery of the process: JIT warm-up; not compared with the target)' : ''}:`);
    console.log(
      `  recipients ${r.recipients.toLocaleString('en-US')}, floor ${fmt(r.floorSeconds, 2)} s; last ${r.minimum === 1 ? 'request (a broadcast; LINE then delivers it asynchronously)' : 'multicast'} accepted ${fmt(r.lastMs / 1000, 2)} s = ${fmt(r.lastMs / 1000 / r.floorSeconds, 2)} × floor${r.warmup ? '' : ' (target ≤ 1.5)'}; first request ${fmt(r.firstMs, 0)} ms (target ≤ 1,000); finished (status ${r.status}) ${fmt(r.finishedMs / 1000, 2)} s`,
    );
    console.log(
      `  requests ${r.requests} issued, ${r.accepted} accepted, minimum ${r.minimum} (chunks ${r.chunks}: one language per chunk); duplicates ${r.duplicates}, misses ${r.misses}, unexpected ${r.unexpected} (all must be 0)${r.note ? `; ${r.note}` : ''}`,
    );
    if (r.bare) {
      const lasts = r.bare.runs.map((b) => b.lastMs / 1000);
      console.log(
        `  bare path (the same ${r.chunks} chunks precomputed, multicast straight to the simulator by ${d.sendConcurrency} senders × batches of 10; ${r.bare.runs.length} runs after it): last ${fmt(r.bare.medianLastMs / 1000, 2)} s (${fmt(Math.min(...lasts), 2)}–${fmt(Math.max(...lasts), 2)}), first ${r.bare.runs.map((b) => fmt(b.firstMs, 0)).join('/')} ms, 429s ${r.bare.runs.map((b) => b.rateLimited).join('/')}; product / bare = ${fmt(r.bare.ratio, 2)} × (target ≤ 1.3)`,
      );
    }
  }
}
if (want('disaster-mail')) {
  console.log(
    `\n## Disaster mail: alerts over SMTP to ${Number(values['mail-friends']).toLocaleString('en-US')} friends (SMTP → intake → planner → send queue → multicast), LINE limit 200 multicasts/s; citizens writing meanwhile`,
  );
  // Like deliveries: the runtime runs in this process.
  const { formatDisasterMail, runDisasterMailBench } = await import('./disaster-mail');
  const m = await runDisasterMailBench({
    friends: Number(values['mail-friends']),
    mails: Number(values['mail-alerts']),
    loadRate: Number(values['mail-load-rate']),
    loadSeconds: Number(values['mail-load-seconds']),
    writers: Number(values['mail-load-writers']),
  });
  console.log(formatDisasterMail(m));
  if (m.failures.length > 0) process.exitCode = 1;
}
if (want('planner-scale')) {
  const friends = Number(values['planner-friends']);
  console.log(
    `\n## Planner at scale: a synthetic ${friends.toLocaleString('en-US')}-friend audience index (laid out by the writers' split rule, served from memory over loopback; no DynamoDB Local)`,
  );
  const { runPlannerScaleBench } = await import('./planner-scale');
  const p = await runPlannerScaleBench({
    friends,
    latencyMs: Number(values['planner-latency-ms']),
    names: !values['planner-no-names'],
    repeat: Number(values['planner-repeat']),
  });
  // Targets: the last chunk enqueued within half the LINE floor of sending to everyone
  // (N active / (500 × 200) s): a delivery to everyone then ends at LINE's pace, not the planner's,
  // and a segment — which reads the whole index too, for fewer recipients — is planned in that time
  // as well; the half leaves room for DynamoDB's latency, which this measurement leaves out. And the
  // planner process's RSS within half the planner Lambda's 1,024 MB.
  const LAST_CHUNK_SHARE_OF_FLOOR = 0.5;
  const RSS_TARGET_MB = 512;
  const everyoneFloor = p.active / (500 * 200);
  console.log(
    `index:                      ${p.active.toLocaleString('en-US')} active friends, ${fmt(p.items.indexMegabytes, 0)} MB in ${p.items.buckets} bucket items (${p.items.split} split) + ${p.items.pages.toLocaleString('en-US')} pages; largest item ${fmt(p.items.largestBytes / 1000, 0)} KB; laid out in ${fmt(p.buildSeconds, 1)} s; ${p.latencyMs} ms added per BatchGetItem`,
  );
  console.log(
    `planner process:            NODE_OPTIONS="${p.child.nodeOptions}" (the planner Lambda's, 1,024 MB); RSS ${fmt(p.child.rssBeforeMb, 0)} MB and heap ${fmt(p.child.heapBeforeMb, 0)} MB before the first run, lifetime max RSS ${fmt(p.child.maxRssMb, 0)} MB; V8 heap limit ${fmt(p.child.heapLimitMb, 0)} MB`,
  );
  console.log(
    `LINE floor for everyone:    ${fmt(everyoneFloor, 1)} s (target: last chunk ≤ ${fmt(LAST_CHUNK_SHARE_OF_FLOOR * everyoneFloor, 1)} s = ${LAST_CHUNK_SHARE_OF_FLOOR} × it, peak RSS ≤ ${RSS_TARGET_MB} MB)`,
  );
  for (const r of p.runs) {
    const floor = r.recipients / (500 * 200);
    const ok = r.recipients === r.expected.count && r.hashSum === r.expected.hashSum;
    console.log(`${r.name}${r.warmup ? ' (first run of the process: JIT warm-up; not compared with the target)' : ''}:`);
    console.log(
      `  recipients ${r.recipients.toLocaleString('en-US')} in ${r.chunks.toLocaleString('en-US')} chunks (${ok ? 'exactly the expected friends' : `EXPECTED ${r.expected.count.toLocaleString('en-US')}, hash sums ${r.hashSum} vs ${r.expected.hashSum}`}); its own floor ${fmt(floor, 1)} s`,
    );
    console.log(
      `  first chunk ${fmt(r.firstChunkMs, 0)} ms; last chunk enqueued ${fmt(r.lastChunkMs / 1000, 2)} s = ${fmt(r.lastChunkMs / 1000 / everyoneFloor, 2)} × everyone's floor${r.warmup ? '' : ` (target ≤ ${LAST_CHUNK_SHARE_OF_FLOOR})`}, ${fmt(r.lastChunkMs / 1000 / floor, 2)} × its own; planned ${fmt(r.plannedMs / 1000, 2)} s; CPU ${fmt(r.cpuMs / 1000, 2)} s`,
    );
    console.log(
      `  peak RSS ${fmt(r.rssPeakMb, 0)} MB${r.warmup ? '' : ` (target ≤ ${RSS_TARGET_MB})`}, peak heap ${fmt(r.heapPeakMb, 0)} MB; read ${r.items.toLocaleString('en-US')} items in ${r.requests.toLocaleString('en-US')} BatchGetItem requests, ${fmt(r.megabytes, 0)} MB of answers`,
    );
  }
}
if (want('cold-start')) {
  console.log('\n## Cold start: every Lambda bundle as CDK builds it, imported by a fresh node process (the receiver answers LINE, which gives up at 2 s)');
  const { formatColdStart, runColdStartBench } = await import('./cold-start');
  console.log(formatColdStart(await runColdStartBench({ runs: Number(values['cold-start-runs']) })));
}
