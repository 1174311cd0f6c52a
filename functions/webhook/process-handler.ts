// Lambda entry: SQS webhook queue → process each event once.
import { createProcessHandler } from './process';
import { processDeps } from './wiring';

export const handler = createProcessHandler(processDeps());
