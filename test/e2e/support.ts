/**
 * Shared helpers for the console's browser tests: Chromium (Debian's, through playwright-core),
 * the local runtime's URLs and first administrator (test/integration/global-setup.ts), sign-in,
 * account creation through the API, and screenshots for the staff manual.
 */
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Where the browser tests put their pictures: `test-results/screenshots/` (ignored by git), so a
 * test run never changes tracked files. `npm run manual:screenshots` runs the browser tests with
 * MANUAL_SCREENSHOTS=1 to refresh the staff manual's pictures in docs/manual/screenshots/ on purpose.
 */
export const SCREENSHOT_DIR =
  process.env.MANUAL_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'manual', 'screenshots') : join(process.cwd(), 'test-results', 'screenshots');

export function consoleEnv() {
  return {
    baseUrl: must('IT_PLATFORM_URL'),
    adminLoginId: must('IT_ADMIN_LOGIN_ID'),
    adminPassword: must('IT_ADMIN_PASSWORD'),
  };
}

/** The local runtime's SMTP inbox (the disaster-mail bridge's intake): `IT_SMTP`, `host:port` as the ready file gives it. */
export function smtpEnv(): { host: string; port: number } {
  const joined = must('IT_SMTP');
  const at = joined.lastIndexOf(':');
  return { host: joined.slice(0, at), port: Number(joined.slice(at + 1)) };
}

function must(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: browser tests run through jest's e2e project (test/integration/global-setup.ts)`);
  return v;
}

export function launchBrowser(): Promise<Browser> {
  // --lang: date inputs and the like follow the browser's language, as on the city's Japanese PCs.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--lang=ja-JP'],
    env: { ...process.env, LANG: 'ja_JP.UTF-8', LANGUAGE: 'ja' },
  });
}

/** A fresh profile (own cookies) at a laptop-sized window, Japanese locale and Tokyo time. */
export async function newConsole(
  browser: Browser,
  opts: { acceptDownloads?: boolean; userAgent?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: consoleEnv().baseUrl,
    viewport: { width: 1280, height: 800 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    acceptDownloads: opts.acceptDownloads ?? true,
    userAgent: opts.userAgent,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Short and readable (the IDs show in the manual's screenshots); random, so test files sharing one runtime never collide. */
export function uniqueId(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`;
}

/** Meets the policy: 12+ characters, letters and digits, not containing the login ID. */
export const strongPassword = (seed = '') => `Arao${seed.length}Line${Math.random().toString(36).slice(2, 8)}2026`;

/** Fills the sign-in screen, submits and waits for the server's answer (returns its status). */
export async function submitSignIn(page: Page, loginId: string, password: string): Promise<number> {
  await page.getByLabel('ログインID').fill(loginId);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/admin/auth/login'));
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  return (await answer).status();
}

/** Signs in from the start page and waits for the console's navigation. */
export async function signIn(page: Page, loginId: string, password: string): Promise<void> {
  await page.goto('/');
  await submitSignIn(page, loginId, password);
  await page.getByRole('navigation', { name: 'メニュー' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.getByRole('heading', { name: 'サインイン' }).waitFor();
}

/** The labels of the left navigation, in order — without a count badge (未読 2件, 承認待ち 1件: another test's data may show one). */
export async function menuEntries(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'メニュー' });
  return nav.locator('a, button').evaluateAll((items) =>
    items.map((item) => {
      const copy = item.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.nav-count').forEach((badge) => badge.remove());
      return (copy.textContent ?? '').trim();
    }),
  );
}

/** A JSON call to the admin API from the page itself (same origin, its session cookie and CSRF token). */
export async function pageApi(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (method !== 'GET') {
        const me = await fetch('/api/admin/auth/me', { credentials: 'same-origin' });
        if (me.ok) headers['x-csrf-token'] = (await me.json()).csrfToken;
      }
      const res = await fetch(`/api/admin${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (CSV)
      }
      return { status: res.status, body: parsed };
    },
    { method, path, body },
  );
}

/**
 * A signed-in API session without a browser (Node fetch with the cookie and CSRF token), for
 * arranging data quickly: the Origin header is the platform's, like a same-origin browser request.
 */
export async function apiSession(loginId: string, password: string) {
  const base = consoleEnv().baseUrl;
  const res = await fetch(`${base}/api/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ loginId, password }),
  });
  if (!res.ok) throw new Error(`login ${loginId} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}/api/admin${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: base, cookie, 'x-csrf-token': csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  /** A request with raw bytes (an image upload). */
  const upload = async (path: string, bytes: Buffer, contentType: string) => {
    const r = await fetch(`${base}/api/admin${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, origin: base, cookie, 'x-csrf-token': csrfToken },
      body: new Uint8Array(bytes),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    upload,
    async createStaff(input: { loginId: string; displayName: string; role: 'admin' | 'general'; permissions: string[]; initialPassword: string }) {
      const r = await call('POST', '/staff', input);
      if (r.status !== 201) throw new Error(`create ${input.loginId}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

/**
 * Waits until the page is loaded and 500 ms pass without a request starting or finishing (at most
 * 10 s). Not Playwright's `networkidle`: the simulator's phone page keeps its live stream (an
 * EventSource, /sim/stream) open for good, so `networkidle` came only when a 500 ms gap happened
 * before the stream connected — by chance, and not at all on a busy machine. Streams are not counted.
 */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  let inflight = 0;
  let last = Date.now();
  const counted = (r: { resourceType(): string }) => r.resourceType() !== 'eventsource';
  const started = (r: { resourceType(): string }) => {
    if (!counted(r)) return;
    inflight += 1;
    last = Date.now();
  };
  const ended = (r: { resourceType(): string }) => {
    if (!counted(r)) return;
    inflight = Math.max(0, inflight - 1);
    last = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (inflight > 0 || Date.now() - last < 500)) await page.waitForTimeout(100);
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

/** Full-page PNG into SCREENSHOT_DIR (the staff manual reuses them). */
/**
 * A general staff account holding only `permissions`, created by the administrator and past its
 * first sign-in (the printed password replaced, as a person must): its login ID and password.
 */
export async function generalStaff(input: { loginId: string; displayName: string; permissions: string[] }): Promise<{ loginId: string; password: string }> {
  const { adminLoginId, adminPassword } = consoleEnv();
  const admin = await apiSession(adminLoginId, adminPassword);
  const initial = strongPassword();
  const password = strongPassword(input.loginId);
  await admin.createStaff({ ...input, role: 'general', initialPassword: initial });
  const first = await apiSession(input.loginId, initial);
  const changed = await first.call('POST', '/auth/password', { currentPassword: initial, newPassword: password });
  if (changed.status !== 204) throw new Error(`password change of ${input.loginId} failed: ${changed.status}`);
  return { loginId: input.loginId, password };
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Settle: no request in flight and fonts ready, so the picture is the finished screen.
  await settle(page);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: opts.fullPage ?? true });
}

/** A small valid PNG of one colour (grey by default): the upload routes' magic-byte check and the previews work. */
export function png(size = 32, rgb: [number, number, number] = [0x80, 0x80, 0x80]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
