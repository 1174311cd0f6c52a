/**
 * 操作履歴: the actions staff took appear with filters, and the CSV download (UTF-8 with BOM) uses the same filters.
 * Every action reads in plain Japanese — a delivery sent and one reserved, a segment made, an image
 * uploaded: names instead of codes, details instead of JSON, Japan time instead of UTC — and the
 * filter offers (and applies) the 配信 and セグメント actions.
 */
import { readFileSync } from 'node:fs';
import { Jimp } from 'jimp';
import type { Browser, Page } from 'playwright-core';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

jest.setTimeout(90_000);

let browser: Browser;
let page: Page;
const target = { loginId: uniqueId('audit'), displayName: '監査 確認' };
const tag = uniqueId('');
let segmentName = '';
const sentTitle = `【重要】断水のお知らせ（12月10日 水道管の工事）${tag}`;
const reservedTitle = `年末年始のごみ収集日のお知らせ ${tag}`;
/** The reserved send: tomorrow 10:00 in Japan time. */
const tomorrow = new Date(Date.now() + 9 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
const reservedAt = new Date(`${tomorrow}T10:00:00+09:00`).toISOString();
let choiceLabels: string[] = [];

/** What a person must never read on the screen: action codes, JSON, UTC times. */
const CODE = /\b(auth|staff|form|segment|delivery|deliveries|delivery_settings|media|recurring)\.[a-z_]+\b/;
const UTC = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser, { acceptDownloads: true }));
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  await admin.createStaff({ ...target, role: 'general', permissions: ['deliveries'], initialPassword: strongPassword() });
  await admin.call('PATCH', `/staff/${target.loginId}`, { displayName: '監査 確認（変更後）', permissions: ['deliveries', 'surveys'] });

  // A segment on two districts of the profile form (its own choice ids and names).
  const { district } = (await admin.call('GET', '/attributes')).body.attributes;
  const choices = district.choices.slice(0, 2) as { choiceId: string; label: string }[];
  choiceLabels = choices.map((c) => c.label);
  segmentName = `${choiceLabels.join('・')}地区にお住まいの方 ${tag}`;
  const segment = await admin.call('POST', '/segments', {
    name: segmentName,
    rule: { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: choices.map((c) => c.choiceId) }] },
  });
  expect(segment.status).toBe(201);
  // A delivery sent now and one reserved, both to that segment.
  const text = (t: string) => [{ lang: 'ja', bubbles: [{ type: 'text', text: `${t}\n詳しくは市のホームページをご覧ください。` }] }];
  const now = await admin.call('POST', '/deliveries', {
    title: sentTitle,
    category: '防災・緊急',
    variants: text('12月10日 9時から15時まで断水します。'),
    audience: { segmentId: segment.body.segmentId },
    timing: { kind: 'now' },
  });
  expect((await admin.call('POST', `/deliveries/${now.body.deliveryId}/send`, {})).status).toBe(200);
  const later = await admin.call('POST', '/deliveries', {
    title: reservedTitle,
    category: 'ごみ・環境',
    variants: text('年末年始はごみ収集日が変わります。'),
    audience: { segmentId: segment.body.segmentId },
    timing: { kind: 'at', at: reservedAt },
  });
  expect((await admin.call('POST', `/deliveries/${later.body.deliveryId}/send`, {})).status).toBe(200);

  await signIn(page, adminLoginId, adminPassword);
  // An image uploaded through the console, as staff do it (an image bubble of a new delivery).
  await page.goto('/deliveries/new');
  await page.getByLabel(/^追加する吹き出し/).selectOption('image');
  await page.getByRole('button', { name: '＋ 吹き出しを追加' }).click();
  const png = await new Jimp({ width: 320, height: 200, color: 0x2e7d32ff }).getBuffer('image/png');
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/admin/media') && r.request().method() === 'POST');
  await page.locator('input[type=file]').first().setInputFiles({ name: 'suido-koji.png', mimeType: 'image/png', buffer: png });
  expect((await uploaded).status()).toBe(201);
});

afterAll(async () => {
  await browser?.close();
});

test('the audit log lists sign-ins and staff changes with actor, action and target', async () => {
  // Act
  await page.getByRole('link', { name: '操作履歴' }).click();
  await page.getByRole('heading', { name: '操作履歴' }).waitFor();
  const table = page.getByRole('table', { name: '操作履歴' });
  await table.waitFor();

  // Assert
  const text = (await table.textContent()) ?? '';
  expect(text).toContain('サインイン');
  expect(text).toContain('職員アカウント作成');
  expect(text).toContain('職員アカウント変更');
  expect(text).toContain(`職員アカウント 監査 確認（変更後）（${target.loginId}）`);
  expect(text).toContain(`管理者（${consoleEnv().adminLoginId}）`);
  await screenshot(page, '05-audit-log.png', { fullPage: false }); // long lists: the first screenful
});

test('deliveries, segments and images read in plain Japanese: no codes, no JSON, Japan time', async () => {
  // Arrange
  const table = page.getByRole('table', { name: '操作履歴' });
  const row = (title: string, action: string) => table.locator('tbody tr').filter({ hasText: title }).filter({ hasText: action });

  // Assert: the actions by name, their details in words
  const sent = (await row(sentTitle, '配信の送信').textContent()) ?? '';
  expect(sent).toContain(`配信「${sentTitle}」`);
  expect(sent).toContain('送る日時: すぐに送信');
  expect(sent).toContain(`配信先: ${segmentName}`);
  expect(sent).toContain('言語: 日本語');
  const reserved = (await row(reservedTitle, '配信の予約').textContent()) ?? '';
  expect(reserved).toContain(`送る日時: ${tomorrow.replaceAll('-', '/')} 10:00`);
  expect(reserved).toContain(`配信の予約（${tomorrow.replaceAll('-', '/')} 10:00 に送信）`);
  const segment = (await row(segmentName, 'セグメント作成').textContent()) ?? '';
  expect(segment).toContain(`条件: 居住地区が ${choiceLabels.join('・')} のどれか`);
  const image = (await table.locator('tbody tr').filter({ hasText: '画像のアップロード' }).first().textContent()) ?? '';
  expect(image).toContain('幅: 320px');
  expect(image).toContain('高さ: 200px');

  // Assert: nothing on the screen is a code, JSON or a UTC time
  const all = (await table.innerText()) + (await page.getByLabel('操作', { exact: true }).innerText());
  expect(all).not.toMatch(CODE);
  expect(all).not.toMatch(/[{}]/);
  expect(all).not.toMatch(/"(kind|values|at)"/);
  expect(all).not.toMatch(UTC);
  await row(sentTitle, '配信の送信').scrollIntoViewIfNeeded();
  await screenshot(page, 'audit-log-deliveries.png', { fullPage: false });
});

test('the filter offers and applies the 配信 and セグメント actions', async () => {
  // Assert: grouped choices, every one by name
  const select = page.getByLabel('操作', { exact: true });
  expect(await select.locator('optgroup').evaluateAll((groups) => groups.map((g) => (g as HTMLOptGroupElement).label))).toEqual(
    expect.arrayContaining(['配信', 'セグメント', 'くり返し配信']),
  );
  const deliveryOptions = await select.locator('optgroup[label="配信"] option').allTextContents();
  expect(deliveryOptions).toEqual(expect.arrayContaining(['配信の送信', '配信の予約', '画像のアップロード']));

  for (const [label, code, title] of [
    ['配信の送信', 'delivery.sent', sentTitle],
    ['セグメント作成', 'segment.created', segmentName],
  ] as const) {
    // Act
    await select.selectOption({ label });
    const answer = page.waitForResponse((r) => r.url().includes('/api/admin/audit?') && r.url().includes(`action=${code}`));
    await page.getByRole('button', { name: '表示する' }).click();
    await answer;

    // Assert: only that action, ours among them
    const rows = page.getByRole('table', { name: '操作履歴' }).locator('tbody tr');
    await rows.filter({ hasText: title }).first().waitFor();
    for (const action of await rows.locator('td:nth-child(3)').allTextContents()) expect(action).toBe(label);
  }
  await select.selectOption({ label: 'すべて' });
});

test('filters narrow the list by action', async () => {
  // Act
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '職員アカウント変更' });
  const answer = page.waitForResponse((r) => r.url().includes('/api/admin/audit?') && r.url().includes('action=staff.updated'));
  await page.getByRole('button', { name: '表示する' }).click();
  await answer;

  // Assert: only updates remain, including ours with before → after
  const rows = page.getByRole('table', { name: '操作履歴' }).locator('tbody tr');
  await rows.first().waitFor();
  for (const action of await rows.locator('td:nth-child(3)').allTextContents()) expect(action).toBe('職員アカウント変更');
  const ours = (await rows.filter({ hasText: `（${target.loginId}）` }).textContent()) ?? '';
  expect(ours).toContain('表示名: 監査 確認 → 監査 確認（変更後）');
  expect(ours).toContain('使える機能: 配信 → 配信、アンケート');
});

test('CSVダウンロード uses the same filters and the file starts with a BOM', async () => {
  // Act
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSVダウンロード' }).click()]);
  const path = await download.path();

  // Assert: the screen's words (action names, details), not JSON
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  expect(csv).toContain(target.loginId);
  expect(csv).toContain('職員アカウント変更');
  expect(csv).toContain('表示名: 監査 確認（変更後）');
  expect(csv).not.toContain('サインイン失敗');
  expect(csv).not.toContain('{"');
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
});

test('a period with no entries shows an empty state, not an empty table', async () => {
  await page.getByLabel('期間（開始日）').fill('2001-01-01');
  await page.getByLabel('期間（終了日）').fill('2001-01-31');
  await page.getByRole('button', { name: '表示する' }).click();
  await page.getByText('この条件に当てはまる操作はありません').waitFor();
});
