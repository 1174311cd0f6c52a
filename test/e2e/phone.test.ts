/**
 * The LINE simulator's phone page (simulator/phone-web), the staff's training environment, in
 * Chromium at phone size (390×844, touch) and at desktop size (1280×800), tapped like a person:
 *
 * 1. Against the whole local runtime: add a citizen, see the city's greeting arrive, send a text
 *    and see the answer, go back to the chat list and open another citizen; the chat always fits
 *    the screen (composer and timeline inside the viewport, no horizontal scrolling).
 * 2. Against a simulator of its own (a known access token, so the test can send the account's
 *    rich messages): flex, template, quick reply, rich menu, datetime and location dialogs, a
 *    sticker and an image, block/unblock, and the LIFF overlay with the citizen's token, LIFF ID
 *    and LINE language.
 *
 * Screenshots: test-results/phone/ (not tracked).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { startLineSimulator, type LineSimulator } from '../../simulator/index';
import { launchBrowser, uniqueId } from './support';

jest.setTimeout(120_000);

function screenshotDir(): string {
  const dir = join(process.cwd(), 'test-results', 'phone');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(screenshotDir(), name) });
}

const SIZES: Array<{ size: string; options: BrowserContextOptions }> = [
  { size: 'phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
  { size: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function open(
  options: BrowserContextOptions,
  url: string,
): Promise<{ context: BrowserContext; page: Page; tap: (l: Locator) => Promise<void>; errors: string[] }> {
  const context = await browser.newContext({ ...options, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A CSP refusal or a script error would show here (images of example.com may fail: not ours).
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  await page.goto(url);
  const tap = (l: Locator) => (options.hasTouch ? l.tap() : l.click());
  return { context, page, tap, errors };
}

const timeline = (page: Page) => page.getByRole('log', { name: 'トーク' });
const composerInput = (page: Page) => page.getByRole('textbox', { name: 'メッセージ' });
const sendButton = (page: Page) => page.getByRole('button', { name: '送信', exact: true });
const listScreen = (page: Page) => page.getByRole('complementary', { name: 'トーク一覧' });

/** The chat is fully usable: header, timeline, composer inside the viewport; nothing scrolls sideways; taps ≥ 44 px. */
async function expectChatFits(page: Page): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const parts: Array<[string, Locator]> = [
    ['header', page.locator('.chat-header')],
    ['timeline', timeline(page)],
    ['message box', composerInput(page)],
    ['send button', sendButton(page)],
    ['attachments button', page.getByRole('button', { name: '画像・位置情報・スタンプを送る' })],
  ];
  for (const [what, locator] of parts) {
    const box = await locator.boundingBox();
    expect([what, box !== null]).toEqual([what, true]);
    const inside = box!.x >= 0 && box!.y >= 0 && box!.x + box!.width <= width + 0.5 && box!.y + box!.height <= height + 0.5;
    expect([what, box, inside]).toEqual([what, box, true]);
  }
  expect((await timeline(page).boundingBox())!.height).toBeGreaterThan(200);
  for (const locator of [sendButton(page), composerInput(page)]) expect((await locator.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  expect(await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])).toEqual([width, width]);
  // The newest message is in view (the timeline follows the conversation).
  const last = timeline(page).locator('.row').last();
  const lastBox = await last.boundingBox();
  const logBox = (await timeline(page).boundingBox())!;
  expect(lastBox!.y + lastBox!.height).toBeLessThanOrEqual(logBox.y + logBox.height + 1);
}

describe.each(SIZES)('the phone page against the local runtime at $size size', ({ size, options }) => {
  const sim = () => new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);

  test('adds a citizen, sees the greeting, chats, goes back to the list and opens another citizen', async () => {
    // Arrange: another citizen the trainee will open later (created through the control API).
    const otherName = `研修 次郎${uniqueId('')}`;
    const other = (await sim().createCitizen({ displayName: otherName, language: 'ja' })).citizen;
    await sim().waitForReceived(other.userId, (m) => m.length > 0, 30_000);

    const { context, page, tap, errors } = await open(options, `${process.env.IT_SIMULATOR_URL}/`);
    try {
      const narrow = size === 'phone';
      await listScreen(page).waitFor();
      if (narrow) {
        // LINE's chat list: its own screen; no chat yet.
        await page.getByRole('heading', { name: 'トーク一覧' }).waitFor();
        expect(await timeline(page).isVisible()).toBe(false);
        await shot(page, `${size}-0-list.png`);
      } else {
        expect(await timeline(page).isVisible()).toBe(true);
        expect(await page.getByRole('button', { name: 'トーク一覧に戻る' }).isVisible()).toBe(false);
      }

      // Add a friend: name and LINE language, then "友だち追加".
      const name = `研修 花子${uniqueId('')}`;
      await tap(page.getByRole('textbox', { name: '表示名' }));
      await page.getByRole('textbox', { name: '表示名' }).fill(name);
      await page.getByRole('combobox', { name: '言語' }).selectOption('ja');
      await tap(page.getByRole('button', { name: '友だち追加', exact: true }));

      // The chat opens (full screen on a phone) and the city's greeting arrives.
      await page.locator('#chat-as', { hasText: name }).waitFor();
      if (narrow) await listScreen(page).waitFor({ state: 'hidden' });
      await timeline(page).locator('.row.account', { hasText: '友だち追加いただき' }).waitFor({ timeout: 30_000 });
      expect(
        await timeline(page)
          .locator('.row.account', { hasText: `${name}さん` })
          .count(),
      ).toBe(1);
      const userId = /#citizen=(U[0-9a-f]{32})/.exec(page.url())?.[1];
      expect(userId).toBeDefined();
      // Reading the chat marks the greeting opened (LINE's statistics).
      await sim().waitForReceived(userId!, (m) => m.length > 0 && m.every((x) => x.openedAt !== undefined), 10_000);

      // Send a text; it shows on the right, the account answers on the left.
      const question = `粗大ごみの出し方を教えてください（${size}）`;
      await tap(composerInput(page));
      await composerInput(page).fill(question);
      await tap(sendButton(page));
      await timeline(page).locator('.row.citizen', { hasText: question }).waitFor();
      expect(await composerInput(page).inputValue()).toBe('');
      const answer = timeline(page).locator(`.row.citizen:has-text("${question}") ~ .row.account`);
      await answer.first().waitFor({ timeout: 30_000 });
      await page.getByRole('status').filter({ hasText: 'Webhook 応答: 200 (OK)' }).waitFor();
      await page.waitForTimeout(300); // the timeline's scroll settles
      await expectChatFits(page);
      await shot(page, `${size}-1-chat.png`);

      // Back to the chat list (on a desktop it is always on the left) and open the other citizen.
      if (narrow) {
        await tap(page.getByRole('button', { name: 'トーク一覧に戻る' }));
        await listScreen(page).waitFor();
        expect(await timeline(page).isVisible()).toBe(false);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      }
      expect(await listScreen(page).getByRole('button', { name }).count()).toBe(1); // newest first: the new friend is listed
      await tap(page.getByRole('searchbox', { name: '市民を検索' }));
      await page.getByRole('searchbox', { name: '市民を検索' }).fill(otherName);
      const entry = listScreen(page).getByRole('button', { name: otherName });
      await listScreen(page).getByRole('button', { name }).waitFor({ state: 'detached' });
      expect(await entry.count()).toBe(1);
      if (narrow) await shot(page, `${size}-2-list.png`);
      await tap(entry);

      await page.locator('#chat-as', { hasText: otherName }).waitFor();
      await timeline(page)
        .locator('.row.account', { hasText: `${otherName}さん` })
        .waitFor();
      expect(await timeline(page).getByText(question).count()).toBe(0);
      expect(page.url()).toContain(`#citizen=${other.userId}`);
      await page.waitForTimeout(300);
      await expectChatFits(page);
      await shot(page, `${size}-3-other-citizen.png`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

// ---- 2. the account's rich messages and LINE actions, against a simulator of this test's own ----

const TOKEN = 'phone-test-token';
const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const LIFF_ID = '2000000000-civic';

interface Harness {
  sim: LineSimulator;
  client: LineSimulatorClient;
  events: Array<Record<string, any>>;
  liffBase: string;
  push: (to: string, messages: unknown[]) => Promise<void>;
  close: () => Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A simulator whose webhook answers every event with an echo, and a tiny LIFF app that can close itself. */
async function startHarness(): Promise<Harness> {
  const events: Array<Record<string, any>> = [];
  let simUrl = '';
  const call = async (path: string, body: unknown) => {
    const r = await fetch(`${simUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      res.end();
      for (const e of (JSON.parse(body) as { events: Array<Record<string, any>> }).events) {
        events.push(e);
        if (!e.replyToken) continue;
        const said =
          e.type === 'postback'
            ? `postback ${e.postback.data} ${JSON.stringify(e.postback.params ?? {})}`
            : e.type === 'message'
              ? `受信: ${e.message.text ?? e.message.type}`
              : 'ようこそ';
        void call('/v2/bot/message/reply', {
          replyToken: e.replyToken,
          messages: [
            { type: 'text', text: said, quickReply: { items: [{ type: 'action', action: { type: 'message', label: 'ごみの日', text: 'ごみの日はいつ？' } }] } },
          ],
        }).catch(() => undefined);
      }
    });
  });
  const liff = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><meta charset="utf-8"><title>LIFF</title><h1>フォーム</h1><button onclick="parent.postMessage({type:\'liff.closeWindow\'}, \'*\')">送信して閉じる</button>',
    );
  });
  const webhookUrl = await listen(webhook);
  const liffBase = `${await listen(liff)}/liff`;
  const sim = await startLineSimulator({
    port: 0,
    channelSecret: 'secret',
    channelAccessToken: TOKEN,
    loginChannelId: '2000000000',
    webhookUrl,
    liffApps: { [LIFF_ID]: liffBase },
  });
  simUrl = sim.url;
  return {
    sim,
    client: new LineSimulatorClient(sim.url),
    events,
    liffBase,
    push: async (to, messages) => void (await call('/v2/bot/message/push', { to, messages })),
    close: async () => {
      await sim.close();
      webhook.closeAllConnections();
      liff.closeAllConnections();
      await Promise.all([new Promise((r) => webhook.close(r)), new Promise((r) => liff.close(r))]);
    },
  };
}

describe('the phone page renders the account messages and runs LINE actions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('flex, templates, quick replies, rich menu, dialogs, stickers, images, block and the LIFF overlay at phone size', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'Emma 英語', language: 'en' });
    const other = (await h.client.createCitizen({ displayName: '荒尾 太郎' })).citizen;
    await h.push(citizen.userId, [
      {
        type: 'flex',
        altText: 'ごみの日',
        contents: {
          type: 'carousel',
          contents: [
            {
              type: 'bubble',
              body: {
                type: 'box',
                layout: 'vertical',
                spacing: 'md',
                contents: [
                  { type: 'text', text: '燃えるごみ', weight: 'bold', size: 'xl' },
                  {
                    type: 'box',
                    layout: 'baseline',
                    contents: [
                      { type: 'text', text: '収集日', color: '#aaaaaa', size: 'sm', flex: 1 },
                      { type: 'text', text: '毎週 月・木 <b>太字にならない</b>', wrap: true, size: 'sm', flex: 4 },
                    ],
                  },
                ],
              },
              footer: {
                type: 'box',
                layout: 'vertical',
                spacing: 'sm',
                contents: [
                  {
                    type: 'button',
                    style: 'primary',
                    action: { type: 'uri', label: 'プロフィール登録', uri: `https://liff.line.me/${LIFF_ID}/forms/profile?from=flex` },
                  },
                  {
                    type: 'button',
                    style: 'link',
                    height: 'sm',
                    action: { type: 'postback', label: '詳しく', data: 'detail=1', displayText: '詳しく知りたい' },
                  },
                ],
              },
            },
            { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '資源ごみ' }] } },
          ],
        },
      },
      {
        type: 'template',
        altText: '予約',
        template: {
          type: 'buttons',
          title: '窓口の予約',
          text: '日時を選んでください',
          actions: [{ type: 'datetimepicker', label: '日時を選ぶ', data: 'reserve=1', mode: 'date', initial: '2026-05-01' }],
        },
      },
    ]);
    const menu = await (
      await fetch(`${h.sim.url}/v2/bot/richmenu`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          size: { width: 2500, height: 843 },
          selected: true,
          name: 'メイン',
          chatBarText: 'メニュー',
          areas: [
            { bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'postback', label: '防災', data: 'menu=bousai', displayText: '防災情報' } },
            { bounds: { x: 1250, y: 0, width: 1250, height: 843 }, action: { type: 'location', label: '位置情報' } },
          ],
        }),
      })
    ).json();
    await fetch(`${h.sim.url}/v2/bot/user/all/richmenu/${menu.richMenuId}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });

    // The #citizen= deep link opens the chat straight away.
    const { context, page, tap, errors } = await open(SIZES[0]!.options, `${h.sim.url}/#citizen=${citizen.userId}`);
    try {
      const log = timeline(page);
      await page.locator('#chat-as', { hasText: 'Emma 英語（English）' }).waitFor();
      await log.getByText('燃えるごみ').waitFor();
      // Text from the account is text: no markup gets through.
      await log.getByText('毎週 月・木 <b>太字にならない</b>').waitFor();
      expect(await log.locator('b').count()).toBe(0);
      await shot(page, 'phone-4-rich-messages.png');

      // A flex postback button: the displayText is the citizen's message, the webhook gets the data.
      await tap(log.getByRole('button', { name: '詳しく' }));
      await log.locator('.row.citizen', { hasText: '詳しく知りたい' }).waitFor();
      await log.locator('.row.account', { hasText: 'postback detail=1 {}' }).waitFor();

      // The quick reply of the answer: one tap sends its text, the chips go away.
      await tap(page.getByRole('group', { name: 'クイックリプライ' }).getByRole('button', { name: 'ごみの日' }));
      await log.locator('.row.citizen', { hasText: 'ごみの日はいつ？' }).waitFor();
      await log.locator('.row.account', { hasText: '受信: ごみの日はいつ？' }).waitFor();

      // datetimepicker: the date dialog, then a postback with params.date.
      await tap(log.getByRole('button', { name: '日時を選ぶ' }));
      const dateDialog = page.getByRole('dialog', { name: '日時を選ぶ' });
      await dateDialog.waitFor();
      expect(await dateDialog.locator('input').inputValue()).toBe('2026-05-01');
      await dateDialog.locator('input').fill('2026-05-08');
      await tap(dateDialog.getByRole('button', { name: '決定' }));
      await log.locator('.row.account', { hasText: 'postback reserve=1 {"date":"2026-05-08"}' }).waitFor();

      // The rich menu: a postback area and a location area (location dialog → location card).
      const richMenu = page.getByRole('group', { name: 'メイン' });
      await tap(richMenu.getByRole('button', { name: '防災' }));
      await log.locator('.row.account', { hasText: 'postback menu=bousai {}' }).waitFor();
      await tap(richMenu.getByRole('button', { name: '位置情報' }));
      const locationDialog = page.getByRole('dialog', { name: '位置情報を送信' });
      await locationDialog.waitFor();
      await shot(page, 'phone-5-location-dialog.png');
      await tap(locationDialog.getByRole('button', { name: '送信' }));
      await log.locator('.row.citizen .location-card', { hasText: '荒尾市役所' }).waitFor();
      await log.locator('.row.account', { hasText: '受信: location' }).waitFor();
      expect(h.events.filter((e) => e.type === 'message' && e.message.type === 'location').map((e) => e.message.address)).toEqual(['熊本県荒尾市宮内出目390']);
      // "＋": a sticker and an image from the phone.
      await tap(page.getByRole('button', { name: '画像・位置情報・スタンプを送る' }));
      await shot(page, 'phone-5b-attachments.png');
      await tap(page.getByRole('group', { name: '送信するもの' }).getByRole('button', { name: 'スタンプを送る' }));
      const stickers = page.getByRole('dialog', { name: 'スタンプを送信' });
      await stickers.waitFor();
      await shot(page, 'phone-5c-stickers.png');
      await tap(stickers.getByRole('button', { name: 'ありがとう' }));
      await log.locator('.row.citizen .sticker', { hasText: 'm(_ _)m' }).waitFor();
      await log.locator('.row.account', { hasText: '受信: sticker' }).waitFor();
      await tap(page.getByRole('button', { name: '画像・位置情報・スタンプを送る' }));
      const chooser = page.waitForEvent('filechooser');
      await tap(page.getByRole('button', { name: '画像を送る' }));
      await (await chooser).setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG });
      await log.locator('.row.citizen img[alt="送信した画像"]').waitFor();
      await log.locator('.row.account', { hasText: '受信: image' }).waitFor();
      const image = h.events.find((e) => e.type === 'message' && e.message.type === 'image');
      const content = await fetch(`${h.sim.url}/v2/bot/message/${image!.message.id}/content`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(Buffer.from(await content.arrayBuffer())).toEqual(ONE_PIXEL_PNG);

      // Typing folds the rich menu away (the keyboard needs the room), its bar unfolds it.
      await tap(composerInput(page));
      await richMenu.waitFor({ state: 'hidden' });
      await tap(page.getByRole('button', { name: 'メニュー ▲' }));
      await richMenu.waitFor();

      // LIFF: the overlay covers the whole phone screen with the citizen's token, LIFF ID and LINE language.
      await tap(log.getByRole('button', { name: 'プロフィール登録' }));
      const overlay = page.getByRole('dialog', { name: /^LIFF/ });
      await overlay.waitFor();
      expect(await overlay.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
      const frame = page.frameLocator('#liff-frame');
      await frame.getByRole('heading', { name: 'フォーム' }).waitFor();
      const liffUrl = new URL(
        page
          .frames()
          .find((f) => f.url().startsWith(h.liffBase))!
          .url(),
      );
      expect(liffUrl.pathname + liffUrl.search).toBe('/liff/forms/profile?from=flex');
      const fragment = new URLSearchParams(liffUrl.hash.slice(1));
      expect(fragment.get('sim_liff_id')).toBe(LIFF_ID);
      expect(fragment.get('sim_lang')).toBe('en');
      const verified = await fetch(`${h.sim.url}/oauth2/v2.1/verify`, {
        method: 'POST',
        body: new URLSearchParams({ id_token: fragment.get('sim_id_token')!, client_id: '2000000000' }),
      });
      expect(((await verified.json()) as { sub: string }).sub).toBe(citizen.userId);
      await shot(page, 'phone-6-liff-overlay.png');
      // liff.closeWindow() (a postMessage from the page) closes it.
      await tap(frame.getByRole('button', { name: '送信して閉じる' }));
      await overlay.waitFor({ state: 'hidden' });

      // Block: the header says so and the composer is off; unblock brings it back (follow event).
      await tap(page.getByRole('button', { name: 'ブロック', exact: true }));
      await page.getByRole('note').filter({ hasText: 'ブロックしています' }).waitFor();
      expect(await composerInput(page).isDisabled()).toBe(true);
      await tap(page.getByRole('button', { name: 'ブロック解除' }));
      await page.getByRole('button', { name: 'ブロック', exact: true }).waitFor();
      expect(await composerInput(page).isDisabled()).toBe(false);
      expect(
        h.events
          .filter((e) => e.source?.userId === citizen.userId)
          .map((e) => e.type)
          .slice(-2),
      ).toEqual(['unfollow', 'follow']);

      // Nothing wider than a small phone (360 px), carousels scroll inside themselves.
      await page.setViewportSize({ width: 360, height: 640 });
      await page.waitForTimeout(200);
      await expectChatFits(page);
      await shot(page, 'phone-7-360.png');

      // Browser "back" returns to the list; the other citizen's chat shows theirs only.
      await tap(page.getByRole('button', { name: 'トーク一覧に戻る' }));
      await listScreen(page).waitFor();
      expect(page.url()).not.toContain('#citizen=');
      await tap(listScreen(page).getByRole('button', { name: '荒尾 太郎' }));
      await page.locator('#chat-as', { hasText: '荒尾 太郎' }).waitFor();
      await log.locator('.row.account', { hasText: 'ようこそ' }).waitFor();
      expect(await log.getByText('燃えるごみ').count()).toBe(0);
      await page.goBack();
      await listScreen(page).waitFor();
      expect(other.userId).toMatch(/^U/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
