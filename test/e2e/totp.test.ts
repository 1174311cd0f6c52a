/**
 * Two-factor sign-in for administrators: the secret is shown as text in アカウント設定, and once it
 * is on, the sign-in screen asks for the 6-digit code after the password.
 */
import { TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { apiSession, consoleEnv, launchBrowser, newConsole, signIn, signOut, strongPassword, submitSignIn, uniqueId } from './support';

let browser: Browser;
let page: Page;
const admin2 = { loginId: uniqueId('kanri'), password: strongPassword() };
let secret = '';

const codeFor = (s: string, at = Date.now()) => new TOTP({ secret: s, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  // A second administrator (the shared one stays without TOTP), past its first password change.
  const { adminLoginId, adminPassword } = consoleEnv();
  const first = await apiSession(adminLoginId, adminPassword);
  const initial = strongPassword('i');
  await first.createStaff({ loginId: admin2.loginId, displayName: '情報政策 管理者', role: 'admin', permissions: [], initialPassword: initial });
  const self = await apiSession(admin2.loginId, initial);
  const changed = await self.call('POST', '/auth/password', { currentPassword: initial, newPassword: admin2.password });
  expect(changed.status).toBe(204);
});

afterAll(async () => {
  await browser?.close();
});

test('an administrator turns on two-factor sign-in from the secret shown as text', async () => {
  // Arrange
  await signIn(page, admin2.loginId, admin2.password);
  await page.getByRole('link', { name: 'アカウント設定' }).click();

  // Act
  await page.getByRole('button', { name: '設定を始める' }).click();
  secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  await page.getByLabel('確認コード（6桁）').fill(codeFor(secret));
  await page.getByRole('button', { name: '有効にする' }).click();

  // Assert
  await page.getByText('二要素認証を有効にしました').waitFor();
  await page.getByText('現在の状態: 有効').waitFor();
});

test('sign-in then asks for the code; a wrong code is refused, the right one lets in', async () => {
  // Arrange
  await signOut(page);

  // Act 1: password only → the code field appears
  expect(await submitSignIn(page, admin2.loginId, admin2.password)).toBe(401);
  const code = page.getByLabel('確認コード（6桁）');
  await code.waitFor();

  // Act 2: a wrong code
  const valid = new Set([-1, 0, 1, 2].map((k) => codeFor(secret, Date.now() + k * 30_000)));
  await code.fill(['000000', '111111', '222222', '333333', '444444'].find((c) => !valid.has(c))!);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: '確認コード' }).waitFor();
  expect(await page.getByRole('navigation', { name: 'メニュー' }).count()).toBe(0);

  // Act 3: the right code (the next 30-second step: the current one was used to turn TOTP on,
  // and a used step is refused as a replay; the server accepts ±1 step for clock drift)
  await code.fill(codeFor(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();

  // Assert
  await page.getByRole('navigation', { name: 'メニュー' }).waitFor();
  expect(await page.getByTestId('whoami').textContent()).toContain(admin2.loginId);
});
