/**
 * The simulator's control API (/sim/*, docs/line-simulator.md) as it goes over the wire: its
 * answers, the bodies it takes and the live events of /sim/stream. The simulator builds its
 * answers against these types (`satisfies` where they are built) and the phone page
 * (simulator/phone-web) imports them, so a changed field fails `npm run typecheck`, not the page.
 * Types only, importing nothing but the types of dependency-free modules: the page's browser
 * type-check (no Node types) reads this file too.
 */
import type { RateLimitConfig } from './rate-limiter';

/** The endpoint a delivery was sent through. */
export type DeliverySource = 'reply' | 'push' | 'multicast' | 'broadcast';

export interface Citizen {
  userId: string;
  displayName: string;
  language: string;
  pictureUrl?: string;
  statusMessage?: string;
  blocked: boolean;
  /** false until the first follow (a citizen created with follow:false is not a friend yet) */
  following: boolean;
  createdAt: number;
  followedAt?: number;
  richMenuId?: string;
}

/** How the account's webhook answered one POST. */
export interface WebhookResult {
  /** HTTP status answered by the webhook; null when nothing was answered (no URL, network error, timeout) */
  status: number | null;
  ok: boolean;
  error?: string;
  durationMs: number;
}

/**
 * An object in LINE's own format — a message, a rich menu, a webhook event — as the simulator
 * keeps it: checked (validation.ts) but not typed field by field. A reader types the fields it
 * reads (the phone page: phone-web/src/line-json.ts).
 */
export type LineJson = Record<string, unknown>;

/** The simulator's settings (PUT /sim/config changes them). */
export interface SimConfig {
  webhookUrl?: string;
  webhookRedelivery: boolean;
  rateLimits: RateLimitConfig;
  quota: { value: number; enforce: boolean };
  /** LIFF ID → endpoint URL: the LIFF apps the phone opens in its overlay */
  liffApps: Record<string, string>;
  replyTokenTtlMs: number;
}

/** GET and PUT /sim/config: the settings, and who the account is. */
export type SimConfigView = Omit<SimConfig, 'webhookUrl'> & {
  webhookUrl: string | null;
  botUserId: string;
  basicId: string;
  loginChannelId: string;
};

/** POST /sim/citizens (201): the new citizen, and the follow webhook's answer unless created with `follow: false`. */
export interface CitizenCreatedAnswer {
  citizen: Citizen;
  webhook?: WebhookResult & { event: LineJson };
}

/** What a citizen does (POST /sim/citizens/:userId/messages): the webhook event it sent, and how the webhook answered. */
export interface CitizenActAnswer {
  event: LineJson;
  webhook: WebhookResult;
}

/** POST /sim/citizens/:userId/block, …/unblock and …/follow: the act, and the citizen as they were before it. */
export interface FriendshipAnswer extends CitizenActAnswer {
  citizen: Citizen;
}

/** POST /sim/opens and /sim/clicks: how many deliveries were marked. */
export interface MarkedAnswer {
  marked: number;
}

/** POST /sim/liff/token. */
export interface IdTokenAnswer {
  idToken: string;
}

/** One image a citizen sends: its bytes in base64 (1 byte to 10 MB), `contentType` defaulting to image/jpeg. */
export interface CitizenImage {
  contentBase64: string;
  contentType?: string;
}

/**
 * POST /sim/citizens/:userId/messages: what a citizen sends. `images`: 2 to 20 images chosen at
 * once, as LINE sends them — one image message (and event) per image, each with the set's
 * `imageSet` {id, index 1..total, total}; the answer is then a CitizenImageSetAnswer. The
 * timeline keeps them as `image` lines: `images` is never a ConversationItem's kind.
 */
export type CitizenMessageBody =
  | { type: 'text'; text: string }
  | { type: 'postback'; data: string; displayText?: string; params?: Record<string, string> }
  | ({ type: 'image' } & CitizenImage)
  | { type: 'images'; images: CitizenImage[] }
  | { type: 'location'; title?: string; address: string; latitude: number; longitude: number }
  | { type: 'sticker'; packageId: string; stickerId: string };

/** POST …/messages with `type: 'images'`: the set's events in index order (`event` is the first), sent to the webhook in one request. */
export interface CitizenImageSetAnswer extends CitizenActAnswer {
  events: LineJson[];
}

/**
 * One line of the timeline (GET /sim/citizens/:userId/conversation, oldest first): a message of
 * the account's (how it was sent, by which request) or one the citizen sent (`kind`: what they
 * sent, the postback whose display text it is; `read` once the account marked it read with
 * POST /v2/bot/chat/markAsRead, LINE's 既読). `Message` is how a reader types the message.
 */
export type ConversationItem<Message = LineJson> = { ord: number; at: number; id: string; message: Message } & (
  { from: 'account'; source: DeliverySource; requestId: string } | { from: 'citizen'; kind: CitizenMessageBody['type']; read?: boolean }
);

/**
 * GET /sim/citizens/:userId/richmenu: the citizen's rich menu (their own, else the default one;
 * null when there is none) with the address of its image (null when none was uploaded).
 * `Menu` is how a reader types the rich menu object.
 */
export type RichMenuView<Menu = LineJson> = Menu & { richMenuId: string; imageUrl: string | null };

/** The live events of /sim/stream (server-sent events, one JSON object each). */
export type StreamEvent =
  | { type: 'citizen'; citizen: Citizen }
  | { type: 'citizens' }
  | { type: 'received'; requestId: string; source: DeliverySource; userIds: string[] | null }
  | { type: 'sent'; userId: string }
  /** the account marked some of this citizen's messages read */
  | { type: 'read'; userId: string }
  | { type: 'webhook'; status: number | null; ok: boolean; eventTypes: string[] }
  | { type: 'richmenu' }
  | { type: 'reset' };
