/**
 * Internet Explorer (support ended 2022) is turned away with a Japanese page asking for Edge.
 * There is no IE to run, so: the markup and the classic script are served, and Chromium
 * pretending to be IE (its user agent and document.documentMode) gets the notice, not a blank page.
 */
import type { Browser } from 'playwright-core';
import { consoleEnv, launchBrowser, newConsole } from './support';

const IE11 = 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko';

test('index.html carries the IE fallback and the classic browser check before the module', async () => {
  // Act
  const res = await fetch(`${consoleEnv().baseUrl}/`);
  const html = await res.text();

  // Assert
  expect(res.status).toBe(200);
  expect(html).toContain('id="unsupported-browser"');
  expect(html).toContain('Microsoft Edge');
  expect(html).toContain('<script src="/browser-check.js"></script>');
  const check = await (await fetch(`${consoleEnv().baseUrl}/browser-check.js`)).text();
  expect(check).toContain('documentMode');
  expect(check).not.toMatch(/\b(const|let|class)\b|=>|`/); // ES3-safe: IE must be able to parse it
});

test('the static unsupported-browser page is served', async () => {
  const res = await fetch(`${consoleEnv().baseUrl}/unsupported-browser.html`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  expect(await res.text()).toContain('Microsoft Edge');
});

describe('in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('a browser that looks like IE gets the notice instead of a blank screen', async () => {
    // Arrange
    const { context, page } = await newConsole(browser, { userAgent: IE11 });
    await context.addInitScript(() => Object.defineProperty(document, 'documentMode', { value: 11, configurable: true }));

    // Act
    await page.goto('/');

    // Assert
    const notice = page.locator('#unsupported-browser');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toContain('Microsoft Edge で');
    expect(await page.locator('#open-in-edge').getAttribute('href')).toMatch(/^microsoft-edge:http/);
    expect(await page.locator('#root').isVisible()).toBe(false);
    await context.close();
  });

  test('current browsers never see the notice', async () => {
    const { context, page } = await newConsole(browser);
    await page.goto('/');
    await page.getByRole('heading', { name: 'サインイン' }).waitFor();
    expect(await page.locator('#unsupported-browser').isVisible()).toBe(false);
    await context.close();
  });
});
