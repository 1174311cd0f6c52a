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

export const webhookEventSchema = z.looseObject({
  type: z.string().min(1).max(64),
  mode: z.string().max(32).optional(),
  timestamp: z.number().int().nonnegative(),
  source: sourceSchema.optional(),
  webhookEventId: z.string().min(1).max(64),
  deliveryContext: z.object({ isRedelivery: z.boolean() }),
  replyToken: z.string().max(256).optional(),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookBodySchema = z.object({
  destination: z.string().min(1).max(64),
  events: z.array(webhookEventSchema).max(1000),
});

/** One queued event: what the receiver hands to the consumer through SQS. */
export const queuedEventSchema = z.object({
  destination: z.string(),
  receivedAt: z.string(),
  event: webhookEventSchema,
});
export type QueuedEvent = z.infer<typeof queuedEventSchema>;

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
