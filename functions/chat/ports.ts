/** Ports of the 1:1 chat (adapters: functions/adapters/aws/chat-*-store.ts; fakes: test/support/chat-fakes.ts). */
import type { ConversationEntry } from '../conversations/conversation-log';
import type { LineGateway } from '../ports/line-gateway';
import type { Lang } from '../shared/languages';
import type { CannedAnswers, ChatAssignee, ChatSettings, ChatThread, ChatVia } from './model';

export interface OpenInput {
  /** The event (message or postback) that asked: a retry of it opens nothing new and answers the same. */
  eventId: string;
  at: string;
  /** What the citizen wrote to ask (a keyword), for the inbox; a fixed text otherwise. */
  preview?: string;
  /** That message's markAsReadToken (opening the chat marks it 既読). */
  readToken?: string;
  via: ChatVia;
  outsideHours: boolean;
  language: Lang;
  name?: string;
  pictureUrl?: string;
}

export interface InboundNote {
  /** The message's event: the one that opened the chat is not a message to staff (its retry asks again). */
  eventId: string;
  /** The message's LINE time (ISO). */
  at: string;
  preview: string;
  replyToken?: string;
  replyUntil?: number;
  readToken?: string;
}

export interface ChatThreads {
  get(userId: string): Promise<ChatThread | null>;
  /**
   * Opens the thread (a new one, or a closed one again) and marks the friend as chatting, in one
   * transaction; 'opened' again for a retry of the event that opened it; 'already' when it was open
   * (the request counts as a message: unread, first in the inbox); 'no-friend' when the friend is not registered.
   */
  open(userId: string, input: OpenInput): Promise<'opened' | 'already' | 'no-friend'>;
  /**
   * The citizen wrote while the thread is open; 'older': a newer message is already recorded (LINE
   * gives no order); 'closed': not open; 'opener': the very event that opened it (a retry).
   */
  noteInbound(userId: string, note: InboundNote): Promise<'recorded' | 'older' | 'closed' | 'opener'>;
  /** A staff message went out (the inbox's order and poll). */
  staffSent(userId: string, at: string): Promise<void>;
  /** Takes the reply token if it is still worth trying (single use: two staff never both get it). */
  claimReplyToken(userId: string, nowMs: number): Promise<string | null>;
  /** Staff read the citizen's messages up to `upTo`; false when already read that far. */
  markRead(userId: string, upTo: string): Promise<boolean>;
  assign(userId: string, assignee: ChatAssignee | null): Promise<'done' | 'missing'>;
  /** Closes the thread and returns the friend to the bot, in one transaction. */
  close(userId: string, at: string, by: string): Promise<'closed' | 'not-open'>;
  /** Every open thread, latest activity first (at most CHAT_LIMITS.openThreads). */
  openThreads(): Promise<ChatThread[]>;
  /** Closed threads, latest activity first, in pages (sealed cursor). */
  closedPage(query: { limit: number; cursor?: string }): Promise<{ items: ChatThread[]; cursor?: string }>;
}

export interface ChatSettingsStore {
  settings(): Promise<ChatSettings>;
  /** false: someone saved since `expectedRev`. */
  saveSettings(next: ChatSettings, expectedRev: number): Promise<boolean>;
  canned(): Promise<CannedAnswers>;
  saveCanned(next: CannedAnswers, expectedRev: number): Promise<boolean>;
}

/** Staff messages in the conversation history, one per client id (a resend is the same message). */
export interface StaffMessages {
  /** Writes the entry unless this client id was used; then the entry written the first time. */
  begin(entry: ConversationEntry & { id: string }): Promise<{ created: boolean; entry: ConversationEntry }>;
  finish(entry: ConversationEntry, result: { sendStatus: 'sent' | 'failed'; via?: 'reply' | 'push'; sendError?: string }): Promise<ConversationEntry>;
}

/** What the chat needs of LINE: reply, push and 既読. */
export interface ChatLine extends Pick<LineGateway, 'reply' | 'push'> {
  /** POST /v2/bot/chat/markAsRead: the message of this token and all before it read. */
  markAsRead(markAsReadToken: string): Promise<void>;
}
