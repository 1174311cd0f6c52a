// Lambda entry: POST /webhook (API Gateway HTTP API) → receive → SQS.
import { createReceiveHandler } from './receive';
import { receiveDeps } from './receive-wiring';

export const handler = createReceiveHandler(receiveDeps());
