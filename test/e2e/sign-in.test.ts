/** Sign-in screen: plain errors for a wrong password, the lockout message after 5 failures. */
import type { Browser, Page } from 'playwright-core';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, strongPassword, submitSignIn, uniqueId } from './support';

let browser: Browser;
let page: Page;
let victim: { loginId: string; password: string };

beforeAll(async () => {
  browser = await launchBrowser();
  // Failures go against a throwaway account, never the shared administrator.
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  victim = { loginId: uniqueId('lock'), password: strongPassword() };
  await admin.createStaff({
    loginId: victim.loginId,
    displayName: 'ロック 確認',
    role: 'general',
    permissions: ['deliveries'],
    initialPassword: victim.password,
  });
});

beforeEach(async () => {
  ({ page } = await newConsole(browser));
});

afterEach(async () => {
  await page.context().close();
});

afterAll(async () => {
  await browser?.close();
});

test('the sign-in screen is in Japanese and asks for ID and password only', async () => {
  // Act
  await page.goto('/');

  // Assert
  await page.getByRole('heading', { name: 'サインイン' }).waitFor();
  expect(await page.getByLabel('ログインID').isVisible()).toBe(true);
  expect(await page.getByLabel('パスワード', { exact: true }).isVisible()).toBe(true);
  expect(await page.getByLabel('確認コード（6桁）').count()).toBe(0);
  expect(await page.getAttribute('html', 'lang')).toBe('ja');
  await screenshot(page, '01-sign-in.png');
});

test('a wrong password shows a plain error and stays on the sign-in screen', async () => {
  // Arrange
  await page.goto('/');

  // Act
  await submitSignIn(page, victim.loginId, 'wrong-password-123');

  // Assert
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain('ログインIDまたはパスワードが正しくありません');
  expect(await page.getByRole('navigation', { name: 'メニュー' }).count()).toBe(0);
});

test('an unknown ID gets the same message as a wrong password', async () => {
  await page.goto('/');
  await submitSignIn(page, uniqueId('nobody'), 'wrong-password-123');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain('ログインIDまたはパスワードが正しくありません');
});

test('after 5 consecutive failures the account is locked and the screen says until when', async () => {
  // Arrange: a fresh account, so earlier failures do not count
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const loginId = uniqueId('lock');
  const password = strongPassword();
  await admin.createStaff({ loginId, displayName: 'ロック 確認2', role: 'general', permissions: [], initialPassword: password });
  await page.goto('/');

  // Act: five wrong passwords, then the right one
  const statuses: number[] = [];
  for (let i = 1; i <= 5; i++) statuses.push(await submitSignIn(page, loginId, `wrong-password-${i}x`));
  statuses.push(await submitSignIn(page, loginId, password));

  // Assert: the lockout message with a time (yyyy/mm/dd hh:mm), still signed out
  const alert = page.getByRole('alert').filter({ hasText: 'ロック' });
  await alert.waitFor();
  const text = (await alert.textContent()) ?? '';
  expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
  expect(statuses[5]).toBe(423);
  expect(text).toContain('ロックされています');
  expect(text).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  expect(await page.getByRole('navigation', { name: 'メニュー' }).count()).toBe(0);
});
