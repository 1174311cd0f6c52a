// SQS (webhook events) → processWebhookEvent per record → partial batch failures.
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { processWebhookEvent, type ProcessEventDeps } from './process-event';
import { queuedEventSchema } from './schema';

export function createProcessHandler(deps: ProcessEventDeps) {
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const queued = queuedEventSchema.parse(JSON.parse(record.body));
    const outcome = await processWebhookEvent(deps, queued);
    metrics.addMetric(outcome === 'duplicate' ? 'WebhookEventSkippedAsDuplicate' : 'WebhookEventProcessed', MetricUnit.Count, 1);
    if (outcome !== 'processed') logger.debug('Webhook event not applied', { outcome, type: queued.event.type, webhookEventId: queued.event.webhookEventId });
  };

  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A processor per invocation: it keeps per-batch state.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
  };
  return middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
