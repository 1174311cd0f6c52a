/**
 * What LINE sends to the webhook, validated with zod. Unknown event types are
 * accepted (LINE adds new ones over time) and ignored by the consumer.
 */
import { z } from 'zod';

const sourceSchema = z.looseObject({
  type: z.string(),
  userId: z.string().max(64).optional(),
  groupId: z.string().max(64).optional(),
  roomId: z.string().max(64).optional(),
});

/** LINE's timestamps are epoch milliseconds; anything past 2100 is not one (and breaks date arithmetic). */
export const MAX_EVENT_TIMESTAMP = Date.UTC(2100, 0, 1);

export const webhookEventSchema = z.looseObject({
  type: z.string().min(1).max(64),
  mode: z.string().max(32).optional(),
  timestamp: z.number().int().nonnegative().max(MAX_EVENT_TIMESTAMP),
  source: sourceSchema.optional(),
  webhookEventId: z.string().min(1).max(64),
  deliveryContext: z.object({ isRedelivery: z.boolean() }),
  replyToken: z.string().max(256).optional(),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The envelope; each event is validated on its own (one bad event never costs the others). */
export const webhookBodySchema = z.object({
  destination: z.string().min(1).max(64),
  events: z.array(z.unknown()).max(1000),
});

/** One queued event: what the receiver hands to the consumer through SQS. */
export const queuedEventSchema = z.object({
  destination: z.string(),
  receivedAt: z.string(),
  event: webhookEventSchema,
});
export type QueuedEvent = z.infer<typeof queuedEventSchema>;

/**
 * A signed body or event that can never be processed (malformed, nested past any real event,
 * outside LINE's schema): queued like an event so the consumer records it once, never retried.
 * `id` is the event's webhookEventId when it had a usable one, else a digest of what arrived.
 */
export const queuedRefusalSchema = z.object({
  receivedAt: z.string(),
  refused: z.object({ id: z.string().min(1).max(80), reason: z.string().max(200), eventType: z.string().max(64).optional(), bytes: z.number().int().nonnegative() }),
});
export type QueuedRefusal = z.infer<typeof queuedRefusalSchema>;
export const queuedMessageSchema = z.union([queuedEventSchema, queuedRefusalSchema]);
export type QueuedMessage = z.infer<typeof queuedMessageSchema>;

/**
 * True when a JSON text nests arrays/objects deeper than `max` (counted outside strings, before
 * parsing): such a body is refused without being parsed — re-serialising a 100,000-deep body
 * overflowed the stack. LINE's events nest a handful of levels.
 */
export function jsonNestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

const userSource = z.looseObject({ type: z.literal('user'), userId: z.string().min(1).max(64) });

export const followEventSchema = webhookEventSchema.extend({
  type: z.literal('follow'),
  source: userSource,
  follow: z.object({ isUnblocked: z.boolean() }).optional(),
});

export const unfollowEventSchema = webhookEventSchema.extend({ type: z.literal('unfollow'), source: userSource });

export const messageEventSchema = webhookEventSchema.extend({
  type: z.literal('message'),
  source: userSource,
  message: z.looseObject({
    id: z.string().min(1).max(64),
    type: z.string().min(1).max(32),
    text: z.string().max(10_000).optional(),
    title: z.string().max(500).optional(),
    address: z.string().max(500).optional(),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
  }),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const postbackEventSchema = webhookEventSchema.extend({
  type: z.literal('postback'),
  source: userSource,
  postback: z.looseObject({ data: z.string().max(300), params: z.record(z.string(), z.unknown()).optional() }),
});
export type PostbackEvent = z.infer<typeof postbackEventSchema>;
