/**
 * The bare path of a send benchmark: the chunks the product made for a delivery, precomputed (the
 * same recipients, the same LINE messages as the senders build them, the request bodies already
 * serialised), multicast straight to the simulator's /v2/bot/message/multicast with the channel
 * access token, fresh retry keys and an aggregation unit of their own, by as many senders as the
 * runtime's send queue runs (`sendConcurrency` invocations, each a batch of up to 10 chunks sent in
 * parallel, as the sender handler does, in as many threads as it runs senders). No table, no queue, no SDK: what is left is LINE's rate
 * limit and what this machine needs to make and take 500-recipient multicasts. The product's time
 * divided by this one is what the product adds, on any machine.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { DEFAULT_THREAD_NICE } from '../local/runtime';
import { collectLinks, pickVariant, toLineMessages } from '../functions/deliveries/compose';
import { trackedLinkUrl } from '../functions/deliveries/links';
import type { Delivery } from '../functions/deliveries/model';
import { audit, type PipelineEnv, type SeedFriend } from '../test/integration/deliveries/pipeline-support';

/** The simulator's bucket holds one second of LINE's multicast rate: idle this long after a multicast and it is full again. */
export const RATE_LIMIT_SETTLE_MS = 1_100;
/** Records per send-queue batch (SQS's and the local queue's batch size). */
const BATCH_SIZE = 10;

export interface BareChunks {
  deliveryId: string;
  /** Each chunk's request body, serialised but for the aggregation unit: prefix + unit + suffix. */
  bodies: { prefix: string; suffix: string }[];
}

/** What the bare path sent; `auditBare` reads what the simulator made of it (later, when that costs nothing). */
export interface BareSend {
  unit: string;
  /** Epoch ms: the first request issued, the last answer read. */
  startedAt: number;
  endedAt: number;
  rateLimited: number;
  /** Answers other than 200 and 429 (the bare path does not retry them). */
  errors: number;
}

export interface BareRun {
  startedAt: number;
  /** From the first request issued to the first / last multicast the simulator accepted (its request log, the same clock). */
  firstMs: number;
  lastMs: number;
  requests: number;
  rateLimited: number;
  errors: number;
  duplicates: number;
  misses: number;
}

/** The delivery's chunks and their LINE messages, read and serialised once (not timed). */
export async function prepareBareChunks(env: PipelineEnv, delivery: Delivery): Promise<BareChunks> {
  const chunks = (await env.store.listChunks(delivery.deliveryId)).sort((a, b) => a.index - b.index);
  if (chunks.some((c) => c.mode !== 'multicast')) throw new Error(`delivery ${delivery.deliveryId} is not sent by multicast: no bare path`);
  const links = collectLinks(delivery);
  const linkUrl = trackedLinkUrl({ publicBaseUrl: env.rt.platformUrl, liffId: env.rt.liffId }, delivery.deliveryId);
  const mediaUrl = (mediaId: string, kind: string) => `${env.rt.platformUrl}/media/${encodeURIComponent(mediaId)}/${kind}`;
  const byLang = new Map<string, string>();
  const messagesFor = (lang: string) => {
    let m = byLang.get(lang);
    if (m === undefined) byLang.set(lang, (m = JSON.stringify(toLineMessages(pickVariant(delivery, lang), links, { mediaUrl, linkUrl }))));
    return m;
  };
  return {
    deliveryId: delivery.deliveryId,
    bodies: chunks.map((c) => ({
      prefix: `{"to":${JSON.stringify(c.recipients)},"messages":${messagesFor(c.lang)},"customAggregationUnits":["`,
      suffix: '"]}',
    })),
  };
}

/** Waits until the simulator's multicast bucket is full again (`lastSentAt`: the last multicast accepted, epoch ms). */
export async function settleRateLimit(lastSentAt: number | null | undefined): Promise<void> {
  const wait = (lastSentAt ?? 0) + RATE_LIMIT_SETTLE_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/**
 * Sends the chunks straight to the simulator: `senders` loops, each taking the next batch of up to
 * 10 chunks and sending them in parallel (429: tried again after 5 ms), each with a fresh retry key
 * — spread over worker threads that live for the whole benchmark, at the runtime senders' priority
 * (bench/bare-path-thread.mjs), as the runtime runs its senders: nothing of it runs on the
 * gateway's thread (the webhook's, under load), and its HTTP clients are as warm as theirs. The
 * clock starts when every thread holds its bodies.
 */
export class BareSenders {
  private readonly workers: Worker[];

  constructor(
    env: PipelineEnv,
    private readonly senders: number,
    threads = 2,
  ) {
    this.workers = Array.from(
      { length: Math.max(1, Math.min(threads, senders)) },
      () =>
        new Worker(new URL('./bare-path-thread.mjs', import.meta.url), {
          workerData: {
            url: `${env.rt.simulatorUrl}/v2/bot/message/multicast`,
            authorization: `Bearer ${env.rt.channelAccessToken}`,
            batchSize: BATCH_SIZE,
            nice: DEFAULT_THREAD_NICE.pipeline,
          },
        }),
    );
    // Between runs too: a thread's failure is reported by the next run, never an uncaught error.
    for (const w of this.workers) w.on('error', () => undefined);
  }

  async send(prepared: BareChunks): Promise<BareSend> {
    const unit = `bare_${randomBytes(8).toString('hex')}`;
    const bodies = prepared.bodies.map((b) => b.prefix + unit + b.suffix);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const count = this.workers.length;
    await Promise.all(
      this.workers.map((w, i) => this.ask(w, { type: 'load', bodies, next, senders: Math.floor(this.senders / count) + (i < this.senders % count ? 1 : 0) })),
    );
    const startedAt = Date.now();
    const results = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'go' })));
    const endedAt = Date.now();
    return {
      unit,
      startedAt,
      endedAt,
      rateLimited: results.reduce((n, r) => n + (r.rateLimited ?? 0), 0),
      errors: results.reduce((n, r) => n + (r.errors ?? 0), 0),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** One request, one answer; a thread that fails or exits meanwhile fails the run instead of leaving it waiting. */
  private ask(worker: Worker, message: object): Promise<{ rateLimited?: number; errors?: number }> {
    return new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (answer: { rateLimited?: number; errors?: number }) => {
        settle();
        resolve(answer);
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        reject(new Error(`a bare-path thread exited (${code})`));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(message);
    });
  }
}

/** Who the bare path reached, how often, and when (`expected`: the friends the delivery reached). */
export async function auditBare(env: PipelineEnv, sent: BareSend, expected: Set<string>, friends: SeedFriend[]): Promise<BareRun> {
  const result = await audit(env, { aggregationUnit: sent.unit } as Delivery, expected, friends);
  return {
    startedAt: sent.startedAt,
    firstMs: (result.firstSentAt ?? NaN) - sent.startedAt,
    lastMs: (result.lastSentAt ?? NaN) - sent.startedAt,
    requests: result.requests,
    rateLimited: sent.rateLimited,
    errors: sent.errors,
    duplicates: result.duplicates,
    misses: result.misses,
  };
}

export async function runBarePath(env: PipelineEnv, bare: BareSenders, prepared: BareChunks, expected: Set<string>, friends: SeedFriend[]): Promise<BareRun> {
  return auditBare(env, await bare.send(prepared), expected, friends);
}
