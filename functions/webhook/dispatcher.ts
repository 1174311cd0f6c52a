/**
 * Routes a friend's message or postback to the first responder that answers.
 * Keyword auto-replies, scenarios and staff chat plug in as responders in later
 * capabilities; the fallback (the default reply) always answers.
 */
import type { ConversationEntry } from '../conversations/conversation-log';
import type { Friend } from '../friends/friend';
import { defaultReplyMessages } from '../messaging/default-messages';
import type { Lang } from '../shared/languages';
import type { LineMessage } from '../ports/line-gateway';

export interface InboundMessage {
  userId: string;
  friend: Friend | null;
  language: Lang;
  kind: ConversationEntry['kind'];
  text?: string;
  postbackData?: string;
}

export interface Responder {
  readonly name: string;
  /** Messages to send, or null to let the next responder try. */
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
      if (messages && messages.length > 0) return { responder: responder.name, messages };
    }
    return { responder: this.fallback.name, messages: (await this.fallback.respond(input)) ?? [] };
  }
}

export function defaultReplyResponder(cityName: string): Responder {
  return { name: 'default-reply', respond: async (input) => defaultReplyMessages(input.language, cityName) };
}
