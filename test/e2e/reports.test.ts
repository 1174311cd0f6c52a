/**
 * 市民通報: a citizen on the simulator's phone page (390 px, touch) reports a hole in the road —
 * types 通報, taps 道路, picks two photos at once, sends the place with the location button, types a
 * two-line description, declines giving a name, confirms — and gets a receipt number. A staff member
 * with only 市民通報 finds it in the list and on the map, opens it (both photos stored), changes it to
 * 対応中 (the citizen adds a comment with 「写真・コメントを追加」), then 完了 with a message previewed
 * first; the phone shows the message with 「直っていない」, and tapping it reopens the report. A general account limited to 上下水道 never sees it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, generalStaff, launchBrowser, menuEntries, newConsole, png, screenshot, signIn, strongPassword, uniqueId } from './support';

jest.setTimeout(240_000);

let browser: Browser;
let page: Page;
let phones: BrowserContext;
let phone: Page;
let sim: LineSimulatorClient;
const tag = uniqueId('');
const citizen = { userId: '', name: `荒尾 道子${tag}` };
const DESCRIPTION = ['市役所前の歩道に直径40cmほどの穴があいています。', `夜は暗くて見えにくく、危ないです。${tag}`];
let receiptNo = '';
const pageErrors: string[] = [];
const browserDialogs: string[] = [];

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });
const log = () => phone.getByRole('log', { name: 'トーク' });
const chips = () => phone.getByRole('group', { name: 'クイックリプライ' });

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  phones = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  phones.setDefaultTimeout(20_000);
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  citizen.userId = (await sim.createCitizen({ displayName: citizen.name, language: 'ja', follow: true })).citizen.userId;
  phone = await phones.newPage();
  phone.on('pageerror', (e) => pageErrors.push(e.message));
  await phone.goto(`${process.env.IT_SIMULATOR_URL}/#citizen=${citizen.userId}`);
  await phone.locator('#chat-as', { hasText: citizen.name }).waitFor();
});

afterAll(async () => {
  await browser?.close();
});

test('a citizen reports a hole in the road from the phone: two photos at once, the location button, a two-line description', async () => {
  await phone.getByLabel('メッセージ').fill('通報');
  await phone.getByRole('button', { name: '送信' }).tap();
  await log().locator('.row.account', { hasText: 'どの種類ですか' }).waitFor({ timeout: 30_000 });
  await screenshot(phone, '80-reports-phone-start.png', { fullPage: false });
  await chips().getByRole('button', { name: '道路' }).tap();
  await log().locator('.row.account', { hasText: '写真を送ってください（5枚まで）' }).waitFor();
  // 「写真を選ぶ」: the phone's picker takes several files; LINE sends them as one image set.
  const chooser = phone.waitForEvent('filechooser');
  await chips().getByRole('button', { name: '写真を選ぶ' }).tap();
  await (
    await chooser
  ).setFiles([
    { name: 'hole-1.png', mimeType: 'image/png', buffer: png(320, [0x55, 0x55, 0x55]) },
    { name: 'hole-2.png', mimeType: 'image/png', buffer: png(320, [0x33, 0x33, 0x33]) },
  ]);
  await log().locator('.row.account', { hasText: '写真を受け取りました（2枚）' }).waitFor();
  expect(await log().locator('.row.account', { hasText: '写真を受け取りました' }).count()).toBe(1);
  await chips().getByRole('button', { name: '次へ' }).tap();
  await log().locator('.row.account', { hasText: '場所を教えてください' }).waitFor();
  await chips().getByRole('button', { name: '位置情報を送る' }).tap();
  const dialog = phone.getByRole('dialog', { name: '位置情報を送信' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '送信' }).tap();
  await log().locator('.row.account', { hasText: 'どのような状況か' }).waitFor();
  const box = phone.getByLabel('メッセージ');
  await box.fill(DESCRIPTION[0]!);
  await box.press('Shift+Enter');
  await box.pressSequentially(DESCRIPTION[1]!);
  await phone.getByRole('button', { name: '送信' }).tap();
  await log().locator('.row.account', { hasText: 'お名前と電話番号を市に伝えてもよろしいですか' }).waitFor();
  await chips().getByRole('button', { name: '入力しない' }).tap();
  const confirm = log().locator('.row.account', { hasText: 'この内容で通報します' });
  await confirm.waitFor();
  expect(await confirm.last().innerText()).toContain('写真: (写真2枚)');
  await screenshot(phone, '81-reports-phone-confirm.png', { fullPage: false });
  await log().getByRole('button', { name: 'この内容で送る' }).last().tap();
  const receipt = log().locator('.row.account', { hasText: '通報を受け付けました' });
  await receipt.waitFor();
  receiptNo = /受付番号: (\d{4}-\d{6})/.exec(await receipt.innerText())![1]!;
  await screenshot(phone, '82-reports-phone-receipt.png', { fullPage: false });
});

test('staff with 市民通報 find it in the list and on the map, and see its photos and place', async () => {
  const staff = await generalStaff({ loginId: uniqueId('rp'), displayName: '土木課 道路維持係 荒尾', permissions: ['reports'] });
  await signIn(page, staff.loginId, staff.password);
  expect(await menuEntries(page)).toContain('市民通報');
  await menu(page).getByRole('link', { name: '市民通報' }).click();
  const table = page.getByRole('table', { name: '通報の一覧' });
  await table.getByRole('link', { name: receiptNo }).waitFor();
  const row = table.locator('tr', { hasText: receiptNo });
  expect(await row.innerText()).toMatch(/道路[\s\S]*受付[\s\S]*土木課[\s\S]*宮内[\s\S]*2枚/);
  await screenshot(page, '83-reports-list.png');
  await page.getByRole('navigation', { name: '市民通報のメニュー' }).getByRole('link', { name: '地図' }).click();
  // The points are drawn on a canvas (thousands stay fast); the page says how many it shows.
  await page.getByText(/[1-9][\d,]*件の通報を表示しています/).waitFor();
  await page.locator('.leaflet-container canvas').first().waitFor();
  await screenshot(page, '84-reports-map.png');
  await page.getByRole('navigation', { name: '市民通報のメニュー' }).getByRole('link', { name: '一覧' }).click();
  await page.getByRole('table', { name: '通報の一覧' }).getByRole('link', { name: receiptNo }).click();
  await page.getByRole('heading', { name: `通報 ${receiptNo}` }).waitFor();
  // The photos are fetched from LINE and re-encoded by a job: the page shows them once stored.
  for (let i = 0; i < 30 && (await page.locator('.report-photos img, [aria-labelledby="report-photos-h"] img').count()) < 2; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
    await page.getByRole('heading', { name: `通報 ${receiptNo}` }).waitFor();
  }
  expect(await page.locator('[aria-labelledby="report-photos-h"] img').count()).toBe(2);
  const text = await page.locator('main').innerText();
  expect(text).toContain(DESCRIPTION.join('\n'));
  expect(text).toContain('熊本県荒尾市宮内出目390');
  // Who reported it: their LINE name (read when the report was made).
  expect(await page.locator('[aria-label="通報の概要"]').innerText()).toContain(citizen.name);
  await screenshot(page, '85-report-page.png');
});

test('対応中 tells the citizen, who adds a comment with 写真・コメントを追加; staff see it on the report', async () => {
  await page.getByLabel('新しい状況').selectOption('in_progress');
  await page.getByRole('button', { name: 'プレビュー' }).click();
  await page.getByRole('button', { name: '送信して変更' }).click();
  await page.getByText('市民へのお知らせ：送信済み').first().waitFor();
  await log().locator('.row.account', { hasText: '担当課で対応を始めました。' }).waitFor();
  await chips().getByRole('button', { name: '写真・コメントを追加' }).tap();
  await log()
    .locator('.row.account', { hasText: `受付番号 ${receiptNo} に追加する写真かコメントを送ってください` })
    .waitFor();
  await phone.getByLabel('メッセージ').fill('今朝見たら、穴がさらに広がっていました。');
  await phone.getByRole('button', { name: '送信' }).tap();
  await log()
    .locator('.row.account', { hasText: `受付番号 ${receiptNo} に追加しました` })
    .waitFor();
  await chips().getByRole('button', { name: '終わる' }).tap();
  await log().locator('.row.account', { hasText: '追加を終えました' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: `通報 ${receiptNo}` }).waitFor();
  await page.getByText('今朝見たら、穴がさらに広がっていました。').waitFor();
});

test('a status change is previewed, sent to the citizen with 直っていない, and the citizen reopens it', async () => {
  await page.getByLabel('新しい状況').selectOption('done');
  await page.getByLabel('市民へのメッセージ（任意）').fill('本日、穴を補修しました。\nご協力ありがとうございました。');
  await page.getByRole('button', { name: 'プレビュー' }).click();
  const preview = page.getByText('市民には、次のとおりに届きます。');
  await preview.waitFor();
  expect(await page.locator('.report-preview').innerText()).toContain(`受付番号 ${receiptNo} の通報について`);
  await screenshot(page, '86-report-status-preview.png');
  await page.getByRole('button', { name: '送信して変更' }).click();
  await page.getByText('市民へのお知らせ：送信済み').first().waitFor();

  const message = log().locator('.row.account', { hasText: '対応が完了しました' });
  await message.waitFor();
  expect(await message.last().innerText()).toContain('本日、穴を補修しました。');
  await chips().getByRole('button', { name: '直っていない' }).tap();
  await log().locator('.row.account', { hasText: 'あらためて受け付けました' }).waitFor();
  await screenshot(phone, '87-reports-phone-reopened.png', { fullPage: false });
  await page.reload();
  await page.getByRole('heading', { name: `通報 ${receiptNo}` }).waitFor();
  expect(await page.locator('[aria-label="通報の概要"]').innerText()).toContain('受付');
  await page.getByText('市民から「直っていない」（再開）').waitFor();
});

test('an account limited to 上下水道 never sees a road report', async () => {
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const loginId = uniqueId('wt');
  const initial = strongPassword();
  const created = await admin.call('POST', '/staff', {
    loginId,
    displayName: '水道課 荒尾',
    role: 'general',
    permissions: ['reports'],
    reportCategories: ['water'],
    initialPassword: initial,
  });
  expect(created.status).toBe(201);
  const water = await apiSession(loginId, initial);
  expect((await water.call('POST', '/auth/password', { currentPassword: initial, newPassword: strongPassword('wt') })).status).toBe(204);
  const list = await water.call('GET', '/reports?status=received,in_progress,done');
  expect(list.status).toBe(200);
  expect(list.body.items.every((i: { category: string }) => i.category === 'water')).toBe(true);
  const all = await admin.call('GET', '/reports');
  const ours = all.body.items.find((i: { receiptNo: string }) => i.receiptNo === receiptNo);
  expect((await water.call('GET', `/reports/${ours.reportId}`)).status).toBe(404);
});

test('no browser dialogs and no script errors', () => {
  expect(browserDialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});
