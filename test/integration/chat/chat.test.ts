/**
 * The 1:1 chat on the local runtime (admin API, DynamoDB Local, the webhook consumer, the LINE
 * simulator): a citizen asks for a person with the rich menu's postback, their messages go to the
 * staff inbox instead of the bot, staff read them (既読 in LINE), two staff reply at once (one by
 * the reply token, one by push; neither lost), close the chat and the bot answers again; outside
 * office hours the citizen is told when staff will answer.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { CHAT_REQUEST_POSTBACK } from '../../../functions/chat/model';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const tag = Date.now().toString(36).slice(-5);
const PASSWORD = 'Arao-chat-2026-pass';

async function chatStaff(loginId: string): Promise<ConsoleClient> {
  const created = await admin.call('POST', '/staff', {
    loginId,
    displayName: `窓口 ${loginId}`,
    role: 'general',
    permissions: ['chat'],
    initialPassword: 'Initial-pass-2026',
  });
  expect(created.status).toBe(201);
  const client = new ConsoleClient(env.platformUrl);
  expect((await client.signIn(loginId, 'Initial-pass-2026')).status).toBe(200);
  expect((await client.call('POST', '/auth/password', { currentPassword: 'Initial-pass-2026', newPassword: PASSWORD })).status).toBe(204);
  return client;
}

async function setHours(officeHours: Record<string, unknown>): Promise<void> {
  const current = await admin.call('GET', '/chat/settings');
  const saved = await admin.call('PUT', '/chat/settings', { officeHours, markAsRead: true, rev: current.body.rev });
  expect(saved.status).toBe(200);
}

const jstDate = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 10);

async function newFriend(name: string): Promise<string> {
  const { citizen } = await sim.createCitizen({ displayName: name });
  await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend stored');
  await sim.waitForReceived(citizen.userId, (m) => m.length >= 1, 10_000); // the greeting
  return citizen.userId;
}

const texts = (m: { message: Record<string, unknown> }[]) => m.map((r) => String(r.message.text ?? ''));

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

describe('1:1 chat through the simulator', () => {
  it('takes a citizen to staff and back to the bot, with 既読, two staff replying at once and every message in the history', async () => {
    await setHours({ enabled: false, days: [1, 2, 3, 4, 5], from: '08:30', to: '17:15', holidays: true, yearEnd: null, closedDates: [] });
    const [first, second] = await Promise.all([chatStaff(`chat-a-${tag}`), chatStaff(`chat-b-${tag}`)]);
    const userId = await newFriend(`相談 花子 ${tag}`);
    let seen = (await sim.received(userId)).length;

    // The rich menu's 「職員と話す」 area: a postback with the area's name as the citizen's message.
    await sim.sendPostback(userId, CHAT_REQUEST_POSTBACK, { displayText: '職員と話す' });
    const opened = await sim.waitForReceived(userId, (m) => m.length > seen, 10_000);
    expect(texts(opened.slice(seen))).toEqual([expect.stringContaining('市の職員におつなぎします')]);
    seen = opened.length;

    // While the chat is open the bot stays quiet: the message waits for staff, unread.
    const question = `家の前の道路に穴があいています。\n場所は荒尾駅の近くです。${tag}`;
    await sim.sendText(userId, question);
    const thread = await eventually(
      async () => {
        const inbox = await first.call('GET', '/chat/inbox?view=unread');
        return inbox.body.items.find((t: { userId: string; preview?: string }) => t.userId === userId && t.preview?.includes('道路に穴'));
      },
      10_000,
      'the message in the unread inbox',
    );
    expect(thread).toMatchObject({ status: 'open', unread: true, displayName: `相談 花子 ${tag}`, via: 'postback' });
    expect((await first.call('GET', '/chat/state')).body.unread).toBeGreaterThanOrEqual(1);

    // Staff open it: read, and LINE is told (既読) with the message's token.
    const read = await first.call('POST', `/chat/threads/${userId}/read`);
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(false);
    const marks = await sim.requests({ endpoint: 'markAsRead' });
    expect(marks.length).toBeGreaterThanOrEqual(1);

    // Two staff reply at the same moment: one gets the reply token, the other pushes; both arrive.
    const [a, b] = await Promise.all([
      first.call('POST', `/chat/threads/${userId}/messages`, {
        clientId: '01KB00000000000000000000A1',
        text: `${tag} 担当Aです。写真を送っていただけますか。`,
      }),
      second.call('POST', `/chat/threads/${userId}/messages`, { clientId: '01KB00000000000000000000B1', text: `${tag} 担当Bです。場所を確認します。` }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.via, b.body.via].sort()).toEqual(['push', 'reply']);
    const got = await sim.waitForReceived(userId, (m) => m.length >= seen + 2, 10_000);
    expect(texts(got.slice(seen)).sort()).toEqual([`${tag} 担当Aです。写真を送っていただけますか。`, `${tag} 担当Bです。場所を確認します。`].sort());
    seen = got.length;

    // The same message sent again (a lost answer, a double click) is not sent twice.
    const again = await first.call('POST', `/chat/threads/${userId}/messages`, {
      clientId: '01KB00000000000000000000A1',
      text: `${tag} 担当Aです。写真を送っていただけますか。`,
    });
    expect(again.status).toBe(201);
    await new Promise((r) => setTimeout(r, 300));
    expect((await sim.received(userId)).length).toBe(seen);

    // A note stays with staff.
    expect((await second.call('POST', `/chat/threads/${userId}/notes`, { clientId: '01KB00000000000000000000C1', text: '道路維持課に連絡済み' })).status).toBe(
      201,
    );

    // The history: the citizen's messages, both replies with who sent them, the note — on one page.
    const history = await first.call('GET', `/chat/threads/${userId}/messages?limit=20`);
    const items = history.body.items as { kind: string; by?: string; staffName?: string; text?: string; sendStatus?: string; chatEvent?: string }[];
    expect(
      items
        .filter((e) => e.by === 'staff' && e.kind === 'messages')
        .map((e) => [e.staffName, e.sendStatus])
        .sort(),
    ).toEqual([
      [`窓口 chat-a-${tag}`, 'sent'],
      [`窓口 chat-b-${tag}`, 'sent'],
    ]);
    expect(items.find((e) => e.kind === 'note')).toMatchObject({ text: '道路維持課に連絡済み', staffName: `窓口 chat-b-${tag}` });
    expect(items.some((e) => e.kind === 'text' && e.text === question)).toBe(true);
    expect(items.some((e) => e.kind === 'chat' && e.chatEvent === 'requested')).toBe(true);

    // Assigned, then closed: the bot answers the citizen again.
    expect((await first.call('PUT', `/chat/threads/${userId}/assignee`, { loginId: `chat-b-${tag}` })).body.assignee).toEqual({
      loginId: `chat-b-${tag}`,
      name: `窓口 chat-b-${tag}`,
    });
    expect((await second.call('GET', '/chat/inbox?view=mine')).body.items.map((t: { userId: string }) => t.userId)).toContain(userId);
    expect((await second.call('POST', `/chat/threads/${userId}/close`)).body.status).toBe('closed');
    await sim.sendText(userId, 'ありがとうございました');
    const after = await sim.waitForReceived(userId, (m) => m.length > seen, 10_000);
    expect(after.length).toBeGreaterThan(seen);
    expect((await first.call('GET', '/chat/inbox?view=closed')).body.items.map((t: { userId: string }) => t.userId)).toContain(userId);
  });

  it('outside office hours tells the citizen when staff will answer, and keeps the request in the inbox', async () => {
    const today = jstDate(Date.now());
    const tomorrow = jstDate(Date.now() + 86_400_000);
    await setHours({ enabled: true, days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '23:59', holidays: false, yearEnd: null, closedDates: [today] });
    const userId = await newFriend(`時間外 次郎 ${tag}`);
    const seen = (await sim.received(userId)).length;
    await sim.sendPostback(userId, CHAT_REQUEST_POSTBACK, { displayText: '職員と話す' });
    const got = await sim.waitForReceived(userId, (m) => m.length > seen, 10_000);
    const [answer] = texts(got.slice(seen));
    expect(answer).toContain('受付時間外');
    // Tomorrow at 0:00 in Japan time, as the citizen reads it.
    const [, month, day] = tomorrow.split('-').map(Number);
    expect(answer).toContain(`${month}月${day}日`);
    const inbox = await admin.call('GET', '/chat/inbox?view=open');
    expect(inbox.body.items.find((t: { userId: string }) => t.userId === userId)).toMatchObject({ outsideHours: true, unread: true });
    const state = await admin.call('GET', '/chat/state');
    expect(state.body.officeOpen).toBe(false);
    await setHours({ enabled: false, days: [1, 2, 3, 4, 5], from: '08:30', to: '17:15', holidays: true, yearEnd: null, closedDates: [] });
  });
});
