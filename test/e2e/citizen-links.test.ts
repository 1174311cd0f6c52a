/**
 * Citizens reach forms from the LINE simulator's phone page by tapping, as in LINE, and staff read
 * what they sent (defects 3, 4, 5 and the CSV round trip):
 * - the greeting's 登録する button opens the profile form signed in, in the citizen's LINE language;
 * - a delivery's button and a LIFF address in its text open a survey signed in (the click counter
 *   never hides a LIFF address) and the open is counted once per citizen;
 * - a rich menu area with the LIFF address opens it too;
 * - the console offers the LIFF address (https://liff.line.me/<liffId>/…) that works in both;
 * - a multi-line answer and a photo come back in the responses CSV, read as Excel reads it: one
 *   row, the photo a link into the console's view of that answer, which shows the photo.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, launchBrowser, newConsole, png, screenshot, signIn, uniqueId } from './support';

jest.setTimeout(120_000);

const T = (ja: string, en: string, zh: string) => ({ ja, en, ko: en, 'zh-Hans': zh, 'zh-Hant': zh });
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

let browser: Browser;
let staff: Awaited<ReturnType<typeof apiSession>>;
let liffId = '';
let surveyId = '';
let surveyTitle = '';
const sim = () => new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);

beforeAll(async () => {
  browser = await launchBrowser();
  const { adminLoginId, adminPassword } = consoleEnv();
  staff = await apiSession(adminLoginId, adminPassword);
  surveyTitle = `道路の損傷の通報 ${uniqueId('')}`;
  const survey = await staff.call('POST', '/forms', {
    kind: 'survey',
    title: T(surveyTitle, 'Report road damage', '道路損壞通報'),
    items: [
      {
        itemId: 'where',
        type: 'text',
        label: T('場所と様子', 'Place and what you see', '地點與情況'),
        required: true,
        text: { multiline: true, maxLength: 500 },
      },
      { itemId: 'photo', type: 'image', label: T('写真', 'Photo', '照片'), required: false },
    ],
  });
  expect(survey.status).toBe(201);
  surveyId = survey.body.formId;
  expect((await staff.call('POST', `/forms/${surveyId}/publish`)).status).toBe(200);
  liffId = (await staff.call('GET', '/forms')).body.liffId;
  expect(liffId).toMatch(/^\d{10}-[A-Za-z0-9]{8}$/);
});

afterAll(async () => {
  await browser?.close();
});

async function phone(hash = ''): Promise<{ context: BrowserContext; page: Page; tap: (l: Locator) => Promise<void> }> {
  const context = await browser.newContext({ ...PHONE, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${process.env.IT_SIMULATOR_URL}/${hash}`);
  return { context, page, tap: (l) => l.tap() };
}

const timeline = (page: Page) => page.getByRole('log', { name: 'トーク' });

/** The LIFF view the phone opened: the overlay and the page inside it. */
async function liffView(page: Page): Promise<FrameLocator> {
  await page.getByRole('dialog', { name: /^LIFF/ }).waitFor();
  return page.frameLocator('#liff-frame');
}

test('the greeting’s button opens the profile form signed in, in the citizen’s LINE language (English)', async () => {
  const { context, page, tap } = await phone();
  try {
    const name = `Emma ${uniqueId('')}`;
    await tap(page.getByRole('textbox', { name: '表示名' }));
    await page.getByRole('textbox', { name: '表示名' }).fill(name);
    await page.getByRole('combobox', { name: '言語' }).selectOption('en');
    await tap(page.getByRole('button', { name: '友だち追加', exact: true }));
    // The English greeting promises only what exists: a button to register, no menu.
    await timeline(page)
      .locator('.row.account', { hasText: `Hello ${name}` })
      .waitFor({ timeout: 30_000 });
    expect(await timeline(page).getByText(/menu/i).count()).toBe(0);
    await tap(timeline(page).getByRole('button', { name: 'Register' }));

    const form = await liffView(page);
    await form.getByRole('heading', { level: 1, name: 'Profile registration' }).waitFor();
    expect(await form.locator('html').getAttribute('lang')).toBe('en');
    // Signed in: the form itself, with its send button (not the "open it from LINE" screen).
    await form.getByRole('button', { name: 'Send' }).waitFor();
    await screenshot(page, 'liff-greeting-register-en.png', { fullPage: false });
  } finally {
    await context.close();
  }
});

test('a delivery’s button, a LIFF address in its text and a rich menu area all open the survey signed in; opens are counted', async () => {
  // Arrange: a citizen reading LINE in Traditional Chinese, and a delivery to that language only.
  const { citizen } = await sim().createCitizen({ displayName: `陳 小姐 ${uniqueId('')}`, language: 'zh-Hant' });
  await sim().waitForReceived(citizen.userId, (m) => m.length > 0, 30_000);
  const formUrl = `https://liff.line.me/${liffId}/forms/${surveyId}`;
  const title = `通報のお願い ${uniqueId('')}`;
  const bubbles = (text: string, label: string) => [
    { type: 'text', text: `${text}\n${formUrl}` },
    { type: 'link', text, label, url: formUrl },
  ];
  const created = await staff.call('POST', '/deliveries', {
    title,
    category: '市政',
    variants: [
      { lang: 'ja', bubbles: bubbles('道路の損傷を見つけたら、こちらから通報してください。', '通報する') },
      { lang: 'zh-Hant', bubbles: bubbles('發現道路損壞時，請由此通報。', '通報') },
    ],
    audience: { rule: { match: 'all', conditions: [{ kind: 'language', values: ['zh-Hant'] }] } },
    timing: { kind: 'now' },
  });
  expect(created.status).toBe(201);
  const deliveryId = created.body.deliveryId ?? created.body.delivery?.deliveryId;
  expect((await staff.call('POST', `/deliveries/${deliveryId}/send`, {})).status).toBeLessThan(300);
  const received = await sim().waitForReceived(citizen.userId, (m) => m.some((x) => JSON.stringify(x.message).includes('發現道路損壞')), 30_000);
  // LINE gets the LIFF address itself (with the click reference), never the click redirect.
  const sent = JSON.stringify(received.map((r) => r.message));
  expect(sent).toContain(`https://liff.line.me/${liffId}/forms/${surveyId}?clk=${deliveryId}.0`);
  expect(sent).not.toContain('/r/');

  // A rich menu with the same address, linked to this citizen (as LINE's console or the API would).
  const token = process.env.IT_CHANNEL_ACCESS_TOKEN!;
  const api = (path: string, body?: unknown) =>
    fetch(`${process.env.IT_SIMULATOR_URL}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const menu = (await (
    await api('/v2/bot/richmenu', {
      size: { width: 2500, height: 843 },
      selected: true,
      name: '市への通報',
      chatBarText: 'メニュー',
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: 'uri', label: '道路の通報', uri: formUrl } }],
    })
  ).json()) as { richMenuId: string };
  expect((await api(`/v2/bot/user/${citizen.userId}/richmenu/${menu.richMenuId}`)).status).toBe(200);

  const { context, page, tap } = await phone(`#citizen=${citizen.userId}`);
  try {
    const log = timeline(page);
    // 1. The message's button: the survey in the citizen's language, signed in.
    await tap(log.getByRole('button', { name: '通報' }).last());
    let form = await liffView(page);
    await form.getByRole('heading', { level: 1, name: '道路損壞通報' }).waitFor();
    await form.getByLabel('地點與情況').waitFor();
    await screenshot(page, 'liff-delivery-button-zh.png', { fullPage: false });
    await tap(page.getByRole('button', { name: /閉じる/ }));

    // 2. The address in the text bubble.
    await tap(log.getByRole('link', { name: new RegExp(`liff\\.line\\.me/${liffId}`) }).last());
    form = await liffView(page);
    await form.getByRole('heading', { level: 1, name: '道路損壞通報' }).waitFor();
    await tap(page.getByRole('button', { name: /閉じる/ }));

    // 3. The rich menu area.
    await tap(page.getByRole('group', { name: '市への通報' }).getByRole('button', { name: '道路の通報' }));
    form = await liffView(page);
    await form.getByRole('heading', { level: 1, name: '道路損壞通報' }).waitFor();

    // Opens from the delivery count once for this citizen (two links of it were opened, each once).
    const detail = await staff.call('GET', `/deliveries/${deliveryId}`);
    const clicks = (detail.body.links as { url: string; clicks: number }[]).find((l) => l.url === formUrl);
    expect(clicks?.clicks).toBe(1);
  } finally {
    await context.close();
  }
});

test('a multi-line answer and a photo come back in the CSV as one row, and its link opens the answer with the photo', async () => {
  // The console offers the address that works in LINE and in the simulator alike.
  const { context: consoleContext, page: consolePage } = await newConsole(browser);
  try {
    await signIn(consolePage, consoleEnv().adminLoginId, consoleEnv().adminPassword);
    await consolePage.goto(`/surveys/${surveyId}`);
    const offered = await consolePage.getByRole('textbox', { name: '回答ページのアドレス' }).first().inputValue();
    expect(offered).toBe(`https://liff.line.me/${liffId}/forms/${surveyId}`);

    // A citizen answers from the phone, typing two lines and attaching a photo.
    const name = `荒尾 太郎 ${uniqueId('')}`;
    const { citizen } = await sim().createCitizen({ displayName: name, language: 'ja' });
    await sim().waitForReceived(citizen.userId, (m) => m.length > 0, 30_000);
    // The account sends the offered address in a message (as staff would in a chat), and the citizen taps it.
    const token = process.env.IT_CHANNEL_ACCESS_TOKEN!;
    await fetch(`${process.env.IT_SIMULATOR_URL}/v2/bot/message/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        to: citizen.userId,
        messages: [
          {
            type: 'template',
            altText: '通報',
            template: { type: 'buttons', text: '道路の損傷の通報', actions: [{ type: 'uri', label: '通報する', uri: offered }] },
          },
        ],
      }),
    });
    const { context, page, tap } = await phone(`#citizen=${citizen.userId}`);
    const twoLines = '荒尾駅前の交差点、\n横断歩道の手前に深い穴があります。';
    try {
      await tap(timeline(page).getByRole('button', { name: '通報する' }));
      const form = await liffView(page);
      await form.getByRole('heading', { level: 1, name: surveyTitle }).waitFor();
      await form.getByLabel('場所と様子').fill(twoLines);
      await form.locator('input[type=file]').setInputFiles({ name: 'road.png', mimeType: 'image/png', buffer: png() });
      await form.getByText('アップロードしました', { exact: false }).waitFor();
      await tap(form.getByRole('button', { name: '送信する' }));
      await form.getByRole('heading', { name: 'ご回答ありがとうございました' }).waitFor();
    } finally {
      await context.close();
    }

    // Staff: the newest answer is on top of the list; the CSV read as Excel reads it.
    await consolePage.goto(`/surveys/${surveyId}/responses`);
    const firstRow = consolePage.getByRole('table', { name: '回答一覧' }).locator('tbody tr').first();
    await firstRow.filter({ hasText: name }).waitFor();
    const [download] = await Promise.all([consolePage.waitForEvent('download'), consolePage.getByRole('button', { name: 'CSVダウンロード' }).click()]);
    const csv = readFileSync(await download.path()).toString('utf8');
    const rows = parse(csv, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }) as string[][];
    const header = rows[0];
    const mine = rows.filter((r) => r[header.indexOf('LINE表示名')] === name);
    expect(mine).toHaveLength(1);
    expect(mine[0][header.indexOf('場所と様子')]).toBe(twoLines);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const photoLink = mine[0][header.indexOf('写真')];
    expect(photoLink).toBe(`${consoleEnv().baseUrl}/surveys/${surveyId}/responses/${citizen.userId}#item-photo`);

    // The link opens the answer with the photo — after signing in, for someone signed out.
    const { context: fresh, page: reader } = await newConsole(browser);
    try {
      await reader.goto(photoLink);
      await reader.getByRole('heading', { name: 'サインイン' }).waitFor();
      await reader.getByLabel('ログインID').fill(consoleEnv().adminLoginId);
      await reader.getByLabel('パスワード', { exact: true }).fill(consoleEnv().adminPassword);
      await reader.getByRole('button', { name: 'サインイン', exact: true }).click();
      await reader.getByRole('heading', { name: `${name} さんの回答` }).waitFor();
      const photo = reader.locator('#item-photo img');
      await photo.waitFor();
      await reader.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await photo.elementHandle());
      expect(await reader.locator('#item-where dd').innerText()).toBe(twoLines);
      await screenshot(reader, '14-form-answer.png');
    } finally {
      await fresh.close();
    }
  } finally {
    await consoleContext.close();
  }
});
