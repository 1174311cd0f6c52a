/**
 * Composition root of the webhook receiver (POST /webhook): the channel secret, the queue, the
 * clock. A file of its own so the receiver's bundle carries none of the consumer's stores and
 * LINE client (docs/ARCHITECTURE.md, "Bundles and cold start"). AWS: SQS, untraced (X-Ray's SDK
 * stays out of the bundle); the local runtime passes its own queue.
 */
import { lineCredentials } from '../adapters/aws/line-credentials';
import { SqsQueue } from '../adapters/aws/sqs-queue';
import { lineSignatureValid } from '../adapters/line/signature';
import { systemClock } from '../ports/clock';
import type { EventQueue } from '../ports/event-queue';
import { ENV, requireEnv } from '../shared/env';
import type { ReceiveDeps } from './receive';

export function receiveDeps(queue: EventQueue = new SqsQueue(requireEnv(ENV.WEBHOOK_QUEUE_URL))): ReceiveDeps {
  return { channelSecret: async () => (await lineCredentials()).channelSecret, signatureValid: lineSignatureValid, queue, clock: systemClock };
}
