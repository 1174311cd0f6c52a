/**
 * Use case: apply one LINE webhook event, exactly once.
 *
 * 1. Claim the event's webhookEventId in the ledger; a processed event is skipped,
 *    one held by another worker is retried later.
 * 2. Apply it by type:
 *    - follow: fetch the profile, register or reactivate the friend, send the greeting;
 *    - unfollow: mark the friend blocked (history kept);
 *    - message / postback: register unknown senders, store the message, dispatch
 *      to the responders and answer (reply token first, push fallback);
 *    - anything else: acknowledged and ignored (LINE adds event types over time).
 * 3. Mark the event done. A permanent refusal — an event outside LINE's schema for its type, or
 *    LINE refusing our answer for good (a 4xx, e.g. a user LINE does not know) — is recorded in the
 *    ledger as refused and done: never retried into the dead-letter queue. Any other failure gives
 *    the claim back and rethrows so SQS retries.
 */
import type { ConversationEntry, ConversationLog } from '../conversations/conversation-log';
import type { Friend, FriendRepository } from '../friends/friend';
import { greetingMessages } from '../messaging/default-messages';
import { toLang, type Lang } from '../shared/languages';
import { answer } from '../messaging/outbound';
import { formLiffUrl } from '../shared/liff-url';
import type { Clock } from '../ports/clock';
import { LineRequestRefusedError, type LineGateway, type LineMessage } from '../ports/line-gateway';
import { logger } from '../shared/powertools';
import type { Dispatcher } from './dispatcher';
import type { EventLedger, Refusal } from './event-ledger';
import {
  followEventSchema,
  messageEventSchema,
  postbackEventSchema,
  unfollowEventSchema,
  type MessageEvent,
  type PostbackEvent,
  type QueuedEvent,
  type QueuedRefusal,
} from './schema';

export interface ProcessEventDeps {
  ledger: EventLedger;
  friends: FriendRepository;
  conversations: ConversationLog;
  line: LineGateway;
  dispatcher: Dispatcher;
  clock: Clock;
  cityName: string;
  /** The city's LIFF app: the greeting then links to the profile form (https://liff.line.me/<liffId>/forms/profile). */
  liffId?: string;
  /** The onboarding scenario's first messages for a new friend, sent after the greeting (functions/scenarios/responder.ts). */
  onboard?: (request: { userId: string; language: Lang; eventId: string }) => Promise<LineMessage[]>;
  /** After a block is recorded: an open 1:1 chat ends (functions/chat/citizen-chat.ts). */
  afterUnfollow?: (userId: string, at: Date, eventId: string) => Promise<void>;
  /** After a follow is recorded and greeted: the friend's rich menu link (functions/richmenus/links.ts, relinkFriend); a failure is logged. */
  afterFollow?: (userId: string) => Promise<unknown>;
}

export type ProcessOutcome = 'processed' | 'duplicate' | 'ignored' | 'stale' | 'refused';

/** An event whose fields do not fit LINE's schema for its type: it can never be processed. */
export class EventSchemaError extends Error {
  constructor(readonly details: string) {
    super(`Webhook event outside LINE's schema: ${details}`);
    this.name = 'EventSchemaError';
  }
}

/** The refusal to record for an error that no retry can cure; undefined for anything transient. */
export function permanentRefusal(error: unknown, eventType?: string): Refusal | undefined {
  const type = eventType ? { eventType: eventType.slice(0, 64) } : {};
  if (error instanceof EventSchemaError) return { reason: `schema: ${error.details}`.slice(0, 200), ...type };
  if (error instanceof LineRequestRefusedError) return { reason: `LINE refused the ${error.endpoint} (${error.status})`, ...type };
  return undefined;
}

/** Parses an event with its type's schema; a mismatch is permanent. */
function parseAs<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; code: string }[] } } },
  event: unknown,
): T {
  const result = schema.safeParse(event);
  if (!result.success) throw new EventSchemaError(result.error.issues.map((i) => `${i.path.map(String).join('.')} ${i.code}`).join('; '));
  return result.data;
}

/** Use case: a body or event the receiver refused (functions/webhook/receive.ts) is recorded once. */
export async function recordRefusal(deps: Pick<ProcessEventDeps, 'ledger' | 'clock'>, queued: QueuedRefusal): Promise<ProcessOutcome> {
  const { id, reason, eventType } = queued.refused;
  await deps.ledger.refuse(id, deps.clock.now(), { reason, ...(eventType ? { eventType } : {}) });
  return 'refused';
}

/** Another worker holds the event; the queue should offer it again later. */
export class EventBusyError extends Error {
  constructor(webhookEventId: string) {
    super(`Webhook event ${webhookEventId} is being processed by another worker`);
    this.name = 'EventBusyError';
  }
}

export async function processWebhookEvent(deps: ProcessEventDeps, queued: QueuedEvent): Promise<ProcessOutcome> {
  const { event } = queued;
  const claim = await deps.ledger.claim(event.webhookEventId, deps.clock.now());
  if (claim === 'done') return 'duplicate';
  if (claim === 'busy') throw new EventBusyError(event.webhookEventId);
  try {
    const outcome = await apply(deps, queued);
    await deps.ledger.complete(event.webhookEventId, deps.clock.now());
    return outcome;
  } catch (error) {
    const refusal = permanentRefusal(error, event.type);
    if (refusal) {
      await deps.ledger.refuse(event.webhookEventId, deps.clock.now(), refusal);
      return 'refused';
    }
    await deps.ledger.release(event.webhookEventId).catch(() => undefined);
    throw error;
  }
}

async function apply(deps: ProcessEventDeps, { event }: QueuedEvent): Promise<ProcessOutcome> {
  // Group and room chats are out of scope for a city account: only 1:1 friends are served.
  if (event.source?.type !== 'user') return 'ignored';
  switch (event.type) {
    case 'follow':
      return onFollow(deps, parseAs(followEventSchema, event));
    case 'unfollow': {
      const e = parseAs(unfollowEventSchema, event);
      const result = await deps.friends.recordUnfollow(e.source.userId, e.timestamp, deps.clock.now());
      // Always (keyed by the event): a retry after the friend was written still writes it.
      await recordStatus(deps, e.source.userId, e.webhookEventId, e.timestamp, 'unfollow');
      // Also on a retry ('already'): the first attempt may have failed after recording the block.
      if (result !== 'stale' && deps.afterUnfollow) await deps.afterUnfollow(e.source.userId, new Date(e.timestamp), e.webhookEventId);
      return result === 'applied' ? 'processed' : 'stale';
    }
    case 'message':
      return onInbound(deps, parseAs(messageEventSchema, event));
    case 'postback':
      return onInbound(deps, parseAs(postbackEventSchema, event));
    default:
      return 'ignored';
  }
}

async function onFollow(deps: ProcessEventDeps, event: ReturnType<typeof followEventSchema.parse>): Promise<ProcessOutcome> {
  const userId = event.source.userId;
  const profile = await deps.line.getProfile(userId);
  const result = await deps.friends.recordFollow({
    userId,
    displayName: profile?.displayName ?? '',
    pictureUrl: profile?.pictureUrl,
    language: profile?.language,
    eventAt: event.timestamp,
    at: deps.clock.now(),
  });
  await recordStatus(deps, userId, event.webhookEventId, event.timestamp, 'follow');
  if (result === 'stale') return 'stale';
  const language = toLang(profile?.language);
  const messages = greetingMessages(language, deps.cityName, profile?.displayName || '', deps.liffId ? formLiffUrl(deps.liffId, 'profile') : undefined);
  if (deps.onboard) messages.push(...(await deps.onboard({ userId, language, eventId: event.webhookEventId })));
  await answer(deps, { userId, replyToken: event.replyToken, webhookEventId: event.webhookEventId }, messages);
  if (deps.afterFollow) {
    // The hourly link job puts it right if this fails: a follow is never retried for its menu.
    await deps
      .afterFollow(userId)
      .catch((error: unknown) => logger.warn('Rich menu relink after follow failed', { error: error instanceof Error ? error.message : String(error) }));
  }
  return 'processed';
}

/**
 * The status change in the friend's timeline, at the event's own time (an older event lands in its
 * place, whatever order LINE sent them in); keyed by the event, so a retry writes the same entry.
 */
async function recordStatus(deps: ProcessEventDeps, userId: string, webhookEventId: string, timestamp: number, kind: 'follow' | 'unfollow'): Promise<void> {
  await deps.conversations.append({ userId, id: webhookEventId, at: new Date(timestamp), direction: 'in', kind, webhookEventId });
}

async function onInbound(deps: ProcessEventDeps, event: MessageEvent | PostbackEvent): Promise<ProcessOutcome> {
  const userId = event.source.userId;
  const at = new Date(event.timestamp);
  const friend = await knownFriend(deps, userId, event.timestamp);
  const entry = toConversationEntry(event, at);
  await deps.conversations.append(entry);

  const { messages } = await deps.dispatcher.dispatch({
    userId,
    messageId: entry.id,
    at,
    friend,
    language: toLang(friend?.language),
    kind: entry.kind,
    text: entry.text,
    postbackData: entry.postbackData,
    ...(event.replyToken ? { replyToken: event.replyToken } : {}),
    ...(event.type === 'message' && event.message.markAsReadToken ? { readToken: event.message.markAsReadToken } : {}),
    ...(event.type === 'message' && event.message.type === 'image' && event.message.imageSet ? { imageSet: { ...event.message.imageSet } } : {}),
    ...(entry.location
      ? {
          location: {
            latitude: entry.location.latitude,
            longitude: entry.location.longitude,
            ...(entry.location.address ? { address: entry.location.address } : {}),
          },
        }
      : {}),
  });
  if (messages.length > 0) {
    await answer(deps, { userId, replyToken: event.replyToken, webhookEventId: event.webhookEventId }, messages);
  }
  return 'processed';
}

/**
 * The sender as a registered friend. Someone who followed before the platform existed (or whose
 * follow is still on its way) is registered on their first message with the profile from LINE,
 * by a stand-in follow: it counts as their follow, and their real one, if it comes, not again.
 */
async function knownFriend(deps: ProcessEventDeps, userId: string, eventAt: number): Promise<Friend | null> {
  const known = await deps.friends.touchLastMessage(userId, new Date(eventAt));
  if (known) return known;
  const profile = await deps.line.getProfile(userId);
  if (!profile) return null;
  await deps.friends.recordFollow({
    userId,
    displayName: profile.displayName,
    pictureUrl: profile.pictureUrl,
    language: profile.language,
    eventAt: eventAt - 1,
    at: deps.clock.now(),
    standIn: true,
  });
  return deps.friends.touchLastMessage(userId, new Date(eventAt));
}

function toConversationEntry(event: MessageEvent | PostbackEvent, at: Date): ConversationEntry {
  const base = { userId: event.source.userId, at, direction: 'in' as const, webhookEventId: event.webhookEventId };
  if (event.type === 'postback') {
    return { ...base, id: event.webhookEventId, kind: 'postback', postbackData: event.postback.data };
  }
  const m = event.message;
  switch (m.type) {
    case 'text':
      return { ...base, id: m.id, kind: 'text', text: m.text ?? '' };
    case 'location':
      return {
        ...base,
        id: m.id,
        kind: 'location',
        location: { title: m.title, address: m.address, latitude: m.latitude ?? 0, longitude: m.longitude ?? 0 },
      };
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
      return { ...base, id: m.id, kind: m.type, contentMessageId: m.id };
    case 'sticker':
      return { ...base, id: m.id, kind: 'sticker' };
    default:
      return { ...base, id: m.id, kind: 'text', text: '' };
  }
}
