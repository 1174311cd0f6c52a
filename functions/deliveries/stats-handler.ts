// Lambda entry: EventBridge rule (hourly) → refreshStatistics → metrics.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { lineCredentials } from '../adapters/aws/line-credentials';
import { MessagingApiDeliveryGateway } from '../adapters/line/delivery-gateway';
import { systemClock } from '../ports/clock';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { reconcile } from './finish';
import { refreshStatistics, type StatsDeps } from './stats';
import { queuesFromEnv } from './wiring';

/** Composition of the job; the local runtime builds the same with its own queues and clock. */
export function statsDeps(overrides: Partial<StatsDeps> & { queues?: ReturnType<typeof queuesFromEnv> } = {}): StatsDeps {
  const deliveries = overrides.deliveries ?? new DynamoDeliveryStore();
  const clock = overrides.clock ?? systemClock;
  const queues = overrides.queues ?? queuesFromEnv();
  return {
    deliveries,
    clock,
    line: overrides.line ?? new MessagingApiDeliveryGateway({ channelAccessToken: async () => (await lineCredentials()).channelAccessToken }),
    reconcile: overrides.reconcile ?? ((deliveryId) => reconcile({ deliveries, clock, planner: queues.planner, send: queues.send }, deliveryId, { resendPending: true })),
    log: (message, fields) => logger.warn(message, fields),
  };
}

let deps: StatsDeps | undefined;

export const handler = middy(async () => {
  deps ??= statsDeps();
  const summary = await refreshStatistics(deps);
  logger.info('Delivery statistics refreshed', { ...summary });
  metrics.addMetric('DeliveryStatsRefreshed', MetricUnit.Count, summary.refreshed);
  metrics.addMetric('DeliveryStatsLineRequests', MetricUnit.Count, summary.lineRequests);
  if (summary.reconciled) metrics.addMetric('DeliveryReconciled', MetricUnit.Count, summary.reconciled);
  if (summary.failed) metrics.addMetric('DeliveryStatsFailed', MetricUnit.Count, summary.failed);
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
