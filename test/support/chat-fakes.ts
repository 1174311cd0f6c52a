/**
 * In-memory fakes of the 1:1 chat's ports (functions/chat/ports.ts), for unit tests. Each method
 * checks and writes without an await in between, so it is atomic as the DynamoDB store's
 * conditional writes are (functions/adapters/aws/chat-*-store.ts, staff-message-store.ts), and
 * answers the same outcomes under the same conditions.
 */
import { CHAT_LIMITS, DEFAULT_CHAT_SETTINGS, type CannedAnswers, type ChatAssignee, type ChatSettings, type ChatThread } from '../../functions/chat/model';
import type { ChatLine, ChatSettingsStore, ChatThreads, InboundNote, OpenInput, StaffMessages } from '../../functions/chat/ports';
import type { ConversationEntry } from '../../functions/conversations/conversation-log';
import { InvalidReplyTokenError, type LineMessage } from '../../functions/ports/line-gateway';
import type { MemoryConversations, MemoryFriends } from './fakes';

/** What the DynamoDB store writes as the preview of a citizen's request. */
export const OPEN_PREVIEW = '［職員との会話を希望しています］';

/** The inbox's order: GSI1SK `<lastAt>#<userId>`, newest first. */
const newestFirst = (a: ChatThread, b: ChatThread) => {
  const ka = `${a.lastAt}#${a.userId}`;
  const kb = `${b.lastAt}#${b.userId}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
};

/**
 * Threads, one per friend. Opening and closing set and remove the friend's `chatOpen` in the
 * MemoryFriends given (the store does both in one transaction; an unknown friend fails it).
 */
export class MemoryChatThreads implements ChatThreads {
  threads = new Map<string, ChatThread>();

  constructor(private readonly friends: MemoryFriends) {}

  /** A thread as a test wants it (the friend's mark follows its status). */
  seed(thread: ChatThread): void {
    this.threads.set(thread.userId, structuredClone(thread));
    const friend = this.friends.friends.get(thread.userId);
    if (friend && thread.status === 'open') friend.chatOpen = true;
    else if (friend) delete friend.chatOpen;
  }

  async get(userId: string): Promise<ChatThread | null> {
    const t = this.threads.get(userId);
    return t ? structuredClone(t) : null;
  }

  async open(userId: string, input: OpenInput): Promise<'opened' | 'already' | 'no-friend'> {
    const current = this.threads.get(userId);
    const profile = { ...(input.name ? { name: input.name } : {}), ...(input.pictureUrl ? { pictureUrl: input.pictureUrl } : {}) };
    const byCitizen = input.via !== 'staff';
    const asked = byCitizen ? { lastInboundAt: input.at, preview: input.preview || OPEN_PREVIEW, lastAt: input.at } : {};
    if (current?.status === 'open') {
      if (current.openEventId === input.eventId) return 'opened';
      if (!byCitizen) return 'already';
      Object.assign(current, { requestedAt: input.at, via: input.via, outsideHours: input.outsideHours, seq: current.seq + 1, ...profile, ...asked });
      if (input.readToken) current.readToken = input.readToken;
      return 'already';
    }
    const friend = this.friends.friends.get(userId);
    if (!friend) return 'no-friend';
    const { closedAt: _c, closedBy: _b, readToken: _r, ...kept } = current ?? ({} as Partial<ChatThread>);
    this.threads.set(userId, {
      ...kept,
      userId,
      status: 'open',
      openedAt: input.at,
      requestedAt: input.at,
      openEventId: input.eventId,
      via: input.via,
      outsideHours: input.outsideHours,
      lastAt: input.at,
      language: input.language,
      seq: (current?.seq ?? 0) + 1,
      ...profile,
      ...asked,
      ...(input.readToken ? { readToken: input.readToken } : {}),
    });
    friend.chatOpen = true;
    return 'opened';
  }

  async noteInbound(userId: string, note: InboundNote): Promise<'recorded' | 'older' | 'closed' | 'opener'> {
    const t = this.threads.get(userId);
    if (!t || t.status !== 'open') return 'closed';
    if (t.openEventId === note.eventId) return 'opener';
    if (t.lastInboundAt && t.lastInboundAt > note.at) return 'older';
    Object.assign(t, { lastInboundAt: note.at, preview: note.preview, lastAt: note.at, seq: t.seq + 1 });
    if (note.readToken) t.readToken = note.readToken;
    if (note.replyToken) Object.assign(t, { replyToken: note.replyToken, replyUntil: note.replyUntil ?? 0 });
    else {
      delete t.replyToken;
      delete t.replyUntil;
    }
    return 'recorded';
  }

  async staffSent(userId: string, at: string): Promise<void> {
    const t = this.threads.get(userId);
    // The store's second update is conditional on the item too: a missing thread fails it.
    if (!t) throw new Error('ConditionalCheckFailedException: no chat thread');
    if (t.lastAt <= at) t.lastAt = at;
    t.seq += 1;
  }

  async claimReplyToken(userId: string, nowMs: number): Promise<string | null> {
    const t = this.threads.get(userId);
    if (!t?.replyToken || !(t.replyUntil! > nowMs)) return null;
    const token = t.replyToken;
    delete t.replyToken;
    delete t.replyUntil;
    return token;
  }

  async markRead(userId: string, upTo: string): Promise<boolean> {
    const t = this.threads.get(userId);
    if (!t || (t.readUpTo && t.readUpTo >= upTo)) return false;
    t.readUpTo = upTo;
    t.seq += 1;
    return true;
  }

  async assign(userId: string, assignee: ChatAssignee | null): Promise<'done' | 'missing'> {
    const t = this.threads.get(userId);
    if (!t) return 'missing';
    if (assignee) t.assignee = { ...assignee };
    else delete t.assignee;
    t.seq += 1;
    return 'done';
  }

  async close(userId: string, at: string, by: string): Promise<'closed' | 'not-open'> {
    const t = this.threads.get(userId);
    const friend = this.friends.friends.get(userId);
    if (t?.status !== 'open' || !friend) return 'not-open';
    Object.assign(t, { status: 'closed', closedAt: at, closedBy: by, seq: t.seq + 1 });
    delete t.replyToken;
    delete t.replyUntil;
    delete t.readToken;
    delete friend.chatOpen;
    return 'closed';
  }

  async openThreads(): Promise<ChatThread[]> {
    return [...this.threads.values()]
      .filter((t) => t.status === 'open')
      .sort(newestFirst)
      .slice(0, CHAT_LIMITS.openThreads)
      .map((t) => structuredClone(t));
  }

  /** Cursor: the count already shown (unsealed: a fake). */
  async closedPage(query: { limit: number; cursor?: string }): Promise<{ items: ChatThread[]; cursor?: string }> {
    const all = [...this.threads.values()].filter((t) => t.status === 'closed').sort(newestFirst);
    const from = query.cursor ? Number(query.cursor) : 0;
    const items = all.slice(from, from + query.limit).map((t) => structuredClone(t));
    return { items, ...(from + query.limit < all.length ? { cursor: String(from + query.limit) } : {}) };
  }
}

/** Settings and canned answers, each saved only over the revision read (0: none saved yet). */
export class MemoryChatSettings implements ChatSettingsStore {
  stored: ChatSettings | null = null;
  storedCanned: CannedAnswers | null = null;

  async settings(): Promise<ChatSettings> {
    return structuredClone(this.stored ?? DEFAULT_CHAT_SETTINGS);
  }
  async saveSettings(next: ChatSettings, expectedRev: number): Promise<boolean> {
    if ((this.stored?.rev ?? 0) !== expectedRev) return false;
    this.stored = structuredClone(next);
    return true;
  }
  async canned(): Promise<CannedAnswers> {
    return structuredClone(this.storedCanned ?? { items: [], rev: 0 });
  }
  async saveCanned(next: CannedAnswers, expectedRev: number): Promise<boolean> {
    if ((this.storedCanned?.rev ?? 0) !== expectedRev) return false;
    this.storedCanned = structuredClone(next);
    return true;
  }
}

/** Staff messages in a MemoryConversations, one per (friend, client id): a resend finds the first entry. */
export class MemoryStaffMessages implements StaffMessages {
  /** `<userId>#<clientId>` → the entry as stored in the conversation (the send marker). */
  private readonly markers = new Map<string, ConversationEntry>();

  constructor(readonly conversations: MemoryConversations) {}

  async begin(entry: ConversationEntry & { id: string }): Promise<{ created: boolean; entry: ConversationEntry }> {
    const key = `${entry.userId}#${entry.id}`;
    const first = this.markers.get(key);
    if (first) return { created: false, entry: structuredClone(first) };
    const stored = structuredClone(entry);
    this.markers.set(key, stored);
    this.conversations.entries.push(stored);
    return { created: true, entry };
  }

  async finish(entry: ConversationEntry, result: { sendStatus: 'sent' | 'failed'; via?: 'reply' | 'push'; sendError?: string }): Promise<ConversationEntry> {
    const stored = this.markers.get(`${entry.userId}#${entry.id}`);
    if (!stored) throw new Error('ConditionalCheckFailedException: no such entry');
    stored.sendStatus = result.sendStatus;
    if (result.via) stored.via = result.via;
    if (result.sendError) stored.sendError = result.sendError;
    else delete stored.sendError;
    const { sendError: _e, ...rest } = entry;
    return { ...rest, ...result };
  }
}

/**
 * LINE as the chat uses it. Reply tokens work once (a used one: InvalidReplyTokenError); a push
 * with a retry key LINE already accepted is not delivered again (the gateway treats LINE's 409 as
 * success). `fail*` makes the next calls of that kind throw the given errors, one each, in order.
 */
export class FakeChatLine implements ChatLine {
  replies: { replyToken: string; messages: LineMessage[] }[] = [];
  pushes: { to: string; messages: LineMessage[]; retryKey: string }[] = [];
  /** Every push attempt, delivered or not (a failed one too). */
  pushAttempts: { to: string; retryKey: string }[] = [];
  markedRead: string[] = [];
  usedTokens = new Set<string>();
  failReply: Error[] = [];
  failPush: Error[] = [];
  failMarkAsRead: Error[] = [];

  async reply(replyToken: string, messages: LineMessage[]): Promise<void> {
    const failure = this.failReply.shift();
    if (failure) throw failure;
    if (this.usedTokens.has(replyToken)) throw new InvalidReplyTokenError();
    this.usedTokens.add(replyToken);
    this.replies.push({ replyToken, messages });
  }

  async push(to: string, messages: LineMessage[], retryKey: string): Promise<void> {
    this.pushAttempts.push({ to, retryKey });
    const failure = this.failPush.shift();
    if (failure) throw failure;
    if (this.pushes.some((p) => p.retryKey === retryKey)) return;
    this.pushes.push({ to, messages, retryKey });
  }

  async markAsRead(markAsReadToken: string): Promise<void> {
    const failure = this.failMarkAsRead.shift();
    if (failure) throw failure;
    this.markedRead.push(markAsReadToken);
  }
}
