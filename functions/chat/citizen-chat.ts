/**
 * The citizen's side of the 1:1 chat in the webhook consumer: asking for a person (a `chat:request`
 * postback, a keyword rule or a scenario that hands off) and, while a chat is open, every message
 * going to staff instead of the bot (the dispatcher's first responder).
 */
import type { LineMessage } from '../ports/line-gateway';
import type { Clock } from '../ports/clock';
import type { Lang } from '../shared/languages';
import type { ConversationLog } from '../conversations/conversation-log';
import type { FriendRepository } from '../friends/friend';
import type { InboundMessage, Responder } from '../webhook/dispatcher';
import { CHAT_LIMITS, CHAT_REQUEST_POSTBACK, REPLY_TOKEN_MS, type ChatVia } from './model';
import { isOfficeOpen, nextOpening } from './office-hours';
import type { ChatSettingsStore, ChatThreads } from './ports';
import { CHAT_TEXTS, whenText } from './texts';

export interface ChatDeskDeps {
  threads: ChatThreads;
  settings: Pick<ChatSettingsStore, 'settings'>;
  conversations: Pick<ConversationLog, 'append'>;
  /** The friend's name and picture for the inbox when the caller has not read them (a scenario's hand-off). */
  friends: Pick<FriendRepository, 'get'>;
  clock: Clock;
}

/** A short text of what the citizen sent, for the inbox (staff read it in Japanese). */
export function previewOf(input: Pick<InboundMessage, 'kind' | 'text' | 'location'>): string {
  switch (input.kind) {
    case 'text':
      return (input.text ?? '').replace(/\s+/g, ' ').trim().slice(0, CHAT_LIMITS.previewChars);
    case 'image':
      return '［画像］';
    case 'video':
      return '［動画］';
    case 'audio':
      return '［音声］';
    case 'file':
      return '［ファイル］';
    case 'location':
      return `［位置情報］${input.location?.address ?? ''}`.slice(0, CHAT_LIMITS.previewChars);
    case 'sticker':
      return '［スタンプ］';
    case 'postback':
      return '［ボタンを押しました］';
    default:
      return '';
  }
}

export class ChatDesk {
  constructor(private readonly deps: ChatDeskDeps) {}

  /**
   * The citizen asks for a person: the chat opens (or stays open) and they are told what happens
   * next — outside office hours, when staff will answer. `eventId` keys the history line, so a
   * retried event writes it once.
   */
  async request(input: {
    userId: string;
    language: Lang;
    at: Date;
    via: ChatVia;
    eventId: string;
    friend?: { displayName: string; pictureUrl?: string } | null;
    /** The message that asked (a keyword): shown in the inbox and marked 既読 when staff open it. */
    message?: Pick<InboundMessage, 'kind' | 'text' | 'location' | 'readToken'>;
  }): Promise<LineMessage[]> {
    const [settings, friend] = await Promise.all([
      this.deps.settings.settings(),
      input.friend !== undefined ? input.friend : this.deps.friends.get(input.userId),
    ]);
    const now = this.deps.clock.now();
    const open = isOfficeOpen(settings.officeHours, now);
    const result = await this.deps.threads.open(input.userId, {
      eventId: input.eventId,
      at: input.at.toISOString(),
      ...(input.message?.kind === 'text' ? { preview: previewOf(input.message) } : {}),
      ...(input.message?.readToken ? { readToken: input.message.readToken } : {}),
      via: input.via,
      outsideHours: !open,
      language: input.language,
      ...(friend?.displayName ? { name: friend.displayName } : {}),
      ...(friend?.pictureUrl ? { pictureUrl: friend.pictureUrl } : {}),
    });
    if (result === 'no-friend') return [];
    const texts = CHAT_TEXTS[input.language];
    if (result === 'already') return [{ type: 'text', text: texts.already }];
    await this.deps.conversations.append({
      userId: input.userId,
      id: `chat-${input.eventId}`,
      at: input.at,
      direction: 'in',
      kind: 'chat',
      chatEvent: 'requested',
      outsideHours: !open,
    });
    if (open) return [{ type: 'text', text: texts.opened }];
    const next = nextOpening(settings.officeHours, now);
    return [{ type: 'text', text: texts.outside(next ? whenText(input.language, next) : null) }];
  }

  /**
   * The friend blocked the account: an open chat ends (a later follow starts with the bot, not with
   * a chat nobody watches any more). Keyed by the event, so a retry writes one history line.
   */
  async onBlocked(userId: string, at: Date, eventId: string): Promise<void> {
    // Most blocks come from friends who never chatted: one read, not a transaction that fails.
    if ((await this.deps.threads.get(userId))?.status !== 'open') return;
    if ((await this.deps.threads.close(userId, at.toISOString(), 'system')) === 'not-open') return;
    await this.deps.conversations.append({ userId, id: `chat-${eventId}`, at, direction: 'in', kind: 'chat', chatEvent: 'blocked' });
  }

  /** First in the dispatcher: a chat request, and everything while a chat is open. */
  responder(): Responder {
    return {
      name: 'chat',
      respond: async (input) => {
        if (input.kind === 'postback' && input.postbackData === CHAT_REQUEST_POSTBACK) {
          return this.request({
            userId: input.userId,
            language: input.language,
            at: input.at,
            via: 'postback',
            eventId: input.messageId,
            friend: input.friend,
          });
        }
        if (!input.friend?.chatOpen) return null;
        const result = await this.deps.threads.noteInbound(input.userId, {
          eventId: input.messageId,
          at: input.at.toISOString(),
          preview: previewOf(input),
          ...(input.replyToken ? { replyToken: input.replyToken, replyUntil: input.at.getTime() + REPLY_TOKEN_MS } : {}),
          ...(input.readToken ? { readToken: input.readToken } : {}),
        });
        // Closed in the meantime (the friend's mark is removed with it): the bot answers. The event
        // that opened the chat, retried (its answer failed): the responder that took it answers again.
        return result === 'closed' || result === 'opener' ? null : [];
      },
    };
  }
}

/** A keyword rule that hands off (functions/keywords/responder.ts) as a chat request. */
export function keywordHandoff(desk: ChatDesk) {
  return (input: InboundMessage) =>
    desk.request({
      userId: input.userId,
      language: input.language,
      at: input.at,
      via: 'keyword',
      eventId: input.messageId,
      friend: input.friend,
      message: input,
    });
}

/** The scenario runtime's hand-off exit (functions/scenarios/responder.ts) as a chat request. */
export function scenarioHandoff(desk: ChatDesk) {
  return (request: { userId: string; language: Lang; at: Date; scenarioId: string; eventId: string }) =>
    desk.request({ userId: request.userId, language: request.language, at: request.at, via: 'scenario', eventId: request.eventId });
}
