/**
 * The chat routes of the admin API (functions/admin/chat-routes.ts) through the whole handler on
 * the harness's in-memory stores: what the console sends and gets back — a reply that goes out
 * once per client id, its failure as a 502 to resend, bodies and paths refused in Japanese, the
 * inbox and the conversation's history.
 */
import { adminHarness, CHAT_CLOSED_USER, TARGET_USER } from '../../support/admin-fakes';

async function signedIn() {
  const h = adminHarness();
  await h.seed('soudan01', { permissions: ['chat'], displayName: '相談 太郎' });
  const { token, csrf } = await h.signIn('soudan01');
  const as = { token, csrf };
  return { h, as, chat: h.deps.chat };
}

const CLIENT_ID = '01KB00000000000000000CH001';
const OTHER_ID = '01KB00000000000000000CH002';

describe('chat routes', () => {
  it('sends a reply with the waiting reply token, answers the entry (201), and a resend sends nothing more', async () => {
    const { h, as, chat } = await signedIn();
    const body = { clientId: CLIENT_ID, text: '市民課の窓口でお取りいただけます。' };
    const res = await h.call({ path: `/chat/threads/${TARGET_USER}/messages`, body, ...as });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({
      id: CLIENT_ID,
      userId: TARGET_USER,
      kind: 'messages',
      sendStatus: 'sent',
      via: 'reply',
      staffId: 'soudan01',
      staffName: '相談 太郎',
      at: h.clock.now().toISOString(),
    });
    expect(chat.line.replies).toEqual([{ replyToken: 'reply-target', messages: [{ type: 'text', text: body.text }] }]);
    const again = await h.call({ path: `/chat/threads/${TARGET_USER}/messages`, body, ...as });
    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(res.json);
    expect(chat.line.replies).toHaveLength(1);
    expect(chat.line.pushes).toEqual([]);
    // In the conversation's history, as every message is.
    const history = await h.call({ path: `/chat/threads/${TARGET_USER}/messages`, ...as });
    expect(history.statusCode).toBe(200);
    expect(JSON.stringify(history.json)).toContain(body.text);
  });

  it('a LINE failure is a 502 the console can resend: the resend pushes once', async () => {
    const { h, as, chat } = await signedIn();
    chat.line.failReply.push(new Error('ETIMEDOUT'));
    const body = { clientId: OTHER_ID, text: 'お待たせしました。' };
    const failed = await h.call({ path: `/chat/threads/${TARGET_USER}/messages`, body, ...as });
    expect(failed.statusCode).toBe(502);
    expect(failed.json.error).toMatchObject({ code: 'upstream' });
    expect(failed.json.error.message).toContain('もう一度「送信」を押してください');
    const resent = await h.call({ path: `/chat/threads/${TARGET_USER}/messages`, body, ...as });
    expect(resent.statusCode).toBe(201);
    expect(resent.json).toMatchObject({ sendStatus: 'sent', via: 'push' });
    expect(chat.line.pushes).toHaveLength(1);
  });

  it('refuses bad bodies and paths in Japanese', async () => {
    const { h, as } = await signedIn();
    const send = (body: unknown, userId = TARGET_USER) => h.call({ path: `/chat/threads/${userId}/messages`, body, ...as });
    const noId = await send({ text: 'こんにちは' });
    expect(noId.statusCode).toBe(400);
    expect(JSON.stringify(noId.json.error)).toContain('送信ID');
    const both = await send({ clientId: CLIENT_ID, text: 'こんにちは', mediaId: OTHER_ID });
    expect(both.statusCode).toBe(400);
    expect(JSON.stringify(both.json.error)).toContain('画像を1枚選んでください');
    const blank = await send({ clientId: CLIENT_ID, text: '   ' });
    expect(blank.statusCode).toBe(400);
    expect((await send({ clientId: CLIENT_ID, text: 'あ'.repeat(5001) })).statusCode).toBe(400);
    expect((await send({ clientId: CLIENT_ID, text: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await send({ clientId: CLIENT_ID, text: 'x' }, 'U123')).statusCode).toBe(404);
    expect((await h.call({ path: '/chat/threads/not-a-user', ...as })).statusCode).toBe(404);
    expect((await h.call({ path: '/chat/inbox', query: { view: 'all' }, ...as })).statusCode).toBe(400);
    const hours = await h.call({
      method: 'PUT',
      path: '/chat/settings',
      body: { officeHours: { enabled: true, days: [1], from: '17:15', to: '08:30', holidays: true, yearEnd: null, closedDates: [] }, markAsRead: true, rev: 0 },
      ...as,
    });
    expect(hours.statusCode).toBe(400);
    expect(JSON.stringify(hours.json.error)).toContain('受付の終わりは始まりより後にしてください。');
    // A closed conversation: reopen first.
    const closed = await send({ clientId: CLIENT_ID, text: 'こんにちは' }, CHAT_CLOSED_USER);
    expect(closed.statusCode).toBe(400);
    expect(closed.json.error.message).toContain('再開する');
  });

  it('the inbox, reading and the poll', async () => {
    const { h, as, chat } = await signedIn();
    const unread = await h.call({ path: '/chat/inbox', query: { view: 'unread' }, ...as });
    expect(unread.statusCode).toBe(200);
    expect(unread.json).toMatchObject({ unread: 1, mine: 0, open: 1, items: [{ userId: TARGET_USER, displayName: '荒尾 花子', unread: true }] });
    expect(unread.json.items[0]).not.toHaveProperty('replyToken');
    const closed = await h.call({ path: '/chat/inbox', query: { view: 'closed' }, ...as });
    expect(closed.json.items.map((i: { userId: string }) => i.userId)).toEqual([CHAT_CLOSED_USER]);

    const state = await h.call({ path: '/chat/state', ...as });
    expect(state.json).toMatchObject({ unread: 1, open: 1, officeOpen: true });
    const read = await h.call({ method: 'POST', path: `/chat/threads/${TARGET_USER}/read`, body: {}, ...as });
    expect(read.statusCode).toBe(200);
    expect(read.json.unread).toBe(false);
    expect(chat.line.markedRead).toEqual(['read-target']);
    const after = await h.call({ path: '/chat/state', ...as });
    expect(after.json.unread).toBe(0);
    expect(after.json.signature).not.toBe(state.json.signature);
  });

  it('close and reopen, with the friend returned to the bot and back', async () => {
    const { h, as, chat } = await signedIn();
    const closed = await h.call({ method: 'POST', path: `/chat/threads/${TARGET_USER}/close`, body: {}, ...as });
    expect(closed.statusCode).toBe(200);
    expect(closed.json).toMatchObject({ status: 'closed', closedBy: 'soudan01' });
    expect((await chat.friends.get(TARGET_USER))!.chatOpen).toBeUndefined();
    expect((await h.call({ method: 'POST', path: `/chat/threads/${TARGET_USER}/close`, body: {}, ...as })).statusCode).toBe(409);
    const reopened = await h.call({ method: 'POST', path: `/chat/threads/${TARGET_USER}/reopen`, body: {}, ...as });
    expect(reopened.json).toMatchObject({ status: 'open', via: 'staff' });
    expect((await chat.friends.get(TARGET_USER))!.chatOpen).toBe(true);
    expect(h.deps.audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['chat.closed', 'chat.reopened']));
  });
});
