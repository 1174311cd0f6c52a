/**
 * 1:1チャット: two staff members with only the chat function, each in their own browser, and two
 * citizens on the LINE simulator's phone page. Staff save canned answers and turn office hours
 * off; a citizen types 「職員と話したい」 (a keyword rule that hands off) and a two-line question;
 * the navigation's badge and the inbox show it without a reload, opening it shows 既読 on the
 * phone; a canned answer goes out with the citizen's name, and both staff reply at once — the
 * citizen gets both, each conversation shows both with who sent them. With office hours on and
 * today closed, the second citizen is told when staff will answer and still reaches the inbox.
 * Closing returns the first citizen to the bot.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, generalStaff, launchBrowser, menuEntries, newConsole, screenshot, signIn, uniqueId } from './support';

jest.setTimeout(180_000);

let browser: Browser;
let staffA: Page;
let staffB: Page;
let phones: BrowserContext;
let sim: LineSimulatorClient;
const tag = uniqueId('');
const ASK = `職員と話したい${tag}`;
const citizens = [
  { userId: '', name: `荒尾 みどり${tag}` },
  { userId: '', name: `万田 さくら・コンシェルジュ長い名前の方${tag}` },
];
const QUESTION = ['家の前の市道に大きな穴があいています。', '自転車が通れず危ないので、見に来ていただけますか。'].join('\n');
const pageErrors: string[] = [];
const browserDialogs: string[] = [];

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });

function watch(p: Page) {
  p.on('dialog', (d) => {
    browserDialogs.push(d.message());
    // Only 会話を終了 asks (a confirm): staff mean it here.
    void (d.type() === 'confirm' ? d.accept() : d.dismiss());
  });
  p.on('pageerror', (e) => pageErrors.push(e.message));
}

async function phoneOf(userId: string): Promise<Page> {
  const phone = await phones.newPage();
  phone.on('pageerror', (e) => pageErrors.push(e.message));
  await phone.goto(`${process.env.IT_SIMULATOR_URL}/#citizen=${userId}`);
  return phone;
}

async function say(phone: Page, text: string) {
  await phone.getByLabel('メッセージ').fill(text);
  await phone.getByRole('button', { name: '送信' }).click();
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page: staffA } = await newConsole(browser));
  ({ page: staffB } = await newConsole(browser));
  watch(staffA);
  watch(staffB);
  phones = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  phones.setDefaultTimeout(15_000);
  const a = await generalStaff({ loginId: uniqueId('ca'), displayName: '市民相談 荒尾', permissions: ['chat'] });
  const b = await generalStaff({ loginId: uniqueId('cb'), displayName: '道路維持 万田', permissions: ['chat'] });
  // The keyword rule that hands off (arranged through the API: the keyword editor has its own test).
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const rule = await admin.call('POST', '/keywords', {
    name: `職員につなぐ ${tag}`,
    match: 'contains',
    patterns: [ASK],
    priority: 5,
    enabled: true,
    handoff: true,
    replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'お問い合わせありがとうございます。' }] }],
  });
  expect(rule.status).toBe(201);
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  for (const c of citizens) c.userId = (await sim.createCitizen({ displayName: c.name, language: 'ja', follow: true })).citizen.userId;
  await signIn(staffA, a.loginId, a.password);
  await signIn(staffB, b.loginId, b.password);
  // Every webhook instance re-reads the keyword rules within 3 s.
  await new Promise((r) => setTimeout(r, 3_200));
});

afterAll(async () => {
  await browser?.close();
});

test('staff save canned answers and turn office hours off', async () => {
  expect(await menuEntries(staffA)).toContain('1:1チャット');
  await menu(staffA).getByRole('link', { name: '1:1チャット' }).click();
  await staffA.getByRole('heading', { name: '1:1チャット', level: 1 }).waitFor();
  await staffA.getByRole('link', { name: '受付時間・定型文の設定' }).click();
  await staffA.getByRole('heading', { name: '1:1チャットの設定' }).waitFor();
  await staffA.getByRole('button', { name: '定型文を追加' }).click();
  await staffA.getByLabel('定型文1の名前').fill('受付のあいさつ');
  await staffA.getByLabel('本文').fill('{name}様\nお問い合わせありがとうございます。担当の荒尾が承ります。');
  await staffA.getByRole('button', { name: '定型文を保存' }).click();
  await staffA.getByText('定型文を保存しました。').waitFor();
  // The page as the city first sees it: weekdays 8:30–17:15, holidays and the year-end closed.
  expect(await staffA.getByLabel('受付の始まり').inputValue()).toBe('08:30');
  expect(await staffA.getByLabel('受付の終わり').inputValue()).toBe('17:15');
  await screenshot(staffA, '75-chat-settings.png');
  await staffA.getByRole('checkbox', { name: '受付時間を設ける' }).uncheck();
  await staffA.getByRole('button', { name: '受付時間を保存' }).click();
  await staffA.getByText('受付時間を保存しました。').waitFor();
});

test('a citizen asks for a person; the badge and inbox show it live, opening it shows 既読 on the phone; two staff reply at once', async () => {
  const [c1] = citizens;
  await menu(staffA).getByRole('link', { name: '1:1チャット' }).click();
  await staffA.getByRole('heading', { name: '1:1チャット', level: 1 }).waitFor();
  await staffB.goto('/chat');
  await staffB.getByRole('heading', { name: '1:1チャット', level: 1 }).waitFor();

  const phone = await phoneOf(c1.userId);
  const log = phone.getByRole('log', { name: 'トーク' });
  await phone.locator('#chat-as', { hasText: c1.name }).waitFor();
  await say(phone, ASK);
  await log.getByText('市の職員におつなぎします', { exact: false }).waitFor();
  await say(phone, QUESTION);
  await log.locator('.row.citizen', { hasText: '自転車が通れず' }).waitFor();

  // No reload: the badge and the list follow the poll.
  const list = staffA.getByRole('region', { name: '会話の一覧' });
  await list.getByRole('link', { name: new RegExp(c1.name) }).waitFor({ timeout: 5_000 });
  await menu(staffA)
    .getByRole('img', { name: /^未読 \d+件$/ })
    .waitFor({ timeout: 5_000 });
  await list.getByRole('link', { name: new RegExp(c1.name) }).click();
  const conv = staffA.getByRole('region', { name: `${c1.name}さんとの会話` });
  await conv.getByText('自転車が通れず危ないので', { exact: false }).waitFor();
  // Two lines typed on the phone (Shift+Enter as LINE for PC; fill here) are two lines for staff.
  expect(await conv.locator('.timeline-row.in .bubble', { hasText: '自転車が通れず' }).innerText()).toBe(QUESTION);
  // The phone shows 既読 beside the citizen's messages.
  await log.getByText('既読').first().waitFor({ timeout: 5_000 });

  // A canned answer with the citizen's name, sent by A.
  await conv.getByLabel('定型文').selectOption({ label: '受付のあいさつ' });
  expect(await conv.getByLabel('返信の文').inputValue()).toBe(`${c1.name}様\nお問い合わせありがとうございます。担当の荒尾が承ります。`);
  await conv.getByRole('button', { name: '送信' }).click();
  await conv.getByText('送信しました。').waitFor();
  await log.getByText('担当の荒尾が承ります', { exact: false }).waitFor();

  // B opens the same conversation and sees A's reply; both send at the same moment.
  await staffB
    .getByRole('region', { name: '会話の一覧' })
    .getByRole('link', { name: new RegExp(c1.name) })
    .click();
  const convB = staffB.getByRole('region', { name: `${c1.name}さんとの会話` });
  await convB.getByText('担当の荒尾が承ります', { exact: false }).waitFor();
  await conv.getByLabel('返信の文').fill('写真を送っていただけますか。');
  await convB.getByLabel('返信の文').fill('本日中に現地を確認します。');
  await Promise.all([conv.getByRole('button', { name: '送信' }).click(), convB.getByRole('button', { name: '送信' }).click()]);
  await log.getByText('写真を送っていただけますか。').waitFor();
  await log.getByText('本日中に現地を確認します。').waitFor();
  // Each staff member's screen shows the other's message, with who sent it.
  await conv.getByText('本日中に現地を確認します。').waitFor({ timeout: 5_000 });
  await convB.getByText('写真を送っていただけますか。').waitFor({ timeout: 5_000 });
  expect(await conv.locator('.timeline-row.out .timeline-by').allInnerTexts()).toEqual(expect.arrayContaining(['職員 市民相談 荒尾', '職員 道路維持 万田']));

  // A note for staff, and the assignment.
  await convB.getByRole('tab', { name: 'メモ（職員だけ）' }).click();
  await convB.getByLabel('メモ').fill('道路維持課で対応。現地確認は15時の予定。');
  await convB.getByRole('button', { name: 'メモを残す' }).click();
  await conv.getByText('道路維持課で対応。現地確認は15時の予定。').waitFor({ timeout: 5_000 });
  await convB.getByLabel('担当').selectOption({ label: '道路維持 万田（自分）' });
  await staffB.getByRole('tab', { name: /自分の担当/ }).click();
  await staffB
    .getByRole('region', { name: '会話の一覧' })
    .getByRole('link', { name: new RegExp(c1.name) })
    .waitFor();
  await screenshot(staffA, '76-chat-conversation.png');
  await screenshot(phone, '77-chat-phone.png', { fullPage: false });
  await phone.close();
});

test('with office hours on and today closed, the citizen is told when staff answer; closing returns the first citizen to the bot', async () => {
  const [c1, c2] = citizens;
  await staffA.goto('/chat/settings');
  await staffA.getByRole('checkbox', { name: '受付時間を設ける' }).check();
  const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
  await staffA.getByLabel('ほかの休みの日').fill(today);
  await staffA.getByRole('button', { name: '受付時間を保存' }).click();
  await staffA.getByText('受付時間を保存しました。').waitFor();

  const phone = await phoneOf(c2.userId);
  const log = phone.getByRole('log', { name: 'トーク' });
  await phone.locator('#chat-as', { hasText: c2.name }).waitFor();
  await say(phone, ASK);
  await log.getByText('ただいま受付時間外です', { exact: false }).waitFor();
  expect(await log.getByText('職員が順にお返事します', { exact: false }).innerText()).toMatch(/\d+月\d+日.*\d{1,2}:\d{2}以降に/s);
  await say(phone, '粗大ごみの収集日を変更したいです。');

  await staffB.getByRole('tab', { name: /対応中/ }).click();
  const list = staffB.getByRole('region', { name: '会話の一覧' });
  await list.getByRole('link', { name: new RegExp(c2.name.slice(0, 8)) }).waitFor({ timeout: 5_000 });
  await expect(list.getByRole('link', { name: new RegExp(c2.name.slice(0, 8)) }).innerText()).resolves.toContain('受付時間外に受付');
  await staffB.getByText('受付時間外です。', { exact: false }).first().waitFor();
  await screenshot(staffB, '78-chat-inbox-outside-hours.png', { fullPage: false });

  // B closes the first citizen's conversation: the bot answers them again.
  await list.getByRole('link', { name: new RegExp(c1.name) }).click();
  const convB = staffB.getByRole('region', { name: `${c1.name}さんとの会話` });
  await convB.getByRole('button', { name: '会話を終了' }).click();
  await convB.getByRole('button', { name: '再開する' }).waitFor();
  await convB.getByText('1:1チャットを終了しました', { exact: false }).waitFor();
  const seen = (await sim.received(c1.userId)).length;
  await sim.sendText(c1.userId, 'ありがとうございました');
  await sim.waitForReceived(c1.userId, (m) => m.length > seen, 10_000);

  // The friend's page (an administrator holds every function) links to the chat.
  const { adminLoginId, adminPassword } = consoleEnv();
  const { context: adminContext, page: adminPage } = await newConsole(browser);
  adminPage.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(adminPage, adminLoginId, adminPassword);
  await adminPage.goto(`/friends/${c1.userId}`);
  await adminPage.getByRole('link', { name: '1:1チャットを開く' }).waitFor();
  expect(await adminPage.locator('.friend-chat-link').innerText()).toContain('（終了）');
  await adminContext.close();

  // Office hours back to the default for other tests.
  await staffA.reload();
  await staffA.getByLabel('ほかの休みの日').fill('');
  await staffA.getByRole('checkbox', { name: '受付時間を設ける' }).uncheck();
  await staffA.getByRole('button', { name: '受付時間を保存' }).click();
  await staffA.getByText('受付時間を保存しました。').waitFor();
  await phone.close();
});

test('only the confirm of closing was asked, and no script errors', () => {
  expect(browserDialogs).toEqual([expect.stringContaining('会話を終了しますか')]);
  expect(pageErrors).toEqual([]);
});
