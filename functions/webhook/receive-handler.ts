// Lambda entry: POST /webhook (API Gateway HTTP API) → receive → SQS.
import { SqsEventQueue } from '../adapters/aws/sqs-event-queue';
import { ENV, requireEnv } from '../shared/env';
import { createReceiveHandler } from './receive';
import { receiveDeps } from './wiring';

export const handler = createReceiveHandler(receiveDeps(new SqsEventQueue(requireEnv(ENV.WEBHOOK_QUEUE_URL))));
