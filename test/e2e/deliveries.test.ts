/**
 * 配信: an administrator composes a delivery in Japanese and English (a text bubble and an event
 * card), checks the phone preview (text stays text), sends it now to a saved segment, watches it
 * reach 送信済み, and each simulated citizen receives exactly one delivery, in their language.
 * Then: a reservation is made and cancelled; a recurring rule shows its next 10 dates without a
 * public holiday; the history CSV has a BOM and its columns; with approval required, a general
 * account can only request, and the administrator sends the request back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import holidayJp from '@holiday-jp/holiday_jp';
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient, type SimReceivedMessage } from '../../simulator/client';
import { SCREENSHOT_DIR, apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

// Sending goes through the planner and sender queues of the local runtime: allow for it.
jest.setTimeout(90_000);

let browser: Browser;
let page: Page;
let sim: LineSimulatorClient;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const segmentName = `今日の新しい友だち ${tag}`;
const title = `市民祭りのお知らせ ${tag}`;
const jaText = '市民祭りを開きます。<b>ぜひ</b>お越しください。';
const enText = 'The city festival is coming. Please join us!';
const citizens = { ja: { userId: '', name: `荒尾 太郎${tag}` }, en: { userId: '', name: `Emma Brown ${tag}` } };
let since = 0;
const browserDialogs: string[] = [];

const jstToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const slash = (date: string) => date.replaceAll('-', '/');

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser, { acceptDownloads: true }));
  // The console asks in its own dialogs: a browser confirm box would be a defect (it is dismissed and recorded).
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  expect((await admin.call('PUT', '/settings/deliveries', { approvalRequired: false })).status).toBe(200);
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  since = Date.now();
  citizens.ja.userId = (await sim.createCitizen({ displayName: citizens.ja.name, language: 'ja', follow: true })).citizen.userId;
  citizens.en.userId = (await sim.createCitizen({ displayName: citizens.en.name, language: 'en', follow: true })).citizen.userId;
  // Everyone who became a friend today (in this runtime: the test citizens).
  const seg = await admin.call('POST', '/segments', {
    name: segmentName,
    rule: { match: 'all', conditions: [{ kind: 'followed', op: 'onOrAfter', date: jstToday() }] },
  });
  expect(seg.status).toBe(201);
  await signIn(page, adminLoginId, adminPassword);
});

afterAll(async () => {
  await admin?.call('PUT', '/settings/deliveries', { approvalRequired: false });
  await browser?.close();
});

/** Deliveries (multicast or push) a citizen got since the test started. */
async function deliveredTo(userId: string): Promise<SimReceivedMessage[]> {
  return (await sim.received(userId, since)).filter((m) => m.source === 'multicast' || m.source === 'push');
}

async function addBubble(p: Page, type: 'text' | 'image' | 'card' | 'link') {
  await p.getByLabel(/^追加する吹き出し/).selectOption(type);
  await p.getByRole('button', { name: '＋ 吹き出しを追加' }).click();
}

async function statusIs(p: Page, label: string, timeout = 15_000) {
  await p.getByTestId('delivery-status').getByText(label, { exact: true }).waitFor({ timeout });
}

test('compose in two languages, preview, send now: 送信済み, and each citizen gets one delivery in their language', async () => {
  // Arrange
  await page.getByRole('navigation', { name: 'メニュー' }).getByRole('link', { name: '配信' }).click();
  await page.getByRole('link', { name: '＋ 新しい配信' }).click();
  await page.getByLabel('タイトル').fill(title);
  await page.getByLabel('カテゴリ').fill('イベント');
  await page.getByLabel('配信先').selectOption({ label: segmentName });
  await page.getByText(/いまの対象: [\d,]+人/).waitFor();

  // Act: Japanese text (the name button first, then plain text) and an event card
  await addBubble(page, 'text');
  const text = page.getByRole('region', { name: '吹き出し 1（テキスト）' });
  await text.getByLabel('本文').fill('こんにちは、');
  await text.getByRole('button', { name: '友だちの名前を入れる' }).click();
  const jaPhone = page.getByRole('region', { name: 'スマートフォンでの表示（日本語）' });
  await jaPhone.getByText('こんにちは、山田 花子').waitFor();
  await text.getByLabel('本文').fill(jaText);
  await addBubble(page, 'card');
  const card = page.getByRole('region', { name: '吹き出し 2（カード）' });
  await card.getByLabel('カードの種類').selectOption('event');
  await card.getByLabel('見出し').fill('荒尾市民祭り');
  await card.getByLabel('本文').fill('屋台やステージがあります。');
  await card.getByLabel('日時').fill('12月6日（日）10時から');
  await card.getByLabel('場所').fill('荒尾運動公園');

  // Assert: the preview shows the markup as typed, never as HTML
  await jaPhone.getByText(jaText).waitFor();
  expect(await jaPhone.locator('b').count()).toBe(0);
  expect(await jaPhone.textContent()).toContain('荒尾運動公園');

  // Act: English, copied from Japanese and translated
  await page.getByRole('tablist', { name: 'メッセージの言語' }).getByRole('tab', { name: /英語/ }).click();
  await page.getByRole('button', { name: '日本語の吹き出しを写して翻訳する' }).click();
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill(enText);
  await page.getByRole('region', { name: '吹き出し 2（カード）' }).getByLabel('見出し').fill('Arao City Festival');
  await page.getByRole('region', { name: '吹き出し 2（カード）' }).getByLabel('本文').fill('Food stalls and music on stage.');
  const enPhone = page.getByRole('region', { name: 'スマートフォンでの表示（英語）' });
  await enPhone.getByText(enText).waitFor();
  expect(await enPhone.textContent()).toContain('Event');
  await page
    .getByTestId('estimate')
    .getByText(/[\d,]+人/)
    .first()
    .waitFor();
  await screenshot(page, '22-delivery-compose.png');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await enPhone.screenshot({ path: join(SCREENSHOT_DIR, '23-delivery-preview-en.png') });

  // Act: send now, through the confirmation
  await page.getByRole('button', { name: '送信する', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '送信の確認' });
  await dialog.waitFor();
  const dialogText = (await dialog.textContent()) ?? '';
  expect(dialogText).toContain(`配信先「${segmentName}」`);
  expect(dialogText).toMatch(/[\d,]+人 に、今すぐ送ります。/);
  await screenshot(page, '24-delivery-confirm.png', { fullPage: false });
  await dialog.getByRole('button', { name: '送信する' }).click();

  // Assert: the detail page follows the delivery to 送信済み
  await page.waitForURL(/\/deliveries\/[0-9A-Z]{26}$/);
  await statusIs(page, '送信済み', 45_000);
  const deliveryId = new URL(page.url()).pathname.split('/')[2];
  expect(await page.getByTestId('opened').textContent()).toBe('集計前（翌日以降に表示）');
  await screenshot(page, '25-delivery-detail.png');

  // Assert: one delivery each (two bubbles in one request), in the citizen's language
  const ja = await deliveredTo(citizens.ja.userId);
  const en = await deliveredTo(citizens.en.userId);
  expect(new Set(ja.map((m) => m.requestId)).size).toBe(1);
  expect(new Set(en.map((m) => m.requestId)).size).toBe(1);
  expect(ja.map((m) => m.message.type)).toEqual(['text', 'flex']);
  expect(en.map((m) => m.message.type)).toEqual(['text', 'flex']);
  expect(ja[0].message.text).toBe(jaText);
  expect(en[0].message.text).toBe(enText);
  expect(JSON.stringify(en[1].message)).toContain('Arao City Festival');
  expect(JSON.stringify(ja[1].message)).toContain('荒尾市民祭り');
  const detail = await admin.call('GET', `/deliveries/${deliveryId}`);
  expect(detail.body.delivery.status).toBe('sent');
  expect(detail.body.delivery.failed ?? 0).toBe(0);
  expect(detail.body.delivery.succeeded).toBe(detail.body.delivery.recipients);

  // Assert: the history lists it as 送信済み
  await page.getByRole('link', { name: '配信履歴' }).click();
  const row = page.getByRole('table', { name: '配信履歴' }).locator('tbody tr').filter({ hasText: title });
  await row.waitFor();
  expect(await row.textContent()).toContain('送信済み');
  expect(await row.textContent()).toContain(segmentName);
  await screenshot(page, '26-delivery-list.png', { fullPage: false });
});

test('a reservation is made with a confirmation and cancelled', async () => {
  // Arrange
  await page.goto('/deliveries/new');
  await page.getByLabel('タイトル').fill(`予約のテスト ${tag}`);
  await addBubble(page, 'text');
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill('明日のお知らせです。');
  await page.getByLabel('日時を指定').check();
  await page.getByLabel('日付', { exact: true }).fill(plusDays(jstToday(), 1));
  await page.getByLabel('時刻（日本時間）').fill('09:00');

  // Act
  await page.getByRole('button', { name: '予約する', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '予約の確認' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain(`に、${slash(plusDays(jstToday(), 1))} 09:00 に送ります。`);
  await dialog.getByRole('button', { name: '予約する' }).click();

  // Assert
  await page.waitForURL(/\/deliveries\/[0-9A-Z]{26}$/);
  await statusIs(page, '予約済み');
  const deliveryId = new URL(page.url()).pathname.split('/')[2];

  // Act: cancel, confirmed in the page's own dialog (as sending is)
  await page.getByRole('button', { name: '予約を取り消す' }).click();
  const confirm = page.getByRole('dialog', { name: '予約の取り消し' });
  await confirm.waitFor();
  expect(await confirm.textContent()).toContain(`${slash(plusDays(jstToday(), 1))} 09:00 に送る予定`);
  await confirm.getByRole('button', { name: '取り消す' }).click();

  // Assert
  await statusIs(page, '取り消し');
  expect(browserDialogs).toEqual([]);
  await page.getByText('予約を取り消しました。この配信は送られません。').waitFor();
  expect((await admin.call('GET', `/deliveries/${deliveryId}`)).body.delivery.status).toBe('cancelled');
});

test('a recurring rule shows the next 10 dates without a public holiday', async () => {
  // Arrange: a daily rule starting three days before the next public holiday (at least two days ahead)
  const holidays = new Set(Object.keys(holidayJp.holidays));
  const holiday = [...holidays]
    .sort()
    .find((d) => d >= plusDays(jstToday(), 5) && !holidays.has(plusDays(d, -1)) && !holidays.has(plusDays(d, 1)) && !holidays.has(plusDays(d, 2)))!;
  const start = plusDays(holiday, -3);
  await page.goto('/deliveries/recurring/new');
  await page.getByLabel('タイトル').fill(`毎朝のお知らせ ${tag}`);
  await page.getByLabel('くり返し', { exact: true }).selectOption('daily');
  await page.getByLabel('送る時刻（日本時間）').fill('07:00');
  await page.getByLabel('開始日').fill(start);
  await addBubble(page, 'text');
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill('おはようございます。今日のごみ収集のお知らせです。');
  const next = page.getByTestId('next-dates').locator('li');

  // Act: 祝日は送らない is on by default
  expect(await page.getByLabel('祝日は送らない').isChecked()).toBe(true);
  await page.waitForFunction((first) => document.querySelector('[data-testid="next-dates"] li')?.textContent?.startsWith(first) ?? false, slash(start));

  // Assert: 10 dates, the holiday skipped, the days around it kept
  let dates = await next.allTextContents();
  expect(dates).toHaveLength(10);
  expect(dates.some((d) => d.startsWith(slash(holiday)))).toBe(false);
  expect(dates.some((d) => d.startsWith(slash(plusDays(holiday, -1))))).toBe(true);
  expect(dates.some((d) => d.startsWith(slash(plusDays(holiday, 1))))).toBe(true);
  expect(dates.every((d) => d.endsWith('07:00'))).toBe(true);

  // Act: without the holiday rule the holiday comes back; an excluded date disappears
  await page.getByLabel('祝日は送らない').uncheck();
  await page.waitForFunction(
    (h) => Array.from(document.querySelectorAll('[data-testid="next-dates"] li')).some((li) => li.textContent?.startsWith(h)),
    slash(holiday),
  );
  await page.getByLabel('祝日は送らない').check();
  await page.getByLabel('除外する日に加える日').fill(plusDays(holiday, 1));
  await page.getByRole('group', { name: '除外する日' }).getByRole('button', { name: '追加' }).click();
  await page.waitForFunction(
    ([h, after]) => {
      const items = Array.from(document.querySelectorAll('[data-testid="next-dates"] li')).map((li) => li.textContent ?? '');
      return items.length === 10 && !items.some((t) => t.startsWith(h) || t.startsWith(after));
    },
    [slash(holiday), slash(plusDays(holiday, 1))],
  );
  dates = await next.allTextContents();
  expect(dates[0]).toMatch(/^\d{4}\/\d{2}\/\d{2}（[日月火水木金土]）07:00$/);
  await screenshot(page, '27-recurring-editor.png');

  // Act: create — the page's dialog states the audience (everyone) and the first run — then end it
  await page.getByRole('button', { name: '作成して開始する' }).click();
  const startDialog = page.getByRole('dialog', { name: 'くり返し配信の開始の確認' });
  await startDialog.waitFor();
  const startText = (await startDialog.textContent()) ?? '';
  expect(startText).toContain('配信先「全員」（友だち全員）');
  expect(startText).toMatch(new RegExp(`${slash(start)}（[日月火水木金土]）07:00 から`));
  await startDialog.getByText('友だち全員に届きます。').waitFor();
  await startDialog.getByRole('button', { name: '作成して開始する' }).click();
  await page.waitForURL(/\/deliveries\/recurring\/[0-9A-Z]{26}$/);
  await page.locator('.page-header').getByText('実行中').waitFor();
  await page.getByRole('button', { name: '終了する' }).click();
  await page.getByRole('dialog', { name: 'くり返し配信の終了' }).getByRole('button', { name: '終了する' }).click();

  // Assert
  await page.locator('.page-header').getByText('終了').waitFor();
  expect(browserDialogs).toEqual([]);
});

test('the history CSV has a BOM and the contract columns', async () => {
  // Arrange
  await page.goto('/deliveries');
  await page.getByRole('table', { name: '配信履歴' }).waitFor();

  // Act
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSVをダウンロード' }).click();
  const download = await downloading;
  const bytes = readFileSync((await download.path())!);

  // Assert
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  const header = csv
    .split(/\r?\n/)[0]
    .split(',')
    .map((h) => h.replace(/^"|"$/g, ''));
  expect(header).toEqual(['配信日時', 'タイトル', 'カテゴリ', '配信先', '状態', '対象人数', '成功', '失敗', '開封', 'クリック', '送信者', '承認者', '配信ID']);
  expect(csv).toContain(title);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
});

test('with approval required, a general account can only request; the administrator sends it back', async () => {
  // Arrange: the administrator turns approval on in 配信の設定
  await page.goto('/deliveries/settings');
  await page.getByLabel('承認を必須にする').check();
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByText(/保存しました。一般の職員は「承認を依頼」/).waitFor();
  const who = { loginId: uniqueId('haisin'), initial: strongPassword(), password: strongPassword('xy') };
  await admin.createStaff({ loginId: who.loginId, displayName: '配信 担当', role: 'general', permissions: ['deliveries'], initialPassword: who.initial });
  const first = await apiSession(who.loginId, who.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: who.initial, newPassword: who.password })).status).toBe(204);
  const self = await apiSession(who.loginId, who.password);
  const { context, page: general } = await newConsole(browser);
  await signIn(general, who.loginId, who.password);
  expect(await menuEntries(general)).toContain('配信');
  expect(await menuEntries(general)).not.toContain('セグメント');

  // Act: compose; only 承認を依頼 is offered
  await general.goto('/deliveries/new');
  await general.getByLabel('タイトル').fill(`承認のテスト ${tag}`);
  await addBubble(general, 'text');
  await general.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill('承認をお願いします。');
  expect(await general.getByRole('button', { name: '送信する', exact: true }).count()).toBe(0);
  await screenshot(general, '28-delivery-request.png', { fullPage: false });
  await general.getByRole('button', { name: '承認を依頼' }).click();

  // Assert: pending, and sending directly is refused by the API
  await general.waitForURL(/\/deliveries\/[0-9A-Z]{26}$/);
  await statusIs(general, '承認待ち');
  const deliveryId = new URL(general.url()).pathname.split('/')[2];
  expect(await general.getByRole('button', { name: '承認して送信' }).count()).toBe(0);
  const refused = await self.call('POST', `/deliveries/${deliveryId}/send`, {});
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('approval_required');
  await context.close();

  // Act: the administrator sends it back with a reason
  await page.goto(`/deliveries/${deliveryId}`);
  await page.getByRole('button', { name: '承認して送信' }).waitFor();
  await page.getByRole('button', { name: '差し戻し' }).click();
  await page.getByRole('textbox', { name: /差し戻しの理由/ }).fill('日付を書き加えてください。');
  await page.getByRole('button', { name: '差し戻す' }).click();

  // Assert
  await statusIs(page, '下書き');
  await page.getByText('理由: 日付を書き加えてください。').waitFor();
});
