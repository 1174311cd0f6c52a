/**
 * One logger and one metrics for every handler (Powertools for AWS Lambda). The Tracer is not
 * here: only AWS clients are traced (functions/adapters/aws/tracer.ts), and a module that logs
 * must not load the X-Ray SDK (the webhook receiver logs; docs/ARCHITECTURE.md, "Bundles and cold
 * start"). Locally the runtime (local/runtime.ts) sets POWERTOOLS_METRICS_DISABLED and a quieter log level; nothing
 * else differs.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'civic-line';

export const logger = new Logger({ serviceName });
// Metrics' own warnings (e.g. "No application metrics to publish" for an invocation that recorded
// none) go through the logger: structured and at its level, not console lines in every test run.
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CivicLine', serviceName, logger });
export { MetricUnit };
