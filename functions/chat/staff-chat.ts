/**
 * Staff use cases of the 1:1 chat (console page 1:1チャット, staff with the chat function): the
 * inbox and its poll, a conversation's thread, replies (the reply token while it is valid, else a
 * push with a retry key; one message per client id, so a resend never doubles), notes, 既読,
 * assignment, close and reopen, office hours and canned answers.
 */
import { ulid } from 'ulid';
import { createHash } from 'node:crypto';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { ConversationEntry, ConversationLog } from '../conversations/conversation-log';
import type { MediaRepository } from '../deliveries/ports';
import { InvalidReplyTokenError, LineRequestRefusedError, type LineMessage } from '../ports/line-gateway';
import { ConflictError, NotFoundError, UpstreamError, ValidationError } from '../shared/errors';
import { logger } from '../shared/powertools';
import { retryKey } from '../shared/retry-key';
import type { SignedIn } from '../staff/context';
import { effectivePermissions, type StaffAccount, type StaffRepository } from '../staff/staff';
import { officeHoursText, type InboxViewName } from './labels';
import { CHAT_LIMITS, isUnread, type CannedAnswers, type ChatSettings, type ChatThread } from './model';
import { isOfficeOpen, nextOpening } from './office-hours';
import type { ChatLine, ChatSettingsStore, ChatThreads, StaffMessages } from './ports';
import type { SendInput, SettingsInput } from './schemas';
import type { ChatStaffView, ChatStateView, ChatThreadView, InboxCounts, InboxView } from './views';

export interface StaffChatDeps extends AuditDeps {
  threads: ChatThreads;
  settings: ChatSettingsStore;
  messages: StaffMessages;
  conversations: Pick<ConversationLog, 'append'>;
  line: ChatLine;
  staff: Pick<StaffRepository, 'get' | 'list'>;
  /** Uploaded images (POST /media) a reply may send. */
  media?: Pick<MediaRepository, 'get'>;
  /** Where LINE fetches those images. */
  publicBaseUrl: string;
}

const GONE = 'この会話は見つかりません。';
/** A staff message still `sending` this long after it was written is taken as abandoned (LINE's answer takes at most the client's timeout). */
const IN_FLIGHT_MS = 60_000;
const CLOSED = 'この会話は終了しています。「再開する」を押してから送ってください。';

export function threadView(t: ChatThread): ChatThreadView {
  const { readToken: _r, replyToken: _t, replyUntil: _u, readUpTo: _ru, language: _l, name, ...rest } = t;
  return { ...rest, displayName: name ?? '', unread: isUnread(t) };
}

function counts(open: ChatThread[], loginId: string): InboxCounts {
  return {
    unread: open.filter(isUnread).length,
    mine: open.filter((t) => t.assignee?.loginId === loginId).length,
    open: open.length,
  };
}

/** The inbox: one of its four views, latest activity first (closed ones in pages). */
export async function inbox(deps: StaffChatDeps, who: SignedIn, query: { view: InboxViewName; limit?: number; cursor?: string }): Promise<InboxView> {
  const open = await deps.threads.openThreads();
  const c = counts(open, who.account.loginId);
  if (query.view === 'closed') {
    const page = await deps.threads.closedPage({ limit: query.limit ?? 50, ...(query.cursor ? { cursor: query.cursor } : {}) });
    return { items: page.items.map(threadView), ...(page.cursor ? { cursor: page.cursor } : {}), ...c };
  }
  const items =
    query.view === 'unread' ? open.filter(isUnread) : query.view === 'mine' ? open.filter((t) => t.assignee?.loginId === who.account.loginId) : open;
  return { items: items.map(threadView), ...c };
}

/** The console's poll (every second or two): counts, office hours, and a signature of the open conversations. */
export async function chatState(deps: StaffChatDeps, who: SignedIn): Promise<ChatStateView> {
  const [open, settings] = await Promise.all([deps.threads.openThreads(), deps.settings.settings()]);
  const signature = createHash('sha256')
    .update(open.map((t) => `${t.userId}:${t.seq}`).join(','))
    .digest('base64url')
    .slice(0, 16);
  const now = deps.clock.now();
  const officeOpen = isOfficeOpen(settings.officeHours, now);
  const next = officeOpen ? null : nextOpening(settings.officeHours, now);
  return { ...counts(open, who.account.loginId), signature, officeOpen, ...(next ? { nextOpening: next.toISOString() } : {}) };
}

async function existing(deps: StaffChatDeps, userId: string): Promise<ChatThread> {
  const t = await deps.threads.get(userId);
  if (!t) throw new NotFoundError(GONE);
  return t;
}

export async function getThread(deps: StaffChatDeps, userId: string): Promise<ChatThreadView> {
  return threadView(await existing(deps, userId));
}

/**
 * Staff opened the conversation: the citizen's messages are read — in LINE too (既読) when the
 * setting is on and LINE gave a token. A failure of that is logged: reading never fails for it.
 */
export async function markRead(deps: StaffChatDeps, userId: string): Promise<ChatThreadView> {
  const t = await existing(deps, userId);
  if (!isUnread(t) || !t.lastInboundAt) return threadView(t);
  const changed = await deps.threads.markRead(userId, t.lastInboundAt);
  if (changed && t.readToken) {
    const settings = await deps.settings.settings();
    if (settings.markAsRead) {
      await deps.line.markAsRead(t.readToken).catch((error: unknown) => {
        logger.warn('Mark as read failed', { error: error instanceof Error ? error.message : String(error) });
      });
    }
  }
  return threadView({ ...t, readUpTo: t.lastInboundAt, seq: t.seq + 1 });
}

function sendFailure(error: unknown): string {
  if (error instanceof LineRequestRefusedError) return `LINEが受け付けませんでした（${error.status}）。友だちがブロックしている可能性があります。`;
  return 'LINEに届けられませんでした。';
}

/**
 * A staff message to the citizen. Written to the history first (sending), then sent: the reply
 * token when this message is the first to claim it, else a push keyed by the client id — so a
 * resend of the same message (a lost answer, a double click) reaches the citizen once. Two staff
 * sending at once each get their own message; only one can take the token.
 */
export async function sendMessage(deps: StaffChatDeps, who: SignedIn, userId: string, input: SendInput): Promise<ConversationEntry> {
  const t = await existing(deps, userId);
  if (t.status !== 'open') throw new ValidationError(CLOSED);
  const messages = await staffMessages(deps, input);
  const now = deps.clock.now();
  const { created, entry } = await deps.messages.begin({
    userId,
    id: input.clientId,
    at: now,
    direction: 'out',
    by: 'staff',
    kind: 'messages',
    messages,
    staffId: who.account.loginId,
    staffName: who.account.displayName,
    sendStatus: 'sending',
  });
  if (!created && entry.sendStatus === 'sent') return entry;
  // The same message is being sent right now (a double click, a retry racing the first): it goes once; its status follows.
  if (!created && entry.sendStatus === 'sending' && now.getTime() - entry.at.getTime() < IN_FLIGHT_MS) return entry;
  const toSend = (entry.messages ?? messages) as LineMessage[];
  let via: 'reply' | 'push' = 'push';
  // Which call failed: a push carries the retry key (a resend reaches the citizen once); a reply that timed out may have arrived.
  let trying: 'reply' | 'push' = 'push';
  try {
    // Only a first attempt may use the token: a reply has no retry key, so a resend always pushes.
    const token = created ? await deps.threads.claimReplyToken(userId, now.getTime()) : null;
    if (token) {
      try {
        trying = 'reply';
        await deps.line.reply(token, toSend);
        via = 'reply';
      } catch (error) {
        if (!(error instanceof InvalidReplyTokenError)) throw error;
      }
    }
    if (via === 'push') {
      trying = 'push';
      await deps.line.push(userId, toSend, retryKey('chat', userId, input.clientId));
    }
  } catch (error) {
    const reason = sendFailure(error);
    await deps.messages.finish(entry, { sendStatus: 'failed', sendError: reason });
    if (error instanceof LineRequestRefusedError) throw new ValidationError(reason);
    logger.warn('Chat message not sent', { error: error instanceof Error ? error.message : String(error) });
    throw new UpstreamError(`${reason}もう一度「送信」を押してください${trying === 'push' ? '（二重には届きません）' : ''}。`);
  }
  const sent = await deps.messages.finish(entry, { sendStatus: 'sent', via });
  await deps.threads.staffSent(userId, now.toISOString());
  await recordAudit(deps, { actor: who.account.loginId, action: 'chat.replied', target: `friend:${userId}`, ip: who.ip });
  return sent;
}

async function staffMessages(deps: StaffChatDeps, input: SendInput): Promise<LineMessage[]> {
  if (input.text?.trim()) return [{ type: 'text', text: input.text }];
  const media = input.mediaId && deps.media ? await deps.media.get(input.mediaId) : null;
  if (!media) throw new ValidationError('画像が見つかりません。もう一度選んでください。');
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const url = (kind: string) => `${base}/media/${encodeURIComponent(media.mediaId)}/${kind}`;
  return [{ type: 'image', originalContentUrl: url('original'), previewImageUrl: url('preview') }];
}

/** A note for staff only: in the history, never sent. */
export async function addNote(deps: StaffChatDeps, who: SignedIn, userId: string, input: { clientId: string; text: string }): Promise<ConversationEntry> {
  await existing(deps, userId);
  const { entry } = await deps.messages.begin({
    userId,
    id: input.clientId,
    at: deps.clock.now(),
    direction: 'out',
    by: 'staff',
    kind: 'note',
    text: input.text,
    staffId: who.account.loginId,
    staffName: who.account.displayName,
  });
  await deps.threads.staffSent(userId, entry.at.toISOString());
  return entry;
}

const canChat = (a: Pick<StaffAccount, 'role' | 'permissions' | 'disabled'>) => !a.disabled && effectivePermissions(a).includes('chat');

/** Who a conversation can be assigned to: staff with the chat function. */
export async function chatStaff(deps: StaffChatDeps): Promise<ChatStaffView> {
  const accounts = await deps.staff.list();
  return {
    items: accounts
      .filter(canChat)
      .map((a) => ({ loginId: a.loginId, name: a.displayName }))
      .sort((a, b) => a.name.localeCompare(b.name, 'ja')),
  };
}

export async function assign(deps: StaffChatDeps, who: SignedIn, userId: string, loginId: string | null): Promise<ChatThreadView> {
  const t = await existing(deps, userId);
  let assignee = null;
  if (loginId) {
    const account = await deps.staff.get(loginId);
    if (!account || !canChat(account)) throw new ValidationError('この職員には担当を任せられません（1:1チャットの機能がありません）。');
    assignee = { loginId: account.loginId, name: account.displayName };
  }
  if ((await deps.threads.assign(userId, assignee)) === 'missing') throw new NotFoundError(GONE);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'chat.assigned',
    target: `friend:${userId}`,
    ip: who.ip,
    before: { assignee: t.assignee?.name ?? null },
    after: { assignee: assignee?.name ?? null },
  });
  return threadView({ ...t, ...(assignee ? { assignee } : { assignee: undefined }), seq: t.seq + 1 });
}

/** Closes the conversation: the citizen is with the bot again. */
export async function closeThread(deps: StaffChatDeps, who: SignedIn, userId: string): Promise<ChatThreadView> {
  await existing(deps, userId);
  const at = deps.clock.now();
  if ((await deps.threads.close(userId, at.toISOString(), who.account.loginId)) === 'not-open') throw new ConflictError('この会話はすでに終了しています。');
  return recordStaffEvent(deps, who, userId, at, 'closed');
}

/** A staff member closed or reopened the chat: its line in the history, the audit entry, the thread as it is now. */
async function recordStaffEvent(deps: StaffChatDeps, who: SignedIn, userId: string, at: Date, event: 'closed' | 'reopened'): Promise<ChatThreadView> {
  await deps.conversations.append({
    userId,
    id: ulid(),
    at,
    direction: 'out',
    kind: 'chat',
    chatEvent: event,
    staffId: who.account.loginId,
    staffName: who.account.displayName,
  });
  await recordAudit(deps, { actor: who.account.loginId, action: `chat.${event}`, target: `friend:${userId}`, ip: who.ip });
  return threadView(await existing(deps, userId));
}

/** Opens a closed conversation again (staff want to write to the citizen): the bot steps aside. */
export async function reopenThread(deps: StaffChatDeps, who: SignedIn, userId: string): Promise<ChatThreadView> {
  const t = await existing(deps, userId);
  const at = deps.clock.now();
  const result = await deps.threads.open(userId, {
    eventId: `reopen-${ulid()}`,
    at: at.toISOString(),
    via: 'staff',
    outsideHours: false,
    language: t.language ?? 'ja',
  });
  if (result === 'no-friend') throw new NotFoundError('この友だちは見つかりません。');
  if (result === 'already') throw new ConflictError('この会話はすでに対応中です。');
  return recordStaffEvent(deps, who, userId, at, 'reopened');
}

export async function saveChatSettings(deps: StaffChatDeps, who: SignedIn, input: SettingsInput): Promise<ChatSettings> {
  const before = await deps.settings.settings();
  if (before.rev !== input.rev) throw new ConflictError('ほかの職員が先に設定を変更しました。画面を読み込み直してください。');
  const next: ChatSettings = {
    officeHours: { ...input.officeHours, days: [...new Set(input.officeHours.days)].sort(), closedDates: [...new Set(input.officeHours.closedDates)].sort() },
    markAsRead: input.markAsRead,
    rev: before.rev + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
  };
  if (!(await deps.settings.saveSettings(next, before.rev))) throw new ConflictError('ほかの職員が先に設定を変更しました。画面を読み込み直してください。');
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'chat_settings.updated',
    target: 'chat:settings',
    ip: who.ip,
    before: { officeHours: officeHoursText(before.officeHours), markAsRead: before.markAsRead ? 'つける' : 'つけない' },
    after: { officeHours: officeHoursText(next.officeHours), markAsRead: next.markAsRead ? 'つける' : 'つけない' },
  });
  return next;
}

export async function saveCanned(
  deps: StaffChatDeps,
  who: SignedIn,
  input: { items: { id?: string; title: string; text: string }[]; rev: number },
): Promise<CannedAnswers> {
  const before = await deps.settings.canned();
  if (before.rev !== input.rev) throw new ConflictError('ほかの職員が先に定型文を変更しました。画面を読み込み直してください。');
  const next: CannedAnswers = {
    items: input.items
      .slice(0, CHAT_LIMITS.cannedItems)
      .map((i) => ({ id: i.id && /^[A-Za-z0-9]{1,40}$/.test(i.id) ? i.id : ulid(), title: i.title.trim(), text: i.text })),
    rev: before.rev + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
  };
  if (!(await deps.settings.saveCanned(next, before.rev))) throw new ConflictError('ほかの職員が先に定型文を変更しました。画面を読み込み直してください。');
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'chat_canned.updated',
    target: 'chat:canned',
    ip: who.ip,
    before: { canned: before.items.map((i) => i.title) },
    after: { canned: next.items.map((i) => i.title) },
  });
  return next;
}
