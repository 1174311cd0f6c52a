// Lambda entry: the send queue's DLQ → chunk failed → delivery partly_failed.
import { createDeadLetterHandler } from './pipeline-handlers';
import { finishDeps } from './wiring';

export const handler = createDeadLetterHandler(finishDeps());
