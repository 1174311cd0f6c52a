/**
 * Webhook benchmark: signed LINE events POSTed to the local runtime's /webhook,
 * 5 % of them redelivered (same webhookEventId, isRedelivery: true).
 * Prints accepted events/s, p50/p99 latency of POST /webhook, and, once the
 * queue drained, how many events were lost or processed twice, read back from
 * DynamoDB (event ledger and the answers in the conversation history) and from
 * the simulator's retry-key conflicts.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { LineSimulatorClient } from '../simulator/client';
import { startRuntimeProcess } from '../local/runtime-process';
import { percentile } from './runtime';
import { DynamoKeywordRuleStore } from '../functions/adapters/aws/keyword-rule-store';
import { RULES_MAX_AGE_MS } from '../functions/keywords/rule-cache';
import { syntheticRules } from './keyword-rules';

export interface WebhookBenchOptions {
  events: number;
  redeliveryRatio: number;
  concurrency: number;
  citizens: number;
  /** Active keyword rules the consumer matches every text against (functions/keywords/; 0: the starter set only). */
  keywordRules?: number;
  /** Extra node flags for the runtime process (e.g. --cpu-prof). */
  nodeArgs?: string[];
  runtimeArgs?: string[];
}

export interface WebhookBenchResult {
  events: number;
  requests: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non200: number;
  drainSeconds: number;
  processedPerSecond: number;
  lost: number;
  processedTwice: number;
  retryKeyConflicts: number;
}

export async function runWebhookBench(options: WebhookBenchOptions): Promise<WebhookBenchResult> {
  const rt = await startRuntimeProcess({ args: options.runtimeArgs ?? [], nodeArgs: options.nodeArgs ?? [] });
  try {
    const sim = new LineSimulatorClient(rt.simulator);
    // Friends who will write to the account (their follow events go through the same path).
    const userIds: string[] = [];
    for (let i = 0; i < options.citizens; i++) {
      const { citizen } = await sim.createCitizen({ displayName: `ベンチ市民${i + 1}`, language: i % 5 === 0 ? 'en' : 'ja' });
      userIds.push(citizen.userId);
    }
    await waitForIdle(rt.platform, 60_000);
    if (options.keywordRules) {
      // The city's rule set replaced by a large one; the consumer reads the new set at its next check (≤ 3 s).
      const client = DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: rt.dynamodb, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      );
      await new DynamoKeywordRuleStore(client, rt.table).replaceAll(syntheticRules(options.keywordRules));
      client.destroy();
      await new Promise((r) => setTimeout(r, RULES_MAX_AGE_MS + 500));
    }

    // Requests: one event each, as LINE usually sends them; redeliveries mixed in after their originals.
    const url = new URL(rt.webhook);
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const baseTime = Date.now();
    const originals = Array.from({ length: options.events }, (_, i) => ({
      type: 'message',
      mode: 'active',
      timestamp: baseTime + i,
      source: { type: 'user', userId: userIds[i % userIds.length] },
      webhookEventId: ulid(),
      deliveryContext: { isRedelivery: false },
      replyToken: ulid().toLowerCase(),
      message: { id: String(100_000_000 + i), type: 'text', quoteToken: 'q', text: `ベンチマーク ${i}` },
    }));
    const redeliverEvery = Math.round(1 / options.redeliveryRatio);
    const bodies: string[] = [];
    originals.forEach((event, i) => {
      bodies.push(JSON.stringify({ destination: 'Ubench', events: [event] }));
      if (i % redeliverEvery === redeliverEvery - 1) {
        bodies.push(JSON.stringify({ destination: 'Ubench', events: [{ ...event, deliveryContext: { isRedelivery: true } }] }));
      }
    });
    const signed = bodies.map((body) => ({ body, signature: createHmac('sha256', rt.channelSecret).update(body).digest('base64') }));

    const latencies: number[] = [];
    let non200 = 0;
    let next = 0;
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (next < signed.length) {
        const item = signed[next++];
        const t0 = process.hrtime.bigint();
        const status = await post(url, agent, item.body, item.signature);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) non200++;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();

    const drainStart = Date.now();
    await waitForIdle(rt.platform, 300_000);
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const processedSeconds = seconds + drainSeconds;

    // Read back: every event must be completed in the ledger and answered exactly once.
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: rt.dynamodb, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const completed = new Set<string>();
    const answers = new Map<string, number>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: rt.table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        if (item.type === 'WebhookEvent' && item.status === 'completed') completed.add((item.PK as string).slice('WEBHOOK_EVENT#'.length));
        if (item.type === 'ConversationEntry' && item.direction === 'out' && item.webhookEventId) {
          answers.set(item.webhookEventId as string, (answers.get(item.webhookEventId as string) ?? 0) + 1);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    db.destroy();
    let lost = 0;
    let twice = 0;
    for (const e of originals) {
      const n = answers.get(e.webhookEventId) ?? 0;
      if (!completed.has(e.webhookEventId) || n === 0) lost++;
      if (n > 1) twice++;
    }
    const stats = await sim.stats();

    latencies.sort((a, b) => a - b);
    return {
      events: options.events,
      requests: signed.length,
      seconds,
      eventsPerSecond: signed.length / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1],
      non200,
      drainSeconds,
      processedPerSecond: options.events / processedSeconds,
      lost,
      processedTwice: twice,
      retryKeyConflicts: stats.retryKeyConflicts,
    };
  } finally {
    await rt.stop();
  }
}

function post(url: URL, agent: Agent, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
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
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitForIdle(platform: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await (await fetch(`${platform}/__local/status`)).json()) as {
      queues: { webhook: { visible: number; inFlight: number; delayed: number } };
    };
    const q = status.queues.webhook;
    if (q.visible === 0 && q.inFlight === 0 && q.delayed === 0) return;
    if (Date.now() > deadline) throw new Error(`queue not drained within ${timeoutMs} ms: ${JSON.stringify(q)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
