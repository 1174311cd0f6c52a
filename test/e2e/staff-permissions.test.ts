/**
 * The main story: an administrator creates a general account limited to 配信 and 操作履歴, signs
 * out; that account signs in, changes its initial password, sees only its menu entries, and the
 * API refuses it the staff list even when called directly from the page. Also writes the manual's
 * screenshots of the dashboard, staff list, create form, account settings and the limited dashboard.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { it_env, testDb } from '../support/integration';
import { apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, pageApi, screenshot, signIn, signOut, strongPassword, uniqueId } from './support';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  // The console asks in its own dialogs; a browser confirm box is dismissed (and the step fails).
  page.on('dialog', (d) => void d.dismiss());
});

afterAll(async () => {
  await browser?.close();
});

const FULL_MENU = [
  'ダッシュボード',
  '配信',
  'アンケート',
  'セグメント',
  '友だち・会話',
  'キーワード応答',
  'リッチメニュー',
  'シナリオ',
  '1:1チャット',
  '市民通報',
  '防災メール連携',
  'イベント予約',
  '職員アカウント',
  '操作履歴',
  'アカウント設定',
  '操作マニュアル',
  'サインアウト',
];

/** Past days' friend counters, so the dashboard chart has something to show (today comes from real follows). */
async function seedFriendHistory(): Promise<number> {
  let net = 0;
  const today = new Date(Date.now() + 9 * 3600_000);
  for (let back = 29; back >= 1; back--) {
    const day = new Date(today.getTime() - back * 86_400_000).toISOString().slice(0, 10);
    // A plausible month: weekday rhythm, a mid-month campaign, a few blocks a day.
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const added = 18 + Math.round(10 * Math.sin(back / 4)) + (weekday === 1 ? 14 : 0) + (back >= 12 && back <= 14 ? 40 : 0) + ((back * 7) % 5);
    const blocked = 1 + ((back * 5) % 4);
    net += added - blocked;
    await testDb().send(new PutCommand({ TableName: it_env().tableName, Item: { PK: 'FRIEND_STATS', SK: `DAY#${day}`, added, blocked } }));
  }
  return net;
}

const general = { loginId: uniqueId('kouhou'), displayName: '広報 太郎', password: strongPassword(), newPassword: strongPassword('x') };

test('an administrator sees every menu entry, who is signed in and the dashboard', async () => {
  // Arrange
  const { adminLoginId, adminPassword } = consoleEnv();
  await seedFriendHistory();

  // Act
  await signIn(page, adminLoginId, adminPassword);

  // Assert
  expect(await menuEntries(page)).toEqual(FULL_MENU);
  const whoami = (await page.getByTestId('whoami').textContent()) ?? '';
  expect(whoami).toContain(adminLoginId);
  expect(whoami).toContain('管理者');
  await page.getByRole('heading', { name: 'ダッシュボード' }).waitFor();
  await page.getByRole('img', { name: /友だちの増減/ }).waitFor();
  expect(Number((await page.getByTestId('friends-total').textContent())?.replace(/[^\d]/g, ''))).toBeGreaterThan(0);
  // The chart's figures are also a table (30 days).
  expect(await page.locator('.chart-table tbody tr').count()).toBe(30);
  // 配信 and 市民通報 have their cards; a capability not built yet says so.
  await page.getByRole('region', { name: '最近の配信' }).waitFor();
  await page.getByRole('region', { name: '市民通報' }).waitFor();
  expect(await page.getByRole('region', { name: 'イベント予約（準備中）' }).textContent()).toContain('まだ始まっていません');
  await screenshot(page, '02-dashboard.png');
});

test('capabilities of later issues show a clear empty state', async () => {
  await page.getByRole('link', { name: 'イベント予約' }).click();
  await page.getByText('この機能は準備中です').waitFor();
  expect(await page.locator('main').textContent()).toContain('予約');
  await page.getByRole('link', { name: '操作マニュアル' }).click();
  await page.getByRole('heading', { name: '操作マニュアル' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/manual/');
});

test('the staff list handles 60+ accounts with search and pages', async () => {
  // Arrange: 62 more accounts through the API
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const suffix = uniqueId('').slice(0, 2);
  const create = (i: number) =>
    admin.createStaff({
      loginId: `${['soumu', 'bousai', 'shimin', 'kosodate'][i % 4]}${String(i + 1).padStart(2, '0')}${suffix}`,
      displayName: `${['総務課', '防災安全課', '市民課', '子育て支援課'][i % 4]} 職員${i + 1}`,
      role: i % 10 === 0 ? 'admin' : 'general',
      permissions: i % 10 === 0 ? [] : ['deliveries', 'surveys', 'chat'].slice(0, (i % 3) + 1),
      initialPassword: strongPassword(),
    });
  for (let i = 0; i < 62; i += 8) await Promise.all(Array.from({ length: Math.min(8, 62 - i) }, (_, k) => create(i + k)));

  // Act
  await page.getByRole('link', { name: '職員アカウント' }).click();
  await page.getByRole('heading', { name: '職員アカウント' }).waitFor();

  // Assert: paged, 25 rows a page; the search narrows the list
  await page.locator('table tbody tr').first().waitFor();
  expect(await page.locator('table tbody tr').count()).toBe(25);
  await page.getByRole('navigation', { name: 'ページ送り' }).waitFor();
  await screenshot(page, '03-staff-list.png');
  await page.getByPlaceholder('ログインID・表示名で検索').fill('防災安全課');
  expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(16);
  for (const name of await page.locator('table tbody tr td:nth-child(2)').allTextContents()) expect(name).toContain('防災安全課');
  await page.getByPlaceholder('ログインID・表示名で検索').fill('');
}, 120_000);

test('creating an account shows the API validation errors next to the fields', async () => {
  // Arrange
  await page.getByRole('button', { name: '＋ アカウントを作成' }).click();
  await page.getByRole('heading', { name: '職員アカウントの作成' }).waitFor();

  // Act: a password that breaks the policy (no function chosen yet: the page asks first)
  await page.getByLabel('ログインID').fill(general.loginId);
  await page.getByLabel('表示名').fill(general.displayName);
  await page.getByLabel('初期パスワード').fill('short1');
  await page.getByRole('button', { name: '作成する' }).click();
  await page.getByRole('dialog', { name: '使える機能が選ばれていません' }).getByRole('button', { name: 'このまま作成する' }).click();

  // Assert
  const error = page.locator('.field.has-error .field-error');
  await error.first().waitFor();
  expect(await error.allTextContents()).not.toHaveLength(0);
  expect(await page.locator('.field.has-error input[name="initialPassword"]').count()).toBe(1);
});

test('an administrator creates a general account limited to 配信 and 操作履歴', async () => {
  // Arrange: a fresh form
  await page.getByRole('link', { name: '一覧へ戻る' }).click();
  await page.getByRole('button', { name: '＋ アカウントを作成' }).click();
  await page.getByLabel('ログインID').fill(general.loginId);
  await page.getByLabel('表示名').fill(general.displayName);
  await page.getByLabel('一般').check();
  await page.getByLabel('配信', { exact: true }).check();
  await page.getByLabel('操作履歴', { exact: true }).check();
  await page.getByLabel('初期パスワード').fill(general.password);
  await screenshot(page, '04-staff-create.png');

  // Act
  await page.getByRole('button', { name: '作成する' }).click();

  // Assert: on the account's page, saved with exactly those functions
  await page.getByRole('heading', { name: '職員アカウントの編集' }).waitFor();
  await page.getByText(`アカウント「${general.loginId}」を作成しました`).waitFor();
  const created = await pageApi(page, 'GET', '/staff');
  const row = created.body.items.find((s: { loginId: string }) => s.loginId === general.loginId);
  expect(row).toMatchObject({ displayName: general.displayName, role: 'general', disabled: false });
  expect([...row.permissions].sort()).toEqual(['audit', 'deliveries']);
  await screenshot(page, '08-staff-edit.png');
});

test('the administrator can disable and enable an account', async () => {
  // Act: asked in the page's dialog
  await page.getByRole('button', { name: '無効にする' }).click();
  await page.getByRole('dialog', { name: 'アカウントの無効化' }).getByRole('button', { name: '無効にする' }).click();
  await page.getByText(`「${general.loginId}」を無効にしました。`).waitFor();
  await page.getByRole('button', { name: '有効にする' }).click();

  // Assert
  await page.getByText(`「${general.loginId}」を有効にしました。`).waitFor();
});

test('account settings: password change, and TOTP setup showing the secret as text for administrators', async () => {
  await page.getByRole('link', { name: 'アカウント設定' }).click();
  await page.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
  await page.getByRole('heading', { name: '二要素認証（管理者）' }).waitFor();
  await screenshot(page, '06-account-settings.png');
  await page.getByRole('button', { name: '設定を始める' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  expect(await page.getByTestId('totp-url').textContent()).toMatch(/^otpauth:\/\/totp\//);
  await page.getByRole('button', { name: 'やめる' }).click();
});

test('the general account sees only its menu entries and cannot call the staff API', async () => {
  // Arrange
  await signOut(page);

  // Act: first sign-in asks for a new password
  await signIn(page, general.loginId, general.password);
  await page.getByText('パスワードの変更が必要です').waitFor();
  await page.getByLabel('今のパスワード').fill(general.password);
  await page.getByLabel('新しいパスワード', { exact: true }).fill(general.newPassword);
  await page.getByLabel('新しいパスワード（確認）').fill(general.newPassword);
  await page.getByRole('button', { name: 'パスワードを変更する' }).click();
  await page.getByText('パスワードを変更しました').waitFor();
  await page.getByRole('link', { name: 'ダッシュボード' }).click();
  await page.getByRole('heading', { name: 'ダッシュボード' }).waitFor();

  // Assert: menu limited to its functions; header says 一般
  expect(await menuEntries(page)).toEqual(['ダッシュボード', '配信', '操作履歴', 'アカウント設定', '操作マニュアル', 'サインアウト']);
  expect(await page.getByTestId('whoami').textContent()).toContain('一般');
  await page.getByRole('img', { name: /友だちの増減/ }).waitFor();
  await screenshot(page, '07-general-dashboard.png');

  // The API refuses what the menu hides, even called directly with this session.
  const staff = await page.evaluate(async () => {
    const res = await fetch('/api/admin/staff', { credentials: 'same-origin' });
    return { status: res.status, body: await res.json() };
  });
  expect(staff.status).toBe(403);
  expect(staff.body.error.code).toBe('forbidden');
  // Typing the address shows a plain message, not the list.
  await page.goto('/staff');
  await page.getByText('この機能を使う権限がありません。').waitFor();
  // What it may use works.
  const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
  expect((await pageApi(page, 'GET', `/audit?from=${today}&to=${today}`)).status).toBe(200);
});

test('a session that ends (signed out elsewhere) brings back the sign-in screen', async () => {
  // Arrange: end the session behind the page's back
  await page.getByRole('link', { name: 'ダッシュボード' }).click();
  await pageApi(page, 'POST', '/auth/logout');

  // Act: any call now answers 401
  await page.getByRole('link', { name: '操作履歴' }).click();

  // Assert
  await page.getByRole('heading', { name: 'サインイン' }).waitFor();
  await page.getByText('サインインの有効期限が切れた').waitFor();
});
