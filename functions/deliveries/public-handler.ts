// Lambda entry: GET /r/{proxy+} and GET /media/{proxy+} (HTTP API, via CloudFront) → public-api → DynamoDB, S3.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { handlePublicRequest, type PublicDeps } from './public-api';
import { publicDeps } from './public-wiring';

const deps: PublicDeps = {
  ...publicDeps(),
  onClick: () => metrics.addMetric('DeliveryLinkClicked', MetricUnit.Count, 1),
  log: (message, fields) => logger.warn(message, fields),
};

export const handler = middy(async (event: APIGatewayProxyEventV2) => handlePublicRequest(deps, event))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
