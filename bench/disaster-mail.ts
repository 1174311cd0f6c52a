/**
 * Disaster-mail benchmark: alert mails sent over SMTP to the local runtime's inbox (SES in AWS)
 * reach 100,000 friends (95 % active; 80 % Japanese, 10 % English, 5 % Korean, 5 % Chinese: a
 * recognised alert is a multicast per language, not a broadcast) through the whole product — the
 * SMTP server stores the mail, the intake reads, routes and deduplicates it, the deliveries'
 * pipeline plans and sends — with the LINE simulator enforcing LINE's 200 multicasts/s. Everything
 * runs in this process (senders and simulator in worker threads), as in bench/deliveries.ts.
 *
 * Time zero of an alert is the mail record's `receivedAt`: the SMTP server takes it from the
 * runtime's clock (real time: its offset is checked to be 0) when DATA ended. First and last: the
 * simulator's accepted multicasts of the delivery's aggregation unit (the same Date.now()). Before
 * every alert and every bare run the simulator's multicast bucket is let fill up again (1.1 s after
 * the previous multicast), so each starts from the same state.
 *
 * 1. A warm-up alert and bare run (first use of DynamoDB Local's and this process's code), apart.
 * 2. `mails` distinct alerts one after the other (each waits until its delivery finished), with the
 *    bare path (bench/bare-path.ts) after every fourth, so the product / bare ratio compares runs
 *    of the same minutes.
 * 3. One more alert sent twice at once (the same bytes): one delivery, everyone once.
 * 4. Citizens write: after a warm-up of the webhook (200/s for 5 s), `loadRate` signed text
 *    messages per second for `loadSeconds` POSTed to the webhook by a process of its own (open
 *    loop), while alerts (and one bare run) go out one after the other; every request's latency,
 *    then, once the webhook queue drained, every event checked in the ledger and the conversation
 *    log (stored once, answered once). What the simulator made of these alerts is read after the
 *    load, so the bench's own reading does not sit on the event loop that answers the webhook.
 * For every alert also: when the runtime's queues showed the plan and the first and last chunk
 * (where the time goes), and the CPU this process, DynamoDB Local and the machine spent meanwhile
 * (bench/cpu.ts). BENCH_DUMP_LOAD=<file> writes every webhook request's figures there;
 * BENCH_CPU_PROFILE=<file> the main thread's CPU profile of step 2, BENCH_CPU_PROFILE_LOAD=<file> of step 4.
 * Correctness failures (an alert doubled or missed, a lost event…) are collected in `failures`.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { ulid } from 'ulid';
import { DynamoBridgeSettingsStore } from '../functions/adapters/aws/bridge-settings-store';
import { DynamoReceivedMailStore } from '../functions/adapters/aws/received-mail-store';
import { CONVERSATION_SK_PREFIX, conversationPartition } from '../functions/conversations/keys';
import type { Delivery } from '../functions/deliveries/model';
import { DEFAULT_BRIDGE_SETTINGS, type BridgeSettings } from '../functions/disaster-mail/model';
import type { ReceivedMail } from '../functions/disaster-mail/ports';
import { eventLedgerKey } from '../functions/webhook/keys';
import { audit, seedFriends, startPipelineRuntime, waitFinished, type PipelineEnv, type SeedFriend } from '../test/integration/deliveries/pipeline-support';
import { alertMail as sharedAlertMail } from '../test/support/mail-fakes';
import { sendOverSmtp } from '../test/support/smtp';
import { CORES, cpuSpan, dynamoDbLocalPid, type CpuSpan } from './cpu';
import { BareSenders, auditBare, prepareBareChunks, settleRateLimit, type BareChunks, type BareRun, type BareSend } from './bare-path';
import { median, percentile } from './runtime';

export interface DisasterMailBenchOptions {
  friends: number;
  /** Alerts timed one after the other without load (the issue's 20). */
  mails: number;
  /** Citizen messages per second to the webhook, and for how long. */
  loadRate: number;
  loadSeconds: number;
  /** Distinct citizens writing during the load. */
  writers: number;
  sendConcurrency?: number;
  senderWorkers?: number;
}

export type Phase = 'warm-up' | 'quiet' | 'duplicate' | 'load';

export interface AlertRun {
  phase: Phase;
  n: number;
  mailId: string;
  subject: string;
  decision: string;
  kind: string | null;
  status: string;
  /** Epoch ms: the record's receivedAt (time zero) and when the alert's last multicast was accepted. */
  receivedAt: number;
  lastSentAt: number;
  /** receivedAt → first / last multicast accepted; → the delivery seen finished (polled every 50 ms). */
  firstMs: number;
  lastMs: number;
  finishedMs: number;
  /** receivedAt → the intake queued the plan, the planner queued its first and last chunk, the planner's message was done. */
  stagesMs: { planQueued: number; firstChunkQueued: number; lastChunkQueued: number; plannerDone: number };
  /** The SMTP client's whole send (connect … 250), and whether receivedAt lies inside it. */
  smtpMs: number;
  receivedInsideSmtp: boolean;
  recipients: number;
  chunks: number;
  /** chunks / 200 s: LINE's multicast rate limit for this delivery. */
  floorSeconds: number;
  requests: number;
  /** 429s the simulator answered on multicast while this alert was sent. */
  rateLimited: number;
  duplicates: number;
  misses: number;
  unexpected: number;
  /** CPU from the SMTP send until the delivery was seen finished. */
  cpu: CpuSpan;
}

export interface BareSample extends BareRun {
  phase: Phase;
  cpu: CpuSpan;
}

export interface LoadResult {
  rate: number;
  seconds: number;
  writers: number;
  events: number;
  /** How long the generator took to issue them, and the most it fell behind its schedule. */
  sendSeconds: number;
  maxLagMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The webhook's warm-up before the load (its first requests of the process meet cold code). */
  warmUp: { rate: number; seconds: number; requests: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** Requests issued while one of the load phase's alerts was on its way (receivedAt → last multicast), and the others. */
  duringAlerts: { requests: number; p50Ms: number; p99Ms: number; maxMs: number };
  outsideAlerts: { requests: number; p50Ms: number; p99Ms: number; maxMs: number };
  non200: number;
  /** Requests that had to open a connection (none of the open ones was free), their latency, the slowest TCP connect; requests on an open connection. */
  connections: { opened: number; openedP99Ms: number; connectMaxMs: number; reusedP50Ms: number; reusedP99Ms: number; reusedMaxMs: number };
  /** The runtime's main thread (HTTP gateway, planner, intake, queues): event-loop delay during the load. */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Load start → the webhook queue empty; events processed per second over that time. */
  drainedAfterSeconds: number;
  processedPerSecond: number;
  deadLettered: number;
  lost: number;
  processedTwice: number;
}

export interface DisasterMailBenchResult {
  friends: number;
  active: number;
  languages: Record<string, number>;
  seedSeconds: number;
  sendConcurrency: number;
  senderWorkers: number;
  alerts: AlertRun[];
  bare: BareSample[];
  duplicateCase: { decisions: string[]; deliveries: number; alert?: AlertRun };
  load: LoadResult;
  failures: string[];
}

/** LINE's multicast rate limit (requests/s; ../shared/LINE-FACTS.md, the simulator's default). */
const MULTICAST_PER_SECOND = 200;
const SENDER = 'bousai@city.arao.example';
const SUBJECTS = ['【荒尾市】避難指示（警戒レベル4）', '【荒尾市】大雨警報', '【荒尾市】土砂災害警戒情報', '【荒尾市】高齢者等避難（警戒レベル3）'];
const DISTRICTS = ['荒尾', '万田', '中央', '府本', '八幡', '平井', '清里', '緑ケ丘', '桜山', '増永'];

/** Language of friend i: in blocks of 20 (the 20th blocked), 16 blocks of 20 Japanese, 2 English, 1 Korean, 1 Chinese. */
function languageOf(i: number): string {
  const block = Math.floor(i / 20) % 20;
  return block < 16 ? 'ja' : block < 18 ? 'en' : block < 19 ? 'ko' : 'zh-Hans';
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runDisasterMailBench(options: DisasterMailBenchOptions): Promise<DisasterMailBenchResult> {
  const sendConcurrency = options.sendConcurrency ?? 8;
  const senderWorkers = options.senderWorkers ?? 2;
  const env = await startPipelineRuntime({ sendConcurrency, senderWorkers, sendRetryDelayMs: 2_000, retryDelayMs: 2_000 });
  const bareSenders = new BareSenders(env, sendConcurrency, senderWorkers);
  const failures: string[] = [];
  try {
    if (env.rt.clock.offset !== 0) throw new Error(`the runtime's clock is ${env.rt.clock.offset} ms off real time: receivedAt would not be comparable`);
    const seedStart = Date.now();
    const friends = await seedFriends(env, options.friends, (i) => ({ language: languageOf(i), status: i % 20 === 19 ? 'blocked' : 'active' }));
    const seedSeconds = (Date.now() - seedStart) / 1000;
    const everyone = new Set(friends.filter((f) => f.status === 'active').map((f) => f.userId));
    const languages: Record<string, number> = {};
    for (const f of friends) if (f.status === 'active') languages[f.language] = (languages[f.language] ?? 0) + 1;

    const settings: BridgeSettings = {
      ...DEFAULT_BRIDGE_SETTINGS,
      acceptedSenders: ['city.arao.example'],
      defaultRoute: { id: 'r-all', name: '全員へ', target: { kind: 'everyone' }, mode: 'auto' },
      duplicateWindowMinutes: 60,
      disasterPageUrl: 'https://www.city.arao.example/bousai',
    };
    const settingsStore = new DynamoBridgeSettingsStore(env.db, env.rt.tableName);
    if ((await settingsStore.save({ settings, version: 1 }, 0)) !== 'saved') throw new Error('the bridge settings could not be saved');

    const ctx: AlertContext = {
      env,
      mails: new DynamoReceivedMailStore(env.db, env.rt.tableName),
      friends,
      everyone,
      failures,
      lastSentAt: null,
      dynamoPid: dynamoDbLocalPid(env.rt.dynamodbEndpoint),
    };
    const alerts: AlertRun[] = [];
    const bare: BareSample[] = [];
    let prepared: BareChunks | undefined;
    const bareSend = async (phase: Phase) => {
      await settleRateLimit(ctx.lastSentAt);
      const cpu = cpuSpan(ctx.dynamoPid);
      const sent = await bareSenders.send(prepared!);
      ctx.lastSentAt = sent.endedAt;
      return { phase, sent, cpu: cpu() };
    };
    const bareAudit = async ({ phase, sent, cpu }: { phase: Phase; sent: BareSend; cpu: CpuSpan }) => {
      const run = await auditBare(env, sent, everyone, friends);
      if (run.errors > 0 || run.duplicates > 0 || run.misses > 0) {
        failures.push(`bare path (${phase}): ${run.errors} errors, ${run.duplicates} duplicates, ${run.misses} misses — the bench's own path, not the product`);
      }
      bare.push({ phase, ...run, cpu });
    };

    // 1. Warm-up.
    const warm = await sendAlert(ctx, 'warm-up', 0);
    alerts.push(await measure(ctx, warm));
    if (!warm.delivery) throw new Error('the warm-up alert made no delivery');
    prepared = await prepareBareChunks(env, warm.delivery);
    await bareAudit(await bareSend('warm-up'));

    // 2. The timed alerts, the bare path after every fourth (BENCH_CPU_PROFILE=<file>: the main thread's CPU profile of them).
    const profiling = process.env.BENCH_CPU_PROFILE ? await mainThreadProfile() : undefined;
    for (let n = 1; n <= options.mails; n++) {
      alerts.push(await measure(ctx, await sendAlert(ctx, 'quiet', n)));
      if (n % 4 === 0 || n === options.mails) await bareAudit(await bareSend('quiet'));
    }
    // With the alerts' windows (epoch ms: receivedAt → last multicast), to tell their samples from the bench's own.
    await profiling?.(
      process.env.BENCH_CPU_PROFILE!,
      alerts.filter((a) => a.phase === 'quiet').map((a) => [a.receivedAt, a.lastSentAt]),
    );

    // 3. The same mail twice at once.
    const duplicateCase = await sendTwiceAtOnce(ctx, options.mails + 1);
    if (duplicateCase.alert) alerts.push(duplicateCase.alert);

    // 4. Citizens write while alerts go out (and, second, the bare path). What the simulator made
    //    of them is read after the load: reading 95,000 recipients' counts would sit on the event
    //    loop that answers the webhook.
    const sentUnderLoad: SentAlert[] = [];
    const bareUnderLoad: { phase: Phase; sent: BareSend; cpu: CpuSpan }[] = [];
    const profilingLoad = process.env.BENCH_CPU_PROFILE_LOAD ? await mainThreadProfile() : undefined;
    const load = await underLoad(
      ctx,
      options,
      async (k) => {
        if (k === 1) bareUnderLoad.push(await bareSend('load'));
        else sentUnderLoad.push(await sendAlert(ctx, 'load', 100 + k));
      },
      async () => {
        const measured = [];
        for (const sent of sentUnderLoad) measured.push(await measure(ctx, sent));
        for (const b of bareUnderLoad) await bareAudit(b);
        alerts.push(...measured);
        return measured.map((a) => ({ from: a.receivedAt, to: a.lastSentAt }));
      },
    );
    await profilingLoad?.(process.env.BENCH_CPU_PROFILE_LOAD!, []);

    return {
      friends: friends.length,
      active: everyone.size,
      languages,
      seedSeconds,
      sendConcurrency,
      senderWorkers,
      alerts,
      bare,
      duplicateCase,
      load,
      failures,
    };
  } finally {
    await bareSenders.stop();
    await env.stop();
  }
}

/** Starts V8's profiler on this (the runtime's main) thread; the returned function writes the .cpuprofile. */
async function mainThreadProfile(): Promise<(file: string, windows: number[][]) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (file, windows) => {
    const { profile } = await session.post('Profiler.stop');
    // The profile's clock is monotonic (µs): its endTime is now.
    writeFileSync(file, JSON.stringify({ ...profile, benchEpochAtEnd: Date.now(), benchWindows: windows }));
    session.disconnect();
  };
}

interface AlertContext {
  env: PipelineEnv;
  mails: DynamoReceivedMailStore;
  friends: SeedFriend[];
  everyone: Set<string>;
  failures: string[];
  /** The last multicast accepted (epoch ms), to let the simulator's bucket fill again. */
  lastSentAt: number | null;
  dynamoPid: number | undefined;
}

/** A recognised alert, distinct from every other (district, report number, time, Message-ID). */
function alertMail(phase: Phase, n: number): { subject: string; raw: string } {
  const subject = SUBJECTS[n % SUBJECTS.length]!;
  const district = DISTRICTS[n % DISTRICTS.length]!;
  const now = new Date();
  const time = now.toLocaleTimeString('ja-JP', { timeZone: 'Asia/Tokyo', hour12: false });
  const body = [
    `${time}、${district}地区に${subject.replace('【荒尾市】', '')}が出されました（第${n}報・${phase}）。`,
    '川や崖に近づかず、市の指示に従って安全な場所へ移動してください。',
    '避難所：荒尾市総合文化センター、各地区の公民館',
    '',
    '-----',
    '荒尾市 防災安全課',
    '※このメールは送信専用です。',
  ].join('\n');
  const raw = sharedAlertMail(subject, body, {
    date: now.toUTCString(),
    messageId: `bench-${phase}-${n}-${randomBytes(6).toString('hex')}@city.arao.example`,
  }).toString('utf8');
  return { subject, raw };
}

/** Sends over SMTP as the city's system would; answers the mail's ID ("250 Queued as <mailId>") and the client's send time. */
async function sendRaw(env: PipelineEnv, raw: string): Promise<{ mailId: string; startedAt: number; endedAt: number }> {
  const startedAt = Date.now();
  const mailId = await sendOverSmtp(env.rt.smtp, raw, SENDER);
  const endedAt = Date.now();
  return { mailId, startedAt, endedAt };
}

async function decided(ctx: AlertContext, mailId: string): Promise<ReceivedMail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = await ctx.mails.get(mailId);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`mail ${mailId} not decided within 30 s`);
    await sleep(20);
  }
}

async function multicast429s(env: PipelineEnv): Promise<number> {
  return (await env.sim.stats()).requests.multicast?.byStatus['429'] ?? 0;
}

/** An alert sent and its delivery finished; `measure` reads who got it when (later, when that costs the runtime nothing). */
interface SentAlert {
  phase: Phase;
  n: number;
  subject: string;
  record: ReceivedMail;
  smtp: { startedAt: number; endedAt: number };
  delivery: Delivery | null;
  finishedAt: number;
  rateLimited: number;
  stages: Stages;
  cpu: CpuSpan;
}

/** Epoch ms at which the runtime's queues showed each step (sampled every millisecond or so). */
interface Stages {
  planQueuedAt: number;
  firstChunkQueuedAt: number;
  lastChunkQueuedAt: number;
  plannerDoneAt: number;
}

/** Watches the planner and send queues' counters: when the intake queued the plan, the planner its first and last chunk, and when it was done. */
function watchStages(env: PipelineEnv): () => Stages {
  const { planner, send } = env.rt.queues;
  const plans = planner.counters.sent;
  const plansDone = planner.counters.deleted;
  let chunks = send.counters.sent;
  const stages: Stages = { planQueuedAt: NaN, firstChunkQueuedAt: NaN, lastChunkQueuedAt: NaN, plannerDoneAt: NaN };
  const sample = () => {
    const now = Date.now();
    if (Number.isNaN(stages.planQueuedAt) && planner.counters.sent > plans) stages.planQueuedAt = now;
    if (Number.isNaN(stages.plannerDoneAt) && planner.counters.deleted > plansDone) stages.plannerDoneAt = now;
    if (send.counters.sent > chunks) {
      chunks = send.counters.sent;
      if (Number.isNaN(stages.firstChunkQueuedAt)) stages.firstChunkQueuedAt = now;
      stages.lastChunkQueuedAt = now;
    }
  };
  const timer = setInterval(sample, 1);
  return () => {
    clearInterval(timer);
    sample();
    return stages;
  };
}

async function sendAlert(ctx: AlertContext, phase: Phase, n: number): Promise<SentAlert> {
  await settleRateLimit(ctx.lastSentAt);
  const { subject, raw } = alertMail(phase, n);
  const limitedBefore = await multicast429s(ctx.env);
  const stop = watchStages(ctx.env);
  const cpu = cpuSpan(ctx.dynamoPid);
  const smtp = await sendRaw(ctx.env, raw);
  const record = await decided(ctx, smtp.mailId);
  return finish(ctx, phase, n, subject, record, smtp, limitedBefore, stop, cpu);
}

/** Waits until the alert's delivery finished (polling, as light as the runtime's own work allows). */
async function finish(
  ctx: AlertContext,
  phase: Phase,
  n: number,
  subject: string,
  record: ReceivedMail,
  smtp: { startedAt: number; endedAt: number },
  limitedBefore: number,
  stopWatching: () => Stages,
  cpu: () => CpuSpan,
): Promise<SentAlert> {
  let delivery: Delivery | null = null;
  let finishedAt = NaN;
  if (record.decision === 'sent' && record.deliveryId) {
    delivery = await waitFinished(ctx.env, record.deliveryId, 120_000);
    finishedAt = Date.now();
    // The delivery is seen finished after its last multicast was accepted.
    ctx.lastSentAt = finishedAt;
  }
  const spent = cpu();
  const stages = stopWatching();
  const rateLimited = (await multicast429s(ctx.env)) - limitedBefore;
  return { phase, n, subject, record, smtp, delivery, finishedAt, rateLimited, stages, cpu: spent };
}

/** Who got the alert how often and when, from the simulator; its correctness checked. */
async function measure(ctx: AlertContext, sent: SentAlert): Promise<AlertRun> {
  const { env } = ctx;
  const { phase, n, record, delivery, smtp, stages } = sent;
  const receivedAt = Date.parse(record.receivedAt);
  const label = `alert ${phase} #${n}`;
  if (!delivery) ctx.failures.push(`${label}: decided ${record.decision} (${record.reason}), not sent`);
  const result = delivery ? await audit(env, delivery, ctx.everyone, ctx.friends) : undefined;
  if (delivery) {
    if (delivery.status !== 'sent') ctx.failures.push(`${label}: delivery ${delivery.status}`);
    if (delivery.broadcast) ctx.failures.push(`${label}: sent as a broadcast, not a multicast per language (kind ${record.kind})`);
  }
  if (result && (result.duplicates || result.misses || result.unexpected)) {
    ctx.failures.push(`${label}: ${result.duplicates} duplicates, ${result.misses} misses, ${result.unexpected} unexpected`);
  }
  const chunks = delivery?.chunksTotal ?? 0;
  return {
    phase,
    n,
    mailId: record.mailId,
    subject: sent.subject,
    decision: record.decision,
    kind: record.kind ?? null,
    status: delivery?.status ?? '–',
    receivedAt,
    lastSentAt: result?.lastSentAt ?? NaN,
    firstMs: (result?.firstSentAt ?? NaN) - receivedAt,
    lastMs: (result?.lastSentAt ?? NaN) - receivedAt,
    finishedMs: sent.finishedAt - receivedAt,
    stagesMs: {
      planQueued: stages.planQueuedAt - receivedAt,
      firstChunkQueued: stages.firstChunkQueuedAt - receivedAt,
      lastChunkQueued: stages.lastChunkQueuedAt - receivedAt,
      plannerDone: stages.plannerDoneAt - receivedAt,
    },
    smtpMs: smtp.endedAt - smtp.startedAt,
    receivedInsideSmtp: receivedAt >= smtp.startedAt && receivedAt <= smtp.endedAt,
    recipients: delivery?.recipients ?? 0,
    chunks,
    floorSeconds: chunks / MULTICAST_PER_SECOND,
    requests: result?.requests ?? 0,
    rateLimited: sent.rateLimited,
    duplicates: result?.duplicates ?? 0,
    misses: result?.misses ?? 0,
    unexpected: result?.unexpected ?? 0,
    cpu: sent.cpu,
  };
}

/** The same bytes over two SMTP connections at once: exactly one is sent, the other is a duplicate and makes no delivery. */
async function sendTwiceAtOnce(ctx: AlertContext, n: number): Promise<DisasterMailBenchResult['duplicateCase']> {
  await settleRateLimit(ctx.lastSentAt);
  const { subject, raw } = alertMail('duplicate', n);
  const limitedBefore = await multicast429s(ctx.env);
  const stop = watchStages(ctx.env);
  const cpu = cpuSpan(ctx.dynamoPid);
  const copies = await Promise.all([sendRaw(ctx.env, raw), sendRaw(ctx.env, raw)]);
  const records = await Promise.all(copies.map((c) => decided(ctx, c.mailId)));
  const decisions = records.map((r) => r.decision);
  const deliveries = (await Promise.all(records.map((r) => ctx.env.store.get(r.mailId, true)))).filter((d) => d !== null).length;
  const sent = records.findIndex((r) => r.decision === 'sent');
  if (decisions.filter((d) => d === 'sent').length !== 1 || decisions.filter((d) => d === 'duplicate').length !== 1 || deliveries !== 1) {
    ctx.failures.push(`the same mail twice at once: decisions ${decisions.join(' + ')}, ${deliveries} deliveries (must be sent + duplicate, 1 delivery)`);
  }
  if (sent < 0) stop();
  const alert = sent >= 0 ? await measure(ctx, await finish(ctx, 'duplicate', n, subject, records[sent]!, copies[sent]!, limitedBefore, stop, cpu)) : undefined;
  return { decisions, deliveries, ...(alert ? { alert } : {}) };
}

interface LoadOutput {
  type: 'done';
  seconds: number;
  sendSeconds: number;
  maxLagMs: number;
  startOffsets: number[];
  latencies: number[];
  statuses: number[];
  fresh: number[];
  connectMs: number[];
}

/** The webhook load process, started: when it began sending (epoch ms), and its figures once every answer came back. */
function startLoad(bundle: string, file: string, url: string, rate: number, seconds: number): { started: Promise<number>; finished: Promise<LoadOutput> } {
  const child = spawn(process.execPath, [bundle, file, url, String(rate)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  let onStarted: (at: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (onStarted = resolve));
  const finished = new Promise<LoadOutput>((resolve, reject) => {
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line) as { type: 'started'; at: number } | { type: 'done'; file: string };
        if (message.type === 'started') onStarted(message.at);
        else resolve(JSON.parse(readFileSync(message.file, 'utf8')) as LoadOutput);
      } catch (error) {
        reject(new Error(`the webhook load process said ${line.slice(0, 200)}`, { cause: error }));
      }
    });
    child.on('exit', (code) => reject(new Error(`the webhook load process exited (${code}) before it finished`)));
  });
  // Bounded: started within 30 s, finished within its time and 90 s more.
  const bounded = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const out = Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill();
          reject(new Error(`the webhook load did not ${what} in time`));
        }, ms);
      }),
    ]).finally(() => clearTimeout(timer));
    out.catch(() => undefined); // awaited later (or not, when the other one failed first)
    return out;
  };
  return { started: bounded(started, 30_000, 'start'), finished: bounded(finished, seconds * 1000 + 90_000, 'finish') };
}

async function webhookQueueDrained(env: PipelineEnv, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const q = env.rt.queues.webhook.depth();
    if (q.visible === 0 && q.inFlight === 0 && q.delayed === 0) return;
    if (Date.now() > deadline) throw new Error(`the webhook queue did not drain within ${timeoutMs / 1000} s: ${JSON.stringify(q)}`);
    await sleep(100);
  }
}

function latencyFigures(values: number[]): { requests: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const v = sorted(values);
  return { requests: v.length, p50Ms: percentile(v, 50), p99Ms: percentile(v, 99), maxMs: v[v.length - 1] ?? NaN };
}

/**
 * The citizens' messages, prepared and signed here, sent by bench/webhook-load-child.ts (bundled
 * by esbuild, run by node: a process of its own, so its work does not sit on the runtime's event
 * loop). First a warm-up (200/s for 5 s, reported apart: the process's first webhook requests
 * meet cold code, and an open loop piles them up), then the load; `work(k)` runs one after the
 * other from 2 s into it until 2.5 s before its end.
 * No reply token: the product then answers each message with one push (with a token the bench
 * cannot get from LINE it would make a refused reply and a push: two calls where LINE sees one).
 */
async function underLoad(
  ctx: AlertContext,
  options: DisasterMailBenchOptions,
  work: (k: number) => Promise<void>,
  /** After the load: the alerts' windows (epoch ms, receivedAt → last multicast accepted). */
  alertWindows: () => Promise<{ from: number; to: number }[]>,
): Promise<LoadResult> {
  const { env } = ctx;
  const active = ctx.friends.filter((f) => f.status === 'active');
  const writers = Array.from({ length: Math.min(options.writers, active.length) }, (_, i) => active[Math.floor((i * active.length) / options.writers)]!.userId);
  const warmRate = Math.min(200, options.loadRate);
  const warmSeconds = 5;
  const total = options.loadRate * options.loadSeconds;
  let made = 0;
  const eventIds: string[] = [];
  const requests = (count: number, rate: number, startsAt: number) =>
    Array.from({ length: count }, (_, i) => {
      const n = made++;
      const event = {
        type: 'message',
        mode: 'active',
        timestamp: startsAt + Math.floor((i * 1000) / rate),
        source: { type: 'user', userId: writers[n % writers.length]! },
        webhookEventId: ulid(),
        deliveryContext: { isRedelivery: false },
        message: { id: String(700_000_000 + n), type: 'text', quoteToken: 'q', text: `避難所は開いていますか（ベンチ ${n}）` },
      };
      eventIds.push(event.webhookEventId);
      const body = JSON.stringify({ destination: 'Ubench', events: [event] });
      return { body, signature: createHmac('sha256', env.rt.channelSecret).update(body).digest('base64') };
    });
  const dir = mkdtempSync(join(tmpdir(), 'civic-line-bench-load-'));
  try {
    const bundle = join(dir, 'webhook-load-child.mjs');
    await build({
      entryPoints: ['bench/webhook-load-child.ts'],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
    });
    const deadLettersBefore = env.rt.queues.webhook.deadLetters.length;

    // Warm-up, then its events processed.
    const warmFile = join(dir, 'warm-up.json');
    writeFileSync(warmFile, JSON.stringify(requests(warmRate * warmSeconds, warmRate, Date.now() + 500)));
    const warm = startLoad(bundle, warmFile, env.rt.webhookUrl, warmRate, warmSeconds);
    await warm.started;
    const warmOutput = await warm.finished;
    await webhookQueueDrained(env, 300_000);

    const file = join(dir, 'requests.json');
    writeFileSync(file, JSON.stringify(requests(total, options.loadRate, Date.now() + 1_000)));
    const load = startLoad(bundle, file, env.rt.webhookUrl, options.loadRate, options.loadSeconds);
    const startAt = await load.started;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const loadEnd = startAt + options.loadSeconds * 1000;
    await sleep(Math.max(0, startAt + 2_000 - Date.now()));
    for (let k = 0; Date.now() < loadEnd - 2_500; k++) await work(k);
    const output = await load.finished;
    loop.disable();

    // Every event processed: the webhook queue empty (bounded), then the ledger and the conversation log.
    await webhookQueueDrained(env, 600_000);
    const drainedAfterSeconds = (Date.now() - startAt) / 1000;
    const windows = await alertWindows();
    if (process.env.BENCH_DUMP_LOAD) writeFileSync(process.env.BENCH_DUMP_LOAD, JSON.stringify({ startAt, output, windows }));
    const { lost, processedTwice } = await checkEvents(env, eventIds, writers);
    if (lost > 0) ctx.failures.push(`webhook: ${lost} of ${eventIds.length} events lost`);
    if (processedTwice > 0) ctx.failures.push(`webhook: ${processedTwice} events processed twice`);

    const all = latencyFigures(output.latencies);
    // Requests issued while a load-phase alert was on its way (receivedAt → its last multicast), and the others.
    const inAlert = output.startOffsets.map((offset) => windows.some((w) => startAt + offset >= w.from && startAt + offset <= w.to));
    // Not a failure by itself: LINE would redeliver it (an event it never got through is counted lost below).
    const non200 = output.statuses.filter((s) => s !== 200).length + warmOutput.statuses.filter((s) => s !== 200).length;
    const opened = latencyFigures(output.latencies.filter((_, i) => output.fresh[i] === 1));
    const reused = latencyFigures(output.latencies.filter((_, i) => output.fresh[i] !== 1));
    return {
      rate: options.loadRate,
      seconds: options.loadSeconds,
      writers: writers.length,
      events: total,
      warmUp: { rate: warmRate, seconds: warmSeconds, ...latencyFigures(warmOutput.latencies) },
      sendSeconds: output.sendSeconds,
      maxLagMs: output.maxLagMs,
      p50Ms: all.p50Ms,
      p99Ms: all.p99Ms,
      maxMs: all.maxMs,
      duringAlerts: latencyFigures(output.latencies.filter((_, i) => inAlert[i])),
      outsideAlerts: latencyFigures(output.latencies.filter((_, i) => !inAlert[i])),
      non200,
      connections: {
        opened: opened.requests,
        openedP99Ms: opened.p99Ms,
        connectMaxMs: Math.max(0, ...output.connectMs),
        reusedP50Ms: reused.p50Ms,
        reusedP99Ms: reused.p99Ms,
        reusedMaxMs: reused.maxMs,
      },
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      eventLoopMaxMs: loop.max / 1e6,
      drainedAfterSeconds,
      processedPerSecond: total / drainedAfterSeconds,
      deadLettered: env.rt.queues.webhook.deadLetters.length - deadLettersBefore,
      lost,
      processedTwice,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Read back: each event's ledger item is `completed`, its message is in the writer's conversation
 * log once and answered once (the answer names the event).
 */
async function checkEvents(env: PipelineEnv, eventIds: string[], writers: string[]): Promise<{ lost: number; processedTwice: number }> {
  const completed = new Set<string>();
  const batches: string[][] = [];
  for (let i = 0; i < eventIds.length; i += 100) batches.push(eventIds.slice(i, i + 100));
  const inbound = new Map<string, number>();
  const answers = new Map<string, number>();
  const count = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  await pool(batches, 8, async (ids) => {
    let keys: Record<string, unknown>[] | undefined = ids.map((id) => eventLedgerKey(id));
    while (keys && keys.length > 0) {
      const out = await env.db.send(
        new BatchGetCommand({
          RequestItems: { [env.rt.tableName]: { Keys: keys, ProjectionExpression: 'PK, #s', ExpressionAttributeNames: { '#s': 'status' } } },
        }),
      );
      for (const item of out.Responses?.[env.rt.tableName] ?? []) {
        if (item.status === 'completed') completed.add((item.PK as string).slice('WEBHOOK_EVENT#'.length));
      }
      keys = out.UnprocessedKeys?.[env.rt.tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  });
  await pool(writers, 8, async (userId) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await env.db.send(
        new QueryCommand({
          TableName: env.rt.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :msg)',
          ExpressionAttributeValues: { ':pk': conversationPartition(userId), ':msg': CONVERSATION_SK_PREFIX },
          ProjectionExpression: 'direction, webhookEventId',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.webhookEventId !== 'string') continue;
        count(item.direction === 'in' ? inbound : answers, item.webhookEventId);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  });
  let lost = 0;
  let processedTwice = 0;
  for (const id of eventIds) {
    if (!completed.has(id) || !inbound.get(id) || !answers.get(id)) lost++;
    if ((inbound.get(id) ?? 0) > 1 || (answers.get(id) ?? 0) > 1) processedTwice++;
  }
  return { lost, processedTwice };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

// ---- report ------------------------------------------------------------------------------------

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const ms = (v: number) => `${fmt(v, 0)} ms`;
const sec = (v: number) => `${fmt(v / 1000, 2)} s`;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/** First / last against the issue's targets, the bare path beside them, and the ratio. */
function alertFigures(alerts: AlertRun[], bare: BareSample[], bareWhere: string): string[] {
  if (alerts.length === 0) return ['  (no alert)'];
  const first = sorted(alerts.map((a) => a.firstMs));
  const last = sorted(alerts.map((a) => a.lastMs));
  const floor = median(alerts.map((a) => a.floorSeconds));
  const lastTarget = (1.5 * floor + 1) * 1000;
  const chunks = [...new Set(alerts.map((a) => a.chunks))].join('/');
  const lines = [
    `  first multicast accepted: median ${ms(median(first))}, p95 ${ms(percentile(first, 95))}, max ${ms(first[first.length - 1]!)} (target median ≤ 1,000 ms, p95 ≤ 2,000 ms)`,
    `  last multicast accepted:  median ${sec(median(last))}, max ${sec(last[last.length - 1]!)}; floor ${chunks} chunks / ${MULTICAST_PER_SECOND} per s = ${fmt(floor, 2)} s → target ≤ 1.5 × floor + 1 s = ${sec(lastTarget)} (${alerts.filter((a) => a.lastMs <= lastTarget).length} of ${alerts.length} within)`,
  ];
  if (bare.length > 0) {
    const bareLast = sorted(bare.map((b) => b.lastMs));
    lines.push(
      `  bare path (the same chunks precomputed, multicast straight to the simulator by as many senders × batches of 10; ${bare.length} run${bare.length > 1 ? 's' : ''} ${bareWhere}): last median ${sec(median(bareLast))} (${sec(bareLast[0]!)}–${sec(bareLast[bareLast.length - 1]!)}), first ${bare.map((b) => fmt(b.firstMs, 0)).join('/')} ms, 429s ${bare.map((b) => b.rateLimited).join('/')}`,
      `  product / bare:           ${fmt(median(last) / median(bareLast), 2)} × (median last / median last; target ≤ 1.3)`,
    );
  }
  const stage = (key: keyof AlertRun['stagesMs']) => ms(median(alerts.map((a) => a.stagesMs[key])));
  const cpu = (spans: CpuSpan[]) =>
    `wall ${sec(median(spans.map((c) => c.wallMs)))}, this process ${sec(median(spans.map((c) => c.processCpuMs)))} of CPU (its main thread busy ${fmt(100 * median(spans.map((c) => c.mainThreadBusy)), 0)} %), DynamoDB Local ${sec(median(spans.map((c) => c.dynamoCpuMs)))}, the machine ${fmt(100 * median(spans.map((c) => c.machineBusy)), 0)} % busy (all ${CORES} cores, every process)`;
  lines.push(
    `  where the time goes (medians from receivedAt): plan queued by the intake ${stage('planQueued')}, first chunk queued ${stage('firstChunkQueued')}, first multicast ${ms(median(first))}, last chunk queued ${stage('lastChunkQueued')}, planner done ${stage('plannerDone')}, last multicast ${ms(median(last))}`,
    `  CPU per alert (medians, SMTP send → delivery seen finished): ${cpu(alerts.map((a) => a.cpu))}${bare.length > 0 ? `; per bare run: ${cpu(bare.map((b) => b.cpu))}` : ''}`,
    `  per alert (first/last ms): ${alerts.map((a) => `${fmt(a.firstMs, 0)}/${fmt(a.lastMs, 0)}`).join(', ')}`,
    `  delivery seen finished (polled every 50 ms) median ${sec(median(alerts.map((a) => a.finishedMs)))}; SMTP client send (connect … 250) median ${ms(median(alerts.map((a) => a.smtpMs)))}, receivedAt inside it ${alerts.filter((a) => a.receivedInsideSmtp).length} of ${alerts.length}; kinds ${[...new Set(alerts.map((a) => a.kind))].join(', ')}`,
    `  requests accepted ${[...new Set(alerts.map((a) => a.requests))].join('/')} per alert; duplicates ${sum(alerts, 'duplicates')}, misses ${sum(alerts, 'misses')}, unexpected ${sum(alerts, 'unexpected')} (all must be 0); multicast 429s ${sum(alerts, 'rateLimited')}; decisions ${[...new Set(alerts.map((a) => a.decision))].join(', ')}, deliveries ${[...new Set(alerts.map((a) => a.status))].join(', ')}`,
  );
  return lines;
}

const sum = (alerts: AlertRun[], key: 'duplicates' | 'misses' | 'unexpected' | 'rateLimited') => alerts.reduce((n, a) => n + a[key], 0);

export function formatDisasterMail(m: DisasterMailBenchResult): string {
  const out: string[] = [];
  const langs = Object.entries(m.languages)
    .map(([lang, n]) => `${lang} ${n.toLocaleString('en-US')}`)
    .join(', ');
  out.push(
    `seeding:                    ${m.friends.toLocaleString('en-US')} friends (${m.active.toLocaleString('en-US')} active: ${langs}) in ${fmt(m.seedSeconds, 1)} s; send queue ${m.sendConcurrency} concurrent batches of 10, ${m.senderWorkers} sender threads; every alert and bare run starts with the simulator's multicast bucket full (1.1 s after the last multicast)`,
  );
  const warm = m.alerts.find((a) => a.phase === 'warm-up');
  const warmBare = m.bare.find((b) => b.phase === 'warm-up');
  if (warm) {
    out.push(
      `warm-up (the process's first alert: JIT warm-up; not compared): first ${ms(warm.firstMs)}, last ${sec(warm.lastMs)} (${warm.chunks} chunks); its bare path last ${warmBare ? sec(warmBare.lastMs) : '–'}`,
    );
  }
  const quiet = m.alerts.filter((a) => a.phase === 'quiet');
  out.push(
    `${quiet.length} alerts one after the other (time zero: the mail record's receivedAt, taken when DATA ended; each waits until its delivery finished):`,
  );
  out.push(
    ...alertFigures(
      quiet,
      m.bare.filter((b) => b.phase === 'quiet'),
      'between them',
    ),
  );
  const dup = m.duplicateCase;
  out.push(
    `the same mail twice at once:  decisions ${dup.decisions.join(' + ')}, ${dup.deliveries} deliver${dup.deliveries === 1 ? 'y' : 'ies'} (must be sent + duplicate, 1)${dup.alert ? `; first ${ms(dup.alert.firstMs)}, last ${sec(dup.alert.lastMs)}; duplicates ${dup.alert.duplicates}, misses ${dup.alert.misses}, unexpected ${dup.alert.unexpected} (all must be 0)` : ''}`,
  );
  const l = m.load;
  out.push(
    `citizens writing: ${l.rate.toLocaleString('en-US')} signed text messages/s for ${l.seconds} s from ${l.writers.toLocaleString('en-US')} friends (${l.events.toLocaleString('en-US')} events), open loop from a process of its own; no reply token (each answer is one push):`,
    `  warm-up first:            ${l.warmUp.requests.toLocaleString('en-US')} requests at ${l.warmUp.rate}/s for ${l.warmUp.seconds} s (the process's first webhook requests), then their events processed: p50 ${fmt(l.warmUp.p50Ms, 2)} ms, p99 ${fmt(l.warmUp.p99Ms, 2)} ms, max ${fmt(l.warmUp.maxMs, 2)} ms`,
    `  POST /webhook latency:    p50 ${fmt(l.p50Ms, 2)} ms, p99 ${fmt(l.p99Ms, 2)} ms, max ${fmt(l.maxMs, 2)} ms (target p99 ≤ 50 ms; LINE gives up at 2,000 ms)`,
    `  … while an alert was on its way (${l.duringAlerts.requests.toLocaleString('en-US')} requests): p50 ${fmt(l.duringAlerts.p50Ms, 2)} ms, p99 ${fmt(l.duringAlerts.p99Ms, 2)} ms, max ${fmt(l.duringAlerts.maxMs, 2)} ms; the others (${l.outsideAlerts.requests.toLocaleString('en-US')}): p50 ${fmt(l.outsideAlerts.p50Ms, 2)} ms, p99 ${fmt(l.outsideAlerts.p99Ms, 2)} ms, max ${fmt(l.outsideAlerts.maxMs, 2)} ms`,
    `  connections:              ${l.connections.opened.toLocaleString('en-US')} requests found no free keep-alive connection and opened one: their p99 ${fmt(l.connections.openedP99Ms, 2)} ms, slowest TCP connect ${fmt(l.connections.connectMaxMs, 1)} ms; on an open connection p50 ${fmt(l.connections.reusedP50Ms, 2)} ms, p99 ${fmt(l.connections.reusedP99Ms, 2)} ms, max ${fmt(l.connections.reusedMaxMs, 2)} ms`,
    `  load generator:           issued them in ${fmt(l.sendSeconds, 2)} s, at most ${fmt(l.maxLagMs, 1)} ms behind its schedule; non-200 answers ${l.non200}`,
    `  runtime's main thread:    event-loop delay p99 ${fmt(l.eventLoopP99Ms, 1)} ms, max ${fmt(l.eventLoopMaxMs, 1)} ms (it runs the HTTP gateway, and the intake, planner and queues)`,
    `  processing:               webhook queue empty ${fmt(l.drainedAfterSeconds, 1)} s after the load started (${fmt(l.processedPerSecond, 0)} events/s end to end); dead-lettered ${l.deadLettered}`,
    `  lost:                     ${l.lost} (must be 0); processed twice: ${l.processedTwice} (must be 0) — of these ${(l.events + l.warmUp.requests).toLocaleString('en-US')} events, warm-up included`,
  );
  const loaded = m.alerts.filter((a) => a.phase === 'load');
  out.push(`${loaded.length} alerts while the citizens wrote (one after the other, from 2 s into the load):`);
  out.push(
    ...alertFigures(
      loaded,
      m.bare.filter((b) => b.phase === 'load'),
      'during the load as well',
    ),
  );
  out.push(m.failures.length === 0 ? 'correctness:                OK' : `correctness:                FAILED\n${m.failures.map((f) => `  - ${f}`).join('\n')}`);
  return out.join('\n');
}
