// Lambda entry: SQS send queue → one LINE multicast (or pushes) per chunk, never twice.
import { createSenderHandler } from './pipeline-handlers';
import { senderDeps } from './wiring';

export const handler = createSenderHandler(senderDeps());
