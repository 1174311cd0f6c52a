import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from '../../../local/static-site';

describe('local console serving (admin-web/dist)', () => {
  let server: Server;
  let base: string;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'civic-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'config.json'), '{"apiBase":"/api/admin"}');
    writeFileSync(join(tmpdir(), 'secret-outside.txt'), 'nope');
    server = createServer((req, res) => {
      if (!serveConsole(req, res, dist)) res.writeHead(404).end('fallthrough');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('serves index.html at / and for SPA paths, not cached, with the security headers', async () => {
    for (const path of ['/', '/staff', '/audit/2026']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'self'; img-src 'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(await res.text()).toContain('<title>console</title>');
    }
  });

  it('serves files with their content types; hashed assets are cached for good', async () => {
    const js = await fetch(`${base}/assets/index-abc123.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const config = await fetch(`${base}/config.json`);
    expect(config.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(config.headers.get('cache-control')).toBe('no-cache');
  });

  it('does not answer missing files, API paths, other methods or paths outside dist', async () => {
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/api/admin/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
    expect(await (await fetch(`${base}/..%2Fsecret-outside.txt`)).text()).toBe('fallthrough');
  });

  it('falls through when the console is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'civic-nodist-'));
    const s = createServer((req, res) => {
      if (!serveConsole(req, res, empty)) res.writeHead(404).end('landing');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
    expect(await res.text()).toBe('landing');
    await new Promise<void>((r) => s.close(() => r()));
  });
});
