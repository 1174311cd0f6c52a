/** 操作履歴: the actions staff took appear with filters, and the CSV download (UTF-8 with BOM) uses the same filters. */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

let browser: Browser;
let page: Page;
const target = { loginId: uniqueId('audit'), displayName: '監査 確認' };

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser, { acceptDownloads: true }));
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  await admin.createStaff({ ...target, role: 'general', permissions: ['deliveries'], initialPassword: strongPassword() });
  await admin.call('PATCH', `/staff/${target.loginId}`, { displayName: '監査 確認（変更後）', permissions: ['deliveries', 'surveys'] });
  await signIn(page, adminLoginId, adminPassword);
});

afterAll(async () => {
  await browser?.close();
});

test('the audit log lists sign-ins and staff changes with actor, action and target', async () => {
  // Act
  await page.getByRole('link', { name: '操作履歴' }).click();
  await page.getByRole('heading', { name: '操作履歴' }).waitFor();
  const table = page.getByRole('table', { name: '操作履歴' });
  await table.waitFor();

  // Assert
  const text = (await table.textContent()) ?? '';
  expect(text).toContain('サインイン');
  expect(text).toContain('職員アカウント作成');
  expect(text).toContain('職員アカウント変更');
  expect(text).toContain(`staff:${target.loginId}`);
  expect(text).toContain(consoleEnv().adminLoginId);
  await screenshot(page, '05-audit-log.png', { fullPage: false }); // long lists: the first screenful
});

test('filters narrow the list by action', async () => {
  // Act
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '職員アカウント変更' });
  const answer = page.waitForResponse((r) => r.url().includes('/api/admin/audit?') && r.url().includes('action=staff.updated'));
  await page.getByRole('button', { name: '表示する' }).click();
  await answer;

  // Assert: only updates remain, including ours with before → after
  const rows = page.getByRole('table', { name: '操作履歴' }).locator('tbody tr');
  await rows.first().waitFor();
  for (const action of await rows.locator('td:nth-child(3)').allTextContents()) expect(action).toBe('職員アカウント変更');
  expect(await rows.filter({ hasText: `staff:${target.loginId}` }).textContent()).toContain('監査 確認（変更後）');
});

test('CSVダウンロード uses the same filters and the file starts with a BOM', async () => {
  // Act
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSVダウンロード' }).click()]);
  const path = await download.path();

  // Assert
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  expect(csv).toContain(target.loginId);
  expect(csv).not.toContain('サインイン失敗');
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
});

test('a period with no entries shows an empty state, not an empty table', async () => {
  await page.getByLabel('期間（開始日）').fill('2001-01-01');
  await page.getByLabel('期間（終了日）').fill('2001-01-31');
  await page.getByRole('button', { name: '表示する' }).click();
  await page.getByText('この条件に当てはまる操作はありません').waitFor();
});
