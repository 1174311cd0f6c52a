/**
 * ダッシュボード: 最近の配信 shows what was sent (title, state, Japan time, recipients, a link to
 * the delivery) to staff who use 配信, an empty state when nothing was sent, and no card for staff
 * who do not; 市民通報 shows the unfinished reports to staff who use it; イベント予約 says plainly
 * that it does not exist yet.
 */
import type { Browser, Page } from 'playwright-core';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

jest.setTimeout(90_000);

let browser: Browser;
let page: Page;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const titles = [`【防災】大雨に関する注意報が発表されました（荒尾市全域）${tag}`, `12月の子育て相談会（中央公民館・要予約）のご案内 ${tag}`];
const sent: { deliveryId: string; firstSentAt: string; recipients: number }[] = [];

/** Nobody followed before 2000: the deliveries are really sent, to no one. */
const nobody = { rule: { match: 'all', conditions: [{ kind: 'followed', op: 'before', date: '2000-01-01' }] }, label: '動作確認（対象なし）' };

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  for (const title of titles) {
    const draft = await admin.call('POST', '/deliveries', {
      title,
      category: 'お知らせ',
      variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: `${title}\n詳しくは市のホームページをご覧ください。` }] }],
      audience: nobody,
      timing: { kind: 'now' },
    });
    expect(draft.status).toBe(201);
    expect((await admin.call('POST', `/deliveries/${draft.body.deliveryId}/send`, {})).status).toBe(200);
    for (let i = 0; ; i++) {
      const d = (await admin.call('GET', `/deliveries/${draft.body.deliveryId}`)).body.delivery;
      if (d.status === 'sent') {
        sent.push({ deliveryId: d.deliveryId, firstSentAt: d.firstSentAt ?? d.queuedAt, recipients: d.recipients });
        break;
      }
      if (i > 100) throw new Error(`${title} not sent: ${d.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

afterAll(async () => {
  await browser?.close();
});

/** 2026/12/07 10:00 of a UTC ISO time, as a person in Arao reads it. */
const japanTime = (iso: string) => new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ').replaceAll('-', '/');

test('an administrator sees the deliveries just sent, newest first, in Japan time, each a link to its page', async () => {
  // Act
  const { adminLoginId, adminPassword } = consoleEnv();
  await signIn(page, adminLoginId, adminPassword);
  const card = page.getByRole('region', { name: '最近の配信' });
  await card.waitFor();

  // Assert: no 準備中 on it; our two, the later one first
  expect(await card.textContent()).not.toContain('準備中');
  const rows = card.getByRole('table', { name: '最近の配信' }).locator('tbody tr');
  const texts = await rows.allTextContents();
  const [first, second] = [1, 0].map((i) => texts.findIndex((t) => t.includes(titles[i])));
  expect(first).toBeGreaterThanOrEqual(0);
  expect(second).toBeGreaterThan(first);
  const row = rows.nth(first);
  const text = (await row.textContent()) ?? '';
  expect(text).toContain('送信済み');
  expect(text).toContain(japanTime(sent[1].firstSentAt));
  expect(text).toContain(`${sent[1].recipients}人`);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  // 市民通報 (an administrator uses it): the unfinished reports; イベント予約 does not exist yet, and says so
  expect(await page.getByRole('region', { name: '市民通報' }).textContent()).toMatch(
    /まだ対応を終えていない通報（この1年に受け付けたもの）: 受付 [\d,]+件・対応中 [\d,]+件/,
  );
  expect(await page.getByRole('region', { name: 'イベント予約（準備中）' }).textContent()).toContain('まだ始まっていません');
  await screenshot(page, 'dashboard-recent-deliveries.png');

  // Act: the title leads to the delivery
  await row.getByRole('link', { name: titles[1] }).click();

  // Assert
  await page.waitForURL(new RegExp(`/deliveries/${sent[1].deliveryId}$`));
  await page.getByRole('heading', { name: titles[1] }).waitFor();
});

test('with nothing sent yet, the card says so and offers to make one', async () => {
  // Arrange: the same answer as a fresh city's (no delivery has left yet)
  await page.route('**/api/admin/dashboard', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, json: { ...(await res.json()), deliveries: { recent: [] } } });
  });

  // Act
  await page.goto('/');
  const card = page.getByRole('region', { name: '最近の配信' });

  // Assert
  await card.getByText('まだ配信していません').waitFor();
  await card.getByRole('link', { name: '新しい配信を作る' }).waitFor();
  await page.unroute('**/api/admin/dashboard');
});

test('staff without 配信 or 市民通報 see neither card', async () => {
  // Arrange
  const who = { loginId: uniqueId('dash'), initial: strongPassword(), password: strongPassword('xy') };
  await admin.createStaff({
    loginId: who.loginId,
    displayName: '市民課 アンケート担当',
    role: 'general',
    permissions: ['surveys'],
    initialPassword: who.initial,
  });
  const first = await apiSession(who.loginId, who.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: who.initial, newPassword: who.password })).status).toBe(204);
  const { context, page: other } = await newConsole(browser);

  // Act
  await signIn(other, who.loginId, who.password);
  await other.getByRole('heading', { name: '友だち' }).waitFor();

  // Assert
  expect(await other.getByRole('region', { name: '最近の配信' }).count()).toBe(0);
  await other.getByRole('region', { name: 'イベント予約（準備中）' }).waitFor();
  expect(await other.getByRole('region', { name: '市民通報' }).count()).toBe(0);
  await context.close();
});
