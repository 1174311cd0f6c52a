/**
 * The citizen LIFF pages (liff-web) in a phone-sized Chromium, opened as the simulator's overlay
 * opens them (`#sim_id_token=…`): the profile form answered in Japanese; a survey switched to
 * English with answers kept, localized client and server validation messages, a photo upload,
 * a changed answer prefilled on return; and the closed / unknown form / invalid token screens.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, launchBrowser, png, uniqueId } from './support';

jest.setTimeout(60_000);

const T = (ja: string, en: string) => ({ ja, en, ko: en, 'zh-Hans': en, 'zh-Hant': en });

let browser: Browser;
let context: BrowserContext;
let page: Page;
let surveyId = '';
let closedId = '';
let hash = '';

beforeAll(async () => {
  // Arrange: a survey of our own (the profile form is edited by other tests) and a closed one.
  const { adminLoginId, adminPassword } = consoleEnv();
  const staff = await apiSession(adminLoginId, adminPassword);
  const survey = await staff.call('POST', '/forms', {
    kind: 'survey',
    title: T(`道路の破損の通報 ${uniqueId('')}`, 'Report road damage'),
    items: [
      { itemId: 'place', type: 'text', label: T('場所', 'Place'), required: true, text: { maxLength: 40 } },
      { itemId: 'phone', type: 'text', label: T('電話番号', 'Phone number'), required: false, text: { charset: 'numeric', minLength: 10, maxLength: 11 } },
      {
        itemId: 'kind',
        type: 'single',
        label: T('種類', 'Kind'),
        required: true,
        choices: [
          { choiceId: 'hole', label: T('穴', 'Hole') },
          { choiceId: 'crack', label: T('ひび割れ', 'Crack') },
        ],
      },
      { itemId: 'photo', type: 'image', label: T('写真', 'Photo'), required: true },
    ],
  });
  expect(survey.status).toBe(201);
  surveyId = survey.body.formId;
  expect((await staff.call('POST', `/forms/${surveyId}/publish`)).status).toBe(200);
  const closed = await staff.call('POST', '/forms', {
    kind: 'survey',
    title: T('夏祭りアンケート', 'Summer festival survey'),
    opensAt: '2025-07-01T00:00:00+09:00',
    closesAt: '2025-08-01T00:00:00+09:00',
    items: [{ type: 'single', label: T('参加しましたか', 'Did you come?'), required: true, choices: [{ label: T('はい', 'Yes') }] }],
  });
  closedId = closed.body.formId;
  await staff.call('POST', `/forms/${closedId}/publish`);

  const sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  const { citizen } = await sim.createCitizen({ displayName: `荒尾 花子${uniqueId('')}`, language: 'ja' });
  const { idToken } = await sim.issueIdToken({ userId: citizen.userId });
  hash = `#sim_id_token=${idToken}&sim_liff_id=2000000000-civic`;

  browser = await launchBrowser();
  context = await browser.newContext({
    baseURL: consoleEnv().baseUrl,
    viewport: { width: 390, height: 844 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    hasTouch: true,
  });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

test('a citizen answers the profile form in Japanese and sees it prefilled afterwards', async () => {
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  await page.goto(`/liff/forms/profile${hash}`);
  await page.getByRole('heading', { level: 1, name: 'プロフィール登録' }).waitFor();
  // The simulator path never loads the LIFF SDK chunk.
  expect(scripts.some((s) => s.includes('line-sdk'))).toBe(false);

  // Client-side check first: nothing chosen yet.
  await page.getByRole('button', { name: '送信する' }).click();
  await expect(page.getByRole('alert').first().textContent()).resolves.toContain('入力内容を確認してください');

  // Answer whatever the form asks now (other tests may edit it): first choice of everything.
  for (const select of await page.locator('form select').all()) await select.selectOption({ index: 1 });
  for (const group of await page.locator('fieldset.field:not(.consent)').all()) await group.locator('label.choice').first().click();
  for (const input of await page.locator('form input[type=text]').all()) await input.fill('1234567890');
  const consent = page.getByLabel('上記の内容に同意します');
  if (await consent.count()) await consent.check();

  const answer = page.waitForResponse((r) => r.url().includes('/api/liff/forms/') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '送信する' }).click();
  expect((await answer).status()).toBe(201);
  await page.getByRole('heading', { name: 'ご回答ありがとうございました' }).waitFor();

  await page.getByRole('button', { name: '回答を見直す' }).click();
  await page.getByText('前回の回答を表示しています').waitFor();
  const district = page.getByLabel('居住地区');
  if (await district.count()) expect(await district.inputValue()).not.toBe('');
});

test('switching to English keeps answers, shows localized errors, uploads a photo and saves a changed answer', async () => {
  await page.goto(`/liff/forms/${surveyId}${hash}`);
  await page.getByRole('heading', { level: 1, name: /道路の破損の通報/ }).waitFor();
  await page.getByLabel('場所').fill('荒尾市役所前の交差点');
  await page.getByText('穴', { exact: true }).click();
  // Full-width digits from a Japanese keyboard become half-width; too short is caught in the page.
  await page.getByLabel('電話番号').fill('０９６８');
  await page.getByLabel('電話番号').blur();
  expect(await page.getByLabel('電話番号').inputValue()).toBe('0968');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Report road damage' }).waitFor();
  expect(await page.getByLabel('Place').inputValue()).toBe('荒尾市役所前の交差点');
  expect(await page.getByLabel('Hole').isChecked()).toBe(true);

  await page.getByRole('button', { name: 'Send' }).click();
  const summary = page.locator('#summary');
  await summary.waitFor();
  expect(await summary.innerText()).toContain('Please check your answers (2)');
  expect(await summary.innerText()).toContain('Phone number: Please enter at least 10 characters');
  expect(await summary.innerText()).toContain('Photo: Please choose a file');

  // The photo: intent, the bytes PUT straight to the signed storage URL (not through the API), complete; preview and "Uploaded".
  const intent = page.waitForResponse((r) => r.url().includes('/api/liff/uploads/intents') && r.request().method() === 'POST');
  const put = page.waitForRequest((r) => r.url().includes('/__local/blobs/') && r.method() === 'PUT');
  const completed = page.waitForResponse((r) => /\/api\/liff\/uploads\/[^/]+\/complete/.test(r.url()) && r.request().method() === 'POST');
  await page.locator('input[type=file]').setInputFiles({ name: 'road.png', mimeType: 'image/png', buffer: png() });
  expect((await intent).status()).toBe(201);
  const sent = await put;
  expect(sent.headers()['content-type']).toBe('image/png');
  expect(sent.headers().authorization).toBeUndefined(); // the ID token never goes to storage
  expect((await sent.response())!.status()).toBe(200);
  const done = await completed;
  expect(done.status()).toBe(201);
  expect(await done.json()).toMatchObject({ contentType: 'image/png', bytes: png().length });
  await page.getByText('Uploaded', { exact: false }).waitFor();
  expect(await page.locator('.upload-card img').count()).toBe(1);

  // The server is the authority: a value the page would refuse, sent anyway, comes back per field in English.
  await page.getByLabel('Phone number').fill('0968631234');
  await page.route(
    /\/responses/,
    async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      body.answers.phone = '12';
      await route.continue({ postData: JSON.stringify(body) });
    },
    { times: 1 },
  );
  const refused = page.waitForResponse((r) => r.url().includes('/responses'));
  await page.getByRole('button', { name: 'Send' }).click();
  expect((await refused).status()).toBe(400);
  await page.locator('.field.has-error .field-error').first().waitFor();
  expect(await page.locator('.field.has-error .field-error').first().innerText()).toMatch(/at least 10/i);

  // Change an answer and send for real.
  await page.getByText('Crack', { exact: true }).click();
  const saved = page.waitForResponse((r) => r.url().includes('/responses'));
  await page.getByRole('button', { name: 'Send' }).click();
  expect((await saved).status()).toBe(201);
  await page.getByRole('heading', { name: 'Thank you for your answers' }).waitFor();

  await page.getByRole('button', { name: 'Review my answers' }).click();
  await page.getByText('Your previous answers are shown').waitFor();
  expect(await page.getByLabel('Crack').isChecked()).toBe(true);
  expect(await page.getByLabel('Phone number').inputValue()).toBe('0968631234');
  await page.locator('.upload-card img').waitFor();

  // Back to Japanese for the next test (the choice is remembered by the page).
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: '送信する' }).waitFor();
});

test('closed form, unknown form and an invalid token each get their own screen', async () => {
  await page.goto(`/liff/forms/${closedId}${hash}`);
  await page.getByRole('heading', { name: '受付期間外です' }).waitFor();
  expect(await page.getByText('夏祭りアンケート').count()).toBe(1);

  await page.goto(`/liff/forms/NOSUCHFORM?x=1${hash}`);
  await page.getByRole('heading', { name: 'このフォームは公開されていません' }).waitFor();

  await page.goto(`/liff/forms/${surveyId}?x=2#sim_id_token=aaa.bbb.ccc`);
  await page.getByRole('heading', { name: 'LINE からもう一度開いてください' }).waitFor();
});
