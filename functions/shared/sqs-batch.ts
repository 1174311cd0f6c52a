/**
 * The one shape of every SQS-triggered handler: records processed concurrently by Powertools'
 * BatchProcessor (a processor per invocation: it keeps per-batch state), a thrown record returned
 * to the queue as a partial batch failure, the Lambda context in the logs, metrics flushed.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from './powertools';

export function sqsBatchHandler(processRecord: (record: SQSRecord) => Promise<void>) {
  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
  return middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
