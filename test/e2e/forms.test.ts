/**
 * アンケート: staff edit the city's profile form (add items, retire one, publish, preview in
 * English), a citizen answers it twice through the LIFF API (Japanese, then English with a photo),
 * staff see the counts, the answers with the photo, and download responses.csv (BOM, formula-safe).
 * A general account without `surveys` has no menu entry and gets 403 from the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { SCREENSHOT_DIR, apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, png, screenshot, signIn, strongPassword, uniqueId } from './support';

// Several screens and a citizen's round trip per test: the e2e project's 60 s, stated here too.
jest.setTimeout(60_000);

let browser: Browser;
let page: Page;
let formId = '';
const citizenName = `荒尾 花子${uniqueId('')}`;
const comment = '=SUM(1,2) 公園を増やしてほしい';
const browserDialogs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser, { acceptDownloads: true }));
  // The console never uses the browser's dialogs: one would fail the test.
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  const { adminLoginId, adminPassword } = consoleEnv();
  await signIn(page, adminLoginId, adminPassword);
});

afterAll(async () => {
  expect(browserDialogs).toEqual([]);
  await browser?.close();
});

/** A small green PNG, so the upload route's magic-byte check and the thumbnail both work. */
const PHOTO = png(48, [6, 128, 63]);

/** The card of one question in the editor, by its Japanese text. */
const itemCard = (text: string) => page.getByRole('region', { name: new RegExp(`^質問 \\d+ .*${text}$`) });

test('staff open the profile form, add questions, retire one, save and publish; the preview shows English', async () => {
  // Arrange
  await page.getByRole('link', { name: 'アンケート', exact: true }).click();
  await page.getByRole('heading', { name: 'アンケート・フォーム' }).waitFor();
  const list = page.getByRole('table', { name: 'フォーム一覧' });
  await list.waitFor();
  const profileRow = list.locator('tbody tr').filter({ hasText: 'プロフィール' });
  expect(await profileRow.count()).toBe(1);
  await screenshot(page, '10-forms-list.png');

  // Act: open it, add a free-text and a photo question (Japanese + English), retire 性別
  await profileRow.getByRole('link').first().click();
  await page.getByRole('tablist', { name: '編集する言語' }).waitFor();
  formId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
  await page.getByLabel('追加する質問の種類').selectOption({ label: '自由記述' });
  await page.getByRole('button', { name: '＋ 質問を追加' }).click();
  await page.locator('.item-card').last().getByLabel('質問文（日本語）').fill('市へのご意見');
  await page.getByLabel('追加する質問の種類').selectOption({ label: '画像' });
  await page.getByRole('button', { name: '＋ 質問を追加' }).click();
  await page.locator('.item-card').last().getByLabel('質問文（日本語）').fill('お住まいの地域の写真');
  await page.getByRole('tablist', { name: '編集する言語' }).getByRole('tab', { name: /英語/ }).click();
  expect(await itemCard('市へのご意見').getByText('未翻訳 (日本語で表示)').count()).toBeGreaterThan(0);
  await itemCard('市へのご意見').getByLabel('質問文（英語）').fill('Your opinion for the city');
  await itemCard('お住まいの地域の写真').getByLabel('質問文（英語）').fill('A photo of your area');
  await page
    .getByRole('tablist', { name: '編集する言語' })
    .getByRole('tab', { name: /日本語/ })
    .click();
  await itemCard('性別').getByRole('button', { name: 'この質問を非表示にする' }).click();
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/admin/forms/${formId}`) && r.request().method() === 'PUT');
  await page.getByRole('button', { name: '保存する' }).first().click();

  // Assert: saved, 性別 kept but hidden
  expect((await saved).status()).toBe(200);
  await page.getByText(/保存しました（版 \d+）/).waitFor();
  expect(await itemCard('性別').getByRole('button', { name: 'この質問を表示に戻す' }).count()).toBe(1);

  // Act: publish (the standard profile form starts published: stop, then publish again)
  if ((await page.getByRole('button', { name: '非公開にする' }).count()) > 0) {
    await page.getByRole('button', { name: '非公開にする' }).click();
    // The console's own dialog asks first (never the browser's confirm box).
    const ask = page.getByRole('dialog', { name: 'フォームを非公開にしますか' });
    await ask.getByRole('button', { name: '非公開にする' }).click();
    await page.getByText('非公開にしました。').waitFor();
  }
  // The last change is named by the person, not the account.
  expect(await page.locator('.form-meta').getByText('（管理者）').count()).toBe(1);
  await page.getByRole('button', { name: '公開する' }).click();
  await page.getByText('公開しました。').waitFor();
  expect(await page.locator('.form-meta').getByText('公開中').count()).toBe(1);
  await screenshot(page, '11-form-editor.png', { fullPage: false });

  // Preview in English: translated texts, Japanese where untranslated, retired item absent
  await page.getByRole('button', { name: 'プレビュー', exact: true }).click();
  await page.getByRole('tablist', { name: 'プレビューの言語' }).getByRole('tab', { name: /英語/ }).click();
  const phone = page.getByRole('region', { name: 'プレビュー（英語）' });
  await phone.waitFor();
  const shown = (await phone.textContent()) ?? '';
  expect(shown).toContain('Your opinion for the city');
  expect(shown).toContain('Submit');
  expect(shown).not.toContain('性別');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.getByRole('region', { name: 'プレビュー', exact: true }).screenshot({ path: join(SCREENSHOT_DIR, '12-form-preview-en.png') });
});

test('a save over someone else’s newer version is refused with a plain message and a reload', async () => {
  // Arrange: another staff member saves first (same form, through the API)
  const { adminLoginId, adminPassword } = consoleEnv();
  const other = await apiSession(adminLoginId, adminPassword);
  const current = (await other.call('GET', `/forms/${formId}`)).body;
  const { formId: _id, kind: _k, status: _s, version, createdAt: _c, updatedAt: _u, updatedBy: _b, ...fields } = current;
  expect((await other.call('PUT', `/forms/${formId}`, { ...fields, expectedVersion: version })).status).toBe(200);

  // Act
  await page.getByLabel('説明（日本語）', { exact: true }).fill('変更が重なる例');
  await page.getByRole('button', { name: '保存する' }).first().click();

  // Assert
  await page.getByText('ほかの職員が、このフォームを先に保存しました。').waitFor();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await page.getByText('変更はすべて保存されています。').waitFor();
});

test('a citizen answers through the LIFF API in Japanese, then in English with a photo', async () => {
  // Arrange
  const sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  const base = consoleEnv().baseUrl;
  const { citizen } = await sim.createCitizen({ displayName: citizenName, language: 'ja', follow: true });
  const { idToken } = await sim.issueIdToken({ userId: citizen.userId });
  const auth = { authorization: `Bearer ${idToken}` };
  const admin = await apiSession(consoleEnv().adminLoginId, consoleEnv().adminPassword);
  const form = (await admin.call('GET', `/forms/${formId}`)).body as {
    items: { itemId: string; type: string; label: { ja: string }; retired: boolean; required: boolean; choices?: { choiceId: string; retired?: boolean }[] }[];
  };
  const byLabel = (ja: string) => form.items.find((i) => i.label.ja === ja)!;
  const answersWith = (pick: number, extra: Record<string, unknown>) => {
    const answers: Record<string, unknown> = {};
    for (const i of form.items.filter((x) => !x.retired && x.choices)) {
      const live = i.choices!.filter((c) => !c.retired);
      const c = live[Math.min(pick, live.length - 1)].choiceId;
      answers[i.itemId] = i.type === 'multiple' ? [c] : c;
    }
    return { ...answers, ...extra };
  };
  const localized = await fetch(`${base}/api/liff/forms/${formId}?lang=en`, { headers: auth });
  expect(localized.status).toBe(200);
  expect(JSON.stringify(await localized.json())).toContain('Your opinion for the city');

  // Act: Japanese first
  const first = await fetch(`${base}/api/liff/forms/${formId}/responses`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ lang: 'ja', consent: true, answers: answersWith(0, { [byLabel('市へのご意見').itemId]: '最初の回答' }) }),
  });
  expect(first.status).toBe(201);
  // then English, with a photo
  const photoItem = byLabel('お住まいの地域の写真').itemId;
  // Direct upload like the LIFF page: intent → PUT to the signed URL → complete.
  const intent = await fetch(`${base}/api/liff/uploads/intents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ formId, itemId: photoItem, contentType: 'image/png', bytes: PHOTO.length }),
  });
  expect(intent.status).toBe(201);
  const target = (await intent.json()) as { uploadId: string; url: string; headers: Record<string, string> };
  expect((await fetch(target.url, { method: 'PUT', headers: target.headers, body: new Uint8Array(PHOTO) })).status).toBe(200);
  const up = await fetch(`${base}/api/liff/uploads/${target.uploadId}/complete`, { method: 'POST', headers: auth });
  expect(up.status).toBe(201);
  const { uploadId } = (await up.json()) as { uploadId: string };
  const second = await fetch(`${base}/api/liff/forms/${formId}/responses`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ lang: 'en', consent: true, answers: answersWith(1, { [byLabel('市へのご意見').itemId]: comment, [photoItem]: uploadId }) }),
  });

  // Assert
  expect(second.status).toBe(201);
});

test('staff see the counts, the answer with its photo, and download responses.csv', async () => {
  // Act
  await page.goto(`/surveys/${formId}/responses`);
  await page.getByTestId('response-count').waitFor();

  // Assert: counts and charts
  expect(Number((await page.getByTestId('response-count').textContent())?.replace(/[^\d]/g, ''))).toBeGreaterThanOrEqual(1);
  expect(await page.getByRole('img', { name: /居住地区/ }).count()).toBe(1);
  const row = page.getByRole('table', { name: '回答一覧' }).locator('tbody tr').filter({ hasText: citizenName });
  await row.waitFor();
  const rowText = (await row.textContent()) ?? '';
  expect(rowText).toContain(comment); // the latest (English) answer, as text
  expect(rowText).toContain('英語'); // staff see the language in Japanese, as in the CSV
  const thumb = row.locator('img.thumb');
  await thumb.waitFor();
  await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await thumb.elementHandle());
  await screenshot(page, '13-form-responses.png');

  // Act: CSV
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSVダウンロード' }).click()]);
  const bytes = readFileSync(await download.path());

  // Assert: BOM, the citizen's row, the formula neutralised
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  expect(csv).toContain(citizenName);
  expect(csv).toContain('市へのご意見');
  expect(csv).not.toContain('最初の回答'); // one row per citizen: the latest answer
  expect(csv).not.toMatch(/(^|,)"?=SUM/m);
  expect(csv).toContain("'=SUM(1,2)");
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
});

test('a general account without アンケート has no menu entry and gets 403 from the forms API', async () => {
  // Arrange
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const who = { loginId: uniqueId('haisin'), displayName: '配信 担当', initial: strongPassword(), password: strongPassword('xy') };
  await admin.createStaff({ loginId: who.loginId, displayName: who.displayName, role: 'general', permissions: ['deliveries'], initialPassword: who.initial });
  const first = await apiSession(who.loginId, who.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: who.initial, newPassword: who.password })).status).toBe(204);

  // Act
  const self = await apiSession(who.loginId, who.password);
  const { context, page: other } = await newConsole(browser);
  await signIn(other, who.loginId, who.password);

  // Assert
  expect(await menuEntries(other)).not.toContain('アンケート');
  expect((await self.call('GET', '/forms')).status).toBe(403);
  expect((await self.call('GET', `/forms/${formId}/responses`)).status).toBe(403);
  await other.goto('/surveys');
  await other.getByText('この機能を使う権限がありません。').waitFor();
  await context.close();
});
