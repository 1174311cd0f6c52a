// POST /webhook: API Gateway → verify signature → validate → SQS (one message per event) → 200.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { validateSignature } from '@line/bot-sdk';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { EventQueue } from '../ports/event-queue';
import type { Clock } from '../ports/clock';
import { ValidationError } from '../shared/errors';
import { errorResponse, header, json, rawBody, zodToValidationError } from '../shared/http';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { webhookBodySchema, type QueuedEvent } from './schema';

/** LINE caps a webhook body far below this; anything larger is not LINE. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiveDeps {
  channelSecret(): Promise<string>;
  queue: EventQueue;
  clock: Clock;
}

export function createReceiveHandler(deps: ReceiveDeps) {
  const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const body = rawBody(event);
      if (body.length > MAX_BODY_BYTES) return json(413, { error: { code: 'payload_too_large', message: 'Body too large' } });

      // 1. Signature first: nothing from an unsigned or tampered request is read or stored.
      const signature = header(event, 'x-line-signature');
      if (!signature || !validateSignature(body, await deps.channelSecret(), signature)) {
        logger.warn('Webhook signature rejected', { hasSignature: Boolean(signature), bytes: body.length, sourceIp: event.requestContext?.http?.sourceIp });
        metrics.addMetric('WebhookSignatureRejected', MetricUnit.Count, 1);
        return json(401, { error: { code: 'invalid_signature', message: 'Invalid signature' } });
      }

      // 2. Shape.
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new ValidationError('Body is not JSON');
      }
      const result = webhookBodySchema.safeParse(parsed);
      if (!result.success) throw zodToValidationError(result.error, 'Webhook body does not match the LINE schema');

      // 3. Hand over: an empty list is LINE's URL verification.
      const { destination, events } = result.data;
      if (events.length > 0) {
        const receivedAt = deps.clock.now().toISOString();
        await deps.queue.sendAll(events.map((e) => JSON.stringify({ destination, receivedAt, event: e } satisfies QueuedEvent)));
      }
      metrics.addMetric('WebhookEventsReceived', MetricUnit.Count, events.length);
      return json(200, {});
    } catch (error) {
      return errorResponse(error);
    }
  };
  return middy(receive).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
