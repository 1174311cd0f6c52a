// Lambda entry: EventBridge rule (hourly) → runScheduledJob (statistics, then data upkeep) → metrics.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { runScheduledJob, type ScheduledJobDeps } from './scheduled-job';
import { scheduledJobDeps } from './wiring';

let deps: ScheduledJobDeps | undefined;

export const handler = middy(async () => {
  deps ??= scheduledJobDeps();
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
