/**
 * リッチメニュー › 表示の切り替え: a staff member with only the richMenus function gives the friends
 * who have not registered their profile a "please register" menu and those of 緑ケ丘 their
 * district's menu, chooses the disaster menu, and saves. A new citizen in the simulator's phone sees
 * the register menu, taps its プロフィール登録 area, answers the profile form in the LIFF page
 * (緑ケ丘) and — without reloading — the phone shows the 緑ケ丘 menu. Staff then start disaster mode
 * with one click: the phone shows the disaster menu; ending it brings the 緑ケ丘 menu back.
 * Everything is undone at the end (the runtime and simulator are shared with other browser tests).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { menuImage } from '../support/richmenu-fakes';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

// Saving and disaster mode go through the planner queue to LINE (the simulator); the LIFF answer relinks at once.
jest.setTimeout(150_000);

let browser: Browser;
let page: Page;
let phoneContext: BrowserContext;
let phone: Page;
let sim: LineSimulatorClient;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const staff = { loginId: uniqueId('rml'), initial: strongPassword(), password: strongPassword('rml') };
const citizen = { userId: '', name: `荒尾 三郎${tag}` };
const NAMES = { register: `プロフィール登録のお願い ${tag}`, district: `緑ケ丘地区のメニュー ${tag}`, disaster: `災害時メニュー（避難所・安否確認）${tag}` };
const SEGMENTS = { unregistered: `プロフィール未登録の方 ${tag}`, midorigaoka: `緑ケ丘にお住まいの方 ${tag}` };
const menuIds: Record<keyof typeof NAMES, string> = { register: '', district: '', disaster: '' };
const segmentIds: string[] = [];
const pageErrors: string[] = [];

/** The sync job's run that started after `since` has finished. */
async function synced(since: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await admin.call('GET', '/richmenu-links');
    if (body.sync.finishedAt && body.sync.startedAt > since && body.sync.finishedAt >= body.sync.startedAt) return body;
    if (Date.now() > deadline) throw new Error(`no finished sync since ${since}: ${JSON.stringify(body.sync)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const shownMenu = (p: Page, name: string) => p.getByRole('group', { name });

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  await admin.createStaff({
    loginId: staff.loginId,
    displayName: '防災 メニュー担当',
    role: 'general',
    permissions: ['richMenus'],
    initialPassword: staff.initial,
  });
  const first = await apiSession(staff.loginId, staff.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: staff.initial, newPassword: staff.password })).status).toBe(204);

  // Three menus with their images (the drawing itself is richmenus.test.ts's); the register menu opens the profile form.
  const forms = await admin.call('GET', '/forms');
  const profile = forms.body.items.find((f: { kind: string }) => f.kind === 'profile');
  const area = (label: string, action: object) => [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, label, action }];
  const specs: [keyof typeof NAMES, object][] = [
    ['register', area('プロフィール登録', { type: 'form', formId: profile.formId })],
    ['district', area('緑ケ丘の地域情報', { type: 'keyword', text: '緑ケ丘' })],
    ['disaster', area('避難所', { type: 'keyword', text: '避難所' })],
  ];
  for (const [key, areas] of specs) {
    const made = await admin.call('POST', '/richmenus', {
      name: NAMES[key],
      chatBarText: key === 'disaster' ? '災害情報' : 'メニュー',
      size: 'compact',
      areas,
    });
    expect(made.status).toBe(201);
    menuIds[key] = made.body.menuId;
    expect((await admin.upload(`/richmenus/${made.body.menuId}/image`, menuImage(2500, 843), 'image/png')).status).toBe(200);
  }
  for (const [name, rule] of [
    [SEGMENTS.unregistered, { match: 'all', conditions: [{ kind: 'answeredForm', formId: profile.formId, answered: false }] }],
    [SEGMENTS.midorigaoka, { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['midorigaoka'] }] }],
  ] as const) {
    const made = await admin.call('POST', '/segments', { name, rule });
    expect(made.status).toBe(201);
    segmentIds.push(made.body.segmentId);
  }
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  await signIn(page, staff.loginId, staff.password);
});

afterAll(async () => {
  // Leave the shared runtime as it was: no disaster mode, no segment menus (and nobody linked), no menus or segments of ours.
  if (admin) {
    const { body } = await admin.call('GET', '/richmenu-links');
    if (body.disaster.active) await admin.call('POST', '/richmenu-links/disaster', { on: false, version: body.disaster.version });
    const now = new Date().toISOString();
    const saved = await admin.call('PUT', '/richmenu-links', {
      version: body.settings.version,
      segmentMenus: [],
      disaster: { onKinds: [], offWhenLifted: true },
    });
    if (saved.status === 200) await synced(now).catch(() => undefined);
    for (const menuId of Object.values(menuIds).filter(Boolean)) {
      const m = await admin.call('GET', `/richmenus/${menuId}`);
      if (m.status === 200) await admin.call('DELETE', `/richmenus/${menuId}`, { version: m.body.version });
    }
    for (const id of segmentIds) await admin.call('DELETE', `/segments/${id}`);
  }
  await phoneContext?.close();
  await browser?.close();
});

test('staff choose a menu per segment and the disaster menu, and save', async () => {
  // Arrange
  await page.goto(`${consoleEnv().baseUrl}/richmenus`);
  const links = page.getByRole('region', { name: '友だちごとのメニュー' });
  await links.getByText('まだありません。友だち全員に同じメニューが出ています。').waitFor();

  // Act: 緑ケ丘 first (a registered citizen of 緑ケ丘 sees it), then the unregistered
  await links.getByRole('button', { name: '＋ セグメントを追加' }).click();
  await links.getByLabel('1行目のセグメント').selectOption({ label: SEGMENTS.unregistered });
  await links.getByLabel('1行目のメニュー').selectOption({ label: NAMES.register });
  await links.getByRole('button', { name: '＋ セグメントを追加' }).click();
  await links.getByLabel('2行目のセグメント').selectOption({ label: SEGMENTS.midorigaoka });
  await links.getByLabel('2行目のメニュー').selectOption({ label: NAMES.district });
  await links.getByRole('button', { name: '2行目を上へ' }).click();
  expect(await links.getByLabel('1行目のセグメント').locator('option:checked').textContent()).toBe(SEGMENTS.midorigaoka);
  await links.getByLabel('災害メニュー').selectOption({ label: NAMES.disaster });
  expect(await links.getByRole('checkbox', { name: '避難指示（レベル4）' }).isChecked()).toBe(true);
  await links.getByRole('checkbox', { name: '高齢者等避難（レベル3）' }).check();
  await links.getByText('保存していない変更があります。').waitFor();
  const since = new Date().toISOString();
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/richmenu-links') && r.request().method() === 'PUT');
  await links.getByRole('button', { name: '保存する' }).click();

  // Assert: saved in order; the three menus went to LINE; the job ran
  const answer = await saved;
  expect(answer.status()).toBe(200);
  const body = await answer.json();
  expect(body.settings.segmentMenus.map((r: { menuId: string }) => r.menuId)).toEqual([menuIds.district, menuIds.register]);
  expect(body.settings.disaster).toEqual({
    menuId: menuIds.disaster,
    onKinds: ['emergency_safety', 'evacuation_order', 'elderly_evacuation'],
    offWhenLifted: true,
  });
  await page.getByText('保存しました。友だちのLINEのメニューが').waitFor();
  await synced(since);
  await page.reload();
  const list = page.getByRole('table', { name: 'メニュー一覧' });
  for (const name of Object.values(NAMES)) await list.locator('tbody tr', { hasText: name }).getByText('友だちごと・災害用').waitFor();
  await page.getByText(/最後の反映：/).waitFor();
  await screenshot(page, '64-richmenus-links.png');
});

test('a new citizen sees the register menu, answers the profile form from it, and the phone shows the 緑ケ丘 menu', async () => {
  // Arrange: the citizen follows (the follow links them at once), on the phone page
  citizen.userId = (await sim.createCitizen({ displayName: citizen.name, language: 'ja', follow: true })).citizen.userId;
  phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  phoneContext.setDefaultTimeout(20_000);
  phone = await phoneContext.newPage();
  phone.on('pageerror', (e) => pageErrors.push(e.message));
  await phone.goto(`${process.env.IT_SIMULATOR_URL}/#citizen=${citizen.userId}`);
  await phone.locator('#chat-as', { hasText: citizen.name }).waitFor();
  const register = shownMenu(phone, NAMES.register);
  await register.waitFor({ timeout: 30_000 });

  // Act: tap the menu's area, answer in the LIFF page
  await register.getByRole('button', { name: 'プロフィール登録' }).tap();
  const overlay = phone.getByRole('dialog', { name: /^LIFF/ });
  await overlay.waitFor();
  const form = phone.frameLocator('#liff-frame');
  await form.getByRole('heading', { level: 1, name: 'プロフィール登録' }).waitFor();
  await form.getByLabel('居住地区').selectOption({ label: '緑ケ丘' });
  for (const select of await form.locator('form select').all()) if (!(await select.inputValue())) await select.selectOption({ index: 1 });
  for (const group of await form.locator('fieldset.field:not(.consent)').all()) await group.locator('label.choice').first().click();
  const consent = form.getByLabel('上記の内容に同意します');
  if (await consent.count()) await consent.check();
  await form.getByRole('button', { name: '送信する' }).click();
  await form.getByRole('heading', { name: 'ご回答ありがとうございました' }).waitFor();
  await overlay
    .getByRole('button', { name: /閉じる/ })
    .first()
    .click();

  // Assert: the phone shows the district's menu (the answer relinked them), and LINE agrees
  await shownMenu(phone, NAMES.district).waitFor({ timeout: 30_000 });
  expect(await register.count()).toBe(0);
  const onLine = await sim.getCitizen(citizen.userId);
  const menus = await admin.call('GET', `/richmenus/${menuIds.district}`);
  expect(onLine.richMenuId).toBe(menus.body.lineRichMenuId);
  await screenshot(phone, '65-richmenus-segment-phone.png', { fullPage: false });
});

test('one click starts disaster mode: the phone shows the disaster menu; ending it brings the district menu back', async () => {
  // Arrange
  await page.reload();
  const panel = page.getByRole('region', { name: '災害モード' });
  await panel.getByText('ふだんのメニューを表示しています。').waitFor();

  // Act: start
  let since = new Date().toISOString();
  await panel.getByRole('button', { name: '災害モードを開始する' }).click();
  const question = page.getByRole('dialog', { name: '災害モードを開始する' });
  expect(await question.textContent()).toContain(`友だち全員のLINEのメニューが、災害メニュー「${NAMES.disaster}」に替わります。`);
  await question.getByRole('button', { name: '災害モードを開始する' }).click();

  // Assert: the state in the console, the phone switched
  await panel.getByText('災害モード中', { exact: true }).waitFor();
  await synced(since);
  await shownMenu(phone, NAMES.disaster).waitFor({ timeout: 30_000 });
  await screenshot(page, '66-richmenus-disaster-on.png', { fullPage: false });
  await screenshot(phone, '67-richmenus-disaster-phone.png', { fullPage: false });

  // Act: end
  since = new Date().toISOString();
  await panel.getByRole('button', { name: '災害モードを終える' }).click();
  await page.getByRole('dialog', { name: '災害モードを終える' }).getByRole('button', { name: '災害モードを終える' }).click();

  // Assert
  await panel.getByText('ふだんのメニューを表示しています。').waitFor();
  await synced(since);
  await shownMenu(phone, NAMES.district).waitFor({ timeout: 30_000 });
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const audit = await admin.call('GET', `/audit?from=${day}&to=${day}&actor=${staff.loginId}`);
  expect(audit.status).toBe(200);
  expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
    expect.arrayContaining(['richmenu.links_saved', 'richmenu.disaster_on', 'richmenu.disaster_off']),
  );
});

test('no script errors', () => {
  expect(pageErrors).toEqual([]);
});
