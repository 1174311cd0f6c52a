/**
 * キーワード応答: a staff member with only the keywords function signs in and sees the starter
 * rules in the order they are tried. They create a rule (部分一致, two keywords, a reply of a
 * multi-line text and a link), try a message (the rule answers, the phone shows its reply), edit it
 * and see the change in 試す at once (a stale save is refused plainly and the newest rule read
 * again), and a dangerous regular expression is refused with the server's words. A citizen of the
 * LINE simulator asks and gets the rule's reply, which 応答の回数 counts. The rules go out as CSV
 * (BOM, header row) and JSON and come back in 置き換え mode with the same count (a broken CSV is
 * refused naming its row). A citizen's question that no rule answers is listed under 答えられなかった
 * メッセージ; a rule made from it (prefilled) answers it from then on, and is deleted again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { KEYWORD_CSV_COLUMNS } from '../../functions/keywords/labels';
import { apiSession, consoleEnv, launchBrowser, menuEntries, newConsole, screenshot, signIn, strongPassword, uniqueId } from './support';

// Citizens' messages go through the webhook queue and the rules' cache (a few seconds).
jest.setTimeout(120_000);

let browser: Browser;
let page: Page;
let sim: LineSimulatorClient;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const staff = { loginId: uniqueId('kw'), initial: strongPassword(), password: strongPassword('kw') };
const citizen = { userId: '', name: `荒尾 花子${tag}` };
const browserDialogs: string[] = [];
const pageErrors: string[] = [];

const RULE_NAME = `市民プール（荒尾市民総合プール）の営業時間・料金・休館日の案内 ${tag}`;
const REPLY_1 = [
  '市民プールの営業時間は次のとおりです。',
  '・7月〜8月：9時〜19時',
  '・9月〜6月：10時〜18時',
  '毎週月曜日はお休みです（祝日のときは次の日）。',
].join('\n');
const REPLY_1_EDITED = REPLY_1.replace('毎週月曜日はお休みです', '毎週月曜日と、12月29日〜1月3日はお休みです');
const QUESTION = '市民プールは何時まで泳げますか？';
const UNANSWERED = [
  '荒尾干潟で毎年やっている野鳥観察会は、今年はいつ開かれますか？',
  '小学生の子ども2人と参加したいと考えています。',
  '双眼鏡の貸し出しがあるか、雨の日は中止になるのかも知りたいです。',
  '申し込みが必要なら、締め切りも教えてください。',
  `よろしくお願いします（${tag}）。`,
].join('\n');

let ruleId = '';
let starterCount = 0;
/** The downloads, under the names the console gave them. */
const downloads = mkdtempSync(join(tmpdir(), 'keywords-e2e-'));
let jsonPath = '';

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });
const subnav = (p: Page) => p.getByRole('navigation', { name: 'キーワード応答のメニュー' });
const ruleTable = (p: Page) => p.getByRole('table', { name: 'ルール一覧' });
const ruleCount = async (p: Page) => {
  const text = (await p.getByTestId('rule-count').textContent()) ?? '';
  const m = /^([\d,]+) \/ 1,000 件$/.exec(text.trim());
  if (!m) throw new Error(`rule count reads "${text}"`);
  return Number(m[1].replaceAll(',', ''));
};

async function addBubble(p: Page, type: 'text' | 'image' | 'card' | 'link') {
  await p.getByLabel(/^追加する吹き出し/).selectOption(type);
  await p.getByRole('button', { name: '＋ 吹き出しを追加' }).click();
}

async function openList(p: Page) {
  await subnav(p).getByRole('link', { name: 'ルール', exact: true }).click();
  await ruleTable(p).locator('tbody tr').first().waitFor();
}

/** Types a message into the page's 試す box and waits for the answer. */
async function tryText(p: Page, text: string) {
  const form = p.getByRole('form', { name: 'メッセージを試す' });
  await form.getByLabel('友だちが送る文').fill(text);
  const answered = p.waitForResponse((r) => r.url().endsWith('/api/admin/keywords/try'));
  await form.getByRole('button', { name: '試す', exact: true }).click();
  expect((await answered).status()).toBe(200);
  const result = p.getByRole('region', { name: '試した結果' });
  await result.waitFor();
  return result;
}

/** Replies (the answer to a webhook event) the citizen got since `since` whose text has `needle`. */
async function repliesWith(since: number, needle: string, timeoutMs = 20_000) {
  const got = await sim.waitForReceived(
    citizen.userId,
    (all) => all.some((m) => m.sentAt >= since && m.source === 'reply' && JSON.stringify(m.message).includes(needle)),
    timeoutMs,
  );
  return got.filter((m) => m.sentAt >= since && m.source === 'reply');
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser, { acceptDownloads: true }));
  // The console asks in its own dialogs: a browser confirm box would be a defect (dismissed and recorded).
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  await admin.createStaff({
    loginId: staff.loginId,
    displayName: '広報 キーワード担当',
    role: 'general',
    permissions: ['keywords'],
    initialPassword: staff.initial,
  });
  const first = await apiSession(staff.loginId, staff.initial);
  expect((await first.call('POST', '/auth/password', { currentPassword: staff.initial, newPassword: staff.password })).status).toBe(204);
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  citizen.userId = (await sim.createCitizen({ displayName: citizen.name, language: 'ja', follow: true })).citizen.userId;
  await signIn(page, staff.loginId, staff.password);
});

afterAll(async () => {
  // Leave the shared runtime's rules as the starter set (other browser tests send messages too).
  if (ruleId) {
    const left = await admin?.call('GET', `/keywords/${ruleId}`);
    if (left?.status === 200) await admin.call('DELETE', `/keywords/${ruleId}`, { version: left.body.version });
  }
  await browser?.close();
  rmSync(downloads, { recursive: true, force: true });
});

test('the starter rules are listed in the order they are tried, with the order explained', async () => {
  // Arrange
  expect(await menuEntries(page)).toContain('キーワード応答');
  expect(await menuEntries(page)).not.toContain('配信');

  // Act
  await menu(page).getByRole('link', { name: 'キーワード応答' }).click();
  await page.getByRole('heading', { name: 'キーワード応答', level: 1 }).waitFor();
  const rows = ruleTable(page).locator('tbody tr');
  await rows.first().waitFor();

  // Assert: no "coming soon"; the order sentence; the starter set in order (1番目, 2番目, … by priority)
  expect(await page.getByText('この機能は準備中です').count()).toBe(0);
  const explained = (await page.locator('.order-explain').textContent()) ?? '';
  expect(explained).toContain('優先度の小さい順');
  expect(explained).toContain('完全一致・部分一致・正規表現の順');
  expect(explained).toContain('作成の古い順');
  expect(explained).toContain('既定の返信');
  starterCount = await ruleCount(page);
  expect(starterCount).toBeGreaterThanOrEqual(30);
  expect(await rows.count()).toBe(starterCount);
  const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
  const first = await cells(0);
  expect(first.slice(0, 3)).toEqual(['1番目', '救急・火事（119番）', '部分一致']);
  expect(first[3]).toMatch(/ほか \d+ 件$/);
  expect(first[4]).toBe('1');
  expect(first[5]).toBe('有効');
  expect(first[9]).toContain('初期データ');
  expect((await cells(1)).slice(0, 2)).toEqual(['2番目', '事件・事故（110番）']);
  const orders = (await rows.locator('td:first-child').allTextContents()).map((t) => Number(t.replace('番目', '')));
  expect(orders).toEqual(Array.from({ length: starterCount }, (_, i) => i + 1));
  const priorities = (await rows.locator('td:nth-child(5)').allTextContents()).map((t) => Number(t.replaceAll(',', '')));
  expect([...priorities].sort((a, b) => a - b)).toEqual(priorities);
});

test('a new rule: 部分一致, two keywords and a two-bubble reply (a multi-line text and a link)', async () => {
  // Arrange
  await page.getByRole('link', { name: '＋ 新しいルール' }).click();
  await page.getByRole('heading', { name: '新しいルール', level: 1 }).waitFor();

  // Act
  await page.getByLabel('ルール名').fill(RULE_NAME);
  await page.getByRole('radio', { name: /^部分一致/ }).check();
  await page.getByLabel(/^キーワード（/).fill('市民プール\n水泳');
  expect(await page.getByLabel('優先度').inputValue()).toBe('500');
  await addBubble(page, 'text');
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill(REPLY_1);
  await addBubble(page, 'link');
  const link = page.getByRole('region', { name: '吹き出し 2（リンク）' });
  await link.getByLabel('本文').fill('料金や臨時のお休みは、市のホームページでご確認ください。');
  await link.getByLabel('ボタンの文字').fill('市のホームページ');
  await link.getByLabel('アドレス').fill('https://www.city.arao.lg.jp/');
  await page.getByRole('region', { name: 'スマートフォンでの表示（日本語）' }).getByText('・9月〜6月：10時〜18時', { exact: false }).waitFor();
  // At the end of the page, so the sticky save bar sits in its place in the full-page picture.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await screenshot(page, '41-keywords-editor.png');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/admin/keywords') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert: stored as typed; the page is now the rule's own
  const answer = await created;
  expect(answer.status()).toBe(201);
  const body = await answer.json();
  ruleId = body.ruleId;
  expect(body).toMatchObject({ name: RULE_NAME, match: 'contains', patterns: ['市民プール', '水泳'], priority: 500, enabled: true, version: 1 });
  expect(body.replies).toEqual([
    {
      lang: 'ja',
      bubbles: [
        { type: 'text', text: REPLY_1 },
        { type: 'link', text: '料金や臨時のお休みは、市のホームページでご確認ください。', label: '市のホームページ', url: 'https://www.city.arao.lg.jp/' },
      ],
    },
  ]);
  await page.waitForURL(new RegExp(`/keywords/${ruleId}$`));
  await page.getByRole('status').getByText(`ルール「${RULE_NAME}」を作成しました。`, { exact: false }).waitFor();
  await page.getByRole('heading', { name: RULE_NAME, level: 1 }).waitFor();

  // Assert: in the list, with its place in the order and one more rule
  await openList(page);
  expect(await ruleCount(page)).toBe(starterCount + 1);
  const row = ruleTable(page).locator('tbody tr').filter({ hasText: RULE_NAME });
  const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
  expect(cells[0]).toMatch(/^\d+番目$/);
  expect(cells.slice(1, 6)).toEqual([RULE_NAME, '部分一致', '市民プール水泳', '500', '有効']);
  expect(cells.slice(6, 9)).toEqual(['0', '0', '0']);
  expect(cells[9]).toContain(staff.loginId);
});

test('試す: the new rule answers first, the text as matched is shown, and the phone shows its reply', async () => {
  // Act: a question two rules match (the new one at 500 before 問い合わせ先・電話番号 at 800)
  const result = await tryText(page, '市民プールの電話番号を教えてください');

  // Assert: in the order they are tried, the first one answering; the text as the matcher reads it
  const matches = result.locator('.try-matches li');
  expect(await matches.count()).toBe(2);
  const first = matches.nth(0);
  expect(await first.getAttribute('class')).toBe('try-first');
  expect(await first.textContent()).toContain(RULE_NAME);
  expect(await first.textContent()).toContain('この返信が送られます');
  expect(await matches.nth(1).textContent()).toContain('問い合わせ先・電話番号');
  expect(await matches.nth(1).textContent()).not.toContain('この返信が送られます');
  expect(await result.locator('.normalized').textContent()).toBe('市民ぷるの電話番号を教えてください');
  const phone = page.getByRole('region', { name: '返信のプレビュー（日本語）' });
  await phone.getByText('毎週月曜日はお休みです', { exact: false }).waitFor();
  await phone.getByText('市のホームページ', { exact: true }).waitFor();
  await page.locator('.try-box').scrollIntoViewIfNeeded();
  await screenshot(page, '42-keywords-try.png', { fullPage: false });

  // Act + Assert: a message no rule answers
  const none = await tryText(page, '荒尾干潟の野鳥観察会について教えてください');
  await none.getByText('どのルールにも当てはまりません（既定の返信が送られます）').waitFor();
  expect(await page.getByRole('region', { name: /^返信のプレビュー/ }).count()).toBe(0);
});

test('editing the reply shows in 試す at once; a save over a newer version is refused and the newest is read again', async () => {
  // Arrange
  await ruleTable(page).getByRole('link', { name: RULE_NAME }).click();
  await page.getByRole('heading', { name: RULE_NAME, level: 1 }).waitFor();

  // Act
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill(REPLY_1_EDITED);
  await page.getByText('保存していない変更があります').waitFor();
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByRole('status').getByText(`ルール「${RULE_NAME}」を保存しました。`, { exact: false }).waitFor();
  const result = await tryText(page, QUESTION);

  // Assert: the saved reply, at once
  expect(await result.locator('.try-first').textContent()).toContain(RULE_NAME);
  await page.getByRole('region', { name: '返信のプレビュー（日本語）' }).getByText('12月29日〜1月3日はお休みです', { exact: false }).waitFor();

  // Arrange: someone else saves first (priority 450)
  const stored = (await admin.call('GET', `/keywords/${ruleId}`)).body;
  const { name, match, patterns, enabled, replies, version } = stored;
  expect((await admin.call('PUT', `/keywords/${ruleId}`, { name, match, patterns, priority: 450, enabled, replies, version })).status).toBe(200);

  // Act
  await page.getByLabel('優先度').fill('300');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert: the server's words, and the newest rule read again
  await page.getByRole('alert').getByText('ほかの職員が先にこのルールを変更しました。', { exact: false }).waitFor();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).waitFor({ state: 'detached' });
  expect(await page.getByLabel('優先度').inputValue()).toBe('450');
  expect((await admin.call('GET', `/keywords/${ruleId}`)).body.priority).toBe(450);
});

test('a dangerous regular expression (a+)+b is refused with the server’s message, and nothing is saved', async () => {
  // Arrange
  await subnav(page).getByRole('link', { name: 'ルール', exact: true }).click();
  await page.getByRole('link', { name: '＋ 新しいルール' }).click();
  await page.getByRole('heading', { name: '新しいルール', level: 1 }).waitFor();
  const before = (await admin.call('GET', '/keywords')).body.rules.length;

  // Act
  await page.getByLabel('ルール名').fill(`くり返しの多い正規表現 ${tag}`);
  await page.getByRole('radio', { name: /^正規表現/ }).check();
  await page.getByLabel(/^キーワード（/).fill('(a+)+b');
  await addBubble(page, 'text');
  await page.getByRole('region', { name: '吹き出し 1（テキスト）' }).getByLabel('本文').fill('テスト');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/admin/keywords') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert
  const answer = await refused;
  expect(answer.status()).toBe(400);
  const message: string = (await answer.json()).error.message;
  expect(message).toContain('キーワード1（(a+)+b）');
  await page.getByRole('alert').getByText(message, { exact: true }).waitFor();
  expect(page.url()).toMatch(/\/keywords\/new$/);
  expect((await admin.call('GET', '/keywords')).body.rules.length).toBe(before);
});

test('a citizen asks in the LINE simulator and gets the rule’s reply; 応答の回数 counts it', async () => {
  // Act: the citizen sends the question (simulator → webhook → the keyword responder)
  const since = Date.now();
  await sim.sendText(citizen.userId, QUESTION);

  // Assert: the edited text and the link, as LINE messages
  const replies = await repliesWith(since, '12月29日〜1月3日はお休みです');
  expect(replies.map((m) => m.message.type)).toEqual(['text', 'flex']);
  expect(replies[0].message.text).toBe(REPLY_1_EDITED);
  expect(JSON.stringify(replies[1].message)).toContain('https://www.city.arao.lg.jp/');
  // …and two questions the starter rules answer, so the table has more than one busy row
  for (const [text, needle] of [
    ['ごみの日はいつ？', 'ごみ'],
    ['ありがとうございました', 'ご利用ありがとうございます'],
  ]) {
    const at = Date.now();
    await sim.sendText(citizen.userId, text);
    await repliesWith(at, needle);
  }

  // Act: 応答の回数, last 7 days
  await subnav(page).getByRole('link', { name: '応答の回数' }).click();
  const table = page.getByRole('table', { name: '応答の回数（過去7日間）' });
  await table.waitFor();

  // Assert: today (the last day) 1, total 1; 30 days the same
  const row = table.locator('tbody tr').filter({ hasText: RULE_NAME });
  const counts = (await row.locator('td').allTextContents()).map((t) => t.trim());
  expect(counts).toHaveLength(8);
  expect(counts.slice(5)).toEqual(['0', '1', '1']);
  expect(await table.locator('thead th').count()).toBe(9);
  await page.getByLabel('過去30日間').check();
  const month = page.getByRole('table', { name: '応答の回数（過去30日間）' });
  await month.waitFor();
  const monthRow = (await month.locator('tbody tr').filter({ hasText: RULE_NAME }).locator('td').allTextContents()).map((t) => t.trim());
  expect(monthRow).toHaveLength(31);
  expect(monthRow.at(-1)).toBe('1');
  await page.getByLabel('0回のルールを隠す').check();
  expect(await month.locator('tbody tr').filter({ hasText: RULE_NAME }).count()).toBe(1);
  expect(await month.locator('tbody tr').count()).toBeLessThan(starterCount);
  await page.getByLabel('0回のルールを隠す').uncheck();
  await page.getByLabel('過去7日間').check();
  await table.waitFor();
  await screenshot(page, '43-keywords-hits.png');

  // Assert: the list's 今日 / 7日 / 30日
  await openList(page);
  const listed = (await ruleTable(page).locator('tbody tr').filter({ hasText: RULE_NAME }).locator('td').allTextContents()).map((t) => t.trim());
  expect(listed.slice(6, 9)).toEqual(['1', '1', '1']);
  await screenshot(page, '40-keywords-list.png');
});

test('書き出し: CSV with a BOM and the header row, and JSON with every rule', async () => {
  // Act: CSV
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '書き出し（CSV）' }).click();
  const csvFile = await csvDownload;
  const csvPath = join(downloads, csvFile.suggestedFilename());
  await csvFile.saveAs(csvPath);
  const bytes = readFileSync(csvPath);

  // Assert
  expect(csvFile.suggestedFilename()).toMatch(/^keywords-\d{12}\.csv$/);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  const header = csv
    .split('\r\n')[0]
    .split(',')
    .map((h) => h.replace(/^"|"$/g, ''));
  expect(header).toEqual([...KEYWORD_CSV_COLUMNS]);
  expect(csv).toContain(RULE_NAME);
  expect(csv).toContain('"市民プール\n水泳"');
  expect(csv).toContain('救急・火事（119番）');

  // Act: JSON
  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '書き出し（JSON）' }).click();
  const jsonFile = await jsonDownload;
  jsonPath = join(downloads, jsonFile.suggestedFilename());
  await jsonFile.saveAs(jsonPath);
  const doc = JSON.parse(readFileSync(jsonPath, 'utf8'));

  // Assert
  expect(jsonFile.suggestedFilename()).toMatch(/^keywords-\d{12}\.json$/);
  expect(doc.format).toBe('civic-line.keywords');
  expect(doc.rules).toHaveLength(starterCount + 1);
  const mine = doc.rules.find((r: { name: string }) => r.name === RULE_NAME);
  expect(mine).toMatchObject({ ruleId, match: 'contains', patterns: ['市民プール', '水泳'], priority: 450 });
  expect(mine.replies[0].bubbles).toHaveLength(2);
});

test('取り込み: a broken CSV is refused naming its row; the JSON back in 置き換え mode keeps the same rules', async () => {
  // Arrange
  const before = (await admin.call('GET', '/keywords')).body.rules.map((r: { ruleId: string }) => r.ruleId).sort();
  const broken = [
    KEYWORD_CSV_COLUMNS.join(','),
    ['粗大ごみの申し込み', '完全一致', '粗大ごみ', '100', '有効', '', '', '粗大ごみはお電話で申し込めます。', '', '', '', '', '', ''].join(','),
    ['道路の穴', 'だいたい一致', '道路', '200', '有効', '', '', '道路の穴はこちらへ。', '', '', '', '', '', ''].join(','),
  ].join('\r\n');

  // Act: the broken CSV, to add
  await page.getByRole('button', { name: '取り込み' }).click();
  const dialog = page.getByRole('dialog', { name: 'ルールの取り込み' });
  await dialog
    .getByLabel('ファイル（CSV か JSON）')
    .setInputFiles({ name: 'keywords.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${broken}`, 'utf8') });
  await dialog.getByRole('button', { name: '追加して取り込む' }).click();

  // Assert: the server's words name the row; nothing changed
  await dialog.getByRole('alert').getByText('3行目：一致のしかたは', { exact: false }).waitFor();
  expect((await admin.call('GET', '/keywords')).body.rules).toHaveLength(before.length);

  // Act: the exported JSON, replacing everything
  await dialog.getByLabel('ファイル（CSV か JSON）').setInputFiles(jsonPath);
  await dialog.getByRole('radio', { name: /^置き換え/ }).check();
  await dialog.getByText('ファイルにないルールは削除されます。').waitFor();
  expect(await dialog.locator('.file-name').textContent()).toMatch(/^keywords-\d{12}\.json$/);
  await screenshot(page, '45-keywords-import.png', { fullPage: false });
  const imported = page.waitForResponse((r) => r.url().endsWith('/api/admin/keywords/import'));
  await dialog.getByRole('button', { name: '置き換えて取り込む' }).click();

  // Assert: the same count and the same rules (their IDs kept, so their hit counts too)
  const answer = await imported;
  expect(answer.status()).toBe(200);
  expect(answer.request().postDataJSON()).toMatchObject({ format: 'json', mode: 'replace' });
  await page
    .getByRole('status')
    .getByText(`${starterCount + 1} 件のルールを置き換えで取り込みました。いまのルールは ${starterCount + 1} 件です。`)
    .waitFor();
  await dialog.waitFor({ state: 'detached' });
  await ruleTable(page).getByRole('link', { name: RULE_NAME }).waitFor();
  expect(await ruleCount(page)).toBe(starterCount + 1);
  const after = (await admin.call('GET', '/keywords')).body.rules.map((r: { ruleId: string }) => r.ruleId).sort();
  expect(after).toEqual(before);
  const listed = (await ruleTable(page).locator('tbody tr').filter({ hasText: RULE_NAME }).locator('td').allTextContents()).map((t) => t.trim());
  expect(listed[6]).toBe('1');
});

test('答えられなかったメッセージ: a citizen’s question no rule answers is listed; a rule made from it answers it, and is deleted', async () => {
  // Act: citizens ask what no rule answers (the default reply answers and records each); the long question last
  const visitor = (await sim.createCitizen({ displayName: `Alex Green ${tag}`, language: 'en', follow: true })).citizen.userId;
  for (const [userId, text] of [
    [visitor, 'Is there parking near Arao City Hall?'],
    [citizen.userId, '荒尾梨の直売所はどこにありますか'],
    [citizen.userId, UNANSWERED],
  ]) {
    const since = Date.now();
    await sim.sendText(userId, text);
    await sim.waitForReceived(userId, (all) => all.some((m) => m.sentAt >= since && m.source === 'reply'), 20_000);
  }
  await subnav(page).getByRole('link', { name: '答えられなかったメッセージ' }).click();
  const table = page.getByRole('table', { name: '答えられなかったメッセージ' });
  const firstLine = UNANSWERED.split('\n')[0];
  const row = table.locator('tbody tr').filter({ hasText: firstLine });
  const deadline = Date.now() + 20_000;
  while ((await row.count()) === 0) {
    if (Date.now() > deadline) throw new Error('the unanswered message was never listed');
    await page.waitForTimeout(1000);
    await page.getByRole('button', { name: '最新の状態に更新' }).click();
  }

  // Assert: newest first (other tests' citizens may write in between); the friend, the text as text (cut, then whole), no rule answers it yet
  const listed = await table.locator('tbody tr td:nth-child(3)').allTextContents();
  const at = (text: string) => listed.findIndex((t) => t.includes(text));
  expect(at(firstLine)).toBeGreaterThanOrEqual(0);
  expect(at(firstLine)).toBeLessThan(at('荒尾梨の直売所はどこにありますか'));
  expect(at('荒尾梨の直売所はどこにありますか')).toBeLessThan(at('Is there parking near Arao City Hall?'));
  const cells = row.locator('td');
  // Who wrote it is personal data: this account holds keywords, not friends.
  expect((await cells.nth(1).textContent())?.trim()).toBe('（友だち・会話の権限がある職員に表示）');
  expect(await table.textContent()).not.toContain(citizen.name);
  const text = cells.nth(2).locator('.message-text');
  expect(await text.textContent()).not.toContain(`（${tag}）`);
  expect(await row.getByText('が答えます', { exact: false }).count()).toBe(0);
  expect(await table.locator('tbody tr').filter({ hasText: 'Is there parking near Arao City Hall?' }).textContent()).not.toContain(`Alex Green ${tag}`);
  await screenshot(page, '44-keywords-unanswered.png');
  await row.getByRole('button', { name: '全文' }).click();
  expect(await text.textContent()).toBe(UNANSWERED);

  // Act: a rule from the message
  await row.getByRole('link', { name: 'このメッセージからルールを作る' }).click();
  await page.getByRole('heading', { name: '新しいルール', level: 1 }).waitFor();

  // Assert: prefilled with the message on one line (name and first keyword cut to their limits)
  const oneLine = UNANSWERED.replace(/\s+/g, ' ');
  expect(await page.getByLabel('ルール名').inputValue()).toBe(oneLine.slice(0, 60));
  expect(await page.getByLabel(/^キーワード（/).inputValue()).toBe(oneLine.slice(0, 100));
  await page.getByText('答えられなかったメッセージから作っています。', { exact: false }).waitFor();

  // Act: shortened to what such questions share, with a reply
  const name = `野鳥観察会の案内 ${tag}`;
  await page.getByLabel('ルール名').fill(name);
  await page.getByLabel(/^キーワード（/).fill('野鳥観察');
  await addBubble(page, 'text');
  await page
    .getByRole('region', { name: '吹き出し 1（テキスト）' })
    .getByLabel('本文')
    .fill('野鳥観察会の日程と申し込みは、市報とホームページでお知らせします。');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();

  // Assert: the list now says which rule answers it
  await subnav(page).getByRole('link', { name: '答えられなかったメッセージ' }).click();
  await row.getByText(`今は「${name}」が答えます`).waitFor();

  // Act: delete that rule, asked in the console's own dialog
  await row.getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.getByRole('button', { name: '削除する' }).click();
  const confirm = page.getByRole('dialog', { name: 'ルールの削除' });
  expect(await confirm.textContent()).toContain(`ルール「${name}」を削除しますか？`);
  await confirm.getByRole('button', { name: '削除する' }).click();

  // Assert
  await page.getByRole('status').getByText(`ルール「${name}」を削除しました。`).waitFor();
  expect(await ruleCount(page)).toBe(starterCount + 1);
  expect(await ruleTable(page).getByRole('link', { name }).count()).toBe(0);
  expect(browserDialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});
