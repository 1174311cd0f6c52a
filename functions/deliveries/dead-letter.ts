/**
 * A send message that failed 5 receives lands in the send queue's DLQ. Its chunk is marked
 * `failed` with the last error the sender recorded, and finishing runs: the delivery becomes
 * `partly_failed` (or `failed`) once every other chunk is final. Staff can then "resend the
 * failed part" (same retry keys, so friends who did get it are not sent it again).
 */
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { alreadyFinal, chunkFinished, type FinishDeps } from './finish';
import type { SendMessage } from './model';

export type DeadLetterOutcome = 'failed' | 'already_final' | 'missing';

/**
 * 1. Read the chunk; missing → nothing; final (it got through after all) → counted again
 *    (idempotent), in case whoever finished it died before counting.
 * 2. pending → failed with the last recorded error (once).
 * 3. Count it and finish the delivery if it was the last one.
 */
export async function handleDeadLetter(deps: FinishDeps, message: SendMessage): Promise<DeadLetterOutcome> {
  const chunk = await deps.deliveries.getChunk(message.deliveryId, message.index);
  if (!chunk) return 'missing';
  if (chunk.status !== 'pending') return alreadyFinal(deps, message.deliveryId, message.index);
  const lastError = chunk.lastError ?? 'gave up after the maximum number of receives';
  const moved = await deps.deliveries.failChunk(message.deliveryId, message.index, { at: deps.clock.now().toISOString(), attempts: chunk.attempts, lastError });
  if (!moved) return alreadyFinal(deps, message.deliveryId, message.index);
  metrics.addMetric('DeliveryChunkDeadLettered', MetricUnit.Count, 1);
  logger.error('Delivery chunk dead-lettered', {
    deliveryId: message.deliveryId,
    index: message.index,
    recipients: chunk.recipients.length,
    attempts: chunk.attempts,
    lastError,
  });
  await chunkFinished(deps, message.deliveryId, message.index);
  return 'failed';
}
