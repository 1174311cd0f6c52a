/**
 * 防災メール連携: an administrator names the city's sender and a rule 「避難指示は承認」 (subject
 * keyword 避難指示, everyone, held for approval) and saves it (kept after a reload; a stale save is
 * refused plainly). An alert mail arrives over SMTP: the navigation's badge shows 1 without a
 * reload, the staff member corrects the Japanese text and approves it, the log shows 送信 with the
 * delivery's progress and each friend gets the corrected text. A mail from an unknown sender is
 * logged as 受け付けない差出人 and never sent. Then a pasted mail is converted without sending.
 */
import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { apiSession, consoleEnv, launchBrowser, newConsole, screenshot, signIn, smtpEnv, uniqueId } from './support';

// The mail goes through the intake queue, the held marker, the 15 s badge poll and the send pipeline.
jest.setTimeout(120_000);

const SENDER = 'bousai@city.arao.example';
const SUBJECT = '【荒尾市】避難指示（警戒レベル4）';
const BODY = [
  '荒尾市災害対策本部からお知らせします。',
  '',
  '本日14時30分、荒尾市全域に避難指示（警戒レベル4）を発令しました。',
  '危険な場所から全員避難してください。',
  '避難所：荒尾市総合文化センター、中央公民館',
  '',
  '-----',
  '配信停止はこちら https://mail.city.arao.example/stop',
].join('\n');
const ADDED = '※ペットと一緒に避難できる避難所は中央公民館です。';

let browser: Browser;
let page: Page;
let sim: LineSimulatorClient;
let admin: Awaited<ReturnType<typeof apiSession>>;
const tag = uniqueId('');
const citizens = { ja: { userId: '', name: `荒尾 一郎${tag}` }, en: { userId: '', name: `Alex Green ${tag}` } };
let since = 0;
const browserDialogs: string[] = [];

async function sendMail(input: { from: string; subject: string; text: string }): Promise<void> {
  const { host, port } = smtpEnv();
  const transport = nodemailer.createTransport({ host, port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: input.from, to: 'line-bridge@city.arao.example', subject: input.subject, text: input.text });
  } finally {
    transport.close();
  }
}

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });
const subnav = (p: Page) => p.getByRole('navigation', { name: '防災メール連携のメニュー' });
const logTable = (p: Page) => p.getByRole('table', { name: '受信ログ' });

/** Presses 最新の状態に更新 until a log line with `text` shows `expected` (the log follows held mails and moving deliveries by itself, not refusals). */
async function logRowShows(p: Page, text: string, expected: RegExp, timeoutMs = 45_000) {
  const row = logTable(p).locator('tbody tr').filter({ hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = (await row.count()) > 0 ? ((await row.textContent()) ?? '') : '';
    if (expected.test(shown)) return row;
    if (Date.now() > deadline) throw new Error(`log line "${text}" never showed ${expected}: ${shown || 'no line'}`);
    await p.waitForTimeout(1000);
    const refresh = p.getByRole('button', { name: '最新の状態に更新' });
    if (await refresh.isEnabled()) await refresh.click();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser));
  // The console asks in its own dialogs: a browser confirm box would be a defect (dismissed and recorded).
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  const { adminLoginId, adminPassword } = consoleEnv();
  admin = await apiSession(adminLoginId, adminPassword);
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  since = Date.now();
  citizens.ja.userId = (await sim.createCitizen({ displayName: citizens.ja.name, language: 'ja', follow: true })).citizen.userId;
  citizens.en.userId = (await sim.createCitizen({ displayName: citizens.en.name, language: 'en', follow: true })).citizen.userId;
  await signIn(page, adminLoginId, adminPassword);
});

afterAll(async () => {
  await browser?.close();
});

test('rules: an accepted sender and a held route are saved, kept after a reload, and a stale save is refused plainly', async () => {
  // Arrange
  await menu(page).getByRole('link', { name: '防災メール連携' }).click();
  await page.getByRole('heading', { name: '防災メール連携', level: 1 }).waitFor();
  await subnav(page).getByRole('link', { name: 'ルール設定' }).click();
  await page.getByText('上から順に調べ、最初に一致したルールで送ります').waitFor();

  // Act
  await page.getByLabel('追加する差出人').fill(SENDER);
  await page.getByRole('button', { name: '追加', exact: true }).click();
  await page.getByRole('button', { name: '＋ ルールを追加' }).click();
  const route = page.getByRole('group', { name: 'ルール 1', exact: true });
  await route.getByLabel('名前').fill('避難指示は承認');
  await route.getByLabel('件名のキーワード').fill('避難指示');
  await route.getByLabel('友だち全員').check();
  await route.getByLabel('承認してから送信').check();
  await page.getByLabel('防災ページのURL').fill('https://www.city.arao.example/bousai/');
  // At the end of the page, so the sticky save bar sits in its place in the full-page picture.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await screenshot(page, '34-disaster-mail-settings.png');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/disaster-mail/settings') && r.request().method() === 'PUT');
  await page.getByRole('button', { name: '保存する' }).click();
  expect((await saved).status()).toBe(200);
  await page.getByRole('status').getByText('保存しました。').waitFor();

  // Assert: after a reload, the saved settings
  await page.reload();
  await page.getByRole('list', { name: '受け付ける差出人' }).getByText(SENDER).waitFor();
  const first = page.locator('.route-card').first();
  expect(await first.textContent()).toContain('避難指示は承認');
  expect(await first.textContent()).toContain('件名に「避難指示」のどれか → 友だち全員、承認してから送信');
  expect(await page.locator('.route-card').count()).toBe(1);
  expect(await page.getByLabel('防災ページのURL').inputValue()).toBe('https://www.city.arao.example/bousai/');
  const stored = await admin.call('GET', '/disaster-mail/settings');
  expect(stored.body.settings.acceptedSenders).toEqual([SENDER]);
  expect(stored.body.settings.routes).toEqual([
    expect.objectContaining({ name: '避難指示は承認', subjectKeywords: ['避難指示'], target: { kind: 'everyone' }, mode: 'hold' }),
  ]);
  expect(stored.body.settings.routes[0].releaseAfterMinutes).toBeUndefined();

  // Act: someone else saves first (same settings, a newer version), then this page saves
  expect((await admin.call('PUT', '/disaster-mail/settings', { settings: stored.body.settings, expectedVersion: stored.body.version })).status).toBe(200);
  await page.getByLabel('重複とみなす時間（分）').fill('90');
  await page.getByRole('button', { name: '保存する' }).click();

  // Assert: refused in plain words, and the newest settings can be read again
  await page.getByRole('alert').getByText('ほかの職員が先に変更しました', { exact: false }).first().waitFor();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).waitFor({ state: 'detached' });
  expect(await page.getByLabel('重複とみなす時間（分）').inputValue()).toBe('60');
  expect(browserDialogs).toEqual([]);
});

test('a held alert: the badge shows 1 without a reload, the corrected text is approved and sent to every friend', async () => {
  // Arrange: the log page is open; the page is never reloaded from here on
  await subnav(page).getByRole('link', { name: '受信ログ' }).click();
  await page.getByRole('button', { name: '最新の状態に更新' }).waitFor();
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  expect(
    await menu(page)
      .getByRole('img', { name: /^承認待ち/ })
      .count(),
  ).toBe(0);

  // Act: the city's system sends the alert
  await sendMail({ from: SENDER, subject: SUBJECT, text: BODY });

  // Assert: the badge (polled every 15 s) and the log follow by themselves
  await menu(page).getByRole('img', { name: '承認待ち 1件' }).waitFor({ timeout: 45_000 });
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  const heldRow = await logRowShows(page, SUBJECT, /承認待ち/);
  expect(await heldRow.textContent()).toContain('避難指示は承認');

  // Act: check and correct the Japanese text, then approve
  await subnav(page)
    .getByRole('link', { name: /承認待ち/ })
    .click();
  const card = page.getByRole('region', { name: SUBJECT });
  const text = card.getByLabel('日本語のメッセージ');
  await text.waitFor();
  const composed = await text.inputValue();
  expect(composed).toContain(SUBJECT);
  expect(composed).toContain('危険な場所から全員避難してください。');
  expect(composed).toContain('詳しくは：https://www.city.arao.example/bousai/');
  expect(composed).not.toContain('配信停止');
  const corrected = composed.replace('避難所：荒尾市総合文化センター、中央公民館', `避難所：荒尾市総合文化センター、中央公民館\n${ADDED}`);
  expect(corrected).not.toBe(composed);
  await text.fill(corrected);
  await card.getByText('ほかの言語で届く文（英語・韓国語・中国語）').click();
  await card.getByRole('region', { name: '英語' }).getByText('Evacuation order (Level 4)', { exact: false }).waitFor();
  await screenshot(page, '31-disaster-mail-held.png');
  await card.getByRole('button', { name: '承認して送信' }).click();
  const dialog = page.getByRole('dialog', { name: '承認して送信' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain(`「${SUBJECT}」を`);
  await screenshot(page, '32-disaster-mail-approve.png', { fullPage: false });
  const approved = page.waitForResponse((r) => /\/api\/admin\/disaster-mail\/mails\/[^/]+\/approve$/.test(r.url()));
  await dialog.getByRole('button', { name: '送信する' }).click();
  const answer = await approved;

  // Assert: sent with the corrected text; the badge is gone
  expect(answer.status()).toBe(200);
  expect(answer.request().postDataJSON()).toEqual({ text: corrected });
  await page.getByRole('status').getByText(`「${SUBJECT}」を承認して送信しました。`, { exact: false }).waitFor();
  await page.getByText('承認を待っているメールはありません').waitFor();
  await menu(page)
    .getByRole('img', { name: /^承認待ち/ })
    .waitFor({ state: 'detached' });

  // Assert: the log shows 送信 and the delivery's progress
  await subnav(page).getByRole('link', { name: '受信ログ' }).click();
  const sentRow = await logRowShows(page, SUBJECT, /送信済み [\d,]+人 \/ 失敗 0/, 60_000);
  expect(await sentRow.getByText('送信', { exact: true }).count()).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // Assert: each friend got the corrected text once, in their language
  const got = async (userId: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const texts = (await sim.received(userId, since))
        .filter((m) => m.source === 'multicast' || m.source === 'push')
        .map((m) => String(m.message.text ?? ''))
        .filter((t) => t.includes(SUBJECT));
      if (texts.length > 0 || Date.now() > deadline) return texts;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const ja = await got(citizens.ja.userId);
  const en = await got(citizens.en.userId);
  expect(ja).toHaveLength(1);
  expect(ja[0]).toContain(ADDED);
  expect(ja[0].startsWith(SUBJECT)).toBe(true);
  expect(en).toHaveLength(1);
  expect(en[0].startsWith('Evacuation order (Level 4)')).toBe(true);
  expect(en[0]).toContain(ADDED);

  // Assert: the mail's page shows the text as read and what was sent
  await sentRow.getByRole('link', { name: SUBJECT }).click();
  await page.getByRole('heading', { name: SUBJECT, level: 1 }).waitFor();
  const sent = page.getByRole('region', { name: '送った内容' });
  await sent.getByRole('region', { name: '日本語' }).getByText(ADDED, { exact: false }).waitFor();
  const read = page.getByRole('region', { name: '読み取った本文' });
  expect(await read.textContent()).toContain('配信停止はこちら');
  await screenshot(page, '33-disaster-mail-detail.png');
  expect(browserDialogs).toEqual([]);
});

test('a mail from an unknown sender is logged as 受け付けない差出人 and never sent', async () => {
  // Arrange
  const subject = `【荒尾市】大雨警報 ${tag}`;

  // Act
  await sendMail({ from: 'alert@unknown.example', subject, text: '大雨警報が発表されました。' });
  await menu(page).getByRole('link', { name: '防災メール連携' }).click();

  // Assert
  const row = await logRowShows(page, subject, /受け付けない差出人/);
  expect(await row.textContent()).toContain('alert@unknown.example');
  expect(await row.locator('td').last().textContent()).toBe('—');
  await screenshot(page, '30-disaster-mail-log.png');
});

test('a test mail goes through the whole path to one segment only and is marked テスト in the log', async () => {
  // Arrange: a segment of today's new friends (in this runtime: the test citizens)
  const segmentName = `テスト受信者 ${tag}`;
  const jstToday = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
  const seg = await admin.call('POST', '/segments', {
    name: segmentName,
    rule: { match: 'all', conditions: [{ kind: 'followed', op: 'onOrAfter', date: jstToday }] },
  });
  expect(seg.status).toBe(201);
  await subnav(page).getByRole('link', { name: 'テスト送信・試しに変換' }).click();

  // Act
  await page.getByLabel('テストの送り先').selectOption({ label: segmentName });
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/admin/disaster-mail/test'));
  await page.getByRole('button', { name: 'テスト送信', exact: true }).click();
  expect((await sent).status()).toBe(202);

  // Assert: the new log line, marked テスト, follows its delivery until it went out
  await page.getByRole('status').getByText('テストメールを送りました').waitFor();
  const row = page.getByRole('table', { name: 'テストメールの受信ログ' }).locator('tbody tr');
  await row.getByText(/送信済み [\d,]+人 \/ 失敗 0/).waitFor({ timeout: 60_000 });
  expect(await row.getByText('テスト', { exact: true }).count()).toBe(1);
  await subnav(page).getByRole('link', { name: '受信ログ' }).click();
  const logged = logTable(page).locator('tbody tr').first();
  await logged.getByText('テスト', { exact: true }).waitFor();
});

test('a pasted mail is converted without sending: the rule, the kind, the audience and each language', async () => {
  // Arrange
  await subnav(page).getByRole('link', { name: 'テスト送信・試しに変換' }).click();
  const raw = [
    `From: ${SENDER}`,
    'To: line-bridge@city.arao.example',
    `Subject: ${SUBJECT}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `荒尾市全域に避難指示を発令しました（試しに変換 ${tag}）。`,
    '',
  ].join('\r\n');

  // Act
  await page.getByLabel('メール（ヘッダーを含むメール全体、または本文だけ）').fill(raw);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/admin/disaster-mail/dry-run'));
  await page.getByRole('button', { name: '変換してみる' }).click();
  expect((await answered).status()).toBe(200);

  // Assert
  const result = page.getByRole('region', { name: '変換の結果' });
  await result.waitFor();
  const shown = (await result.textContent()) ?? '';
  expect(shown).toContain('送信はしていません');
  expect(shown).toContain('承認待ちになります');
  expect(shown).toContain('1番目のルール「避難指示は承認」に一致');
  expect(shown).toContain('避難指示（レベル4）');
  expect(shown).toMatch(/いまの対象 [\d,]+人/);
  await result.getByRole('region', { name: '英語' }).getByText('Evacuation order (Level 4)', { exact: false }).waitFor();
  await screenshot(page, '35-disaster-mail-dry-run.png');
  expect(
    await menu(page)
      .getByRole('img', { name: /^承認待ち/ })
      .count(),
  ).toBe(0);
});
