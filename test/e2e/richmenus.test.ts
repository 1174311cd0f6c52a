/**
 * リッチメニュー: a staff member with only the richMenus function creates a small menu, uploads its
 * image (a picture of the wrong size is refused with the server's words), draws two tap areas on
 * the image with the mouse (キーワードを送る「ごみの出し方」 and a link to the city's site), saves
 * and publishes it after the console's own question. A citizen of the LINE simulator then sees the
 * menu under the chat, taps the keyword area on the image and gets the city's keyword answer.
 * The menu is unpublished and deleted at the end (the runtime is shared with other browser tests).
 */
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { menuImage } from '../support/richmenu-fakes';
import { apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

// Publishing talks to LINE (the simulator); the citizen's tap goes through the webhook queue.
jest.setTimeout(120_000);

let browser: Browser;
let page: Page;
let sim: LineSimulatorClient;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const staff = { loginId: uniqueId('rm'), initial: strongPassword(), password: strongPassword('rm') };
const citizen = { userId: '', name: `荒尾 次郎${tag}` };
const MENU_NAME = `くらしの案内メニュー ${tag}`;
const browserDialogs: string[] = [];
const pageErrors: string[] = [];
let menuId = '';

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });
const canvas = (p: Page) => p.getByTestId('area-canvas');

/** Drags with the mouse on the menu's image from one point to another, given in the image's own pixels. */
async function drawOnImage(p: Page, from: [number, number], to: [number, number], size: { width: number; height: number }) {
  await canvas(p).scrollIntoViewIfNeeded();
  const box = (await canvas(p).boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x / size.width) * box.width, box.y + (y / size.height) * box.height] as const;
  await p.mouse.move(...at(from));
  await p.mouse.down();
  await p.mouse.move(...at([(from[0] + to[0]) / 2, (from[1] + to[1]) / 2]), { steps: 4 });
  await p.mouse.move(...at(to), { steps: 4 });
  await p.mouse.up();
}

/**
 * A menu picture with words on it, drawn by the browser's canvas (PNG, 2500×843): the manual's
 * pictures show what a real menu looks like (the one-colour test image says nothing).
 */
async function labelledPicture(p: Page): Promise<Buffer> {
  const base64 = await p.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 2500;
    c.height = 843;
    const g = c.getContext('2d')!;
    const panels: [string, string, string][] = [
      ['#2e7d32', 'ごみの出し方', '分別・収集日'],
      ['#1565c0', '市のホームページ', 'くらしの情報'],
      ['#ef6c00', '防災・避難所', '準備中'],
    ];
    panels.forEach(([colour, title, sub], i) => {
      const x = Math.round((2500 / 3) * i);
      g.fillStyle = colour;
      g.fillRect(x, 0, Math.round(2500 / 3) + 1, 843);
      g.fillStyle = '#ffffff';
      g.textAlign = 'center';
      g.font = 'bold 96px sans-serif';
      g.fillText(title, x + 2500 / 6, 420);
      g.font = '70px sans-serif';
      g.fillText(sub, x + 2500 / 6, 580);
    });
    g.fillStyle = 'rgba(255,255,255,0.6)';
    for (const x of [833, 1666]) g.fillRect(x - 3, 60, 6, 723);
    return c.toDataURL('image/png').split(',')[1]!;
  });
  return Buffer.from(base64, 'base64');
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  await admin.createStaff({
    loginId: staff.loginId,
    displayName: '広報 メニュー担当',
    role: 'general',
    permissions: ['richMenus'],
    initialPassword: staff.initial,
  });
  const first = await apiSession(staff.loginId, staff.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: staff.initial, newPassword: staff.password })).status).toBe(204);
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  citizen.userId = (await sim.createCitizen({ displayName: citizen.name, language: 'ja', follow: true })).citizen.userId;
  await signIn(page, staff.loginId, staff.password);
});

afterAll(async () => {
  // Leave LINE's default menu as it was (other browser tests use the same simulator).
  if (menuId && admin) {
    let left = await admin.call('GET', `/richmenus/${menuId}`);
    if (left.status === 200 && left.body.isDefault) left = await admin.call('POST', `/richmenus/${menuId}/unpublish`, { version: left.body.version });
    if (left.status === 200) await admin.call('DELETE', `/richmenus/${menuId}`, { version: left.body.version });
  }
  await browser?.close();
});

test('the menu entry opens an empty list', async () => {
  // Arrange
  expect(await menuEntries(page)).toContain('リッチメニュー');

  // Act
  await menu(page).getByRole('link', { name: 'リッチメニュー' }).click();

  // Assert
  await page.getByRole('heading', { name: 'リッチメニュー', level: 1 }).waitFor();
  await page.getByRole('link', { name: '＋ 新しいメニュー' }).waitFor();
  expect(await page.getByText('リッチメニューの画面を準備しています').count()).toBe(0);
});

test('a new small menu is saved; the bar text counts its characters', async () => {
  // Arrange
  await page.getByRole('link', { name: '＋ 新しいメニュー' }).click();
  await page.getByRole('heading', { name: '新しいメニュー', level: 1 }).waitFor();

  // Act: a bar text longer than LINE allows, then a good one
  await page.getByLabel('メニュー名').fill(MENU_NAME);
  const bar = page.getByLabel(/^メニューバーの文字/);
  await bar.fill('市役所からのお知らせと暮らしの案内');
  await page.getByText('メニューバーの文字（17 / 14）').waitFor();
  await page.getByText('14文字以内にしてください（LINEの上限）。').waitFor();
  await bar.fill('くらしの案内');
  await page.getByText('メニューバーの文字（6 / 14）').waitFor();
  await page.getByRole('radio', { name: '小（2500×843）' }).check();
  expect(await page.getByRole('checkbox', { name: '最初からメニューを開いておく' }).isChecked()).toBe(true);
  const created = page.waitForResponse((r) => r.url().endsWith('/api/admin/richmenus') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert
  const answer = await created;
  expect(answer.status()).toBe(201);
  const body = await answer.json();
  menuId = body.menuId;
  expect(body).toMatchObject({ name: MENU_NAME, chatBarText: 'くらしの案内', size: 'compact', selected: true, areas: [], isDefault: false });
  await page.waitForURL(`**/richmenus/${menuId}`);
  await page.getByRole('heading', { name: MENU_NAME, level: 1 }).waitFor();
  await page.getByText('作成しました。画像をアップロードして').waitFor();
});

test('an image of the large size is refused with the server words; the small one is taken', async () => {
  // Arrange
  const file = page.locator('input[type="file"]');

  // Act: 2500×1686 for a small menu
  const refused = page.waitForResponse((r) => r.url().endsWith(`/richmenus/${menuId}/image`));
  await file.setInputFiles({ name: 'large.png', mimeType: 'image/png', buffer: menuImage(2500, 1686) });

  // Assert
  expect((await refused).status()).toBe(400);
  await page.getByRole('alert').filter({ hasText: '画像の大きさは 2500×843 ピクセルにしてください（選んだ画像は 2500×1686）。' }).waitFor();

  // Act: exactly 2500×843
  const taken = page.waitForResponse((r) => r.url().endsWith(`/richmenus/${menuId}/image`));
  await file.setInputFiles({ name: 'menu.png', mimeType: 'image/png', buffer: menuImage(2500, 843) });

  // Assert: shown on the page and in the phone; the size is now fixed
  expect((await taken).status()).toBe(200);
  await page.getByText('画像「menu.png」をアップロードしました。').waitFor();
  await page.getByRole('img', { name: 'メニューの画像' }).waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.rm-canvas-image');
    return !!img && img.complete && img.naturalWidth === 2500;
  });
  expect(await page.getByRole('radio', { name: '大（2500×1686）' }).isDisabled()).toBe(true);

  // Act: replaced by a picture with words (as staff would make one)
  const replaced = page.waitForResponse((r) => r.url().endsWith(`/richmenus/${menuId}/image`));
  await file.setInputFiles({ name: 'kurashi.png', mimeType: 'image/png', buffer: await labelledPicture(page) });

  // Assert
  expect((await replaced).status()).toBe(200);
  await page.getByText('画像「kurashi.png」をアップロードしました。').waitFor();
});

test('two areas drawn with the mouse: a keyword and a link; saved with their pixels', async () => {
  // Arrange
  const size = { width: 2500, height: 843 };

  // Act: the left third, then the middle third
  await drawOnImage(page, [30, 40], [800, 800], size);
  const first = page.getByRole('region', { name: '領域1の設定' });
  await first.waitFor();
  await first.getByLabel(/^名前/).fill('ごみの出し方');
  expect(await first.getByLabel('押したときの動き').inputValue()).toBe('keyword');
  await first.getByLabel('送る言葉').fill('ごみの出し方');
  await drawOnImage(page, [860, 40], [1640, 800], size);
  const second = page.getByRole('region', { name: '領域2の設定' });
  await second.waitFor();
  await second.getByLabel(/^名前/).fill('市のホームページ');
  await second.getByLabel('押したときの動き').selectOption('link');
  await second.getByLabel('アドレス（URL）').fill('https://www.city.arao.lg.jp/');
  // Without the forms function the form is typed by its ID (the forms list is not open to this staff member).
  await second.getByLabel('押したときの動き').selectOption('form');
  await second.getByLabel('フォームのID').waitFor();
  await second.getByText('フォームの一覧は「フォーム」の権限がある職員だけが見られます', { exact: false }).waitFor();
  await second.getByLabel('押したときの動き').selectOption('link');
  await second.getByLabel('アドレス（URL）').fill('https://www.city.arao.lg.jp/');
  // The numbers move the area: its width by hand.
  await second.getByLabel('幅').fill('780');
  const list = page.getByRole('list', { name: 'タップ領域の一覧' });
  expect((await list.locator('li').allTextContents()).map((t) => t.trim())).toEqual([
    expect.stringContaining('ごみの出し方「ごみの出し方」を送る'),
    expect.stringContaining('市のホームページリンク https://www.city.arao.lg.jp/'),
  ]);
  await page.getByRole('region', { name: 'スマートフォンでの表示' }).getByText('くらしの案内 ▼').waitFor();
  await page.getByText('保存していない変更があります').waitFor();
  // At the end of the page, so the sticky save bar sits in its place in the full-page picture.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await screenshot(page, '61-richmenus-editor.png');
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/admin/richmenus/${menuId}`) && r.request().method() === 'PUT');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert: the areas in the image's pixels (the canvas is scaled: a pixel or two of rounding)
  const answer = await saved;
  expect(answer.status()).toBe(200);
  const body = await answer.json();
  expect(body.areas).toHaveLength(2);
  const [a, b] = body.areas;
  expect(a).toMatchObject({ label: 'ごみの出し方', action: { type: 'keyword', text: 'ごみの出し方' } });
  expect(b).toMatchObject({ label: '市のホームページ', action: { type: 'link', url: 'https://www.city.arao.lg.jp/' } });
  for (const [got, want] of [
    [a.bounds, { x: 30, y: 40, width: 770, height: 760 }],
    [b.bounds, { x: 860, y: 40, width: 780, height: 760 }],
  ]) {
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(4);
  }
  expect(b.bounds.width).toBe(780);
  await page.getByText(`「${MENU_NAME}」を保存しました。`).waitFor();
});

test('an area outside the image is refused in the browser before saving', async () => {
  // Arrange
  await page
    .getByRole('list', { name: 'タップ領域の一覧' })
    .getByRole('button', { name: /市のホームページ/ })
    .click();
  const second = page.getByRole('region', { name: '領域2の設定' });
  const x = await second.getByLabel('左端 x').inputValue();

  // Act
  await second.getByLabel('左端 x').fill('2000');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert
  await page.getByText('領域2: 画像（2500×843）からはみ出しています。').waitFor();
  await second.getByLabel('左端 x').fill(x);
});

test('the server refusal is shown in its words (a form that does not exist)', async () => {
  // Arrange
  const second = page.getByRole('region', { name: '領域2の設定' });
  await second.getByLabel('押したときの動き').selectOption('form');

  // Act
  await second.getByLabel('フォームのID').fill('no-such-form');
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/admin/richmenus/${menuId}`) && r.request().method() === 'PUT');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert
  expect((await refused).status()).toBe(400);
  await page.getByRole('alert').filter({ hasText: '領域2（市のホームページ）のフォームが見つかりません。' }).waitFor();
  await second.getByLabel('押したときの動き').selectOption('link');
  await second.getByLabel('アドレス（URL）').fill('https://www.city.arao.lg.jp/');
});

test('a save over another staff member change is refused plainly and the newest menu read again', async () => {
  // Arrange: someone else saves the menu meanwhile
  const now = await admin.call('GET', `/richmenus/${menuId}`);
  const { name, size, selected, areas, version } = now.body;
  expect((await admin.call('PUT', `/richmenus/${menuId}`, { name, chatBarText: 'くらし', size, selected, areas, version })).status).toBe(200);

  // Act
  await page.getByLabel('メニュー名').fill(`${MENU_NAME}（古い画面）`);
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert: refused; reading again shows their change
  await page.getByText('ほかの職員が先にこのメニューを変更しました。').waitFor();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await page.getByText('ほかの職員が先にこのメニューを変更しました。').waitFor({ state: 'hidden' });
  expect(await page.getByLabel('メニュー名').inputValue()).toBe(MENU_NAME);
  expect(await page.getByLabel(/^メニューバーの文字/).inputValue()).toBe('くらし');
  await page.getByLabel(/^メニューバーの文字/).fill('くらしの案内');
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/admin/richmenus/${menuId}`) && r.request().method() === 'PUT');
  await page.getByRole('button', { name: '保存する' }).click();
  expect((await saved).status()).toBe(200);
});

test('publish asks plainly first, then the list shows it 公開中', async () => {
  // Arrange: back to the saved state
  await page.getByText('保存していない変更があります').waitFor({ state: 'hidden' });

  // Act
  await page.getByRole('button', { name: '公開する', exact: true }).click();
  const question = page.getByRole('dialog', { name: 'メニューを公開する' });
  await question.waitFor();
  expect(await question.textContent()).toContain(`友だち全員のLINEのメニューが「${MENU_NAME}」に替わります。`);
  await screenshot(page, '62-richmenus-publish.png', { fullPage: false });
  const published = page.waitForResponse((r) => r.url().endsWith(`/richmenus/${menuId}/publish`));
  await question.getByRole('button', { name: '公開する' }).click();

  // Assert
  expect((await published).status()).toBe(200);
  await page.getByText(`「${MENU_NAME}」を公開しました。`).waitFor();
  await page.locator('.page-header .rm-state-live', { hasText: '公開中' }).waitFor();
  await page.getByRole('link', { name: '一覧へ戻る' }).click();
  const row = page.getByRole('table', { name: 'メニュー一覧' }).locator('tbody tr', { hasText: MENU_NAME });
  await row.waitFor();
  const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
  expect(cells[1]).toBe('小');
  expect(cells[2]).toBe('2');
  expect(cells[3]).toContain('公開中');
  expect(cells[3]).not.toContain('公開後に変更あり');
  await row.getByRole('button', { name: `「${MENU_NAME}」の公開をやめる` }).waitFor();
  await screenshot(page, '60-richmenus-list.png');
});

test('the citizen sees the menu on the phone, taps the keyword area and gets the city answer', async () => {
  // Arrange: the simulator's phone page at phone size, the citizen's chat
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  context.setDefaultTimeout(15_000);
  try {
    const phone = await context.newPage();
    await phone.goto(`${process.env.IT_SIMULATOR_URL}/#citizen=${citizen.userId}`);
    const log = phone.getByRole('log', { name: 'トーク' });
    await phone.locator('#chat-as', { hasText: citizen.name }).waitFor();
    const richMenu = phone.getByRole('group', { name: MENU_NAME });
    await richMenu.waitFor();
    await phone.getByRole('button', { name: 'くらしの案内 ▼' }).waitFor();
    await phone.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#richmenu img');
      return !!img && img.complete && img.naturalWidth === 2500;
    });
    expect(await richMenu.getByRole('button', { name: '市のホームページ' }).getAttribute('title')).toBe('市のホームページ');

    // Act: a real tap on the image where the keyword area is (the left third)
    const image = (await richMenu.locator('img').boundingBox())!;
    const point = { x: image.x + image.width * ((30 + 770 / 2) / 2500), y: image.y + image.height * ((40 + 760 / 2) / 843) };
    const hit = await phone.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('aria-label'), point);
    expect(hit).toBe('ごみの出し方');
    await phone.touchscreen.tap(point.x, point.y);

    // Assert: the citizen's message, then the starter rule's answer
    await log.locator('.row.citizen', { hasText: 'ごみの出し方' }).waitFor();
    await log.locator('.row.account', { hasText: '家庭のごみは分別して市指定のごみ袋に入れ' }).waitFor({ timeout: 30_000 });
    await screenshot(phone, '63-richmenus-phone.png', { fullPage: false });
  } finally {
    await context.close();
  }
});

test('no browser dialogs and no script errors', () => {
  expect(browserDialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});
