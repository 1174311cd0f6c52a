/**
 * The whole product on one machine: DynamoDB Local, the LINE platform
 * simulator, the local queues and the HTTP gateway in front of the same Lambda
 * handlers that AWS runs. Used by `npm start` (bin/local.ts), the integration
 * tests and the benchmark.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { PlannerMessage, SendMessage } from '../functions/deliveries/model';
import type { StoredMailMessage } from '../functions/disaster-mail/ports';
import { join, resolve } from 'node:path';
import { LOCAL_TABLE_NAME } from '../lib/table-definition';
import { LocalQueue, type DeadLetter } from '../functions/adapters/local/local-queue';
import { FileBlobStore } from '../functions/adapters/local/file-blob-store';
import { handleLocalBlobUpload } from './blob-upload';
import { ENV } from '../functions/shared/env';
import { ensureTable, freePort, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { HttpGateway, refuse } from './http-gateway';
import { WorkerPool } from './worker-pool';
import { localContext } from '../functions/adapters/local/lambda-context';
import { ControllableClock } from '../functions/adapters/local/controllable-clock';
import type { LocalScheduler } from '../functions/adapters/local/local-scheduler';
import { landingPage } from './landing-page';
import { DEFAULT_LIFF_DIST, DEFAULT_WEB_DIST, SECURITY_HEADERS, serveConsole, serveLiff } from './static-site';

export interface LocalRuntimeOptions {
  /** Where data is kept across restarts; omit for an in-memory run (tests, benchmark). */
  dataDir?: string;
  /** Delete dataDir first. */
  fresh?: boolean;
  host?: string;
  /** 0 picks a free port. Defaults: 3000, 3100, 8000. */
  platformPort?: number;
  simulatorPort?: number;
  dynamodbPort?: number;
  /** The disaster-mail bridge's SMTP server (SES email receiving in AWS): 0 (default) picks a free port; `npm start` uses 2525. */
  smtpPort?: number;
  /** Use an already running DynamoDB (Local or AWS) instead of starting one. */
  dynamodbEndpoint?: string;
  /** 'simulator' (default) or 'real': real LINE with the channel values from the environment. */
  lineMode?: 'simulator' | 'real';
  /** Consumer concurrency of the webhook queue (Lambda reserved concurrency in AWS). */
  webhookConcurrency?: number;
  /** Worker threads running the webhook consumer (Lambda instances in AWS). */
  webhookWorkers?: number;
  /** Delay before a failed queue message is offered again. */
  retryDelayMs?: number;
  /**
   * CPU priority (nice, Linux: per thread) of the queue consumers' threads. In AWS every function
   * has its own instances; here they share the machine's cores with the HTTP gateway (this thread,
   * nice 0), so the queue work yields to the requests: the delivery pipeline and the mail intake
   * a little (`pipeline`), the webhook consumer, whose backlog may wait, most (`webhook`).
   * @default { pipeline: 4, webhook: 15 }
   */
  threadNice?: { pipeline?: number; webhook?: number };
  /** Deliveries: concurrent sender invocations (batches of 10 chunks), worker threads running them, delay before a failed chunk is retried. */
  sendConcurrency?: number;
  senderWorkers?: number;
  sendRetryDelayMs?: number;
  /** Deliveries: how often the statistics job runs locally (0: only on demand, POST /__local/stats). @default 300000 */
  statsIntervalMs?: number;
  /** Simulator rate limits (LINE's by default). */
  simulatorRateLimits?: { multicastPerSecond?: number; defaultPerSecond?: number; broadcastPerHour?: number };
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** The built console (default admin-web/dist); the landing page shows while it is missing. */
  webDistDir?: string;
  /** The built citizen LIFF pages (default liff-web/dist), served at /liff/. */
  liffDistDir?: string;
}

export interface LocalRuntime {
  platformUrl: string;
  /** The citizen pages (liff-web) on this platform. */
  liffUrl: string;
  /** The local LIFF app: https://liff.line.me/<liffId>/… opens the citizen pages in the simulator's phone. */
  liffId: string;
  webhookUrl: string;
  simulatorUrl: string | null;
  dynamodbEndpoint: string;
  tableName: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  queues: { webhook: LocalQueue; planner: LocalQueue; send: LocalQueue; mail: LocalQueue };
  /** The disaster-mail bridge's SMTP server: mail sent here goes through the same intake as SES's in AWS. */
  smtp: { host: string; port: number };
  /** Worker threads of the delivery senders (crash one with `workers.sender.crash()`). */
  workers: { sender: WorkerPool };
  /** Deliveries: the local one-time scheduler (EventBridge Scheduler in AWS) and the clock it and the admin API read (`/__local/clock`). */
  scheduler: LocalScheduler;
  clock: ControllableClock;
  /** Runs the statistics job once (hourly in AWS; every `statsIntervalMs` here). */
  refreshStats(): Promise<unknown>;
  /** Set only when this start created the first administrator (no staff account existed). */
  initialAdmin: { loginId: string; password: string } | null;
  stop(): Promise<void>;
}

interface LocalSecrets {
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  /** The platform's HMAC key (APP_SECRET_ARN's signingKey in AWS). */
  signingKey: string;
}

/** A local setting that cannot work; the runtime stops with this message instead of guessing. */
export class LocalConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalConfigurationError';
  }
}

/**
 * Local channel values: from the environment (both LINE_CHANNEL_SECRET and
 * LINE_CHANNEL_ACCESS_TOKEN, or neither), else generated once per data folder (never in the repo).
 */
export function localSecrets(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): LocalSecrets {
  const fromEnv = {
    channelSecret: env[ENV.LINE_CHANNEL_SECRET] || undefined,
    channelAccessToken: env[ENV.LINE_CHANNEL_ACCESS_TOKEN] || undefined,
    loginChannelId: env[ENV.LINE_LOGIN_CHANNEL_ID] || undefined,
  };
  if (Boolean(fromEnv.channelSecret) !== Boolean(fromEnv.channelAccessToken)) {
    const [set, missing] = fromEnv.channelSecret
      ? [ENV.LINE_CHANNEL_SECRET, ENV.LINE_CHANNEL_ACCESS_TOKEN]
      : [ENV.LINE_CHANNEL_ACCESS_TOKEN, ENV.LINE_CHANNEL_SECRET];
    throw new LocalConfigurationError(
      `${set} が設定されていますが ${missing} がありません。両方を設定するか、両方を外してください（外すとシミュレーター用の値を作ります）。\n` +
        `${set} is set but ${missing} is not: set both (a real channel's values) or neither (generated values for the simulator). ` +
        'With only one, every webhook LINE signs with your channel secret would fail its signature check.',
    );
  }
  const file = dataDir ? join(dataDir, 'local-secrets.json') : undefined;
  const stored = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const signingKey = env[ENV.APP_SIGNING_KEY] || stored.signingKey || randomBytes(32).toString('base64url');
  if (fromEnv.channelSecret && fromEnv.channelAccessToken) {
    // The channel's values stay in the environment; the platform's own key is kept with the data.
    if (file && !stored.signingKey && !env[ENV.APP_SIGNING_KEY]) writeFileSync(file, JSON.stringify({ ...stored, signingKey }, null, 2), { mode: 0o600 });
    return {
      channelSecret: fromEnv.channelSecret,
      channelAccessToken: fromEnv.channelAccessToken,
      loginChannelId: fromEnv.loginChannelId ?? '2000000000',
      signingKey,
    };
  }
  const secrets: LocalSecrets = {
    channelSecret: stored.channelSecret ?? randomBytes(16).toString('hex'),
    channelAccessToken: stored.channelAccessToken ?? randomBytes(32).toString('base64url'),
    loginChannelId: stored.loginChannelId ?? '2000000000',
    signingKey: stored.signingKey ?? signingKey,
  };
  if (file && JSON.stringify(stored) !== JSON.stringify(secrets)) writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The local LIFF app's ID after the channel ID (a real one is 8 letters and digits too). */
export const LOCAL_LIFF_SUFFIX = 'LocalSim';

/** See LocalRuntimeOptions.threadNice. */
export const DEFAULT_THREAD_NICE = { pipeline: 4, webhook: 15 } as const;

async function port(requested: number | undefined, fallback: number, host: string): Promise<number> {
  const wanted = requested ?? fallback;
  return wanted === 0 ? freePort(host) : wanted;
}

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir && options.fresh) rmSync(dataDir, { recursive: true, force: true });
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lineMode = options.lineMode ?? 'simulator';

  const platformPort = await port(options.platformPort, 3000, host);
  const simulatorPort = lineMode === 'simulator' ? await port(options.simulatorPort, 3100, host) : 0;
  const secrets = localSecrets(dataDir);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error('[local] stop failed', e));
  };

  try {
    // 1. DynamoDB Local with the table the CDK stack defines.
    let dynamo: DynamoDbLocal | undefined;
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      dynamo = await startDynamoDbLocal({ port: await port(options.dynamodbPort, 8000, host), host, dataDir: dataDir && join(dataDir, 'dynamodb') });
      stops.push(() => dynamo!.stop());
      dynamodbEndpoint = dynamo.endpoint;
    }
    const tableName = process.env[ENV.TABLE_NAME] ?? LOCAL_TABLE_NAME;
    await ensureTable(dynamodbEndpoint, tableName);

    // Citizens' uploads (S3 in AWS): in the data folder, or a temp folder removed on stop.
    let uploadsDir: string;
    if (dataDir) uploadsDir = join(dataDir, 'uploads');
    else {
      uploadsDir = mkdtempSync(join(tmpdir(), 'civic-line-uploads-'));
      stops.push(async () => rmSync(uploadsDir, { recursive: true, force: true }));
    }
    mkdirSync(uploadsDir, { recursive: true });
    // Received disaster mail as it arrived (the mail bucket in AWS).
    const mailDir = dataDir ? join(dataDir, 'mail') : mkdtempSync(join(tmpdir(), 'civic-line-mail-'));
    mkdirSync(mailDir, { recursive: true });
    if (!dataDir) stops.push(async () => rmSync(mailDir, { recursive: true, force: true }));

    // 2. The environment the handlers read, exactly as the CDK stack sets it in AWS.
    const platformUrl = `http://${host}:${platformPort}`;
    // The local LIFF app, shaped like a real LIFF ID (<channel ID>-<8 characters>): the simulator's
    // phone opens https://liff.line.me/<liffId>/… in its LIFF view, as LINE does.
    const liffId = process.env[ENV.LIFF_ID] || `${secrets.loginChannelId}-${LOCAL_LIFF_SUFFIX}`;
    if (lineMode === 'real' && !process.env[ENV.LIFF_ID]) {
      console.warn(
        `[local] LINE_MODE=real without LIFF_ID: form links would point to ${liffId}, which real LINE does not know. Set LIFF_ID to your LIFF app's ID (LINE Developers console → LINE Login channel → LIFF).`,
      );
    }
    const blobsSecret = randomBytes(32).toString('base64url');
    const simulatorUrl = lineMode === 'simulator' ? `http://${host}:${simulatorPort}` : null;
    Object.assign(process.env, {
      [ENV.STAGE]: 'local',
      [ENV.TABLE_NAME]: tableName,
      [ENV.DYNAMODB_ENDPOINT]: dynamodbEndpoint,
      [ENV.LINE_CHANNEL_SECRET]: secrets.channelSecret,
      [ENV.LINE_CHANNEL_ACCESS_TOKEN]: secrets.channelAccessToken,
      [ENV.LINE_LOGIN_CHANNEL_ID]: secrets.loginChannelId,
      [ENV.APP_SIGNING_KEY]: secrets.signingKey,
      [ENV.LIFF_ID]: liffId,
      [ENV.UPLOADS_DIR]: uploadsDir,
      [ENV.MAIL_DIR]: mailDir,
      // Direct uploads (S3 presigned PUT in AWS): signed URLs on this platform, key random per start.
      [ENV.LOCAL_BLOBS_URL]: platformUrl,
      [ENV.LOCAL_BLOBS_SECRET]: blobsSecret,
      AWS_REGION: 'ap-northeast-1',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_SERVICE_NAME: 'civic-line',
    });
    if (simulatorUrl) {
      process.env[ENV.LINE_API_BASE_URL] = simulatorUrl;
      process.env[ENV.LINE_DATA_API_BASE_URL] = simulatorUrl;
    }
    // Deliveries: this platform is the public origin of click redirects and images in sent
    // messages. The planner and send queues are passed to the handlers (PLANNER_QUEUE_URL and
    // SEND_QUEUE_URL stay unset: they name SQS queues in AWS).
    process.env[ENV.PUBLIC_BASE_URL] = platformUrl;
    const plannerQueue = new LocalQueue({ name: 'delivery-planner', concurrency: 2, visibilityTimeoutMs: options.retryDelayMs ?? 5_000, maxReceiveCount: 5 });
    let deadLetterHandler: ((event: SQSEvent, context: Context) => Promise<unknown>) | undefined;
    const sendQueue = new LocalQueue({
      name: 'delivery-send',
      // 200 chunks of 500 (100,000 friends) at LINE's 200 multicasts/s: see docs/ARCHITECTURE.md ("Deliveries").
      concurrency: options.sendConcurrency ?? 8,
      visibilityTimeoutMs: options.sendRetryDelayMs ?? options.retryDelayMs ?? 5_000,
      maxReceiveCount: 5,
      // The DLQ's consumer (a Lambda on the send DLQ in AWS).
      onDeadLetter: async (dl) => {
        await deadLetterHandler?.({ Records: [deadLetterRecord(dl)] }, localContext('delivery-dead-letter', 30_000));
      },
    });

    // 3. Handlers: imported after the environment is set (Powertools reads it at import).
    const [{ createReceiveHandler }, { receiveDeps }, { createAdminHandler }, adminWiring, { ensureLocalAdministrator }, { createLiffHandler }, liffWiring] =
      await Promise.all([
        import('../functions/webhook/receive'),
        import('../functions/webhook/receive-wiring'),
        import('../functions/admin/api'),
        import('../functions/admin/wiring'),
        import('../functions/admin/bootstrap'),
        import('../functions/liff/api'),
        import('../functions/liff/wiring'),
      ]);
    // The deliveries' queues as the handlers see them (SQS JSON queues in AWS).
    const { jsonQueue } = await import('../functions/ports/event-queue');
    const deliveryQueues = { planner: jsonQueue<PlannerMessage>(plannerQueue), send: jsonQueue<SendMessage>(sendQueue) };
    // Scheduled and recurring sends: the local scheduler (schedules in the table) on a clock that
    // /__local/clock moves; the admin API checks "in the future" against the same clock.
    const clock = new ControllableClock();
    const { LocalScheduler } = await import('../functions/adapters/local/local-scheduler');
    const scheduler = new LocalScheduler(deliveryQueues.planner, clock, { onError: (e) => console.error('[local] scheduler', e) });
    // The disaster-mail bridge: the intake queue (SQS in AWS) and the raw mail's store (S3 in AWS).
    const mailQueue = new LocalQueue({ name: 'disaster-mail', concurrency: 2, visibilityTimeoutMs: options.retryDelayMs ?? 5_000, maxReceiveCount: 5 });
    const mailStore = new FileBlobStore(mailDir);
    const { jsonQueue: typedQueue } = await import('../functions/ports/event-queue');
    const intakeQueue = typedQueue<StoredMailMessage>(mailQueue);
    const adminDeps = adminWiring.adminDeps({
      csvDelivery: 'stream',
      local: { queues: deliveryQueues, scheduler, clock, mail: { mailStore, intake: intakeQueue } },
    });
    const liffDeps = liffWiring.liffDeps();
    // The standard profile form, published, at first start (idempotent); responses of an older data
    // folder join the console's newest-first list (once, like the scheduled job does in AWS).
    await liffDeps.bootstrap!();
    // The keyword auto-replies' starter set (functions/keywords/starter-rules.ts), once per data folder.
    await adminDeps.keywords!.keywordsBootstrap!();
    // The starter report scenario (functions/reports/starter-scenario.ts), once per data folder.
    await adminDeps.reports!.reportsBootstrap!();
    await (await import('../functions/adapters/aws/response-store')).ensureResponseListIndex();

    // The first administrator, with a random password shown once (never a default one).
    const initialAdmin = await ensureLocalAdministrator(adminWiring.bootstrapDeps());
    if (initialAdmin && dataDir) {
      writeFileSync(
        join(dataDir, 'initial-admin.txt'),
        `管理画面の最初の管理者（初回起動時に作成）\nログインID: ${initialAdmin.loginId}\nパスワード: ${initialAdmin.password}\n（最初のサインインで新しいパスワードへの変更を求められます。変更後、このファイルは削除してください）\n`,
        { mode: 0o600 },
      );
    }
    const nice = {
      pipeline: options.threadNice?.pipeline ?? DEFAULT_THREAD_NICE.pipeline,
      webhook: options.threadNice?.webhook ?? DEFAULT_THREAD_NICE.webhook,
    };
    // libuv's thread pool (fs, dns, crypto) starts on first use, and its threads inherit the
    // priority of the thread that started it: start it here, on the gateway's thread, first.
    await stat(process.cwd());
    const webhookQueue = new LocalQueue({
      name: 'webhook-events',
      concurrency: options.webhookConcurrency ?? 8,
      visibilityTimeoutMs: options.retryDelayMs ?? 5_000,
      maxReceiveCount: 5,
    });
    // The consumer is the AWS entry file itself, in its own thread like a separate Lambda.
    const consumers = new WorkerPool(
      'local/webhook-thread.ts',
      'webhook-process',
      options.webhookWorkers ?? 1,
      undefined,
      { planner: deliveryQueues.planner },
      nice.webhook,
    );
    stops.push(() => consumers.stop());
    await consumers.started();
    webhookQueue.consume((event) => consumers.invoke<SQSBatchResponse>(event, 30_000));
    stops.push(() => webhookQueue.stop());

    // Deliveries: the planner in its own thread (a Lambda in AWS), calling this thread's send and
    // planner queues and scheduler; the senders are the AWS entry file in worker threads (Lambda
    // instances); the DLQ goes to the dead-letter handler.
    const [pipeline, deliveryWiring] = await Promise.all([import('../functions/deliveries/pipeline-handlers'), import('../functions/deliveries/wiring')]);
    const planners = new WorkerPool(
      'local/planner-thread.ts',
      'delivery-planner',
      1,
      clock.shared,
      { planner: deliveryQueues.planner, send: deliveryQueues.send, scheduler },
      nice.pipeline,
    );
    stops.push(() => planners.stop());
    await planners.started();
    plannerQueue.consume((event) => planners.invoke<SQSBatchResponse>(event, 300_000)); // PLANNER_TIMEOUT (lib/config.ts)
    stops.push(() => plannerQueue.stop());
    // The senders record first-sent, failed and finished times by the runtime's clock (shared with their threads).
    const senders = new WorkerPool(
      'functions/deliveries/sender-handler.ts',
      'delivery-sender',
      options.senderWorkers ?? 2,
      clock.shared,
      undefined,
      nice.pipeline,
    );
    stops.push(() => senders.stop());
    await senders.started();
    sendQueue.consume((event) => senders.invoke<SQSBatchResponse>(event, 30_000));
    stops.push(() => sendQueue.stop());
    // Due schedules fire from here on (late ones, missed while stopped, at once); stopped before the queues.
    scheduler.start();
    stops.push(() => scheduler.stop());
    const [{ runScheduledJob }, { createPublicHandler }, { publicDeps }] = await Promise.all([
      import('../functions/deliveries/scheduled-job'),
      import('../functions/deliveries/public-api'),
      import('../functions/deliveries/public-wiring'),
    ]);
    const statsJob = deliveryWiring.scheduledJobDeps({ queues: deliveryQueues, clock });
    // The scheduled job as in AWS: statistics, then the data's upkeep (audience index, response list).
    const refreshStats = () => runScheduledJob(statsJob);
    const statsIntervalMs = options.statsIntervalMs ?? 300_000;
    if (statsIntervalMs > 0) {
      const timer = setInterval(() => void refreshStats().catch((e) => console.error('[local] statistics', e)), statsIntervalMs);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }
    const publicHandler = createPublicHandler(publicDeps({ blobs: new FileBlobStore(uploadsDir) }));
    deadLetterHandler = pipeline.createDeadLetterHandler(deliveryWiring.finishDeps({ clock })) as unknown as typeof deadLetterHandler;

    // The disaster-mail intake (a Lambda on the SQS queue in AWS) in its own thread like the
    // planner, and the SMTP server stores each mail before it answers 250, then queues it.
    const [mailWiring, { receivedMailsToRequeue }] = await Promise.all([import('../functions/disaster-mail/wiring'), import('./mail-requeue')]);
    const intakes = new WorkerPool(
      'local/intake-thread.ts',
      'disaster-mail-intake',
      1,
      clock.shared,
      { planner: deliveryQueues.planner, intake: intakeQueue, scheduler },
      nice.pipeline,
    );
    stops.push(() => intakes.stop());
    await intakes.started();
    mailQueue.consume((event) => intakes.invoke<SQSBatchResponse>(event, 60_000)); // DISASTER_MAIL_INTAKE_TIMEOUT
    stops.push(() => mailQueue.stop());
    // The local queue lives in memory: mail stored but not yet decided when the runtime stopped is queued again.
    const pending = await receivedMailsToRequeue(
      mailDir,
      mailWiring.intakeDeps({ planner: deliveryQueues.planner, scheduler, clock, mailStore, intake: intakeQueue }).mails,
    );
    if (pending.length > 0) await intakeQueue.send(pending);
    const { startSmtpInbox } = await import('./smtp-inbox');
    const { ulid } = await import('ulid');
    const { localInboundKey } = await import('../functions/disaster-mail/keys');
    const smtp = await startSmtpInbox({
      host,
      port: options.smtpPort ?? 0,
      accept: async (raw) => {
        const receivedAt = clock.now();
        const mailId = ulid(receivedAt.getTime());
        const storageKey = localInboundKey(mailId);
        await mailStore.put(storageKey, raw);
        await intakeQueue.send([{ type: 'stored', mailId, receivedAt: receivedAt.toISOString(), storageKey, source: 'mail' }]);
        return mailId;
      },
    });
    stops.push(() => smtp.close());

    // 4. The platform's HTTP API (API Gateway locally).
    const gateway = new HttpGateway(
      [
        { routeKey: 'POST /webhook', handler: createReceiveHandler(receiveDeps(webhookQueue)), functionName: 'webhook-receive', timeoutMs: 10_000 },
        { routeKey: 'ANY /api/admin/{proxy+}', handler: createAdminHandler(adminDeps), functionName: 'admin-api', timeoutMs: 29_000 },
        { routeKey: 'ANY /api/liff/{proxy+}', handler: createLiffHandler(liffDeps), functionName: 'liff-api', timeoutMs: 29_000 },
        { routeKey: 'GET /r/{proxy+}', handler: publicHandler, functionName: 'public-api', timeoutMs: 10_000 },
        { routeKey: 'GET /media/{proxy+}', handler: publicHandler, functionName: 'public-api', timeoutMs: 10_000 },
      ],
      (req, res) =>
        handleLocalBlobUpload(req, res, { store: new FileBlobStore(uploadsDir), secret: blobsSecret }) ||
        serveLocalPages(req, res, {
          platformUrl,
          simulatorUrl,
          webhookQueue,
          plannerQueue,
          sendQueue,
          mailQueue,
          clock,
          refreshStats,
          webDistDir: options.webDistDir ?? DEFAULT_WEB_DIST,
          liffDistDir: options.liffDistDir ?? DEFAULT_LIFF_DIST,
        }),
    );
    await gateway.listen(platformPort, host);
    stops.push(() => gateway.close());

    // 5. The LINE platform simulator, sending webhooks to the gateway.
    if (simulatorUrl) {
      const { startLineSimulatorThread } = await import('./simulator-thread');
      const simulator = await startLineSimulatorThread({
        host,
        port: simulatorPort,
        channelSecret: secrets.channelSecret,
        channelAccessToken: secrets.channelAccessToken,
        loginChannelId: secrets.loginChannelId,
        webhookUrl: `${platformUrl}/webhook`,
        liffApps: { [liffId]: `${platformUrl}/liff` },
        dataFile: dataDir && join(dataDir, 'line-simulator.json'),
        rateLimits: options.simulatorRateLimits,
      });
      stops.push(() => simulator.close());
    }

    return {
      platformUrl,
      liffUrl: `${platformUrl}/liff/`,
      liffId,
      webhookUrl: `${platformUrl}/webhook`,
      simulatorUrl,
      dynamodbEndpoint,
      tableName,
      ...secrets,
      queues: { webhook: webhookQueue, planner: plannerQueue, send: sendQueue, mail: mailQueue },
      smtp: { host: smtp.host, port: smtp.port },
      scheduler,
      clock,
      refreshStats,
      workers: { sender: senders },
      initialAdmin,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function serveLocalPages(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: {
    platformUrl: string;
    simulatorUrl: string | null;
    webhookQueue: LocalQueue;
    plannerQueue: LocalQueue;
    sendQueue: LocalQueue;
    mailQueue: LocalQueue;
    clock: ControllableClock;
    refreshStats: () => Promise<unknown>;
    webDistDir: string;
    liffDistDir: string;
  },
): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // Local only (never in AWS): the clock of schedules and the admin API, and the statistics job.
  if (url.pathname === '/__local/clock' && (req.method === 'GET' || req.method === 'POST')) {
    void handleClock(req, res, ctx.clock);
    return;
  }
  if (url.pathname === '/__local/stats' && req.method === 'POST') {
    ctx.refreshStats().then(
      (summary) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(summary)),
      (error: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: error.message })),
    );
    return;
  }
  if (req.method === 'GET' && url.pathname === '/__local/status') {
    const q = ctx.webhookQueue;
    const p = ctx.plannerQueue;
    const s = ctx.sendQueue;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        queues: {
          webhook: { ...q.depth(), ...q.counters },
          planner: { ...p.depth(), ...p.counters },
          send: { ...s.depth(), ...s.counters },
          mail: { ...ctx.mailQueue.depth(), ...ctx.mailQueue.counters },
        },
      }),
    );
    return;
  }
  // The citizen LIFF pages (liff-web/dist at /liff/, framed by the simulator's LIFF overlay).
  if (serveLiff(req, res, ctx.liffDistDir)) return;
  // The console (admin-web/dist, like S3 + CloudFront); the landing page until it is built.
  if (serveConsole(req, res, ctx.webDistDir)) return;
  if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(landingPage(ctx));
    return;
  }
  refuse(res, 404);
}

/** The SQS record a dead-lettered message arrives as on the DLQ's consumer. */
function deadLetterRecord(dl: DeadLetter): SQSRecord {
  return {
    messageId: dl.messageId,
    receiptHandle: `${dl.messageId}#dlq`,
    body: dl.body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.parse(dl.failedAt)),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-1:000000000000:delivery-send-dlq',
    awsRegion: 'ap-northeast-1',
  };
}

/**
 * `GET /__local/clock` → `{now, offsetMs}`; `POST` with `{advanceMs}`, `{set: ISO}` or `{reset: true}`
 * moves the local clock (schedules fire when it reaches them) and answers the same.
 */
async function handleClock(req: IncomingMessage, res: ServerResponse, clock: ControllableClock): Promise<void> {
  const answer = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { z } = await import('zod');
    const parsed = z
      .union([
        z.object({ advanceMs: z.number().finite() }).strict(),
        z.object({ set: z.iso.datetime({ offset: true }) }).strict(),
        z.object({ reset: z.literal(true) }).strict(),
      ])
      .safeParse(
        (() => {
          try {
            return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
          } catch {
            return undefined;
          }
        })(),
      );
    if (!parsed.success) return void answer(400, { message: 'Send {"advanceMs": number}, {"set": ISO date-time} or {"reset": true}.' });
    const body = parsed.data;
    if ('advanceMs' in body) clock.advance(body.advanceMs);
    else if ('set' in body) clock.set(new Date(body.set));
    else clock.reset();
  }
  answer(200, { now: clock.now().toISOString(), offsetMs: clock.offset });
}
