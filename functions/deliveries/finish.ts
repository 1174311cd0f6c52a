/**
 * Finishing a delivery: when every chunk is final, `sending → sent | partly_failed | failed` once
 * (a conditional status move), with `succeeded` / `failed` summed over the chunks.
 *
 * Who finishes: the sender or dead-letter handler whose `chunkSent` / `failChunk` made the count of final
 * chunks reach `chunksTotal`; the planner at its end (every chunk may have finished before
 * `chunksTotal` was written); `reconcile` from the periodic job for anything left behind.
 * All of them may run at once: the conditional move lets exactly one win.
 */
import type { Clock } from '../ports/clock';
import type { DeliveryStatus, PlannerMessage, SendMessage } from './model';
import type { ChunkState, DeliveryRepository, JsonQueue } from './ports';

export interface FinishDeps {
  deliveries: DeliveryRepository;
  clock: Clock;
}

export type FinishOutcome =
  | { finished: true; status: DeliveryStatus; succeeded: number; failed: number }
  | { finished: false; reason: 'not_sending' | 'planning' | 'pending' | 'lost_race' };

/** The final status of a delivery from its chunks (all of them final). */
export function outcomeOf(states: ChunkState[]): { status: 'sent' | 'partly_failed' | 'failed'; succeeded: number; failed: number } {
  let succeeded = 0;
  let failed = 0;
  for (const c of states) {
    if (c.status === 'sent') succeeded += c.recipients;
    else if (c.status === 'failed') failed += c.recipients;
  }
  const status = failed === 0 ? 'sent' : succeeded === 0 ? 'failed' : 'partly_failed';
  return { status, succeeded, failed };
}

/**
 * 1. Read the delivery (consistent): only a `sending` delivery whose planning completed can finish.
 * 2. Read the chunk states (no recipient lists): any pending → not yet.
 * 3. Move `sending → <outcome>` conditionally; losing the race is fine (someone else finished).
 */
export async function finishIfComplete(deps: FinishDeps, deliveryId: string): Promise<FinishOutcome> {
  const delivery = await deps.deliveries.get(deliveryId, true);
  if (!delivery || delivery.status !== 'sending') return { finished: false, reason: 'not_sending' };
  if (delivery.chunksTotal === undefined) return { finished: false, reason: 'planning' };
  const states = await deps.deliveries.chunkStates(deliveryId);
  if (states.length < delivery.chunksTotal || states.some((c) => c.status === 'pending')) return { finished: false, reason: 'pending' };
  // A broadcast's one chunk (written before anyone was counted) stands for every friend counted at planning.
  const outcome = outcomeOf(delivery.broadcast ? states.map((c) => ({ ...c, recipients: delivery.recipients ?? 0 })) : states);
  const now = deps.clock.now().toISOString();
  const moved = await deps.deliveries.transition(deliveryId, ['sending'], outcome.status, {
    succeeded: outcome.succeeded,
    failed: outcome.failed,
    finishedAt: now,
    updatedAt: now,
  });
  return moved ? { finished: true, ...outcome } : { finished: false, reason: 'lost_race' };
}

/**
 * After a chunk became final: record its index on the delivery (unless the write that made it
 * final counted it already: `counted`) and finish when the count of final chunks reaches
 * `chunksTotal`. One ADD to a number set per chunk, no transaction, so hundreds of concurrent
 * senders do not fight over the delivery item; the set makes it idempotent, so a sender that died
 * between finishing the chunk and counting it is made good by the redelivered message (the chunk
 * is final: it is counted again, and nothing is sent).
 */
export async function chunkFinished(
  deps: FinishDeps,
  deliveryId: string,
  index: number,
  counted?: { done: number; total?: number },
): Promise<FinishOutcome | null> {
  const { done, total } = counted ?? (await deps.deliveries.countChunkDone(deliveryId, index));
  if (total === undefined || done < total) return null;
  return finishIfComplete(deps, deliveryId);
}

/**
 * A message for a chunk that is already final (a redelivery, or someone else finished it first):
 * nothing to send, but it is counted again — whoever finished it may have died before counting.
 */
export async function alreadyFinal(deps: FinishDeps, deliveryId: string, index: number, counted?: { done: number; total?: number }): Promise<'already_final'> {
  await chunkFinished(deps, deliveryId, index, counted);
  return 'already_final';
}

export interface ReconcileDeps extends FinishDeps {
  planner?: JsonQueue<PlannerMessage>;
  send?: JsonQueue<SendMessage>;
}

export type ReconcileOutcome = FinishOutcome | { finished: false; reason: 'replanned' | 'resent'; chunks?: number };

/**
 * For the periodic job (deliveries stuck in `sending`): finishes a delivery whose chunks are all
 * final; a delivery whose planning never completed goes back onto the planner queue (the planner
 * resumes once the crashed planner's lease expired); with `resendPending`, pending chunks go back
 * onto the send queue (safe: same retry keys, a final chunk is skipped by the sender).
 */
export async function reconcile(deps: ReconcileDeps, deliveryId: string, options: { resendPending?: boolean } = {}): Promise<ReconcileOutcome> {
  const outcome = await finishIfComplete(deps, deliveryId);
  if (outcome.finished) return outcome;
  if (outcome.reason === 'planning' && deps.planner) {
    await deps.planner.send([{ type: 'plan', deliveryId }]);
    return { finished: false, reason: 'replanned' };
  }
  if (outcome.reason === 'pending' && options.resendPending && deps.send) {
    const pending = (await deps.deliveries.chunkStates(deliveryId)).filter((c) => c.status === 'pending');
    if (pending.length > 0) await deps.send.send(pending.map((c) => ({ deliveryId, index: c.index })));
    return { finished: false, reason: 'resent', chunks: pending.length };
  }
  return outcome;
}
