// POST /webhook: API Gateway → verify signature → validate → SQS (one message per event) → 200.
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { EventQueue } from '../ports/event-queue';
import type { Clock } from '../ports/clock';
import { errorResponse, header, json, rawBody } from '../shared/http';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { jsonNestedDeeperThan, webhookBodySchema, webhookEventSchema, type QueuedEvent, type QueuedRefusal } from './schema';

/** LINE caps a webhook body far below this; anything larger is not LINE. */
const MAX_BODY_BYTES = 1024 * 1024;
/** LINE's events nest a handful of levels; a body deeper than this is refused unparsed. */
const MAX_JSON_DEPTH = 64;

export interface ReceiveDeps {
  channelSecret(): Promise<string>;
  /** Whether `signature` is LINE's signature of `body` with the channel secret (adapters/line/signature.ts). */
  signatureValid(body: Buffer, channelSecret: string, signature: string): boolean;
  queue: EventQueue;
  clock: Clock;
}

/** A short digest naming a refused body or event (redelivered, the same one is recorded once). */
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Splits a signed body into events to process and refusals to record. Nothing signed is answered
 * with an error LINE would redeliver for ever: a body or event that can never be processed is
 * recorded once by the consumer (the event ledger, `refused`) and acknowledged.
 */
export function triageBody(text: string, receivedAt: string): { events: QueuedEvent[]; refusals: QueuedRefusal[] } {
  const refuseBody = (reason: string) => ({
    events: [],
    refusals: [{ receivedAt, refused: { id: `body-${digest(text)}`, reason, bytes: Buffer.byteLength(text) } }],
  });
  if (jsonNestedDeeperThan(text, MAX_JSON_DEPTH)) return refuseBody(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuseBody('not JSON');
  }
  const body = webhookBodySchema.safeParse(parsed);
  if (!body.success)
    return refuseBody(
      `envelope: ${body.error.issues
        .map((i) => `${i.path.join('.')} ${i.code}`)
        .join('; ')
        .slice(0, 150)}`,
    );
  const events: QueuedEvent[] = [];
  const refusals: QueuedRefusal[] = [];
  for (const raw of body.data.events) {
    const event = webhookEventSchema.safeParse(raw);
    if (event.success) {
      events.push({ destination: body.data.destination, receivedAt, event: event.data });
      continue;
    }
    const r = (raw && typeof raw === 'object' ? raw : {}) as { webhookEventId?: unknown; type?: unknown };
    const usableId = typeof r.webhookEventId === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(r.webhookEventId) ? r.webhookEventId : undefined;
    const serialized = JSON.stringify(raw) ?? 'undefined';
    refusals.push({
      receivedAt,
      refused: {
        id: usableId ?? `event-${digest(serialized)}`,
        reason: `event: ${event.error.issues.map((i) => `${i.path.join('.')} ${i.code}`).join('; ')}`.slice(0, 200),
        ...(typeof r.type === 'string' ? { eventType: r.type.slice(0, 64) } : {}),
        bytes: Buffer.byteLength(serialized),
      },
    });
  }
  return { events, refusals };
}

export function createReceiveHandler(deps: ReceiveDeps) {
  const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const body = rawBody(event);
      if (body.length > MAX_BODY_BYTES) return json(413, { error: { code: 'payload_too_large', message: 'Body too large' } });

      // 1. Signature first: nothing from an unsigned or tampered request is read or stored.
      const signature = header(event, 'x-line-signature');
      if (!signature || !deps.signatureValid(body, await deps.channelSecret(), signature)) {
        logger.warn('Webhook signature rejected', { hasSignature: Boolean(signature), bytes: body.length, sourceIp: event.requestContext?.http?.sourceIp });
        metrics.addMetric('WebhookSignatureRejected', MetricUnit.Count, 1);
        return json(401, { error: { code: 'invalid_signature', message: 'Invalid signature' } });
      }

      // 2. Shape, event by event; what can never be processed is handed over as a refusal to record.
      const receivedAt = deps.clock.now().toISOString();
      const { events, refusals } = triageBody(body.toString('utf8'), receivedAt);

      // 3. Hand over: an empty list is LINE's URL verification.
      const messages = [...events, ...refusals].map((m) => JSON.stringify(m));
      if (messages.length > 0) await deps.queue.sendAll(messages);
      metrics.addMetric('WebhookEventsReceived', MetricUnit.Count, events.length);
      if (refusals.length > 0) {
        metrics.addMetric('WebhookEventsRefused', MetricUnit.Count, refusals.length);
        logger.warn('Webhook events refused (recorded, not retried)', { refusals: refusals.map((r) => ({ id: r.refused.id, reason: r.refused.reason })) });
      }
      return json(200, {});
    } catch (error) {
      return errorResponse(error);
    }
  };
  return middy(receive).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
