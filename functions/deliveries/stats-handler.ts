// Lambda entry: EventBridge rule (hourly) → refreshStatistics → metrics, then data upkeep (audience index, form response list).
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ensureAudienceIndex } from '../adapters/aws/audience-index';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { documentClient, tableName } from '../adapters/aws/dynamo-client';
import { ensureResponseListIndex } from '../adapters/aws/form-store';
import { lineCredentials } from '../adapters/aws/line-credentials';
import { MessagingApiDeliveryGateway } from '../adapters/line/delivery-gateway';
import { systemClock } from '../ports/clock';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { reconcile } from './finish';
import { refreshStatistics, type StatsDeps } from './stats';
import { queuesFromEnv } from './wiring';

export interface ScheduledJobDeps extends StatsDeps {
  /** Audience index upkeep: a format upgrade or a post-migration rebuild, off every delivery's path. */
  audienceIndex?: () => Promise<unknown>;
  /** Once: latest form responses written before the console's newest-first list join it. */
  formResponseList?: () => Promise<unknown>;
}

/** Composition of the job; the local runtime builds the same with its own queues and clock. */
export function statsDeps(overrides: Partial<ScheduledJobDeps> & { queues?: ReturnType<typeof queuesFromEnv> } = {}): ScheduledJobDeps {
  const deliveries = overrides.deliveries ?? new DynamoDeliveryStore();
  const clock = overrides.clock ?? systemClock;
  const queues = overrides.queues ?? queuesFromEnv();
  return {
    deliveries,
    clock,
    line: overrides.line ?? new MessagingApiDeliveryGateway({ channelAccessToken: async () => (await lineCredentials()).channelAccessToken }),
    reconcile: overrides.reconcile ?? ((deliveryId) => reconcile({ deliveries, clock, planner: queues.planner, send: queues.send }, deliveryId, { resendPending: true })),
    log: (message, fields) => logger.warn(message, fields),
    audienceIndex: overrides.audienceIndex ?? (() => ensureAudienceIndex(documentClient(), tableName(), { upgrade: true })),
    formResponseList: overrides.formResponseList ?? (() => ensureResponseListIndex()),
  };
}

/**
 * The scheduled job: statistics (and the reconcile of stuck deliveries) first, then the audience
 * index's upkeep — a long rewrite can then never cost an hour's statistics; its failure is logged.
 */
export async function runScheduledJob(deps: ScheduledJobDeps) {
  const summary = await refreshStatistics(deps);
  if (deps.audienceIndex) await deps.audienceIndex().catch((error: unknown) => logger.error('Audience index upkeep failed', { error }));
  if (deps.formResponseList) await deps.formResponseList().catch((error: unknown) => logger.error('Form response list upkeep failed', { error }));
  return summary;
}

let deps: ScheduledJobDeps | undefined;

export const handler = middy(async () => {
  deps ??= statsDeps();
  const summary = await runScheduledJob(deps);
  logger.info('Delivery statistics refreshed', { ...summary });
  metrics.addMetric('DeliveryStatsRefreshed', MetricUnit.Count, summary.refreshed);
  metrics.addMetric('DeliveryStatsLineRequests', MetricUnit.Count, summary.lineRequests);
  if (summary.reconciled) metrics.addMetric('DeliveryReconciled', MetricUnit.Count, summary.reconciled);
  if (summary.failed) metrics.addMetric('DeliveryStatsFailed', MetricUnit.Count, summary.failed);
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
