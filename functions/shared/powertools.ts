/**
 * One logger, one metrics and one tracer for every handler (Powertools for AWS Lambda).
 * Locally bin/local.ts sets POWERTOOLS_METRICS_DISABLED and POWERTOOLS_TRACE_ENABLED=false
 * and a quieter log level; nothing else differs.
 */
// First: decides X-Ray's mode before the Tracer loads it (see tracing-mode.ts).
import './tracing-mode';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'civic-line';

export const logger = new Logger({ serviceName });
// Metrics' own warnings (e.g. "No application metrics to publish" for an invocation that recorded
// none) go through the logger: structured and at its level, not console lines in every test run.
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CivicLine', serviceName, logger });
export const tracer = new Tracer({ serviceName });
export { MetricUnit };
