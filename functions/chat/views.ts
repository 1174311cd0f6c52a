/** What the chat routes answer (docs/chat-api.md); the console types its calls with these. */
import type { ConversationEntry } from '../conversations/conversation-log';
import type { CannedAnswers, ChatAssignee, ChatSettings, ChatStatus, ChatVia } from './model';

/** A staff message or note as written (POST …/messages, …/notes). */
export type ChatEntryView = Omit<ConversationEntry, 'at'> & { at: string };

export interface ChatThreadView {
  userId: string;
  status: ChatStatus;
  displayName: string;
  pictureUrl?: string;
  openedAt: string;
  closedAt?: string;
  closedBy?: string;
  requestedAt?: string;
  via?: ChatVia;
  outsideHours?: boolean;
  lastAt: string;
  lastInboundAt?: string;
  preview?: string;
  unread: boolean;
  assignee?: ChatAssignee;
  seq: number;
}

export interface InboxCounts {
  /** Open conversations with messages staff have not read. */
  unread: number;
  /** Open conversations assigned to the staff member asking. */
  mine: number;
  open: number;
}

export type InboxView = { items: ChatThreadView[]; cursor?: string } & InboxCounts;

/** The console's poll: counts and a signature that changes with any open conversation. */
export type ChatStateView = InboxCounts & { signature: string; officeOpen: boolean; nextOpening?: string };

export type ChatSettingsView = ChatSettings;
export type CannedAnswersView = CannedAnswers;
export interface ChatStaffView {
  items: ChatAssignee[];
}
