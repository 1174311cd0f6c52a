/**
 * シナリオ: a staff member with only the scenarios function builds a small branching scenario in
 * Chromium (a multi-line question with two choices, a free-text step reached by one of them, the
 * other ending), sees the checks before publishing find the step nobody reaches and then nothing,
 * saves it as a new version, publishes it and looks at it as a graph. A citizen on the LINE
 * simulator's phone page types the start word, taps a quick reply and types their district; the
 * results page shows the finished run with both answers.
 */
import type { Browser, Page } from 'playwright-core';
import { LineSimulatorClient } from '../../simulator/client';
import { generalStaff, launchBrowser, menuEntries, newConsole, png, screenshot, signIn, uniqueId } from './support';

jest.setTimeout(120_000);

let browser: Browser;
let page: Page;
let sim: LineSimulatorClient;
const tag = uniqueId('');
const citizen = { userId: '', name: `粗大 一郎${tag}` };
const NAME = `粗大ごみの出し方の案内（戸別収集・持ち込み・手数料） ${tag}`;
const WORD = `粗大ごみ相談${tag}`;
const QUESTION = ['粗大ごみの出し方をご案内します。', '何を出しますか？'].join('\n');
const pageErrors: string[] = [];
const browserDialogs: string[] = [];

const menu = (p: Page) => p.getByRole('navigation', { name: 'メニュー' });

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newConsole(browser, { acceptDownloads: true }));
  page.on('dialog', (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const staff = await generalStaff({ loginId: uniqueId('sc'), displayName: '環境衛生 シナリオ担当', permissions: ['scenarios'] });
  sim = new LineSimulatorClient(process.env.IT_SIMULATOR_URL!);
  citizen.userId = (await sim.createCitizen({ displayName: citizen.name, language: 'ja', follow: true })).citizen.userId;
  await signIn(page, staff.loginId, staff.password);
});

afterAll(async () => {
  await browser?.close();
});

const stepEditor = (p: Page) => p.getByRole('group', { name: /^ステップ「.*」の編集$/ });

test('staff build a branching scenario, see the checks, save a version and publish it', async () => {
  expect(await menuEntries(page)).toContain('シナリオ');
  await menu(page).getByRole('link', { name: 'シナリオ' }).click();
  await page.getByRole('heading', { name: 'シナリオ', level: 1 }).waitFor();
  await page.getByRole('button', { name: '＋ 新しいシナリオ' }).click();
  const dialog = page.getByRole('dialog', { name: '新しいシナリオ' });
  await dialog.getByLabel(/^シナリオ名/).fill(NAME);
  await dialog.getByRole('button', { name: '作成して編集する' }).click();
  await page.getByRole('heading', { name: `シナリオ「${NAME}」` }).waitFor();

  // Settings: the start word.
  await page.getByLabel(/^開始キーワード/).fill(WORD);

  // The first step: a two-line question with two choices, saved as "item".
  const first = stepEditor(page);
  await first.getByLabel(/^ステップ名/).fill('出すもの');
  await first.getByLabel(/^メッセージ1（日本語）/).fill(QUESTION);
  await first.getByLabel('友だちの答え方').selectOption('choice');
  await first.getByLabel('答えを保存する名前').fill('item');
  await first.getByLabel(/^選択肢1（日本語）/).fill('ソファ');
  await first.getByLabel(/^選択肢2（日本語）/).fill('その他');

  // A second step: free text, saved as "district", using the first answer.
  await page.getByRole('button', { name: '＋ ステップを追加' }).first().click();
  const second = stepEditor(page);
  await second.getByLabel(/^ステップ名/).fill('地区');
  await second.getByLabel(/^メッセージ1（日本語）/).fill('{answer.item}ですね。\nお住まいの地区を入力してください。');
  await second.getByLabel('友だちの答え方').selectOption('text');
  await second.getByLabel('答えを保存する名前').fill('district');
  // …with a map image after its text.
  await second.getByRole('button', { name: '＋ 画像' }).click();
  await second.getByLabel('メッセージ2（画像）').setInputFiles({ name: 'districts.png', mimeType: 'image/png', buffer: png(240, [0x2e, 0x7d, 0x32]) });
  await second.locator('img.image-picked').waitFor();

  // Nothing leads to 地区 yet: the checks say so and the step is marked.
  const problems = page.getByRole('region', { name: /^直すところ/ });
  await problems.getByText('「地区」にはどこからも進めません。').waitFor();
  await page
    .getByRole('list', { name: 'ステップの一覧' })
    .getByRole('button', { name: /出すもの/ })
    .click();
  await stepEditor(page).getByLabel('選択肢1の行き先の種類').selectOption('step');
  await stepEditor(page).getByLabel('選択肢1の行き先のステップ').selectOption({ label: '地区' });
  await page.getByText('公開の前の確認：直すところはありません。').waitFor();

  // The phone preview shows the question with its quick replies.
  const phone = page.getByRole('region', { name: '日本語での表示' });
  await phone.getByText('何を出しますか？').waitFor();
  expect(await phone.getByLabel('クイックリプライ').innerText()).toMatch(/ソファ\s+その他\s+最初から/);
  await screenshot(page, '71-scenarios-editor.png');

  // Save (version 2) and publish it.
  await page.getByRole('button', { name: '保存（新しい版）' }).click();
  await page.getByText('第2版として保存しました。').waitFor();
  await page.getByRole('button', { name: 'この版を公開' }).click();
  await page.getByRole('dialog', { name: '第2版を公開しますか？' }).getByRole('button', { name: '公開する' }).click();
  await page.getByText('第2版を公開しました。').waitFor();
  await page.getByText('公開中（第2版）').waitFor();

  // The same steps as a graph (loaded on demand).
  await page.getByRole('button', { name: '図' }).click();
  await page.locator('.react-flow__node', { hasText: '地区' }).waitFor();
  expect(await page.locator('.react-flow__edge').count()).toBe(1);
  await screenshot(page, '72-scenarios-graph.png');
  await page.getByRole('button', { name: 'リスト' }).click();

  // The list shows it published with its start word.
  await page.getByRole('link', { name: '← シナリオ一覧' }).click();
  const row = page.getByRole('table', { name: 'シナリオ一覧' }).locator('tr', { hasText: NAME });
  expect(await row.innerText()).toMatch(new RegExp(`公開中（第2版）\\s+${WORD}\\s+第2版`));
  await screenshot(page, '70-scenarios-list.png');
  await row.getByRole('link', { name: NAME }).click();
  await page.getByRole('heading', { name: `シナリオ「${NAME}」` }).waitFor();
});

test('a citizen walks it on the phone page: the start word, a quick reply, a typed district; the results show the run', async () => {
  // The webhook consumer re-reads the start words within 3 s of a publish.
  await new Promise((r) => setTimeout(r, 3_500));
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  context.setDefaultTimeout(20_000);
  try {
    const phone = await context.newPage();
    await phone.goto(`${process.env.IT_SIMULATOR_URL}/#citizen=${citizen.userId}`);
    const log = phone.getByRole('log', { name: 'トーク' });
    await phone.locator('#chat-as', { hasText: citizen.name }).waitFor();
    await phone.getByLabel('メッセージ').fill(WORD);
    await phone.getByRole('button', { name: '送信' }).click();
    await log.locator('.row.account', { hasText: '何を出しますか？' }).waitFor({ timeout: 30_000 });
    const chips = phone.getByRole('group', { name: 'クイックリプライ' });
    await chips.getByRole('button', { name: 'ソファ' }).tap();
    await log.locator('.row.account', { hasText: 'ソファですね。' }).waitFor({ timeout: 30_000 });
    // The step's image follows its text (fetched by the phone from the platform's /media address, as LINE does).
    await phone.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('[role=log] .row.account img')).some((i) => i.complete && i.naturalWidth > 0),
    );
    await phone.getByLabel('メッセージ').fill('緑ケ丘');
    await phone.getByRole('button', { name: '送信' }).click();
    await log.locator('.row.citizen', { hasText: '緑ケ丘' }).waitFor();
    await screenshot(phone, '73-scenarios-phone.png', { fullPage: false });
  } finally {
    await context.close();
  }

  await page.getByRole('link', { name: '結果' }).first().click();
  await page.getByRole('heading', { name: `シナリオ「${NAME}」の結果` }).waitFor();
  // The last answer is stored with the run's end (after the reply-less last step): wait for it.
  for (let i = 0; i < 20; i++) {
    if (await page.getByRole('table', { name: '回答の一覧' }).getByText('緑ケ丘').count()) break;
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
  const runs = page.getByRole('table', { name: '回答の一覧' });
  await runs.getByText('緑ケ丘').waitFor();
  expect(await runs.locator('tbody tr').first().innerText()).toMatch(/最後まで進んだ\s+地区\s+ソファ\s+緑ケ丘/);
  await screenshot(page, '74-scenarios-results.png');
});

test('no browser dialogs and no script errors', () => {
  expect(browserDialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});
