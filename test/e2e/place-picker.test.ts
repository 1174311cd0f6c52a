/**
 * The report's place by a map pin: a citizen on the simulator's phone page (390 px, touch) reaches
 * the place question of 通報, taps 「地図で選ぶ」, drops a pin on the LIFF page's map and taps
 * 「この場所を送る」; the page closes and the chat shows the citizen's own location message (LINE's
 * liff.sendMessages), which the scenario takes as the answer and asks the next question.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { launchBrowser, screenshot, uniqueId } from './support';

jest.setTimeout(120_000);

let browser: Browser;
let phones: BrowserContext;
let phone: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  phones = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  phones.setDefaultTimeout(20_000);
  const sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  const name = `地図 花子${uniqueId('')}`;
  const { citizen } = await sim.createCitizen({ displayName: name, language: 'ja', follow: true });
  phone = await phones.newPage();
  phone.on('pageerror', (e) => pageErrors.push(e.message));
  await phone.goto(`${process.env.IT_SIMULATOR_URL}/#citizen=${citizen.userId}`);
  await phone.locator('#chat-as', { hasText: name }).waitFor();
});

afterAll(async () => {
  await browser?.close();
});

test('a pin dropped on the map page arrives as the citizen location message and answers the place question', async () => {
  const log = phone.getByRole('log', { name: 'トーク' });
  const chips = phone.getByRole('group', { name: 'クイックリプライ' });
  await phone.getByLabel('メッセージ').fill('通報');
  await phone.getByRole('button', { name: '送信' }).tap();
  await log.locator('.row.account', { hasText: 'どの種類ですか' }).waitFor({ timeout: 30_000 });
  await chips.getByRole('button', { name: '公園' }).tap();
  await log.locator('.row.account', { hasText: '写真を送ってください' }).waitFor();
  await chips.getByRole('button', { name: 'スキップ' }).tap();
  await log.locator('.row.account', { hasText: '場所を教えてください' }).waitFor();

  await chips.getByRole('button', { name: '地図で選ぶ' }).tap();
  const frame = phone.frameLocator('#liff-frame');
  const map = frame.getByRole('application');
  await map.waitFor();
  const box = (await phone.locator('#liff-frame').boundingBox())!;
  const mapBox = (await map.boundingBox())!;
  // A tap a little off the map's centre (the city hall is at its centre).
  await phone.touchscreen.tap(mapBox.x + mapBox.width * 0.6, mapBox.y + mapBox.height * 0.4);
  expect(box.width).toBeGreaterThan(0);
  const coords = frame.locator('.place-coords');
  await coords.filter({ hasText: /\d+\.\d{6}, \d+\.\d{6}/ }).waitFor();
  const [lat, lng] = /(\d+\.\d{6}), (\d+\.\d{6})/
    .exec((await coords.innerText()) ?? '')!
    .slice(1)
    .map(Number) as [number, number];
  await screenshot(phone, 'place-picker-pin.png', { fullPage: false });
  await frame.getByRole('button', { name: 'この場所を送る' }).tap();

  // The overlay closes; the chat shows the citizen's own location message, and the scenario goes on.
  await phone.locator('#liff-overlay').waitFor({ state: 'hidden' });
  const card = log.locator('.row.citizen .location-card', { hasText: '地図で選んだ場所' });
  await card.waitFor();
  expect(await card.innerText()).toContain(`${lat.toFixed(6)}, ${lng.toFixed(6)}`);
  await log.locator('.row.account', { hasText: 'どのような状況か' }).waitFor();
  expect(Math.abs(lat - 32.9868)).toBeLessThan(0.05);
  expect(Math.abs(lng - 130.4334)).toBeLessThan(0.05);
  expect(pageErrors).toEqual([]);
});
