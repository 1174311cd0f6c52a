// SQS (planner / send / send DLQ) → one use case per record → partial batch failures.
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { LANGS } from '../shared/languages';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { sqsBatchHandler } from '../shared/sqs-batch';
import { handleDeadLetter } from './dead-letter';
import type { FinishDeps } from './finish';
import type { PlannerMessage, SendMessage } from './model';
import { handlePlannerMessage, PlannerBusyError, type PlannerDeps } from './planner';
import { InstanceCache, sendChunk, type SenderDeps } from './sender';

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z_-]+$/);

export const plannerMessageSchema: z.ZodType<PlannerMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plan'), deliveryId: id }),
  z.object({ type: z.literal('occurrence'), recurringId: id, occurrenceAt: z.iso.datetime({ offset: true }) }),
  z.object({ type: z.literal('richMenuSync'), requestedAt: z.iso.datetime({ offset: true }) }),
  z.object({ type: z.literal('disasterSignal'), mailId: id }),
  z.object({ type: z.literal('reportPhotos'), reportId: id }),
]);

/** A LINE user ID as the webhook accepts it (printable, ≤ 64); packed with "\n", at most 500. */
const packedRecipients = z
  .string()
  .max(500 * 65)
  .refine((to) => {
    if (to === '') return true;
    const ids = to.split('\n'); // once: this runs for every chunk of every delivery
    return ids.length <= 500 && ids.every((u) => /^[!-~]{1,64}$/.test(u));
  }, 'recipients must be at most 500 user IDs joined by newlines');

const carriedChunkSchema = z
  .object({ lang: z.enum(LANGS), mode: z.enum(['multicast', 'broadcast']), retryKey: z.uuid(), to: packedRecipients })
  .refine((c) => (c.mode === 'broadcast') === (c.to === ''), 'a broadcast has no recipients, a multicast has some');

const sendMessageBase = z.object({ deliveryId: id, index: z.number().int().min(0).max(99_999) });

export const sendMessageSchema: z.ZodType<SendMessage> = sendMessageBase.extend({ chunk: carriedChunkSchema.optional() });

/**
 * A send-queue message. A carried chunk that fails validation is dropped (logged), not the
 * message: the sender then reads the chunk item, so one odd user ID never makes a poison message
 * that is neither sent nor failed.
 */
export function parseSendMessage(body: string): SendMessage {
  const raw: unknown = JSON.parse(body);
  const parsed = sendMessageSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = sendMessageBase.parse(raw); // a bad delivery or index still refuses the message
  logger.warn('Carried chunk refused; the chunk item is read instead', { ...message, issue: parsed.error.issues[0]?.message });
  return message;
}

const parse = <T>(schema: z.ZodType<T>, record: SQSRecord): T => schema.parse(JSON.parse(record.body));

function batchHandler(processRecord: (record: SQSRecord, shared: InstanceCache) => Promise<void>) {
  // Per instance (module scope of the handler): deliveries and their LINE messages, kept briefly.
  const shared = new InstanceCache();
  return sqsBatchHandler((record: SQSRecord) => processRecord(record, shared));
}

/** Planner queue: plan a delivery (or create a recurring occurrence). Busy → retried later by SQS. */
export function createPlannerHandler(deps: PlannerDeps) {
  return batchHandler(async (record) => {
    const message = parse(plannerMessageSchema, record);
    try {
      await handlePlannerMessage(deps, message, Number(record.attributes?.ApproximateReceiveCount ?? 1));
    } catch (error) {
      if (error instanceof PlannerBusyError) logger.info('Planner message postponed', { message: error.message });
      else logger.error('Planner message failed', { error: error as Error, type: message.type });
      throw error;
    }
  });
}

/** Send queue: one chunk per record; a thrown error returns the record to the queue. */
export function createSenderHandler(deps: SenderDeps) {
  return batchHandler(async (record, shared) => {
    const message = parseSendMessage(record.body);
    try {
      const sentAtMs = Number(record.attributes?.SentTimestamp);
      await sendChunk(deps, message, shared, Number(record.attributes?.ApproximateReceiveCount ?? 1), Number.isFinite(sentAtMs) ? sentAtMs : undefined);
    } catch (error) {
      metrics.addMetric('DeliveryChunkRetried', MetricUnit.Count, 1);
      logger.warn('Chunk returned to the queue', {
        deliveryId: message.deliveryId,
        index: message.index,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        error: (error as Error).message,
      });
      throw error;
    }
  });
}

/** The send queue's DLQ: the chunk is failed and the delivery finished (partly_failed). */
export function createDeadLetterHandler(deps: FinishDeps) {
  return batchHandler(async (record) => {
    await handleDeadLetter(deps, parseSendMessage(record.body));
  });
}
