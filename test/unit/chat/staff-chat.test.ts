/**
 * Staff use cases of the 1:1 chat (functions/chat/staff-chat.ts) on in-memory stores, with the
 * citizen's side driven through the chat responder: replies by the reply token while it is valid,
 * else a push keyed by the client id (a resend never doubles, a failure is resent with the same
 * key, two staff at once lose nothing), 既読, the inbox and its poll, assignment, close and reopen,
 * office hours and canned answers.
 */
import { ulid } from 'ulid';
import { auditChanges } from '../../../functions/audit/labels';
import { ChatDesk } from '../../../functions/chat/citizen-chat';
import { CHAT_REQUEST_POSTBACK, DEFAULT_OFFICE_HOURS, REPLY_TOKEN_MS } from '../../../functions/chat/model';
import { settingsBody } from '../../../functions/chat/schemas';
import {
  addNote,
  assign,
  chatStaff,
  chatState,
  closeThread,
  getThread,
  inbox,
  markRead,
  reopenThread,
  saveCanned,
  saveChatSettings,
  sendMessage,
  type StaffChatDeps,
} from '../../../functions/chat/staff-chat';
import type { Media } from '../../../functions/deliveries/model';
import { InvalidReplyTokenError, LineRequestRefusedError, type LineMessage } from '../../../functions/ports/line-gateway';
import { ConflictError, NotFoundError, UpstreamError, ValidationError } from '../../../functions/shared/errors';
import { retryKey } from '../../../functions/shared/retry-key';
import type { SignedIn } from '../../../functions/staff/context';
import type { Session } from '../../../functions/staff/session';
import { newStaffAccount, type FunctionId, type Role, type StaffAccount } from '../../../functions/staff/staff';
import { MemoryAudit, MemoryStaff } from '../../support/admin-fakes';
import { FakeChatLine, MemoryChatSettings, MemoryChatThreads, MemoryStaffMessages } from '../../support/chat-fakes';
import { FakeClock, MemoryConversations, MemoryFriends } from '../../support/fakes';

const HANAKO = 'U0123456789abcdef0123456789abcdef';
const TARO = 'U1123456789abcdef0123456789abcdef';
const JIRO = 'U2123456789abcdef0123456789abcdef';
const SABURO = 'U3123456789abcdef0123456789abcdef';
const NAMES: Record<string, string> = { [HANAKO]: '荒尾 花子', [TARO]: '荒尾 太郎', [JIRO]: '荒尾 次郎', [SABURO]: '荒尾 三郎' };
/** Monday 2026-12-07 10:00 Japan time: office hours. */
const MONDAY_10 = new Date('2026-12-07T01:00:00Z');

const account = (loginId: string, role: Role, permissions: FunctionId[], displayName = `職員 ${loginId}`): StaffAccount =>
  newStaffAccount({ loginId, displayName, role, permissions, passwordHash: 'scrypt$test', mustChangePassword: false, now: MONDAY_10 });
const signedIn = (a: StaffAccount): SignedIn => ({ account: a, session: {} as Session, ip: '192.0.2.1' });
const text = (t: string) => ({ clientId: ulid(), text: t });
const texts = (messages: LineMessage[] | undefined) => (messages ?? []).map((m) => (m.type === 'text' ? m.text : `(${m.type})`));

async function setup() {
  const clock = new FakeClock(MONDAY_10);
  const friends = new MemoryFriends();
  for (const [userId, displayName] of Object.entries(NAMES)) {
    await friends.recordFollow({ userId, displayName, language: 'ja', eventAt: Date.parse('2026-11-01T00:00:00Z'), at: new Date('2026-11-01T00:00:00Z') });
  }
  const conversations = new MemoryConversations();
  const threads = new MemoryChatThreads(friends);
  const settings = new MemoryChatSettings();
  const messages = new MemoryStaffMessages(conversations);
  const line = new FakeChatLine();
  const staff = new MemoryStaff();
  const audit = new MemoryAudit();
  const media = new Map<string, Media>();
  const deps: StaffChatDeps = {
    audit,
    clock,
    threads,
    settings,
    messages,
    conversations,
    line,
    staff,
    media: { get: async (id: string) => media.get(id) ?? null },
    publicBaseUrl: 'https://civic-line.example/',
  };
  const me = account('soudan01', 'general', ['chat'], '相談 太郎');
  const colleague = account('soudan02', 'general', ['chat', 'friends'], '窓口 次郎');
  for (const a of [me, colleague, account('haishin01', 'general', ['deliveries', 'friends'], '配信 三郎'), account('boss', 'admin', [], '管理 者')])
    await staff.create(a);
  const who = signedIn(me);

  const desk = new ChatDesk({ threads, settings, conversations, friends, clock });
  const responder = desk.responder();
  let n = 0;
  const tick = (ms: number) => {
    clock.current = new Date(clock.current.getTime() + ms);
  };
  const citizen = {
    /** The citizen presses 「職員と話す」. */
    request: async (userId = HANAKO) => {
      n += 1;
      return responder.respond({
        userId,
        messageId: `event-${n}`,
        at: clock.now(),
        friend: await friends.get(userId),
        language: 'ja',
        kind: 'postback',
        postbackData: CHAT_REQUEST_POSTBACK,
      });
    },
    /** The citizen writes; with a reply token and 既読 token unless told otherwise. */
    write: async (
      t: string,
      userId = HANAKO,
      tokens: { replyToken?: string; readToken?: string } = { replyToken: `reply-${n + 1}`, readToken: `read-${n + 1}` },
    ) => {
      n += 1;
      const taken = await responder.respond({
        userId,
        messageId: `60000000000${n}`,
        at: clock.now(),
        friend: await friends.get(userId),
        language: 'ja',
        kind: 'text',
        text: t,
        ...tokens,
      });
      return { taken, ...tokens };
    },
  };
  /** The stored conversation entry of a client id. */
  const stored = (clientId: string) => conversations.entries.filter((e) => e.id === clientId);
  return { clock, friends, conversations, threads, settings, line, staff, audit, media, deps, who, me, colleague, citizen, tick, stored };
}

describe('sending a message', () => {
  it('uses the reply token while it is valid (free), and takes it: the next message is pushed with its retry key', async () => {
    const { deps, who, citizen, tick, line, threads, stored, audit } = await setup();
    await citizen.request();
    tick(1_000);
    const { replyToken } = await citizen.write('住民票の取り方を教えてください');
    tick(10_000);
    const first = text('市民課の窓口でお取りいただけます。');
    const entry = await sendMessage(deps, who, HANAKO, first);
    expect(entry).toMatchObject({
      userId: HANAKO,
      id: first.clientId,
      direction: 'out',
      by: 'staff',
      kind: 'messages',
      messages: [{ type: 'text', text: first.text }],
      staffId: 'soudan01',
      staffName: '相談 太郎',
      sendStatus: 'sent',
      via: 'reply',
    });
    expect(line.replies).toEqual([{ replyToken, messages: [{ type: 'text', text: first.text }] }]);
    expect(line.pushes).toEqual([]);
    expect((await threads.get(HANAKO))!.replyToken).toBeUndefined();
    expect(stored(first.clientId)).toEqual([expect.objectContaining({ sendStatus: 'sent', via: 'reply' })]);
    expect(audit.entries.map((e) => [e.action, e.target, e.actor])).toEqual([['chat.replied', `friend:${HANAKO}`, 'soudan01']]);
    expect((await threads.get(HANAKO))!.lastAt).toBe(deps.clock.now().toISOString());

    const second = text('ほかにご質問はありますか。');
    expect(await sendMessage(deps, who, HANAKO, second)).toMatchObject({ sendStatus: 'sent', via: 'push' });
    expect(line.pushes).toEqual([{ to: HANAKO, messages: [{ type: 'text', text: second.text }], retryKey: retryKey('chat', HANAKO, second.clientId) }]);
    expect(line.replies).toHaveLength(1);
  });

  it('pushes when the citizen left no reply token', async () => {
    const { deps, who, citizen, line } = await setup();
    await citizen.request();
    await citizen.write('写真を送ります', HANAKO, {});
    const m = text('確認します。');
    expect(await sendMessage(deps, who, HANAKO, m)).toMatchObject({ sendStatus: 'sent', via: 'push' });
    expect(line.replies).toEqual([]);
    expect(line.pushes.map((p) => p.retryKey)).toEqual([retryKey('chat', HANAKO, m.clientId)]);
  });

  it('pushes when the token is past its time (LINE gives one minute; it is tried for 50 s)', async () => {
    const { deps, who, citizen, tick, line, threads } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    tick(REPLY_TOKEN_MS - 1);
    const { replyToken } = await citizen.write('もしもし？');
    tick(REPLY_TOKEN_MS);
    expect(await sendMessage(deps, who, HANAKO, text('お待たせしました。'))).toMatchObject({ via: 'push' });
    expect(line.replies).toEqual([]);
    // The stale token stays where it was: nobody can use it any more.
    expect((await threads.get(HANAKO))!.replyToken).toBe(replyToken);
  });

  it('uses a token until its last millisecond', async () => {
    const { deps, who, citizen, tick, line } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    tick(REPLY_TOKEN_MS - 1);
    expect(await sendMessage(deps, who, HANAKO, text('はい。'))).toMatchObject({ via: 'reply' });
    expect(line.replies).toHaveLength(1);
  });

  it('pushes when LINE refuses the reply token', async () => {
    const { deps, who, citizen, line, threads, stored } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    line.failReply.push(new InvalidReplyTokenError());
    const m = text('お待たせしました。');
    expect(await sendMessage(deps, who, HANAKO, m)).toMatchObject({ sendStatus: 'sent', via: 'push' });
    expect(line.replies).toEqual([]);
    expect(line.pushes).toEqual([{ to: HANAKO, messages: [{ type: 'text', text: m.text }], retryKey: retryKey('chat', HANAKO, m.clientId) }]);
    expect((await threads.get(HANAKO))!.replyToken).toBeUndefined();
    expect(stored(m.clientId)).toEqual([expect.objectContaining({ sendStatus: 'sent', via: 'push' })]);
  });

  it('a resend of a sent message (same client id) sends nothing again and answers the same entry', async () => {
    const { deps, who, citizen, tick, line, stored, audit } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    const m = text('お待たせしました。');
    const first = await sendMessage(deps, who, HANAKO, m);
    tick(5_000);
    await citizen.write('ありがとうございます'); // a fresh reply token: a resend must not take it
    const again = await sendMessage(deps, who, HANAKO, { ...m, text: '別の文' });
    expect(again).toEqual(first);
    expect(line.replies).toHaveLength(1);
    expect(line.pushes).toEqual([]);
    expect(stored(m.clientId)).toHaveLength(1);
    expect(audit.entries.filter((e) => e.action === 'chat.replied')).toHaveLength(1);
  });

  it('a transient failure leaves the message failed with a 502; the resend pushes it with the same retry key', async () => {
    const { deps, who, citizen, line, stored } = await setup();
    await citizen.request();
    const m = text('道路の穴は担当課に伝えました。');
    line.failPush.push(new Error('socket hang up'));
    const error = await sendMessage(deps, who, HANAKO, m).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(502);
    expect((error as Error).message).toContain('二重には届きません');
    expect(stored(m.clientId)).toEqual([expect.objectContaining({ sendStatus: 'failed', sendError: 'LINEに届けられませんでした。' })]);
    expect(line.pushes).toEqual([]);

    const resent = await sendMessage(deps, who, HANAKO, m);
    expect(resent).toMatchObject({ id: m.clientId, sendStatus: 'sent', via: 'push' });
    expect(resent.sendError).toBeUndefined();
    expect(line.pushAttempts.map((p) => p.retryKey)).toEqual([retryKey('chat', HANAKO, m.clientId), retryKey('chat', HANAKO, m.clientId)]);
    expect(line.pushes).toHaveLength(1);
    expect(stored(m.clientId)).toHaveLength(1);
    expect(stored(m.clientId)[0]).toMatchObject({ sendStatus: 'sent', via: 'push' });
    expect(stored(m.clientId)[0]!.sendError).toBeUndefined();
  });

  it('a resend after a failed reply pushes (a reply cannot be keyed): the token is not tried again', async () => {
    const { deps, who, citizen, line, threads } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    const m = text('はい、市役所です。');
    line.failReply.push(new Error('ETIMEDOUT'));
    await expect(sendMessage(deps, who, HANAKO, m)).rejects.toBeInstanceOf(UpstreamError);
    expect((await threads.get(HANAKO))!.replyToken).toBeUndefined();
    expect(await sendMessage(deps, who, HANAKO, m)).toMatchObject({ sendStatus: 'sent', via: 'push' });
    expect(line.pushes.map((p) => p.retryKey)).toEqual([retryKey('chat', HANAKO, m.clientId)]);
  });

  it('a permanent refusal by LINE (the friend blocked the account) is a 400 in words, and the message failed', async () => {
    const { deps, who, citizen, line, stored, audit } = await setup();
    await citizen.request();
    const m = text('ご連絡です。');
    line.failPush.push(new LineRequestRefusedError(400, 'push'));
    const error = await sendMessage(deps, who, HANAKO, m).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('（400）');
    expect((error as Error).message).toContain('ブロック');
    expect(stored(m.clientId)).toEqual([expect.objectContaining({ sendStatus: 'failed', sendError: (error as Error).message })]);
    expect(audit.entries).toEqual([]);
  });

  it('two staff sending at once with one valid reply token: one reply and one push, both sent, none lost', async () => {
    const { deps, who, colleague, citizen, line, stored } = await setup();
    await citizen.request();
    await citizen.write('至急お願いします');
    const mine = text('担当の相談です。');
    const theirs = text('窓口です。');
    const [a, b] = await Promise.all([sendMessage(deps, who, HANAKO, mine), sendMessage(deps, signedIn(colleague), HANAKO, theirs)]);
    expect([a.sendStatus, b.sendStatus]).toEqual(['sent', 'sent']);
    expect([a.via, b.via].sort()).toEqual(['push', 'reply']);
    expect(line.replies).toHaveLength(1);
    expect(line.pushes).toHaveLength(1);
    expect([...line.replies.map((r) => texts(r.messages)[0]), ...line.pushes.map((p) => texts(p.messages)[0])].sort()).toEqual([mine.text, theirs.text].sort());
    expect([...stored(mine.clientId), ...stored(theirs.clientId)].map((e) => e.sendStatus)).toEqual(['sent', 'sent']);
  });

  it('the same message sent twice at once (a double click) goes to LINE once; the failed reply’s error does not promise "no double"', async () => {
    const { deps, who, citizen, line, stored } = await setup();
    await citizen.request();
    await citizen.write('至急お願いします');
    const m = text('確認します。');
    const [a, b] = await Promise.all([sendMessage(deps, who, HANAKO, m), sendMessage(deps, who, HANAKO, m)]);
    expect(line.replies.length + line.pushes.length).toBe(1);
    expect([a.id, b.id]).toEqual([m.clientId, m.clientId]);
    expect(stored(m.clientId)).toEqual([expect.objectContaining({ sendStatus: 'sent', via: 'reply' })]);

    await citizen.write('もう一度');
    line.failReply.push(new Error('ETIMEDOUT'));
    const error = await sendMessage(deps, who, HANAKO, text('はい。')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).not.toContain('二重には届きません');
  });

  it('sends an uploaded image by its public URLs, and refuses one that does not exist', async () => {
    const { deps, who, citizen, line, media } = await setup();
    await citizen.request();
    const mediaId = ulid();
    media.set(mediaId, {
      mediaId,
      contentType: 'image/png',
      width: 100,
      height: 100,
      originalKey: 'o',
      previewKey: 'p',
      bytes: 10,
      createdAt: '',
      createdBy: 'soudan01',
    });
    await sendMessage(deps, who, HANAKO, { clientId: ulid(), mediaId });
    expect(line.pushes[0]!.messages).toEqual([
      {
        type: 'image',
        originalContentUrl: `https://civic-line.example/media/${mediaId}/original`,
        previewImageUrl: `https://civic-line.example/media/${mediaId}/preview`,
      },
    ]);
    await expect(sendMessage(deps, who, HANAKO, { clientId: ulid(), mediaId: ulid() })).rejects.toBeInstanceOf(ValidationError);
    expect(line.pushes).toHaveLength(1);
  });

  it('refuses a closed conversation (reopen first) and an unknown one, writing and sending nothing', async () => {
    const { deps, who, citizen, line, conversations } = await setup();
    await citizen.request();
    await closeThread(deps, who, HANAKO);
    const before = conversations.entries.length;
    await expect(sendMessage(deps, who, HANAKO, text('まだいますか？'))).rejects.toThrow(ValidationError);
    await expect(sendMessage(deps, who, HANAKO, text('まだいますか？'))).rejects.toThrow('再開する');
    await expect(sendMessage(deps, who, TARO, text('こんにちは'))).rejects.toBeInstanceOf(NotFoundError);
    expect(conversations.entries).toHaveLength(before);
    expect([line.replies, line.pushes]).toEqual([[], []]);
  });
});

describe('notes', () => {
  it('are kept in the history for staff, never sent; one per client id', async () => {
    const { deps, who, citizen, line, stored, threads, tick } = await setup();
    await citizen.request();
    const seq = (await threads.get(HANAKO))!.seq;
    tick(1_000);
    const note = { clientId: ulid(), text: '前回は道路の件で相談あり' };
    const entry = await addNote(deps, who, HANAKO, note);
    expect(entry).toMatchObject({ kind: 'note', text: note.text, staffId: 'soudan01', staffName: '相談 太郎', direction: 'out', by: 'staff' });
    expect(await addNote(deps, who, HANAKO, note)).toEqual(entry);
    expect(stored(note.clientId)).toHaveLength(1);
    expect([line.replies, line.pushes]).toEqual([[], []]);
    expect((await threads.get(HANAKO))!.seq).toBeGreaterThan(seq);
    await expect(addNote(deps, who, TARO, { clientId: ulid(), text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('reading (既読)', () => {
  it('marks read with LINE once, with the latest message’s token; not again while nothing new came', async () => {
    const { deps, threads, citizen, line, tick } = await setup();
    await citizen.request();
    await citizen.write('一通目', HANAKO, { readToken: 'read-a' });
    tick(1_000);
    await citizen.write('二通目', HANAKO, { readToken: 'read-b' });
    expect((await getThread(deps, HANAKO)).unread).toBe(true);
    const view = await markRead(deps, HANAKO);
    expect(view.unread).toBe(false);
    expect(line.markedRead).toEqual(['read-b']);
    const t = (await threads.get(HANAKO))!;
    expect(t.readUpTo).toBe(t.lastInboundAt);
    expect((await getThread(deps, HANAKO)).unread).toBe(false);
    await markRead(deps, HANAKO);
    expect(line.markedRead).toEqual(['read-b']);
    // A new message: unread again, and read again with its token.
    tick(1_000);
    await citizen.write('三通目', HANAKO, { readToken: 'read-c' });
    expect((await getThread(deps, HANAKO)).unread).toBe(true);
    await markRead(deps, HANAKO);
    expect(line.markedRead).toEqual(['read-b', 'read-c']);
  });

  it('does not call LINE when the setting is off, and still reads', async () => {
    const { deps, settings, citizen, line } = await setup();
    settings.stored = { ...(await settings.settings()), markAsRead: false, rev: 1 };
    await citizen.request();
    await citizen.write('もしもし');
    expect((await markRead(deps, HANAKO)).unread).toBe(false);
    expect(line.markedRead).toEqual([]);
  });

  it('a failure of LINE’s 既読 does not fail the read', async () => {
    const { deps, threads, citizen, line } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    line.failMarkAsRead.push(new Error('LINE 500'));
    expect((await markRead(deps, HANAKO)).unread).toBe(false);
    const t = (await threads.get(HANAKO))!;
    expect(t.readUpTo).toBe(t.lastInboundAt);
  });

  it('an unknown conversation is a 404', async () => {
    const { deps } = await setup();
    await expect(markRead(deps, HANAKO)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getThread(deps, HANAKO)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the inbox and its poll', () => {
  /** 花子: unread, mine. 太郎: read, the colleague's. 次郎: unread, nobody's (latest). 三郎: closed. */
  async function busyInbox() {
    const s = await setup();
    for (const userId of [HANAKO, TARO, SABURO, JIRO]) {
      s.tick(60_000);
      await s.citizen.request(userId);
      await s.citizen.write(`${NAMES[userId]}です`, userId);
    }
    await assign(s.deps, s.who, HANAKO, 'soudan01');
    await assign(s.deps, s.who, TARO, 'soudan02');
    await markRead(s.deps, TARO);
    await closeThread(s.deps, s.who, SABURO);
    return s;
  }

  it('shows the four views, latest activity first, with the counts on each', async () => {
    const { deps, who } = await busyInbox();
    const counts = { unread: 2, mine: 1, open: 3 };
    const names = async (view: 'unread' | 'mine' | 'open' | 'closed') => {
      const answer = await inbox(deps, who, { view });
      expect(answer).toMatchObject(counts);
      return answer.items.map((i) => i.displayName);
    };
    expect(await names('open')).toEqual(['荒尾 次郎', '荒尾 太郎', '荒尾 花子']);
    expect(await names('unread')).toEqual(['荒尾 次郎', '荒尾 花子']);
    expect(await names('mine')).toEqual(['荒尾 花子']);
    expect(await names('closed')).toEqual(['荒尾 三郎']);
  });

  it('counts "mine" for whoever asks', async () => {
    const { deps, colleague } = await busyInbox();
    const answer = await inbox(deps, signedIn(colleague), { view: 'mine' });
    expect(answer.items.map((i) => i.userId)).toEqual([TARO]);
    expect(answer.mine).toBe(1);
  });

  it('shows staff what they need and never the tokens', async () => {
    const { deps, who } = await busyInbox();
    const [item] = (await inbox(deps, who, { view: 'mine' })).items;
    expect(item).toMatchObject({ userId: HANAKO, status: 'open', displayName: '荒尾 花子', via: 'postback', unread: true, preview: '荒尾 花子です' });
    expect(item!.assignee).toEqual({ loginId: 'soudan01', name: '相談 太郎' });
    for (const hidden of ['replyToken', 'replyUntil', 'readToken', 'readUpTo', 'language', 'name']) expect(item).not.toHaveProperty(hidden);
  });

  it('pages closed conversations', async () => {
    const s = await busyInbox();
    s.tick(1_000);
    await closeThread(s.deps, s.who, JIRO);
    const first = await inbox(s.deps, s.who, { view: 'closed', limit: 1 });
    expect(first.items.map((i) => i.userId)).toEqual([JIRO]);
    expect(first.cursor).toBeDefined();
    const second = await inbox(s.deps, s.who, { view: 'closed', limit: 1, cursor: first.cursor! });
    expect(second.items.map((i) => i.userId)).toEqual([SABURO]);
    expect(second.cursor).toBeUndefined();
  });

  it('the poll: counts, office hours, and a signature that changes when a message arrives, not otherwise', async () => {
    const s = await busyInbox();
    const before = await chatState(s.deps, s.who);
    expect(before).toMatchObject({ unread: 2, mine: 1, open: 3, officeOpen: true });
    expect(before.nextOpening).toBeUndefined();
    expect((await chatState(s.deps, s.who)).signature).toBe(before.signature);
    s.tick(1_000);
    await s.citizen.write('追加です', TARO);
    const after = await chatState(s.deps, s.who);
    expect(after.signature).not.toBe(before.signature);
    expect(after.unread).toBe(3);
    // A staff message changes it too (another staff member's screen refreshes).
    await sendMessage(s.deps, s.who, TARO, text('承知しました。'));
    expect((await chatState(s.deps, s.who)).signature).not.toBe(after.signature);
  });

  it('the poll outside office hours names the next opening', async () => {
    const s = await setup();
    s.clock.current = new Date('2026-12-12T01:00:00Z'); // Saturday 10:00
    expect(await chatState(s.deps, s.who)).toMatchObject({ officeOpen: false, nextOpening: '2026-12-13T23:30:00.000Z', open: 0 });
  });
});

describe('assignment', () => {
  it('goes to staff with the chat function or an administrator; not to others, a disabled account or an unknown one', async () => {
    const { deps, who, citizen, staff, audit } = await setup();
    await citizen.request();
    await expect(assign(deps, who, HANAKO, 'haishin01')).rejects.toThrow('1:1チャットの機能がありません');
    await expect(assign(deps, who, HANAKO, 'nobody')).rejects.toBeInstanceOf(ValidationError);
    expect((await assign(deps, who, HANAKO, 'boss')).assignee).toEqual({ loginId: 'boss', name: '管理 者' });
    expect((await assign(deps, who, HANAKO, 'soudan02')).assignee).toEqual({ loginId: 'soudan02', name: '窓口 次郎' });
    const off = (await staff.get('soudan02'))!;
    await staff.save({ ...off, disabled: true, version: off.version + 1 });
    await expect(assign(deps, who, HANAKO, 'soudan02')).rejects.toBeInstanceOf(ValidationError);
    const none = await assign(deps, who, HANAKO, null);
    expect(none.assignee).toBeUndefined();
    expect((await getThread(deps, HANAKO)).assignee).toBeUndefined();
    expect(audit.entries.map((e) => [e.action, e.before, e.after])).toEqual([
      ['chat.assigned', { assignee: null }, { assignee: '管理 者' }],
      ['chat.assigned', { assignee: '管理 者' }, { assignee: '窓口 次郎' }],
      ['chat.assigned', { assignee: '窓口 次郎' }, { assignee: null }],
    ]);
    expect(auditChanges(audit.entries[1]!)).toEqual([{ label: '担当', before: '管理 者', after: '窓口 次郎' }]);
    await expect(assign(deps, who, TARO, null)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('offers the staff who can take a conversation, by name', async () => {
    const { deps } = await setup();
    expect((await chatStaff(deps)).items.map((i) => i.loginId).sort()).toEqual(['boss', 'soudan01', 'soudan02']);
  });
});

describe('closing and reopening', () => {
  it('close returns the citizen to the bot: the friend unmarked, a history line, an audit entry; closing again is a 409', async () => {
    const { deps, who, citizen, friends, conversations, audit, clock, threads } = await setup();
    await citizen.request();
    await citizen.write('もしもし');
    const view = await closeThread(deps, who, HANAKO);
    expect(view).toMatchObject({ status: 'closed', closedAt: clock.now().toISOString(), closedBy: 'soudan01' });
    expect((await friends.get(HANAKO))!.chatOpen).toBeUndefined();
    expect((await threads.get(HANAKO))!.replyToken).toBeUndefined();
    expect(conversations.entries.filter((e) => e.kind === 'chat').map((e) => [e.chatEvent, e.staffId])).toEqual([
      ['requested', undefined],
      ['closed', 'soudan01'],
    ]);
    expect(audit.entries.map((e) => [e.action, e.target])).toEqual([['chat.closed', `friend:${HANAKO}`]]);
    await expect(closeThread(deps, who, HANAKO)).rejects.toBeInstanceOf(ConflictError);
    // The bot answers the citizen again.
    expect((await citizen.write('まだいますか')).taken).toBeNull();
    await expect(closeThread(deps, who, TARO)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reopen puts the citizen through to staff again (via staff); an open conversation is a 409 and stays as the citizen asked', async () => {
    const { deps, who, citizen, friends, conversations, audit, tick } = await setup();
    await citizen.request();
    await expect(reopenThread(deps, who, HANAKO)).rejects.toBeInstanceOf(ConflictError);
    expect((await getThread(deps, HANAKO)).via).toBe('postback');
    await closeThread(deps, who, HANAKO);
    tick(60_000);
    const view = await reopenThread(deps, who, HANAKO);
    expect(view).toMatchObject({ status: 'open', via: 'staff', openedAt: deps.clock.now().toISOString() });
    expect(view.closedAt).toBeUndefined();
    expect((await friends.get(HANAKO))!.chatOpen).toBe(true);
    expect(conversations.entries.filter((e) => e.kind === 'chat').map((e) => e.chatEvent)).toEqual(['requested', 'closed', 'reopened']);
    expect(audit.entries.map((e) => e.action)).toEqual(['chat.closed', 'chat.reopened']);
    // Staff can write to them again, and their messages go to staff.
    expect(await sendMessage(deps, who, HANAKO, text('先日の件でご連絡です。'))).toMatchObject({ sendStatus: 'sent' });
    expect((await citizen.write('はい')).taken).toEqual([]);
    await expect(reopenThread(deps, who, TARO)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('settings and canned answers', () => {
  it('saves office hours over the revision read (deduplicated, sorted), audits them in words, refuses a stale save', async () => {
    const { deps, who, settings, audit } = await setup();
    const input = settingsBody.parse({
      officeHours: { ...DEFAULT_OFFICE_HOURS, days: [5, 1, 3, 1], closedDates: ['2026-12-28', '2026-12-25', '2026-12-28'] },
      markAsRead: false,
      rev: 0,
    });
    const saved = await saveChatSettings(deps, who, input);
    expect(saved).toMatchObject({ rev: 1, markAsRead: false, updatedBy: 'soudan01', updatedAt: deps.clock.now().toISOString() });
    expect(saved.officeHours.days).toEqual([1, 3, 5]);
    expect(saved.officeHours.closedDates).toEqual(['2026-12-25', '2026-12-28']);
    expect(await settings.settings()).toEqual(saved);
    await expect(saveChatSettings(deps, who, input)).rejects.toBeInstanceOf(ConflictError);
    expect(audit.entries).toHaveLength(1);
    expect(auditChanges(audit.entries[0]!)).toEqual([
      {
        label: '受付時間',
        before: '月・火・水・木・金 8:30〜17:15（祝日・年末年始 12/29〜1/3は休み）',
        after: '月・水・金 8:30〜17:15（祝日・年末年始 12/29〜1/3・ほか2日は休み）',
      },
      { label: 'LINEの既読', before: 'つける', after: 'つけない' },
    ]);
  });

  it('refuses a save that lost the race in the store', async () => {
    const { deps, who, settings } = await setup();
    const input = settingsBody.parse({ officeHours: DEFAULT_OFFICE_HOURS, markAsRead: true, rev: 0 });
    settings.saveSettings = async () => false;
    await expect(saveChatSettings(deps, who, input)).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses office hours that end before they start, or no day with hours on', () => {
    expect(settingsBody.safeParse({ officeHours: { ...DEFAULT_OFFICE_HOURS, from: '17:15', to: '08:30' }, markAsRead: true, rev: 0 }).success).toBe(false);
    expect(settingsBody.safeParse({ officeHours: { ...DEFAULT_OFFICE_HOURS, days: [] }, markAsRead: true, rev: 0 }).success).toBe(false);
    expect(settingsBody.safeParse({ officeHours: { ...DEFAULT_OFFICE_HOURS, enabled: false, days: [] }, markAsRead: true, rev: 0 }).success).toBe(true);
  });

  it('canned answers get ids (kept when valid), a revision, and a stale save is a 409', async () => {
    const { deps, who, settings, audit } = await setup();
    const saved = await saveCanned(deps, who, {
      items: [
        { title: ' 受付時間 ', text: '{name}さん、受付は平日8:30〜17:15です。' },
        { id: 'keep01', title: '住民票', text: '市民課でお取りいただけます。' },
        { id: 'bad id!', title: '駐車場', text: '庁舎の南側です。' },
      ],
      rev: 0,
    });
    expect(saved.rev).toBe(1);
    expect(saved.items.map((i) => i.title)).toEqual(['受付時間', '住民票', '駐車場']);
    expect(saved.items[0]!.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(saved.items[1]!.id).toBe('keep01');
    expect(saved.items[2]!.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(saved.items.map((i) => i.id)).size).toBe(3);
    expect(await settings.canned()).toEqual(saved);
    await expect(saveCanned(deps, who, { items: [], rev: 0 })).rejects.toBeInstanceOf(ConflictError);
    const emptied = await saveCanned(deps, who, { items: [], rev: 1 });
    expect(emptied).toMatchObject({ items: [], rev: 2 });
    expect(audit.entries.map((e) => [e.action, e.after])).toEqual([
      ['chat_canned.updated', { canned: ['受付時間', '住民票', '駐車場'] }],
      ['chat_canned.updated', { canned: [] }],
    ]);
  });
});
