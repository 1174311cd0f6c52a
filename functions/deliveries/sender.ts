/**
 * The sender: one send-queue message = one chunk = one LINE multicast (or, in push mode, one push
 * per friend). Docs: docs/deliveries-api.md ("Flow", "Finishing").
 *
 * Never doubled: every attempt of a chunk carries the chunk's fixed retry key (push: one key per
 * friend), so LINE delivers it at most once and answers 409 to any repeat — which counts as sent.
 * A chunk that is already final is acknowledged without sending (a redelivered message), after
 * counting it again (idempotent), in case the sender that finished it died before counting.
 * Fast: 429 is waited out inside the invocation (Retry-After, else exponential back-off with full
 * jitter), so the chunk does not go back to the queue for a visibility timeout; 5xx and timeouts
 * are retried a few times with the same key, then the message is returned to the queue (SQS
 * redelivers; after 5 receives the dead-letter handler fails the chunk). 4xx refusals fail the
 * chunk at once.
 */
import type { Clock } from '../ports/clock';
import type { LineMessage } from '../ports/line-gateway';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { pushRetryKey } from './chunking';
import { collectLinks, pickVariant, toLineMessages } from './compose';
import { trackedLinkUrl } from './links';
import { alreadyFinal, chunkFinished, type FinishDeps } from './finish';
import type { Chunk, Delivery, SendMessage } from './model';
import { LineRateLimitError, LineRejectedError, LineTransientError, type DeliveryRepository, type LineDeliveryGateway } from './ports';

export interface RetryPolicy {
  /** 429s waited out within one invocation before the message goes back to the queue. */
  rateLimitAttempts: number;
  /** 5xx / timeouts / network errors retried within one invocation. */
  transientAttempts: number;
  /** First back-off step and its cap (full jitter: a random wait in [0, min(cap, base·2^n)]). */
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { rateLimitAttempts: 12, transientAttempts: 3, baseMs: 100, capMs: 4_000 };

export interface SenderDeps extends FinishDeps {
  deliveries: DeliveryRepository;
  line: LineDeliveryGateway;
  clock: Clock;
  /** The platform's public URL (click redirect /r/…, images /media/…). */
  publicBaseUrl: string;
  /** The city's LIFF app: links to it are sent as LIFF addresses with a click reference. */
  liffId?: string;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type SendOutcomeKind = 'sent' | 'failed' | 'already_final' | 'missing';

/**
 * Per sender instance (the handler's module scope, like a Lambda instance's): each delivery is read
 * once and its LINE messages are built once per language. A sending delivery's content no longer
 * changes; entries still expire after `ttlMs` and at most `maxEntries` deliveries are kept. A
 * missing delivery or a failed read is not kept.
 */
export class InstanceCache {
  private readonly entries = new Map<string, CachedDelivery>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 64,
    private readonly now: () => number = Date.now,
  ) {}

  delivery(deliveryId: string, load: () => Promise<Delivery | null>): CachedDelivery {
    const hit = this.entries.get(deliveryId);
    if (hit && this.now() - hit.loadedAt < this.ttlMs) return hit;
    const entry: CachedDelivery = { loadedAt: this.now(), delivery: load(), messages: new Map() };
    this.entries.delete(deliveryId);
    this.entries.set(deliveryId, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const forget = () => {
      if (this.entries.get(deliveryId) === entry) this.entries.delete(deliveryId);
    };
    entry.delivery.then((d) => d ?? forget(), forget);
    return entry;
  }
}

interface CachedDelivery {
  loadedAt: number;
  delivery: Promise<Delivery | null>;
  /** LINE messages per language (multicast and broadcast; push names the friend). */
  messages: Map<string, LineMessage[]>;
}

/** How old a send message may be for its carried chunk to be sent without reading the chunk item. */
export const CARRIED_CHUNK_MAX_AGE_MS = 60 * 60 * 1000;

/** The chunk a first-received message carries (the planner just wrote it, pending, never tried). */
function carriedChunk(message: SendMessage): Chunk | null {
  if (!message.chunk) return null;
  const { lang, mode, retryKey, to } = message.chunk;
  return {
    deliveryId: message.deliveryId,
    index: message.index,
    lang,
    mode,
    retryKey,
    recipients: to === '' ? [] : to.split('\n'),
    status: 'pending',
    attempts: 0,
  };
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * 1. The chunk: the one the message carries on its first receive (no read); otherwise read it
 *    (consistent): missing or final → nothing to do. A carried chunk that someone else already
 *    finished (a re-enqueue race) is sent again with its retry key: LINE answers 409, nothing doubles.
 * 2. The delivery (once per instance) and its messages (links → /r/…, images → /media/…).
 * 3. Send with retries (same retry key); 409 = sent. Refused (4xx) → chunk failed.
 * 4. Sent: one write on the delivery marks it sent and counts it; failed: the chunk item, then the
 *    count. When this made the last chunk final, finish the delivery.
 */
export async function sendChunk(
  deps: SenderDeps,
  message: SendMessage,
  cache = new InstanceCache(),
  receiveCount = 1,
  sentAtMs?: number,
): Promise<SendOutcomeKind> {
  const { deliveryId, index } = message;
  // Trusted only fresh: LINE remembers a retry key for 24 h, so an old message (a backlog, a
  // redrive) reads the chunk's state first.
  const fresh = receiveCount <= 1 && (sentAtMs === undefined || Date.now() - sentAtMs < CARRIED_CHUNK_MAX_AGE_MS);
  const chunk = (fresh ? carriedChunk(message) : null) ?? (await deps.deliveries.getChunk(deliveryId, index));
  if (!chunk) {
    logger.warn('Send message without a chunk', { deliveryId, index });
    return 'missing';
  }
  if (chunk.status !== 'pending') return alreadyFinal(deps, deliveryId, index);
  const cached = cache.delivery(deliveryId, () => deps.deliveries.get(deliveryId, true));
  const d = await cached.delivery;
  if (!d) {
    logger.warn('Chunk of an unknown delivery', { deliveryId, index });
    return 'missing';
  }

  const retry = { ...DEFAULT_RETRY, ...deps.retry };
  const counter = { attempts: chunk.attempts };
  let outcome: 'sent' | 'failed';
  let lastError: string | undefined;
  try {
    if (chunk.mode === 'broadcast') {
      const messages = messagesFor(deps, d, chunk.lang, cached);
      const result = await withRetries(deps, retry, counter, () => deps.line.broadcast(messages, chunk.retryKey));
      // 409 carries the accepted request's ID too: statistics are found either way.
      if (result.requestId) await deps.deliveries.recordLineRequestId(deliveryId, result.requestId);
      outcome = 'sent';
    } else if (chunk.mode === 'push') {
      const refused = await sendPushes(deps, d, chunk, retry, counter);
      outcome = refused.length === 0 ? 'sent' : 'failed';
      if (refused.length > 0) lastError = `${refused.length} of ${chunk.recipients.length} pushes refused: ${refused[0]}`;
    } else {
      const messages = messagesFor(deps, d, chunk.lang, cached);
      const unit = d.stats?.state === 'unavailable' ? undefined : d.aggregationUnit;
      const result = await withRetries(deps, retry, counter, () => deps.line.multicast(chunk.recipients, messages, chunk.retryKey, unit));
      if (result.kind === 'already_accepted') metrics.addMetric('DeliveryChunkAlreadyAccepted', MetricUnit.Count, 1);
      outcome = 'sent';
    }
  } catch (error) {
    if (error instanceof LineRejectedError) {
      outcome = 'failed';
      lastError = error.message;
    } else {
      // Back to the queue (visibility timeout); remember why for the dead-letter handler.
      await deps.deliveries
        .recordChunkError(deliveryId, index, { attempts: counter.attempts, lastError: describe(error) })
        .catch((e) => logger.warn('Could not record the chunk error', { deliveryId, index, error: describe(e) }));
      throw error;
    }
  }

  const at = deps.clock.now().toISOString();
  if (outcome === 'sent' && !d.firstSentAt) {
    d.firstSentAt = at; // this instance's copy: one conditional write per instance and delivery at most
    await deps.deliveries.markFirstSent(deliveryId, at);
  }
  let counted: { done: number; total?: number } | undefined;
  if (outcome === 'sent') {
    const { moved, ...count } = await deps.deliveries.chunkSent(deliveryId, index);
    if (!moved) return alreadyFinal(deps, deliveryId, index, count);
    counted = count;
  } else {
    const moved = await deps.deliveries.failChunk(deliveryId, index, { at, attempts: counter.attempts, ...(lastError ? { lastError } : {}) });
    if (!moved) return alreadyFinal(deps, deliveryId, index);
  }
  metrics.addMetric(outcome === 'sent' ? 'DeliveryChunkSent' : 'DeliveryChunkFailed', MetricUnit.Count, 1);
  if (outcome === 'failed') logger.warn('Delivery chunk failed', { deliveryId, index, recipients: chunk.recipients.length, lastError });
  const finished = await chunkFinished(deps, deliveryId, index, counted);
  if (finished?.finished) logger.info('Delivery finished', { deliveryId, status: finished.status, succeeded: finished.succeeded, failed: finished.failed });
  return outcome;
}

function messagesFor(deps: SenderDeps, delivery: Delivery, lang: Chunk['lang'], cached?: CachedDelivery, friendName?: string): LineMessage[] {
  const build = () =>
    toLineMessages(
      pickVariant(delivery, lang),
      collectLinks(delivery),
      {
        mediaUrl: (mediaId, kind) => `${deps.publicBaseUrl}/media/${encodeURIComponent(mediaId)}/${kind}`,
        linkUrl: trackedLinkUrl(deps, delivery.deliveryId),
      },
      friendName,
    );
  if (friendName !== undefined || !cached) return build();
  let messages = cached.messages.get(lang);
  if (!messages) cached.messages.set(lang, (messages = build()));
  return messages;
}

/** Push mode: one push per friend with its own retry key, progress recorded so a retry resumes. */
async function sendPushes(deps: SenderDeps, delivery: Delivery, chunk: Chunk, retry: RetryPolicy, counter: { attempts: number }): Promise<string[]> {
  const unit = delivery.stats?.state === 'unavailable' ? undefined : delivery.aggregationUnit;
  const refused: string[] = [];
  const from = chunk.pushedUpTo ?? 0;
  for (let i = from; i < chunk.recipients.length; i++) {
    const userId = chunk.recipients[i]!;
    const messages = messagesFor(deps, delivery, chunk.lang, undefined, chunk.names?.[i] ?? '');
    try {
      await withRetries(deps, retry, counter, () => deps.line.push(userId, messages, pushRetryKey(chunk.deliveryId, chunk.index, userId), unit));
    } catch (error) {
      if (!(error instanceof LineRejectedError)) {
        if (i > from) await deps.deliveries.recordPushProgress(chunk.deliveryId, chunk.index, i);
        throw error;
      }
      refused.push(error.message);
    }
    if ((i + 1) % 50 === 0) await deps.deliveries.recordPushProgress(chunk.deliveryId, chunk.index, i + 1);
  }
  return refused;
}

/** One LINE call with the chunk's retry policy; the same request (same retry key) every time. */
async function withRetries<T>(deps: SenderDeps, retry: RetryPolicy, counter: { attempts: number }, call: () => Promise<T>): Promise<T> {
  const sleep = deps.sleep ?? sleepMs;
  const random = deps.random ?? Math.random;
  const backoff = (n: number) => random() * Math.min(retry.capMs, retry.baseMs * 2 ** n);
  let rateLimited = 0;
  let transient = 0;
  for (;;) {
    counter.attempts++;
    try {
      return await call();
    } catch (error) {
      if (error instanceof LineRateLimitError && rateLimited < retry.rateLimitAttempts) {
        metrics.addMetric('LineRateLimited', MetricUnit.Count, 1);
        await sleep(error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, retry.capMs * 4) : backoff(rateLimited));
        rateLimited++;
        continue;
      }
      if (error instanceof LineTransientError && transient < retry.transientAttempts) {
        await sleep(backoff(transient));
        transient++;
        continue;
      }
      throw error;
    }
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
