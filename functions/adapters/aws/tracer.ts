/**
 * X-Ray for the AWS clients (Powertools Tracer): every DynamoDB, SQS, S3… call a traced function
 * makes is a subsegment. Imported only by the adapters that create clients, so a function whose
 * bundle must stay small (the webhook receiver) can leave it out. Locally local/runtime.ts sets
 * POWERTOOLS_TRACE_ENABLED=false.
 */
// First: decides X-Ray's mode before the Tracer loads it (see tracing-mode.ts).
import './tracing-mode';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'civic-line' });

/** The same client, its calls traced. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
