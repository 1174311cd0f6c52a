/**
 * The planner: turns a delivery into chunks of ≤ 500 recipients and puts one send-queue message
 * per chunk as soon as the chunk is complete, so the first multicast leaves while the rest of
 * the friends are still being read. Docs: docs/deliveries-api.md ("Flow").
 *
 * Never doubled, never missed:
 * - Claim with a lease (`claimPlanning`): only `queued`/`scheduled` deliveries, so a cancelled one
 *   is never planned; a second planner for the same delivery while the first is alive is refused
 *   (`busy`: the queue offers the message again later); a crashed planner's delivery is taken
 *   over once its lease expired.
 * - Chunk items first (conditional puts, one request for a group), then the send messages (each carries its chunk, so its
 *   first receive needs no read): a sender never sees a message without its chunk item, and a
 *   chunk without a message is re-enqueued by the next planner.
 * - Resume: the chunks already made are read, their recipients skipped and new chunks numbered
 *   after the highest; pending ones are enqueued again (the sender skips final chunks, and LINE
 *   answers 409 to a repeated retry key).
 * - The lease is renewed whenever half of it has passed, before a chunk is written, so a chunk is
 *   only ever written while this planner holds the lease (a takeover needs it expired).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { ChunkBuilder, MAX_CHUNKS_PER_WRITE, chunkRetryKey, sendMessageOf } from './chunking';
import { collectLinks, isBroadcast, needsFriendName, pickVariant } from './compose';
import { finishIfComplete } from './finish';
import type { Chunk, PlannerMessage, SendMessage } from './model';
import type { AudienceSource, DeliveryReceipts, DeliveryRepository, JsonQueue } from './ports';
import { audienceBucketOf } from '../friends/audience-index';
import { audienceRules, formIdsOf, inAudience } from './segment';

export interface PlannerDeps {
  /** A citizen report's photos from LINE (functions/reports/photos.ts); `attempt`: the queue's receive count (the last one marks a failing photo missing). */
  reportPhotos?: (reportId: string, attempt: number) => Promise<unknown>;
  deliveries: DeliveryRepository;
  audience: AudienceSource;
  send: JsonQueue<SendMessage>;
  /** The times recorded on the delivery (finished); also the leases' unless `leaseClock` is given. */
  clock: Clock;
  /** The leases' clock: a lease is about a live planner, so it keeps real time where the recorded times do not (the local runtime's moved clock). */
  leaseClock?: Clock;
  /** How long a claim protects a planner (default 60 s); renewed while it works. */
  leaseMs?: number;
  /** Recurring occurrences (functions/deliveries/occurrences.ts, handleOccurrence). */
  occurrence?: (message: Extract<PlannerMessage, { type: 'occurrence' }>) => Promise<unknown>;
  /** Chunk write requests in flight (default EMIT_CONCURRENCY), and chunks per request (default and most: MAX_CHUNKS_PER_WRITE). */
  emitConcurrency?: number;
  emitGroup?: number;
  /** Who got the delivery, for the friends' pages (written before planning completes; absent: not recorded). */
  receipts?: DeliveryReceipts;
  /** Rich menu links (functions/richmenus/links.ts, syncLinks). */
  richMenuSync?: (requestedAt: string) => Promise<unknown>;
  /**
   * After a delivery is planned (also when a redelivered message finds it planned: a first attempt
   * may have died here): queues the disaster-mail bridge's `disasterSignal` for it. A failure
   * returns the plan message to the queue.
   */
  afterPlanned?: (deliveryId: string) => Promise<unknown>;
  /** The `disasterSignal` message: a bridge mail's alert kind may switch disaster mode (functions/richmenus/disaster-signal.ts). */
  disasterSignal?: (mailId: string) => Promise<unknown>;
}

/**
 * Chunk write requests in flight, each of up to MAX_CHUNKS_PER_WRITE chunks (~17 KB each). Before
 * the grouping, 12 single puts in flight were needed to keep ahead of the reading; a group of 25 is
 * one request where DynamoDB Local took ~25 (191 chunks: ~0.3 s instead of ~0.9 s, measured).
 */
export const EMIT_CONCURRENCY = 4;

export const DEFAULT_PLANNER_LEASE_MS = 60_000;

/** Another planner holds the delivery: the message goes back to the queue and is tried later. */
export class PlannerBusyError extends Error {
  constructor(deliveryId: string) {
    super(`delivery ${deliveryId} is being planned by another planner`);
    this.name = 'PlannerBusyError';
  }
}

/** This planner's lease was taken over (it was too slow): stop without writing anything more. */
export class PlannerLeaseLostError extends Error {
  constructor(deliveryId: string) {
    super(`planner lease of delivery ${deliveryId} lost`);
    this.name = 'PlannerLeaseLostError';
  }
}

export type PlanOutcome =
  | { kind: 'planned'; recipients: number; chunks: number; resumed: boolean; reEnqueued: number }
  | { kind: 'skipped'; reason: 'not_found' | 'not_plannable' | 'planned' };

export async function handlePlannerMessage(deps: PlannerDeps, message: PlannerMessage, attempt = 1): Promise<unknown> {
  if (message.type === 'reportPhotos') {
    if (!deps.reportPhotos) throw new Error('report photos are not wired into this planner');
    return deps.reportPhotos(message.reportId, attempt);
  }
  if (message.type === 'occurrence') {
    if (!deps.occurrence) throw new Error('recurring occurrences are not wired into this planner');
    return deps.occurrence(message);
  }
  if (message.type === 'richMenuSync') {
    if (!deps.richMenuSync) throw new Error('rich menu links are not wired into this planner');
    return deps.richMenuSync(message.requestedAt);
  }
  if (message.type === 'disasterSignal') {
    if (!deps.disasterSignal) throw new Error('disaster mode is not wired into this planner');
    return deps.disasterSignal(message.mailId);
  }
  const outcome = await planDelivery(deps, message.deliveryId);
  if (deps.afterPlanned && (outcome.kind === 'planned' || outcome.reason === 'planned')) await deps.afterPlanned(message.deliveryId);
  return outcome;
}

/**
 * 1. Claim the delivery (lease). 2. Read existing chunks (resume), enqueue the pending ones.
 * 3. Store the delivery's links (click redirect). 4. Read who answered the forms the rule names.
 * 5. Stream friends page by page; matching active friends go into per-language chunks; each
 *    complete chunk is written and enqueued at once. 6. Write recipients + chunksTotal, drop the
 *    lease. 7. Finish the delivery if the senders were faster than this end.
 */
export async function planDelivery(deps: PlannerDeps, deliveryId: string): Promise<PlanOutcome> {
  const leaseMs = deps.leaseMs ?? DEFAULT_PLANNER_LEASE_MS;
  const token = randomUUID();
  const leaseClock = deps.leaseClock ?? deps.clock;
  const claim = await deps.deliveries.claimPlanning(deliveryId, token, leaseClock.now().getTime(), leaseMs);
  if (!claim.claimed) {
    if (claim.reason === 'busy') throw new PlannerBusyError(deliveryId);
    if (claim.reason === 'planned') await finishIfComplete(deps, deliveryId);
    logger.info('Delivery not planned', { deliveryId, reason: claim.reason, status: claim.delivery?.status });
    return { kind: 'skipped', reason: claim.reason };
  }
  const delivery = claim.delivery;
  const started = Date.now();
  let renewedAt = leaseClock.now().getTime();
  const holdLease = async () => {
    const now = leaseClock.now().getTime();
    if (now - renewedAt < leaseMs / 2) return;
    if (!(await deps.deliveries.renewPlanning(deliveryId, token, now + leaseMs))) throw new PlannerLeaseLostError(deliveryId);
    renewedAt = now;
  };

  // 2. What a previous (crashed) planner already made.
  const existing = await deps.deliveries.listChunks(deliveryId);
  const skip = new Set<string>();
  let recipients = 0;
  let nextIndex = 0;
  for (const c of existing) {
    for (const u of c.recipients) skip.add(u);
    recipients += c.recipients.length;
    nextIndex = Math.max(nextIndex, c.index + 1);
  }
  const pending = existing.filter((c) => c.status === 'pending');
  if (pending.length > 0) await deps.send.send(pending.map((c) => ({ deliveryId, index: c.index })));

  /**
   * Chunk items (one request, all or none), then their send messages. An index another planner
   * already wrote means it took the delivery over (this one was too slow): stop; nothing of ours
   * is enqueued under its number.
   */
  const writeAndEnqueue = async (chunks: Chunk[]) => {
    await holdLease();
    if ((await deps.deliveries.putChunks(chunks)).length > 0) throw new PlannerLeaseLostError(deliveryId);
    await deps.send.send(chunks.map(sendMessageOf));
  };
  /** 6. Planning complete (from here on the senders can finish the delivery); 7. every chunk may already be final. */
  const complete = async (fields: { recipients: number; chunksTotal: number; broadcast?: true }, log: Record<string, unknown>): Promise<PlanOutcome> => {
    if (!(await deps.deliveries.completePlanning(deliveryId, token, fields))) throw new PlannerLeaseLostError(deliveryId);
    await finishIfComplete(deps, deliveryId);
    metrics.addMetric('DeliveryPlanned', MetricUnit.Count, 1);
    metrics.addMetric('DeliveryRecipients', MetricUnit.Count, fields.recipients);
    logger.info('Delivery planned', { deliveryId, ...fields, resumed: claim.resumed, reEnqueued: pending.length, ...log, ms: Date.now() - started });
    return { kind: 'planned', recipients: fields.recipients, chunks: fields.chunksTotal, resumed: claim.resumed, reEnqueued: pending.length };
  };

  // Receipts (who got it, per audience bucket) are keyed by a time that a retry sees again.
  const plannedAt = delivery.queuedAt ?? (delivery.timing.kind === 'at' ? delivery.timing.at : delivery.createdAt);
  const byBucket = deps.receipts ? new Map<number, string[]>() : undefined;
  const received = (userId: string) => {
    if (!byBucket) return;
    const b = audienceBucketOf(userId);
    const list = byBucket.get(b);
    if (list) list.push(userId);
    else byBucket.set(b, [userId]);
  };
  for (const c of existing) for (const u of c.recipients) received(u);

  // 3. Links first: a citizen may tap one as soon as the first chunk arrives.
  const links = collectLinks(delivery);
  if (links.length > 0) await deps.deliveries.putLinks(deliveryId, links);

  // 3b. Everyone, one language, no name: one LINE broadcast, sent at once; the friends are only
  //     counted (for history and the quota), after it left.
  // Only when nothing else was made: a delivery resumed from multicast chunks stays multicast.
  if (isBroadcast(delivery) && existing.every((c) => c.mode === 'broadcast')) {
    if (existing.length === 0) {
      await writeAndEnqueue([
        {
          deliveryId,
          index: 0,
          lang: delivery.variants[0]!.lang,
          mode: 'broadcast',
          recipients: [],
          retryKey: chunkRetryKey(deliveryId, 0),
          status: 'pending',
          attempts: 0,
        },
      ]);
    }
    const firstChunkMs = Date.now() - started;
    let reached = 0;
    for await (const page of deps.audience.pages()) for (const friend of page.friends) if (friend.status === 'active') reached++;
    await deps.receipts?.record(deliveryId, plannedAt, 'everyone');
    return complete({ recipients: reached, chunksTotal: Math.max(existing.length, 1), broadcast: true }, { firstChunkMs });
  }

  // 4. Form answers the rule depends on.
  const answered = new Map<string, Set<string>>();
  const rules = audienceRules(delivery.audience);
  await Promise.all([...new Set(rules.flatMap(formIdsOf))].map(async (formId) => answered.set(formId, await deps.audience.answeredUsers(formId))));

  // 5. Stream, chunk, emit. Complete chunks wait in `ready`; up to EMIT_CONCURRENCY writers each
  //    take what is ready (≤ MAX_CHUNKS_PER_WRITE: one request) — the first chunks leave alone (one
  //    per idle writer), then groups form while every writer is busy, i.e. as the reading outpaces
  //    the writes. The reading waits while a full round is ready.
  const mode = needsFriendName(delivery) ? 'push' : 'multicast';
  const builder = new ChunkBuilder({ deliveryId, mode, firstIndex: nextIndex });
  const concurrency = Math.max(1, deps.emitConcurrency ?? EMIT_CONCURRENCY);
  const groupSize = Math.max(1, Math.min(deps.emitGroup ?? MAX_CHUNKS_PER_WRITE, MAX_CHUNKS_PER_WRITE));
  let chunksMade = existing.length;
  const ready: Chunk[] = [];
  const writing = new Set<Promise<void>>();
  let emitError: unknown;
  let firstEmitMs: number | undefined;
  const startWriters = () => {
    while (!emitError && ready.length > 0 && writing.size < concurrency) {
      const group = ready.splice(0, groupSize);
      const p: Promise<void> = writeAndEnqueue(group)
        .then(
          () => void (firstEmitMs ??= Date.now() - started),
          (error: unknown) => void (emitError ??= error),
        )
        .finally(() => {
          writing.delete(p);
          startWriters();
        });
      writing.add(p);
    }
  };
  const emit = async (chunks: Chunk[]) => {
    chunksMade += chunks.length;
    ready.push(...chunks);
    startWriters();
    while (!emitError && ready.length >= groupSize * concurrency) await Promise.race(writing);
  };
  const langCache = new Map<string | undefined, Chunk['lang']>();
  const langOf = (language: string | undefined) => {
    let lang = langCache.get(language);
    if (!lang) langCache.set(language, (lang = pickVariant(delivery, language).lang));
    return lang;
  };
  let read = 0;
  for await (const page of deps.audience.pages({ names: mode === 'push' })) {
    if (emitError) break;
    read += page.friends.length;
    for (const friend of page.friends) {
      if (friend.status !== 'active' || skip.has(friend.userId)) continue;
      if (!inAudience(rules, friend, answered)) continue;
      recipients++;
      received(friend.userId);
      const full = builder.add(friend, langOf(friend.language));
      if (full.length > 0) await emit(full);
    }
  }
  if (!emitError) await emit(builder.flush());
  while (writing.size > 0) await Promise.race(writing);
  if (emitError) throw emitError;
  // Every chunk is on its way: the friends' pages learn who got it (before completion, so a crash here repeats it).
  if (byBucket && byBucket.size > 0) await deps.receipts!.record(deliveryId, plannedAt, byBucket);

  return complete({ recipients, chunksTotal: chunksMade }, { friendsRead: read, firstChunkMs: firstEmitMs });
}
