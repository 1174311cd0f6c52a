/**
 * The delivery planner as the local runtime runs it: in its own worker thread (a separate Lambda
 * in AWS, functions/deliveries/planner-handler.ts), with the runtime's planner and send queues and
 * its scheduler borrowed from the main thread, and the runtime's moved clock.
 */
import type { PlannerMessage, SendMessage } from '../functions/deliveries/model';
import { createPlannerHandler } from '../functions/deliveries/pipeline-handlers';
import type { DeliveryScheduler, JsonQueue } from '../functions/deliveries/ports';
import { plannerDeps } from '../functions/deliveries/wiring';
import { hostClock } from '../functions/ports/clock';
import { borrowedPort } from './thread-ports';

export const handler = createPlannerHandler(
  plannerDeps({
    queues: { planner: borrowedPort<JsonQueue<PlannerMessage>>('planner', ['send']), send: borrowedPort<JsonQueue<SendMessage>>('send', ['send']) },
    scheduler: borrowedPort<DeliveryScheduler>('scheduler', ['upsert', 'remove']),
    clock: hostClock,
  }),
);
