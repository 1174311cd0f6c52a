/**
 * The webhook consumer as the local runtime runs it: the AWS entry's handler (functions/webhook/
 * process-handler.ts) with the runtime's planner queue borrowed from the main thread (a citizen
 * report's photo job goes there; PLANNER_QUEUE_URL names the SQS queue in AWS).
 */
import type { PlannerMessage } from '../functions/deliveries/model';
import type { JsonQueue } from '../functions/deliveries/ports';
import { createProcessHandler } from '../functions/webhook/process';
import { processDeps } from '../functions/webhook/wiring';
import { borrowedPort } from './thread-ports';

export const handler = createProcessHandler(processDeps({ planner: borrowedPort<JsonQueue<PlannerMessage>>('planner', ['send']) }));
