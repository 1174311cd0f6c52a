/**
 * 1:1 chat between staff and a citizen (docs/chat-api.md). A citizen asks for a person (the
 * `chat:request` postback of a rich-menu area, a keyword rule that hands off, a scenario's hand-off
 * exit); their conversation then opens in the staff inbox and, while it is open, the bot stays out
 * of the way: every message of theirs goes to staff. Closing returns them to the bot.
 * One thread per friend (opened again when they ask again); the messages themselves are the
 * friend's conversation history (functions/conversations/), so bot, delivery and staff messages
 * read as one timeline.
 */
import type { Lang } from '../shared/languages';

/** The postback that asks for a person (rich menu area of kind 'chat', a button). */
export const CHAT_REQUEST_POSTBACK = 'chat:request';

export type ChatStatus = 'open' | 'closed';
/** How the citizen asked for a person (shown in the inbox). */
export type ChatVia = 'postback' | 'keyword' | 'scenario' | 'staff';

export interface ChatAssignee {
  loginId: string;
  name: string;
}

export interface ChatThread {
  userId: string;
  status: ChatStatus;
  /** The friend's LINE name and picture when they last asked (the inbox shows them without reading each friend). */
  name?: string;
  pictureUrl?: string;
  /** When this opening began (ISO). */
  openedAt: string;
  closedAt?: string;
  /** Login ID of who closed it. */
  closedBy?: string;
  /** The citizen's latest request for a person, and how. */
  requestedAt?: string;
  /** The event that opened this opening (a retried event answers as the first time, instead of "already open"). */
  openEventId?: string;
  via?: ChatVia;
  /** The latest request came outside office hours (the citizen was told when staff answer). */
  outsideHours?: boolean;
  /** Latest activity in either direction (the inbox's order). */
  lastAt: string;
  /** The citizen's latest message (LINE timestamp, ISO) and a short text of it. */
  lastInboundAt?: string;
  preview?: string;
  /** Staff have read the citizen's messages up to this time (ISO). */
  readUpTo?: string;
  /** LINE's markAsReadToken of the citizen's latest message (marks it and all before it 既読). */
  readToken?: string;
  /** The latest message's reply token while it may still be usable (single use: claimed atomically). */
  replyToken?: string;
  /** Until when (ms) the reply token is worth trying (LINE: 1 minute; a little less to stay clear). */
  replyUntil?: number;
  assignee?: ChatAssignee;
  /** The friend's language when the chat was opened (the automatic answers' language). */
  language?: Lang;
  /** Bumped by every change: the console's poll compares it. */
  seq: number;
}

/** The citizen wrote after staff last read the conversation. */
export const isUnread = (t: Pick<ChatThread, 'lastInboundAt' | 'readUpTo'>): boolean => !!t.lastInboundAt && (!t.readUpTo || t.readUpTo < t.lastInboundAt);

/** Reply tokens are tried for 50 s after the message (LINE accepts them for 1 minute). */
export const REPLY_TOKEN_MS = 50_000;

/** When staff answer people. Weekdays are 0 (Sunday) to 6 (Saturday); times are Japan time. */
export interface OfficeHours {
  /** Off: staff are considered always there (no automatic "outside hours" answer). */
  enabled: boolean;
  days: number[];
  /** `HH:MM`, from < to. */
  from: string;
  to: string;
  /** Closed on Japanese public holidays (@holiday-jp/holiday_jp). */
  holidays: boolean;
  /** The year-end and new-year holidays, `MM-DD` to `MM-DD` inclusive (e.g. 12-29 to 01-03); null: none. */
  yearEnd: { from: string; to: string } | null;
  /** Other days the office is closed, `YYYY-MM-DD`. */
  closedDates: string[];
}

export interface ChatSettings {
  officeHours: OfficeHours;
  /**
   * Mark a citizen's messages 既読 in LINE when staff open them. Only meaningful with Chat turned on
   * in the account's response settings (LINE Official Account Manager); off: LINE's own behaviour.
   */
  markAsRead: boolean;
  rev: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  enabled: true,
  days: [1, 2, 3, 4, 5],
  from: '08:30',
  to: '17:15',
  holidays: true,
  yearEnd: { from: '12-29', to: '01-03' },
  closedDates: [],
};

export const DEFAULT_CHAT_SETTINGS: ChatSettings = { officeHours: DEFAULT_OFFICE_HOURS, markAsRead: true, rev: 0 };

/** A shared answer template; `{name}` becomes the citizen's LINE name when it is used. */
export interface CannedAnswer {
  id: string;
  title: string;
  text: string;
}

export interface CannedAnswers {
  items: CannedAnswer[];
  rev: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const CHAT_LIMITS = {
  /** LINE's text message limit. */
  textChars: 5000,
  noteChars: 2000,
  cannedItems: 100,
  cannedTitleChars: 40,
  closedDates: 100,
  previewChars: 80,
  /** Open conversations read per inbox summary (the console's poll). */
  openThreads: 2000,
} as const;
