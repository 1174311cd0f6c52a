/**
 * 友だち: a member of staff holding only 友だち・会話 signs in and finds citizens of the LINE
 * simulator (long Japanese names) by a katakana name typed in half-width and by user ID, filters the
 * blocked one, and opens a friend's page: profile, status dates, and the conversation as LINE shows
 * it — the follow line, a multi-line text, a 5,000-character text, a photo (its thumbnail fetched
 * through the console's session, shown large on a click), a location with a map link, a sticker and
 * the bot's answers, oldest at the top, nothing wider than the screen. A friend with 60 messages
 * reads back page by page with 「前のメッセージを読み込む」. When the server's reading budget (2,000
 * friends a request) runs out, the list says so and goes on only when asked. An account without the
 * function sees no menu entry and the server refuses it.
 */
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, pageApi, png, screenshot, signIn, strongPassword, uniqueId } from './support';

// Citizens' messages go through the webhook queue; 60 of them take a while.
jest.setTimeout(180_000);

let browser: Browser;
let page: Page;
let sim: LineSimulatorClient;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const staff = { loginId: uniqueId('tomo'), initial: strongPassword(), password: strongPassword('tomo') };
const other = { loginId: uniqueId('kw'), initial: strongPassword(), password: strongPassword('kw') };
const pageErrors: string[] = [];

/** Long names, as some citizens write them (their whole title in LINE's name). */
const hanako = { userId: '', name: `アラオ ハナコ${tag}（緑ケ丘三丁目自治会 会計・子ども会世話役・荒尾干潟清掃ボランティア）` };
const taro = { userId: '', name: `ヤハタ タロウ${tag}（八幡地区 消防団第三分団 副分団長）` };
const jiro = { userId: '', name: `フモト ジロウ${tag}（府本）` };

const MULTI_LINE = ['道路のカーブミラーが割れています。', '場所は緑ケ丘三丁目の公民館の前です。', '夜は暗くて危ないので、早めに見ていただけますか。'].join(
  '\n',
);
/** LINE's longest text: 5,000 characters, with a long unbroken run (a pasted address) in it. */
const LONG_TEXT = (() => {
  const sentence = '先日の大雨で、裏の水路があふれそうになりました。土のうの配布場所と、申し込みの方法を教えてください。';
  const run = `https://example.jp/${'a'.repeat(300)}`;
  let text = `${sentence}\n${run}\n`;
  while (text.length < 5000) text += sentence;
  return text.slice(0, 5000);
})();
const PROFILE_ANSWERS = { district: 'midorigaoka', age_band: '40s', gender: 'female', categories: ['disaster', 'childcare'] };
const DELIVERY_TEXT = '12月10日（木）9時から12時まで、緑ケ丘地区で断水します。\n飲み水をご用意ください。';
const LOCATION = { title: '荒尾市役所', address: '熊本県荒尾市宮内出目390', latitude: 32.986_7, longitude: 130.433_2 };

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });
const friendTable = (p: Page) => p.getByRole('table', { name: '友だち一覧' });
const timeline = (p: Page) => p.getByRole('log', { name: 'やりとり' });

/** The conversation as the API answers it (newest first), polled until `done` holds. */
async function waitForTalk(userId: string, done: (items: { direction: string; kind: string; text?: string; by?: string }[]) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items: { direction: string; kind: string; text?: string; by?: string }[] = [];
    let cursor: string | undefined;
    do {
      const r = await admin.call('GET', `/friends/${userId}/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      items.push(...r.body.items);
      cursor = r.body.cursor;
    } while (cursor);
    if (done(items)) return items;
    if (Date.now() > deadline) throw new Error(`conversation of ${userId} incomplete: ${JSON.stringify(items.map((i) => `${i.direction} ${i.kind}`))}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Sends one message and waits until the platform has logged it (so the timeline's order is the order sent). */
async function sendAndLog(userId: string, send: () => Promise<unknown>, kind: string) {
  const before = (await waitForTalk(userId, () => true)).filter((i) => i.direction === 'in' && i.kind === kind).length;
  await send();
  await waitForTalk(userId, (items) => items.filter((i) => i.direction === 'in' && i.kind === kind).length > before);
}

async function search(p: Page, text: string) {
  await p.getByLabel('表示名・ユーザーID').fill(text);
  const answered = p.waitForResponse((r) => r.url().includes('/api/admin/friends?'));
  await p.getByRole('button', { name: '検索', exact: true }).click();
  expect((await answered).status()).toBe(200);
}

const rowNames = async (p: Page) => (await friendTable(p).locator('tbody tr .friend-name a').allTextContents()).map((t) => t.trim());

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  for (const [who, name, permissions] of [
    [staff, '市民課 友だち担当', ['friends']],
    [other, '広報 キーワード担当', ['keywords']],
  ] as const) {
    await admin.createStaff({ loginId: who.loginId, displayName: name, role: 'general', permissions: [...permissions], initialPassword: who.initial });
    const first = await apiSession(who.loginId, who.initial);
    expect((await first.call('POST', '/auth/password', { currentPassword: who.initial, newPassword: who.password })).status).toBe(204);
  }

  // Citizens: 花子 talks (text, a long text, a photo, a location, a sticker), 太郎 blocks, 次郎 sends 60 messages.
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  for (const c of [jiro, taro, hanako]) {
    c.userId = (await sim.createCitizen({ displayName: c.name, language: 'ja', follow: true })).citizen.userId;
    await waitForTalk(c.userId, (items) => items.some((i) => i.kind === 'follow') && items.some((i) => i.direction === 'out'));
  }
  // 花子 registers her profile (the city's profile form, through the LIFF API as the form page does).
  const forms = await admin.call('GET', '/forms');
  const profile = forms.body.items.find((f: { kind: string }) => f.kind === 'profile');
  const { idToken } = await sim.issueIdToken({ userId: hanako.userId });
  const answered = await fetch(`${consoleEnv().baseUrl}/api/liff/forms/${profile.formId}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ lang: 'ja', consent: true, answers: PROFILE_ANSWERS }),
  });
  expect(answered.status).toBe(201);
  await sendAndLog(hanako.userId, () => sim.sendText(hanako.userId, MULTI_LINE), 'text');
  await waitForTalk(hanako.userId, (items) => items.filter((i) => i.direction === 'out').length >= 2);
  await sendAndLog(hanako.userId, () => sim.sendText(hanako.userId, LONG_TEXT), 'text');
  await sendAndLog(hanako.userId, () => sim.sendImage(hanako.userId, png(96, [0x2e, 0x8b, 0x57]), 'image/png'), 'image');
  await sendAndLog(hanako.userId, () => sim.sendLocation(hanako.userId, LOCATION), 'location');
  await sendAndLog(hanako.userId, () => sim.sendSticker(hanako.userId, '446', '1988'), 'sticker');
  // A delivery to the friends of 緑ケ丘 (花子 answered it): her page shows it among her messages.
  const notice = await admin.call('POST', '/deliveries', {
    title: `緑ケ丘地区 断水のお知らせ ${tag}`,
    category: '市政',
    variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: DELIVERY_TEXT }] }],
    audience: { rule: { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['midorigaoka'] }] } },
    timing: { kind: 'now' },
  });
  expect(notice.status).toBe(201);
  expect((await admin.call('POST', `/deliveries/${notice.body.deliveryId}/send`, {})).status).toBeLessThan(300);
  await sim.waitForReceived(hanako.userId, (m) => m.some((x) => JSON.stringify(x.message).includes('断水')), 30_000);
  await sim.block(taro.userId);
  await waitForTalk(taro.userId, (items) => items.some((i) => i.kind === 'unfollow'));
  // One at a time, each answered before the next (as a citizen reading the answers would write).
  let received = (await sim.received(jiro.userId)).length;
  for (let i = 1; i <= 60; i++) {
    await sim.sendText(jiro.userId, `問い合わせ ${i} 件目`);
    received = (await sim.waitForReceived(jiro.userId, (all) => all.length > received, 20_000)).length;
  }
  await waitForTalk(jiro.userId, (items) => items.filter((i) => i.direction === 'in' && i.kind === 'text').length >= 60, 90_000);

  await signIn(page, staff.loginId, staff.password);
});

afterAll(async () => {
  await browser?.close();
});

test('the menu has 友だち・会話; the list is newest first with icon, name, status, language, dates and attributes', async () => {
  // Arrange
  const entries = await menuEntries(page);
  expect(entries).toContain('友だち・会話');
  expect(entries).not.toContain('配信');

  // Act
  await menu(page).getByRole('link', { name: '友だち・会話' }).click();
  await page.getByRole('heading', { name: '友だち', level: 1 }).waitFor();
  await friendTable(page).locator('tbody tr').first().waitFor();

  // Assert: the three citizens, newest first (other test files may add friends in between)
  const names = await rowNames(page);
  const at = (n: string) => names.indexOf(n);
  expect(at(hanako.name)).toBeGreaterThanOrEqual(0);
  expect(at(hanako.name)).toBeLessThan(at(taro.name));
  expect(at(taro.name)).toBeLessThan(at(jiro.name));
  expect(await page.locator('thead th').allTextContents()).toEqual(['アイコン', '表示名', '状態', '言語', '友だち追加日', '最後のメッセージ', '属性']);
  const row = friendTable(page).locator('tbody tr').filter({ hasText: hanako.name });
  // Attribute names and values in words: the profile form's labels (GET /friends/fields) arrive after the list.
  await row.getByText('居住地区: 緑ケ丘').waitFor();
  const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
  expect(cells[1]).toBe(`${hanako.name}${hanako.userId}`);
  expect(cells[2]).toBe('友だち');
  expect(cells[3]).toBe('日本語');
  expect(cells[4]).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
  expect(cells[5]).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
  expect(cells[6]).toBe('居住地区: 緑ケ丘年代: 40代性別: 女性受信したい情報のカテゴリ: 防災・災害、子育て');
  expect((await friendTable(page).locator('tbody tr').filter({ hasText: taro.name }).locator('td').nth(2).textContent())?.trim()).toBe('ブロック中');
  await page.getByText('カタカナ・ひらがな・半角（ｱﾗｵ）は同じ文字として探します', { exact: false }).waitFor();
  // Long names wrap: the page never scrolls sideways
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(page, '50-friends-list.png');
});

test('search: a katakana name typed in half-width, and a user ID; the blocked filter', async () => {
  // Act: half-width katakana (ｱﾗｵ ﾊﾅｺ), the tag making it this run's citizen
  await search(page, `ｱﾗｵ ﾊﾅｺ${tag}`);

  // Assert
  await friendTable(page).getByRole('link', { name: hanako.name }).waitFor();
  expect(await rowNames(page)).toEqual([hanako.name]);
  expect(new URL(page.url()).searchParams.get('q')).toBe(`ｱﾗｵ ﾊﾅｺ${tag}`);

  // Act + Assert: hiragana finds the katakana name as well
  await search(page, `やはた たろう${tag}`);
  await friendTable(page).getByRole('link', { name: taro.name }).waitFor();
  expect(await rowNames(page)).toEqual([taro.name]);

  // Act + Assert: a user ID
  await search(page, jiro.userId);
  await friendTable(page).getByRole('link', { name: jiro.name }).waitFor();
  expect(await rowNames(page)).toEqual([jiro.name]);

  // Act + Assert: a profile attribute, by its label (GET /friends/fields): only Hanako answered 緑ケ丘
  await page.getByRole('button', { name: '条件をクリア' }).click();
  await friendTable(page).getByRole('link', { name: hanako.name }).waitFor();
  const byDistrict = page.waitForResponse((r) => r.url().includes('district=midorigaoka'));
  await page.getByLabel('居住地区').selectOption({ label: '緑ケ丘' });
  await byDistrict;
  await search(page, tag);
  await friendTable(page).getByRole('link', { name: hanako.name }).waitFor();
  expect(await rowNames(page)).toEqual([hanako.name]);

  // Act: the blocked ones (without a name, then with this run's tag)
  await page.getByRole('button', { name: '条件をクリア' }).click();
  await friendTable(page).getByRole('link', { name: hanako.name }).waitFor();
  const blocked = page.waitForResponse((r) => r.url().includes('status=blocked'));
  await page.getByLabel('状態').selectOption({ label: 'ブロック中' });
  await blocked;
  await friendTable(page).getByRole('link', { name: taro.name }).waitFor();

  // Assert: only blocked friends
  const statuses = (await friendTable(page).locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => t.trim());
  expect(new Set(statuses)).toEqual(new Set(['ブロック中']));
  expect(await rowNames(page)).not.toContain(hanako.name);
  await search(page, tag);
  await friendTable(page).getByRole('link', { name: taro.name }).waitFor();
  expect(await rowNames(page)).toEqual([taro.name]);
  await screenshot(page, '53-friends-blocked.png', { fullPage: false });

  // Act + Assert: the friend's page of the blocked one has the block line and its date
  await friendTable(page).getByRole('link', { name: taro.name }).click();
  await page.getByRole('heading', { name: taro.name, level: 1 }).waitFor();
  const profile = page.getByRole('region', { name: 'プロフィール' });
  expect(await profile.locator('dt').allTextContents()).toEqual(['ユーザーID', '友だち追加', 'ブロック', '最後のメッセージ', '言語']);
  await timeline(page)
    .locator('.timeline-unfollow')
    .getByText(/^ブロックしました（\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）$/)
    .waitFor();

  // Act + Assert: back to the list with its filters
  await page.getByRole('link', { name: '← 友だち一覧へ戻る' }).click();
  await friendTable(page).getByRole('link', { name: taro.name }).waitFor();
  expect(await page.getByLabel('状態').inputValue()).toBe('blocked');
  expect(await page.getByLabel('表示名・ユーザーID').inputValue()).toBe(tag);
});

test('a friend’s page: profile, and the conversation in order with the follow line, the bot’s answers and the photo', async () => {
  // Arrange
  await page.getByRole('button', { name: '条件をクリア' }).click();
  await search(page, hanako.userId);

  // Act: a click on the row (not the name) opens the page
  await friendTable(page).locator('tbody tr').first().locator('td').nth(3).click();
  await page.getByRole('heading', { name: hanako.name, level: 1 }).waitFor();
  await page.waitForURL(new RegExp(`/friends/${hanako.userId}$`));

  // Assert: the profile
  const profile = page.getByRole('region', { name: 'プロフィール' });
  expect((await profile.getByTestId('friend-user-id').textContent())?.trim()).toBe(hanako.userId);
  expect(await profile.locator('dt').allTextContents()).toEqual(['ユーザーID', '友だち追加', '最後のメッセージ', '言語']);
  await profile.getByRole('button', { name: 'コピー' }).click();
  await profile.getByText('コピーしました').waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hanako.userId);
  const attributes = page.getByRole('region', { name: '属性' });
  await attributes.getByText('緑ケ丘', { exact: true }).waitFor();
  expect(await attributes.locator('dt').allTextContents()).toEqual(['居住地区', '年代', '性別', '受信したい情報のカテゴリ']);
  expect(await attributes.locator('dd').allTextContents()).toEqual(['緑ケ丘', '40代', '女性', '防災・災害、子育て']);
  const answer = page.getByRole('region', { name: 'アンケートの回答' }).getByRole('article', { name: 'プロフィール登録' });
  expect(await answer.locator('.hint').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}・日本語で回答$/);
  const pairs = await answer
    .locator('.answer-pair')
    .evaluateAll((els) => els.map((e) => [e.querySelector('dt')?.textContent, e.querySelector('dd')?.textContent]));
  expect(Object.fromEntries(pairs)).toEqual({ 居住地区: '緑ケ丘', 年代: '40代', 性別: '女性', 受信したい情報のカテゴリ: '防災・災害、子育て' });

  // Assert: the timeline, oldest at the top
  const log = timeline(page);
  const photo = log.getByRole('img', { name: '友だちが送った画像' });
  await photo.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.bubble-image img');
    return !!img && img.complete && img.naturalWidth === 96;
  });
  const order: string[] = await log.evaluate((el) =>
    Array.from(el.querySelectorAll('.timeline-item-wrap')).map((w) => {
      const system = w.querySelector('.timeline-system');
      if (system) return system.classList.contains('timeline-follow') ? 'follow' : 'unfollow';
      const row = w.querySelector('.timeline-row')!;
      return `${row.classList.contains('out') ? 'out' : 'in'} ${row.getAttribute('data-kind')}`;
    }),
  );
  const first = (entry: string) => order.indexOf(entry);
  expect(order[0]).toBe('follow');
  expect(order[1]).toBe('out messages');
  const texts = order.map((o, i) => (o === 'in text' ? i : -1)).filter((i) => i >= 0);
  expect(texts).toHaveLength(2);
  expect(order[texts[0] + 1]).toBe('out messages');
  expect(texts[1]).toBeLessThan(first('in image'));
  expect(first('in image')).toBeLessThan(first('in location'));
  expect(first('in location')).toBeLessThan(first('in sticker'));
  await log.getByText('友だち追加しました', { exact: false }).waitFor();
  // The delivery she got, after her messages, as the account's message labelled 配信
  expect(order[order.length - 1]).toBe('out messages');
  const delivered = log.locator('.timeline-row.out').last();
  expect(await delivered.locator('.timeline-by').textContent()).toBe(`配信「緑ケ丘地区 断水のお知らせ ${tag}」`);
  expect(await delivered.locator('.bubble-text').first().textContent()).toBe(DELIVERY_TEXT);
  expect(await log.locator('.timeline-row.out .timeline-by').first().textContent()).toBe('自動応答');
  expect(await log.locator('.timeline-day').count()).toBeGreaterThanOrEqual(1);
  const multi = log.locator('.timeline-row.in .bubble-text').first();
  expect(await multi.textContent()).toBe(MULTI_LINE);
  expect(await multi.evaluate((el) => el.getBoundingClientRect().height > 3 * parseFloat(getComputedStyle(el).lineHeight) - 2)).toBe(true);
  const location = log.locator('.bubble-location');
  expect(await location.textContent()).toContain(LOCATION.address);
  expect(await location.textContent()).toContain('32.986700, 130.433200');
  expect(await location.getByRole('link').getAttribute('href')).toBe('https://www.google.com/maps/search/?api=1&query=32.9867%2C130.4332');
  await log.locator('[data-kind="sticker"]').getByText('スタンプ').waitFor();

  // Assert: the 5,000 characters are cut, then whole, and nothing is wider than its box
  const long = log.locator('.timeline-row.in .bubble').filter({ hasText: '土のうの配布場所' });
  await long.getByRole('button', { name: '全文を表示（5,000文字）' }).click();
  expect(await long.locator('.bubble-text').textContent()).toBe(LONG_TEXT);
  expect(await log.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await long.getByRole('button', { name: '閉じる' }).click();
  // The picture for the manual: the photo, the location and the sticker in view.
  await log.evaluate((el) => {
    const photo = el.querySelector<HTMLElement>('[data-kind="image"]')!;
    el.scrollTop += photo.getBoundingClientRect().top - el.getBoundingClientRect().top - 40;
  });
  await screenshot(page, '51-friends-page.png');

  // Act + Assert: the photo large
  await log.getByRole('button', { name: /友だちが送った画像/ }).click();
  const dialog = page.getByRole('dialog', { name: '友だちが送った画像' });
  await dialog.getByRole('img').waitFor();
  expect(await dialog.getByRole('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96);
  await screenshot(page, '52-friends-photo.png', { fullPage: false });
  await dialog.getByRole('button', { name: '閉じる' }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('a photo LINE no longer keeps says so plainly', async () => {
  // Arrange: LINE forgot the content (the server answers 404 with its words)
  const message = 'LINEにこのファイルが残っていません（保存期間を過ぎた可能性があります）。';
  await page.route('**/api/admin/friends/*/messages/*/content', (route) =>
    route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message } }) }),
  );

  // Act
  await page.reload();

  // Assert
  await timeline(page).getByText(`画像: ${message}`).waitFor();
  await page.unroute('**/api/admin/friends/*/messages/*/content');
});

test('a long conversation reads back page by page with 「前のメッセージを読み込む」', async () => {
  // Arrange
  await page.goto(`/friends/${jiro.userId}`);
  const log = timeline(page);
  await log.getByText('問い合わせ 60 件目', { exact: true }).waitFor();
  const shown = () => log.locator('.timeline-item-wrap').count();
  expect(await shown()).toBe(50);
  expect(await log.getByText('友だち追加しました', { exact: false }).count()).toBe(0);
  // The newest is in view at the bottom
  expect(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 4)).toBe(true);

  // Act: until the start
  let pages = 1;
  while ((await log.getByRole('button', { name: '前のメッセージを読み込む' }).count()) > 0) {
    const before = await shown();
    // Staff scroll up to the oldest loaded message, then ask for the ones before it.
    await log.evaluate((el) => (el.scrollTop = 0));
    const top = await log.locator('.timeline-item-wrap').first().getAttribute('data-entry');
    await log.getByRole('button', { name: '前のメッセージを読み込む' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.timeline .timeline-item-wrap').length > n, before);
    pages += 1;
    // What was at the top stays in view (the window does not jump to the new top)
    const keptTop = log.locator(`[data-entry="${top}"]`);
    expect(
      await keptTop.evaluate((el) => {
        const box = el.closest('.timeline')!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      }),
    ).toBe(true);
  }

  // Assert: every message once, in the order sent, the follow line first
  expect(pages).toBeGreaterThanOrEqual(3);
  await log.getByText('これより前のやりとりはありません').waitFor();
  const texts = (await log.locator('.timeline-row.in .bubble-text').allTextContents()).map((t) => Number(/^問い合わせ (\d+) 件目$/.exec(t)?.[1]));
  expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  expect(await log.locator('.timeline-item-wrap').first().locator('.timeline-follow').count()).toBe(1);
});

test('the list says when its reading budget ran out and goes on only when asked', async () => {
  // Arrange: a name so rare that 2,000 friends a request find nobody (the server's answers, played back)
  const RARE = `ｺﾞｳﾁｮｳ${tag}`;
  const asked: string[] = [];
  await page.route('**/api/admin/friends?*', async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get('q') !== RARE) return route.continue();
    asked.push(url.searchParams.get('cursor') ?? '');
    const n = asked.length;
    const body =
      n < 5
        ? { items: [], scanned: 2000, cursor: `c${n}` }
        : {
            items: [{ userId: hanako.userId, displayName: hanako.name, status: 'active', language: 'ja', followedAt: new Date().toISOString() }],
            scanned: 1234,
          };
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await page.goto('/friends');
  await friendTable(page).locator('tbody tr').first().waitFor();

  // Act
  await search(page, RARE);

  // Assert: three requests by themselves, then the plain sentence and 「さらに探す」
  await page.getByText('6,000人まで調べました。続きを調べるには「さらに探す」を押してください。').waitFor();
  expect(asked).toEqual(['', 'c1', 'c2']);
  await page.getByText('ここまでに、当てはまる友だちはいませんでした。').waitFor();
  expect(await page.getByRole('button', { name: 'さらに表示' }).count()).toBe(0);

  // Act: go on
  await page.getByRole('button', { name: 'さらに探す' }).click();

  // Assert: it went on from where it stopped, found the friend and came to the end
  await friendTable(page).getByRole('link', { name: hanako.name }).waitFor();
  expect(asked).toEqual(['', 'c1', 'c2', 'c3', 'c4']);
  await page.getByText('1人を表示（これで全員です）').waitFor();
  expect(await page.getByRole('button', { name: 'さらに探す' }).count()).toBe(0);
  await page.unroute('**/api/admin/friends?*');
  expect(pageErrors).toEqual([]);
});

test('an account without 友だち・会話 has no menu entry, and the server refuses it', async () => {
  // Arrange
  const { page: theirs } = await newConsole(browser);
  await signIn(theirs, other.loginId, other.password);

  // Assert: no menu entry
  expect(await menuEntries(theirs)).toContain('キーワード応答');
  expect(await menuEntries(theirs)).not.toContain('友だち・会話');

  // Act: the address typed by hand
  await theirs.goto('/friends');

  // Assert: the console says so, and the server refuses the list, a friend's page and a photo
  await theirs.getByText('この機能を使う権限がありません。').waitFor();
  await theirs.getByText('「友だち・会話」の権限を付けてもらってください', { exact: false }).waitFor();
  for (const path of ['/friends', `/friends/${hanako.userId}`, `/friends/${hanako.userId}/messages`]) {
    const refused = await pageApi(theirs, 'GET', path);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect(JSON.stringify(refused.body)).not.toContain(hanako.name);
  }
  await theirs.context().close();
});
