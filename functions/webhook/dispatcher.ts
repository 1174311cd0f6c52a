/**
 * Routes a friend's message or postback to the first responder that takes it, in this order:
 * a 1:1 chat (functions/chat/citizen-chat.ts: a request for a person, or anything while one is open), a scenario (functions/scenarios/responder.ts: a running one, or a start
 * word / start postback), a keyword rule (functions/keywords/responder.ts), then the fallback — the
 * default reply, which always answers (and keeps a text it answered for the unanswered list).
 * A responder returns null to pass; an empty list takes the message with nothing to send (e.g. a
 * redelivered event whose answer went out).
 */
import type { ConversationEntry } from '../conversations/conversation-log';
import type { Friend } from '../friends/friend';
import { defaultReplyMessages } from '../messaging/default-messages';
import type { Lang } from '../shared/languages';
import type { LineMessage } from '../ports/line-gateway';

export interface InboundMessage {
  userId: string;
  /** LINE's message id (a postback: its webhookEventId). */
  messageId: string;
  /** When the friend sent it (the event's timestamp). */
  at: Date;
  friend: Friend | null;
  language: Lang;
  kind: ConversationEntry['kind'];
  text?: string;
  postbackData?: string;
  location?: { latitude: number; longitude: number; address?: string };
  /** An image chosen with others at once: the set's id, this image's place in it (1-based) and its size. Its siblings may come before or after it. */
  imageSet?: { id: string; index: number; total: number };
  /** The event's reply token (an open chat keeps it for staff while it is valid). */
  replyToken?: string;
  /** The message's markAsReadToken (an open chat marks it 既読 when staff read it). */
  readToken?: string;
}

export interface Responder {
  readonly name: string;
  /** Messages to send ([]: taken, nothing to send), or null to let the next responder try. */
  respond(input: InboundMessage): Promise<LineMessage[] | null>;
}

export interface Dispatch {
  responder: string;
  messages: LineMessage[];
}

export class Dispatcher {
  constructor(
    private readonly responders: Responder[],
    private readonly fallback: Responder,
  ) {}

  async dispatch(input: InboundMessage): Promise<Dispatch> {
    for (const responder of this.responders) {
      const messages = await responder.respond(input);
      if (messages) return { responder: responder.name, messages };
    }
    return { responder: this.fallback.name, messages: (await this.fallback.respond(input)) ?? [] };
  }
}

export function defaultReplyResponder(cityName: string): Responder {
  return { name: 'default-reply', respond: async (input) => defaultReplyMessages(input.language, cityName) };
}
