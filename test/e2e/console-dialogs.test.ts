/**
 * The console asks and answers in its own words and dialogs: a login ID is shown as it will be
 * saved (Tanaka01 → tanaka01) under a hint that states the same rule as the error; a general
 * account without functions is questioned before it is saved; a segment save says so; a
 * reservation's confirmation says 「…に送ります」; 「作成して開始する」 states who gets it and
 * from when; deleting a draft asks in the page's dialog (never the browser's); people are named by
 * their display names, not login IDs.
 */
import type { Browser, Page } from 'playwright-core';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

jest.setTimeout(90_000);

let browser: Browser;
let page: Page;
let admin: Awaited<ReturnType<typeof apiSession>>;
const browserDialogs: string[] = [];
const tag = uniqueId('');
const slash = (date: string) => date.replaceAll('-', '/');
const jstToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  expect((await admin.call('PUT', '/settings/deliveries', { approvalRequired: false })).status).toBe(200);
  await signIn(page, adminLoginId, adminPassword);
});

afterAll(async () => {
  expect(browserDialogs).toEqual([]);
  await browser?.close();
});

test('a login ID is shown as it will be saved, and a general account without functions is questioned first', async () => {
  // Arrange
  const typed = `Tanaka${tag.toUpperCase()}`;
  const saved = typed.toLowerCase();
  await page.goto('/staff/new');
  const hint =
    (await page
      .locator('.field', { has: page.getByLabel('ログインID') })
      .locator('.hint')
      .first()
      .textContent()) ?? '';

  // Act
  await page.getByLabel('ログインID').fill(typed);
  await page.getByLabel('表示名').fill('市民課 田中 一郎');
  await page.getByLabel('初期パスワード').fill(strongPassword());

  // Assert: the hint states the API's rule; the saved form of the ID is said before saving
  expect(hint).toContain('半角の英小文字・数字・記号（. _ -）の3〜32文字');
  expect(hint).toContain('英大文字は小文字にして保存します');
  expect(await page.getByTestId('login-id-preview').textContent()).toBe(`ログインIDは「${saved}」として保存します（英大文字は小文字、前後の空白は除きます）。`);

  // Act: no function chosen — the page's dialog explains, 「やめる」 saves nothing
  let posted = 0;
  page.on('request', (r) => void (r.url().endsWith('/api/admin/staff') && r.method() === 'POST' && posted++));
  await page.getByRole('button', { name: '作成する' }).click();
  const question = page.getByRole('dialog', { name: '使える機能が選ばれていません' });
  await question.waitFor();
  expect(await question.textContent()).toContain(
    '「市民課 田中 一郎」は一般のアカウントで、使える機能が1つも選ばれていません。このままでは、サインインしてダッシュボードを見ることしかできません。',
  );
  await screenshot(page, 'dialog-no-functions.png', { fullPage: false });
  await question.getByRole('button', { name: 'やめる' }).click();
  expect(await question.count()).toBe(0);
  expect(posted).toBe(0);

  // Act: go ahead anyway
  await page.getByRole('button', { name: '作成する' }).click();
  await page.getByRole('dialog', { name: '使える機能が選ばれていません' }).getByRole('button', { name: 'このまま作成する' }).click();

  // Assert: created under the ID that was shown, and the message says it
  await page.getByRole('heading', { name: '職員アカウントの編集' }).waitFor();
  await page.getByText(`アカウント「${saved}」を作成しました。ログインIDは「${saved}」です。`).waitFor();
  const listed = (await admin.call('GET', '/staff')).body.items.find((s: { loginId: string }) => s.loginId === saved);
  expect(listed).toMatchObject({ displayName: '市民課 田中 一郎', role: 'general', permissions: [] });
});

test('saving a segment says so', async () => {
  // Arrange
  const name = `65歳以上の方（${tag}）`;
  await page.goto('/segments/new');
  await page.getByLabel('名前').fill(name);

  // Act
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert
  await page.getByText(`セグメント「${name}」を作成しました。配信を作るときに「配信先」として選べます。`).waitFor();
  await page.getByLabel('説明').fill('敬老会のお知らせに使います。');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText(`セグメント「${name}」を保存しました。`).waitFor();
  // People by name: 最終更新 names the administrator, not the login ID
  expect(await page.getByText(/^最終更新 /).textContent()).toMatch(/（管理者）$/);
});

test('a reservation is confirmed 「…に送ります」, and the delivery names its people by display name', async () => {
  // Arrange
  const date = plusDays(jstToday(), 2);
  await page.goto('/deliveries/new');
  await page.getByLabel('タイトル').fill(`敬老会のご案内 ${tag}`);
  await page.getByLabel(/^追加する吹き出し/).selectOption('text');
  await page.getByRole('button', { name: '＋ 吹き出しを追加' }).click();
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill('今年の敬老会は9月15日です。\nご家族の方もぜひお越しください。');
  await page.getByLabel('日時を指定').check();
  await page.getByLabel('日付', { exact: true }).fill(date);
  await page.getByLabel('時刻（日本時間）').fill('09:00');

  // Act
  await page.getByRole('button', { name: '予約する', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '予約の確認' });
  await dialog.waitFor();

  // Assert
  expect(await dialog.textContent()).toMatch(new RegExp(`人 に、${slash(date)} 09:00 に送ります。`));
  await screenshot(page, 'dialog-reservation.png', { fullPage: false });
  await dialog.getByRole('button', { name: '予約する' }).click();
  await page.waitForURL(/\/deliveries\/[0-9A-Z]{26}$/);
  expect(await page.getByTestId('created-by').textContent()).toBe('管理者');
  expect(await page.getByTestId('sent-by').textContent()).toBe('管理者');

  // Act: cancel in the page's dialog
  await page.getByRole('button', { name: '予約を取り消す' }).click();
  const cancel = page.getByRole('dialog', { name: '予約の取り消し' });
  await cancel.waitFor();
  await screenshot(page, 'dialog-cancel.png', { fullPage: false });
  await cancel.getByRole('button', { name: '取り消す' }).click();
  await page.getByText('予約を取り消しました。この配信は送られません。').waitFor();

  // Assert: the history names the sender too
  await page.goto('/deliveries');
  const row = page
    .getByRole('table', { name: '配信履歴' })
    .locator('tbody tr')
    .filter({ hasText: `敬老会のご案内 ${tag}` });
  expect(await row.locator('td').last().textContent()).toBe('管理者');
});

test("deleting a draft asks in the page's dialog", async () => {
  // Arrange
  const draft = await admin.call('POST', '/deliveries', {
    title: `下書きのテスト ${tag}`,
    category: 'お知らせ',
    variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '下書きです。' }] }],
    audience: { segmentId: 'everyone' },
    timing: { kind: 'now' },
  });
  await page.goto(`/deliveries/${draft.body.deliveryId}`);

  // Act
  await page.getByRole('button', { name: '下書きを削除' }).click();
  const dialog = page.getByRole('dialog', { name: '下書きの削除' });
  await dialog.getByRole('button', { name: '削除する' }).click();

  // Assert
  await page.waitForURL(/\/deliveries$/);
  expect((await admin.call('GET', `/deliveries/${draft.body.deliveryId}`)).status).toBe(404);
});

test('「作成して開始する」 states who gets it and from when, and 「やめる」 starts nothing', async () => {
  // Arrange: a daily 07:30 rule from the day after tomorrow, to a segment
  const start = plusDays(jstToday(), 2);
  const segmentName = `回覧板の当番の方 ${tag}`;
  expect(
    (await admin.call('POST', '/segments', { name: segmentName, rule: { match: 'all', conditions: [{ kind: 'followed', op: 'before', date: '2000-01-01' }] } }))
      .status,
  ).toBe(201);
  const before = (await admin.call('GET', '/recurrings')).body.items.length;
  await page.goto('/deliveries/recurring/new');
  await page.getByLabel('タイトル').fill(`回覧板のお知らせ ${tag}`);
  await page.getByLabel('配信先').selectOption({ label: segmentName });
  await page.getByLabel('くり返し', { exact: true }).selectOption('daily');
  await page.getByLabel('送る時刻（日本時間）').fill('07:30');
  await page.getByLabel('開始日').fill(start);
  await page.getByLabel(/^追加する吹き出し/).selectOption('text');
  await page.getByRole('button', { name: '＋ 吹き出しを追加' }).click();
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill('今週の回覧板が届きました。');
  await page.waitForFunction((first) => document.querySelector('[data-testid="next-dates"] li')?.textContent?.startsWith(first) ?? false, slash(start));

  // Act
  await page.getByRole('button', { name: '作成して開始する' }).click();
  const dialog = page.getByRole('dialog', { name: 'くり返し配信の開始の確認' });
  await dialog.waitFor();

  // Assert: the audience with its count, the first run in Japan time, the rule; not 友だち全員
  const text = (await dialog.textContent()) ?? '';
  expect(text).toMatch(new RegExp(`配信先「${segmentName}」の いまの対象 0人 に、${slash(start)}（[日月火水木金土]）07:30 から「毎日 07:30`));
  expect(text).not.toContain('友だち全員');
  await screenshot(page, 'dialog-recurring-start.png', { fullPage: false });
  await dialog.getByRole('button', { name: 'やめる' }).click();
  expect((await admin.call('GET', '/recurrings')).body.items.length).toBe(before);

  // Act: start it
  await page.getByRole('button', { name: '作成して開始する' }).click();
  await page.getByRole('dialog', { name: 'くり返し配信の開始の確認' }).getByRole('button', { name: '作成して開始する' }).click();

  // Assert
  await page.waitForURL(/\/deliveries\/recurring\/[0-9A-Z]{26}$/);
  await page.locator('.page-header').getByText('実行中').waitFor();
  const recurringId = new URL(page.url()).pathname.split('/')[3];
  expect((await admin.call('POST', `/recurrings/${recurringId}/end`, {})).status).toBe(200);
});
