/**
 * セグメント: an administrator builds a segment from conditions and watches the live count follow
 * them (language → a date nobody matches → 「いずれか」), saves it (listed with its conditions in
 * words), sees a stale save refused plainly, and deletes it. A general account without
 * `segments` / `deliveries` has no menu entry and gets 403 from the API.
 */
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

jest.setTimeout(60_000);

let browser: Browser;
let page: Page;
const name = `韓国語の友だち ${uniqueId('')}`;

/** The number in 「該当する友だち: N人（友だち全体 M人）」 once it has settled on an answer. */
async function liveCount(p: Page): Promise<{ matching: number; total: number }> {
  const line = p.getByTestId('audience-count');
  await p.waitForFunction(() => {
    const el = document.querySelector('[data-testid="audience-count"]');
    return !!el && el.getAttribute('aria-busy') === 'false' && /該当する友だち: [\d,]+人/.test(el.textContent ?? '');
  });
  const text = (await line.textContent()) ?? '';
  const m = /該当する友だち: ([\d,]+)人（友だち全体 ([\d,]+)人）/.exec(text);
  if (!m) throw new Error(`no count in "${text}"`);
  return { matching: Number(m[1].replace(/,/g, '')), total: Number(m[2].replace(/,/g, '')) };
}

/** Waits until the live count shows `matching` (the request is debounced and answered asynchronously). */
async function countBecomes(p: Page, predicate: (c: { matching: number; total: number }) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await liveCount(p);
  while (!predicate(last)) {
    if (Date.now() > deadline) throw new Error(`live count stayed ${JSON.stringify(last)}`);
    await p.waitForTimeout(150);
    last = await liveCount(p);
  }
  return last;
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  // The console asks in its own dialogs; a browser confirm box would fail the deletion below.
  page.on('dialog', (d) => void d.dismiss());
  // Two Korean-speaking friends, so the language condition matches at least them.
  const sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  await sim.createCitizen({ displayName: `김 민지${uniqueId('')}`, language: 'ko', follow: true });
  await sim.createCitizen({ displayName: `박 서준${uniqueId('')}`, language: 'ko', follow: true });
  const { adminLoginId, adminPassword } = consoleEnv();
  await signIn(page, adminLoginId, adminPassword);
});

afterAll(async () => {
  await browser?.close();
});

test('an administrator builds a segment and the live count follows the conditions', async () => {
  // Arrange
  await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: 'セグメント' }).click();
  await page.getByRole('table', { name: 'セグメント一覧' }).getByText('全員', { exact: true }).waitFor();
  await page.getByRole('link', { name: '＋ セグメントを作成' }).click();
  await page.getByLabel('名前').fill(name);
  const everyone = await liveCount(page);
  expect(everyone.matching).toBe(everyone.total);
  expect(everyone.total).toBeGreaterThanOrEqual(2);

  // Act: 言語 = 韓国語
  await page.getByLabel('追加する条件').selectOption({ label: '言語' });
  await page.getByRole('button', { name: '＋ 条件を追加' }).click();
  const first = page.getByRole('group', { name: '条件 1', exact: true });
  await first.getByLabel('韓国語').check();
  const viaApi = await page.evaluate(async () => {
    const me = await (await fetch('/api/admin/auth/me')).json();
    const r = await fetch('/api/admin/segments/count', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ rule: { match: 'all', conditions: [{ kind: 'language', values: ['ko'] }] } }),
    });
    return r.json();
  });

  const korean = await countBecomes(page, (c) => c.matching === viaApi.matching);

  // Assert: the count on screen is the server's count of Korean-speaking friends
  expect(korean.matching).toBe(viaApi.matching);
  expect(korean.matching).toBeGreaterThanOrEqual(2);

  // Act: AND 友だち追加日 before 2000-01-01 → nobody
  await page.getByLabel('追加する条件').selectOption({ label: '友だち追加日' });
  await page.getByRole('button', { name: '＋ 条件を追加' }).click();
  const second = page.getByRole('group', { name: '条件 2', exact: true });
  await second.getByLabel('日付').fill('2000-01-01');
  await second.getByLabel('範囲').selectOption('before');
  const none = await countBecomes(page, (c) => c.matching === 0);
  expect(none.matching).toBe(0);

  // Act: いずれかの条件に一致 → the Korean speakers again
  await page.getByLabel('いずれかの条件に一致').check();
  const either = await countBecomes(page, (c) => c.matching === korean.matching);
  expect(either.matching).toBe(korean.matching);
  await page.getByLabel('すべての条件に一致').check();
  await countBecomes(page, (c) => c.matching === 0);
  await second.getByRole('button', { name: '条件 2 を削除' }).click();
  await countBecomes(page, (c) => c.matching === korean.matching);
  await page.getByLabel('説明').fill('韓国語版の案内を送るときに使います。');
  await screenshot(page, '20-segment-editor.png');

  // Act: save
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/segments') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '保存する' }).click();
  expect((await saved).status()).toBe(201);
  await page.waitForURL(/\/segments\/[0-9A-Z]{26}$/);
  await page.getByRole('status').getByText(`セグメント「${name}」を作成しました。`).waitFor();

  // Assert: listed with its conditions in words
  await page.getByRole('link', { name: 'セグメント', exact: true }).first().click();
  const row = page.getByRole('table', { name: 'セグメント一覧' }).locator('tbody tr').filter({ hasText: name });
  await row.waitFor();
  expect(await row.textContent()).toContain('言語が 韓国語');
  await screenshot(page, '21-segment-list.png');
});

test('a save over a newer version is refused plainly; deleting asks first', async () => {
  // Arrange: open the saved segment; another administrator saves it first
  await page.getByRole('table', { name: 'セグメント一覧' }).getByRole('link', { name }).click();
  await page.getByLabel('名前').waitFor();
  const segmentId = new URL(page.url()).pathname.split('/')[2];
  const { adminLoginId, adminPassword } = consoleEnv();
  const other = await apiSession(adminLoginId, adminPassword);
  const current = (await other.call('GET', `/segments/${segmentId}`)).body;
  expect(
    (await other.call('PUT', `/segments/${segmentId}`, { name: current.name, description: '別の職員の変更', rule: current.rule, version: current.version }))
      .status,
  ).toBe(200);

  // Act
  await page.getByLabel('説明').fill('わたしの変更');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert
  await page.getByText('ほかの職員が、このセグメントを先に保存しました。').waitFor();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await page.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === '別の職員の変更');

  // Act: a save says so; deleting asks in the page's dialog
  await page.getByLabel('説明').fill('韓国語版の案内を送るときに使います（最新）。');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText(`セグメント「${name}」を保存しました。`).waitFor();
  const deleted = page.waitForResponse((r) => r.url().endsWith(`/api/admin/segments/${segmentId}`) && r.request().method() === 'DELETE');
  await page.getByRole('button', { name: '削除する' }).click();
  const confirm = page.getByRole('dialog', { name: 'セグメントの削除' });
  await confirm.waitFor();
  expect(await confirm.textContent()).toContain(`セグメント「${name}」を削除しますか？`);
  await confirm.getByRole('button', { name: '削除する' }).click();
  expect((await deleted).status()).toBe(204);
  await page.waitForURL(/\/segments$/);
  expect((await other.call('GET', `/segments/${segmentId}`)).status).toBe(404);
});

test('a general account without セグメント and 配信 has no menu entry and gets 403', async () => {
  // Arrange
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const who = { loginId: uniqueId('survey'), initial: strongPassword(), password: strongPassword('xy') };
  await admin.createStaff({ loginId: who.loginId, displayName: 'アンケート 担当', role: 'general', permissions: ['surveys'], initialPassword: who.initial });
  const first = await apiSession(who.loginId, who.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: who.initial, newPassword: who.password })).status).toBe(204);

  // Act
  const self = await apiSession(who.loginId, who.password);
  const { context, page: other } = await newConsole(browser);
  await signIn(other, who.loginId, who.password);

  // Assert
  const menu = await menuEntries(other);
  expect(menu).not.toContain('セグメント');
  expect(menu).not.toContain('配信');
  expect((await self.call('GET', '/segments')).status).toBe(403);
  expect((await self.call('POST', '/segments', { name: 'x', rule: { match: 'all', conditions: [] } })).status).toBe(403);
  expect((await self.call('POST', '/segments/count', { rule: { match: 'all', conditions: [] } })).status).toBe(403);
  expect((await self.call('GET', '/deliveries')).status).toBe(403);
  expect(
    (
      await self.call('POST', '/deliveries/estimate', {
        audience: { segmentId: 'everyone' },
        variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'x' }] }],
      })
    ).status,
  ).toBe(403);
  await other.goto('/segments');
  await other.getByText('この機能を使う権限がありません。').waitFor();
  await context.close();
});
