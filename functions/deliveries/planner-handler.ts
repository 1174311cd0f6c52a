// Lambda entry: SQS planner queue → plan a delivery (chunks onto the send queue) or create a recurring occurrence.
import { createPlannerHandler } from './pipeline-handlers';
import { plannerDeps } from './wiring';

export const handler = createPlannerHandler(plannerDeps());
