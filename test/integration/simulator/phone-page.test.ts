import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLineSimulator } from '../../../simulator/index';
import { LineSimulatorClient } from '../../../simulator/client';
import { defaultPhoneWebDist } from '../../../simulator/phone-assets';
import { ACCESS_TOKEN, startHarness, text, waitFor, type Harness } from './helpers';

// The phone page is built by `npm run build:web` (npm test and npm start run it first).
const DIST = join(process.cwd(), 'simulator', 'phone-web', 'dist');

function bundleFiles(ext: string): string[] {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('simulator/phone-web/dist is missing: run `npm run build:web` first');
  return readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith(ext));
}

/** A raw GET whose path is sent exactly as written (fetch would normalize `..`). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('phone page and live stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ liffApps: { '2000000000-civic': 'http://127.0.0.1:3000/liff' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves the built Japanese page at / (no-store) and its content-hashed assets (cacheable)', async () => {
    const page = await fetch(`${h.sim.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toBe(readFileSync(join(DIST, 'index.html'), 'utf8'));
    expect(html).toContain('lang="ja"');
    expect(html).toContain('友だち追加');
    expect(html).not.toMatch(/https?:\/\//); // no CDN: everything comes from the simulator
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/.exec(html)?.[1];
    const style = /<link rel="stylesheet" crossorigin href="(\/assets\/[^"]+\.css)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await fetch(`${h.sim.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe(readFileSync(join(DIST, script!.slice(1)), 'utf8'));
    const css = await fetch(`${h.sim.url}${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${h.sim.url}/index.html`)).status).toBe(200);
    const head = await fetch(`${h.sim.url}${script}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
  });

  it('the bundle never renders content as HTML and builds the LIFF fragment (token, LIFF ID, language)', () => {
    const js = bundleFiles('.js').map((f) => readFileSync(join(DIST, 'assets', f), 'utf8'));
    expect(js.length).toBeGreaterThan(0);
    for (const code of js) expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    const all = js.join('\n');
    for (const part of ['#sim_id_token=', '&sim_liff_id=', '&sim_lang=', '/sim/liff/token', '/sim/opens', '/sim/stream', 'liff.closeWindow'])
      expect(all).toContain(part);
  });

  it('serves nothing outside its assets folder', async () => {
    const probes = [
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/index.ts',
      '/assets/..%5c..%5cpackage.json',
      '/assets/.%2e/.%2e/package.json',
      '/assets/%2e%2e%2f%2e%2e%2fsimulator%2findex.ts',
      '/assets/',
      '/assets/nope.js',
      '/assets/x.ts',
      '/phone.js',
      '/src/main.ts',
      '/index.ts',
      '/../package.json',
    ];
    for (const path of probes) {
      const r = await rawGet(h.sim.url, path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.body).not.toContain('"name": "civic-line"');
    }
  });

  it('says how to build the page when it is missing, in Japanese and English', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'phone-dist-'));
    const sim = await startLineSimulator({ port: 0, channelSecret: 's', channelAccessToken: ACCESS_TOKEN, loginChannelId: '1', phoneWebDist: empty });
    try {
      const r = await fetch(`${sim.url}/`);
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const body = await r.text();
      expect(body).toContain('npm run build:web');
      expect(body).toContain('ビルドされていません');
      expect(body).toContain('has not been built');
      expect((await fetch(`${sim.url}/assets/index.js`)).status).toBe(404);
    } finally {
      await sim.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('finds the build from the working directory (the simulator also runs bundled, in a worker thread)', () => {
    const root = process.cwd();
    expect(defaultPhoneWebDist(root)).toBe(DIST);
    expect(defaultPhoneWebDist(join(root, 'simulator', 'phone-web', 'src'))).toBe(DIST);
    const other = mkdtempSync(join(tmpdir(), 'repo-'));
    try {
      mkdirSync(join(other, 'simulator', 'phone-web'), { recursive: true });
      writeFileSync(join(other, 'simulator', 'phone-web', 'index.html'), '');
      expect(defaultPhoneWebDist(join(other, 'simulator'))).toBe(join(other, 'simulator', 'phone-web', 'dist'));
      process.env.LINE_SIM_PHONE_WEB_DIST = join(other, 'elsewhere');
      expect(defaultPhoneWebDist(root)).toBe(join(other, 'elsewhere'));
    } finally {
      delete process.env.LINE_SIM_PHONE_WEB_DIST;
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('exposes liffApps, conversation and rich menu data for the page', async () => {
    const cfg = await h.client.getConfig();
    expect(cfg.liffApps).toEqual({ '2000000000-civic': 'http://127.0.0.1:3000/liff' });
    const { citizen } = await h.client.createCitizen({ displayName: '画面 確認' });
    await h.client.sendText(citizen.userId, 'こんにちは');
    await h.api('POST', '/v2/bot/message/push', { to: citizen.userId, messages: [text('お返事')] });
    const conv = await (await fetch(`${h.sim.url}/sim/citizens/${citizen.userId}/conversation`)).json();
    expect(conv.map((i: { from: string; message: { text: string } }) => [i.from, i.message.text])).toEqual([
      ['citizen', 'こんにちは'],
      ['account', 'お返事'],
    ]);
    expect(await (await fetch(`${h.sim.url}/sim/citizens/${citizen.userId}/richmenu`)).json()).toBeNull();
  });

  it('streams citizen changes and received messages over SSE', async () => {
    const ac = new AbortController();
    const res = await fetch(`${h.sim.url}/sim/stream`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let buf = '';
    const events: Array<Record<string, any>> = [];
    const pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += Buffer.from(value).toString('utf8');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const chunk = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)));
          }
        }
      } catch {
        /* aborted */
      }
    })();
    const { citizen } = await h.client.createCitizen({ displayName: 'SSE' });
    await h.api('POST', '/v2/bot/message/push', { to: citizen.userId, messages: [text('live')] });
    await waitFor(() => events.some((e) => e.type === 'received' && e.userIds?.includes(citizen.userId)), 3000, 'received event');
    expect(events.some((e) => e.type === 'citizen' && e.citizen.userId === citizen.userId)).toBe(true);
    ac.abort();
    await pump;
  });
});

describe('dataFile persistence', () => {
  it('reloads citizens and received messages after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'line-sim-'));
    const dataFile = join(dir, 'sim.json');
    const opts = { port: 0, channelSecret: 's', channelAccessToken: ACCESS_TOKEN, loginChannelId: '1', dataFile };
    try {
      const a = await startLineSimulator(opts);
      const ca = new LineSimulatorClient(a.url);
      const { citizen } = await ca.createCitizen({ displayName: '永続 市民' });
      await fetch(`${a.url}/v2/bot/message/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: citizen.userId, messages: [text('保存される')] }),
      });
      await a.close();
      const b = await startLineSimulator(opts);
      const cb = new LineSimulatorClient(b.url);
      expect((await cb.getCitizen(citizen.userId)).displayName).toBe('永続 市民');
      expect((await cb.received(citizen.userId)).map((m) => m.message.text)).toEqual(['保存される']);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
