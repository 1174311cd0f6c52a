// SQS (webhook events) → processWebhookEvent per record → partial batch failures.
import type { SQSRecord } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { sqsBatchHandler } from '../shared/sqs-batch';
import { EventBusyError, processWebhookEvent, recordRefusal, type ProcessEventDeps } from './process-event';
import { queuedMessageSchema, type QueuedMessage } from './schema';

export function createProcessHandler(deps: ProcessEventDeps) {
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const queued = parseRecord(record);
    if ('refused' in queued) {
      await recordRefusal(deps, queued);
      metrics.addMetric('WebhookEventRefused', MetricUnit.Count, 1);
      logger.warn('Webhook event refused and recorded (not retried)', {
        id: queued.refused.id,
        reason: queued.refused.reason,
        eventType: queued.refused.eventType,
      });
      return;
    }
    let outcome;
    try {
      outcome = await processWebhookEvent(deps, queued);
    } catch (error) {
      // Another worker holds it: the normal race of parallel consumers, retried by the queue.
      if (error instanceof EventBusyError) {
        logger.debug('Webhook event held by another worker; the queue offers it again', { webhookEventId: queued.event.webhookEventId });
        throw error;
      }
      // The queue retries it (and after 5 receives the DLQ alarms); say why, without personal data.
      logger.error('Webhook event failed; the queue will retry it', {
        type: queued.event.type,
        webhookEventId: queued.event.webhookEventId,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error),
      });
      throw error;
    }
    metrics.addMetric(
      outcome === 'duplicate' ? 'WebhookEventSkippedAsDuplicate' : outcome === 'refused' ? 'WebhookEventRefused' : 'WebhookEventProcessed',
      MetricUnit.Count,
      1,
    );
    if (outcome === 'refused')
      logger.warn('Webhook event refused and recorded (not retried)', { type: queued.event.type, webhookEventId: queued.event.webhookEventId });
    else if (outcome !== 'processed')
      logger.debug('Webhook event not applied', { outcome, type: queued.event.type, webhookEventId: queued.event.webhookEventId });
  };

  /** The queue carries only what the receiver wrote; anything else is recorded as refused (by message ID), not retried. */
  const parseRecord = (record: SQSRecord): QueuedMessage => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = queuedMessageSchema.safeParse(body);
    if (parsed.success) return parsed.data;
    return {
      receivedAt: new Date().toISOString(),
      refused: { id: `message-${record.messageId}`.slice(0, 80), reason: "queue message outside the receiver's format", bytes: Buffer.byteLength(record.body) },
    };
  };

  return sqsBatchHandler(processRecord);
}
