/**
 * What LINE sends to the webhook, validated with zod — its `zod/mini` build: the same validator
 * with a tree-shakable API, so the receiver (on LINE's 2-second path) carries ~25 KB of zod instead
 * of ~95 KB (docs/ARCHITECTURE.md, "Bundles and cold start"). Unknown event types are accepted
 * (LINE adds new ones over time) and ignored by the consumer.
 */
import * as z from 'zod/mini';

const id = z.string().check(z.maxLength(64));

const sourceSchema = z.looseObject({
  type: z.string(),
  userId: z.optional(id),
  groupId: z.optional(id),
  roomId: z.optional(id),
});

/** LINE's timestamps are epoch milliseconds; anything past 2100 is not one (and breaks date arithmetic). */
export const MAX_EVENT_TIMESTAMP = Date.UTC(2100, 0, 1);

export const webhookEventSchema = z.looseObject({
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  mode: z.optional(z.string().check(z.maxLength(32))),
  timestamp: z.number().check(z.int(), z.nonnegative(), z.maximum(MAX_EVENT_TIMESTAMP)),
  source: z.optional(sourceSchema),
  webhookEventId: z.string().check(z.minLength(1), z.maxLength(64)),
  deliveryContext: z.object({ isRedelivery: z.boolean() }),
  replyToken: z.optional(z.string().check(z.maxLength(256))),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The envelope; each event is validated on its own (one bad event never costs the others). */
export const webhookBodySchema = z.object({
  destination: z.string().check(z.minLength(1), z.maxLength(64)),
  events: z.array(z.unknown()).check(z.maxLength(1000)),
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
  refused: z.object({
    id: z.string().check(z.minLength(1), z.maxLength(80)),
    reason: z.string().check(z.maxLength(200)),
    eventType: z.optional(z.string().check(z.maxLength(64))),
    bytes: z.number().check(z.int(), z.nonnegative()),
  }),
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
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

const userSource = z.looseObject({ type: z.literal('user'), userId: z.string().check(z.minLength(1), z.maxLength(64)) });

export const followEventSchema = z.extend(webhookEventSchema, {
  type: z.literal('follow'),
  source: userSource,
  follow: z.optional(z.object({ isUnblocked: z.boolean() })),
});

export const unfollowEventSchema = z.extend(webhookEventSchema, { type: z.literal('unfollow'), source: userSource });

/**
 * Several images a friend chose at once: LINE sends one image message per image, each with the
 * set's id, its place in the set (1-based) and the set's size — in one request or several, in any
 * order. Only a hint for grouping them: a malformed imageSet is dropped (the image then counts as
 * a single one) instead of refusing the event, so the picture still arrives.
 */
export const imageSetSchema = z
  .object({
    id: z.string().check(z.minLength(1), z.maxLength(100)),
    index: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
    total: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
  })
  .check(z.refine((s) => s.index <= s.total));

export const messageEventSchema = z.extend(webhookEventSchema, {
  type: z.literal('message'),
  source: userSource,
  message: z.looseObject({
    id: z.string().check(z.minLength(1), z.maxLength(64)),
    type: z.string().check(z.minLength(1), z.maxLength(32)),
    text: z.optional(z.string().check(z.maxLength(10_000))),
    title: z.optional(z.string().check(z.maxLength(500))),
    address: z.optional(z.string().check(z.maxLength(500))),
    latitude: z.optional(z.number()),
    longitude: z.optional(z.number()),
    /** Marks this message (and all before it) 既読 with POST /v2/bot/chat/markAsRead (staff opening it in the chat inbox). */
    markAsReadToken: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
    /** On an image chosen with others (imageSetSchema); absent on a single image, undefined when malformed. */
    imageSet: z.catch(z.optional(imageSetSchema), undefined),
  }),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const postbackEventSchema = z.extend(webhookEventSchema, {
  type: z.literal('postback'),
  source: userSource,
  postback: z.looseObject({ data: z.string().check(z.maxLength(300)), params: z.optional(z.record(z.string(), z.unknown())) }),
});
export type PostbackEvent = z.infer<typeof postbackEventSchema>;
