/**
 * Serves the phone page, built by Vite from simulator/phone-web/ (`npm run build:web`) into
 * simulator/phone-web/dist/: `index.html` at `/` (no-store: a rebuild shows at the next reload) and
 * its content-hashed files at `/assets/<name>` (cacheable for good). Only plain file names under
 * assets/ are served: no path can leave the folder. Without a build `/` says how to make one.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { sendBytes } from './http-util';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The page only loads its own files; messages' images, videos and LIFF apps may come from anywhere
 * (http for the local product). Styles set from messages go through the CSSOM, which 'self' allows.
 */
export const PHONE_PAGE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; media-src *; frame-src http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const SOURCE_DIR = join('simulator', 'phone-web');

/**
 * Where the built page is: `LINE_SIM_PHONE_WEB_DIST`, else `simulator/phone-web/dist` of the
 * repository that holds the working directory (the nearest folder up with simulator/phone-web/).
 * Not relative to this file: in the local runtime it runs bundled, from node_modules/.cache.
 */
export function defaultPhoneWebDist(start = process.cwd()): string {
  const fromEnv = process.env.LINE_SIM_PHONE_WEB_DIST;
  if (fromEnv) return resolve(fromEnv);
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, SOURCE_DIR, 'index.html'))) return join(dir, SOURCE_DIR, 'dist');
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, SOURCE_DIR, 'dist');
    dir = parent;
  }
}

const NOT_BUILT = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>LINE シミュレーター</title></head>
<body style="font-family: sans-serif; margin: 2em; line-height: 1.7">
<h1>LINE シミュレーター：画面がまだビルドされていません</h1>
<p>リポジトリのフォルダで <code>npm run build:web</code> を実行してから、このページを再読み込みしてください（<code>npm start</code> は自動でビルドします）。</p>
<h2 lang="en">The phone page has not been built</h2>
<p lang="en">Run <code>npm run build:web</code> in the repository, then reload this page (<code>npm start</code> builds it for you).</p>
</body></html>
`;

/** Answers GET/HEAD (Node leaves a HEAD answer's body out) for `/`, `/index.html` and `/assets/*`; false otherwise. */
export async function servePhonePage(req: IncomingMessage, res: ServerResponse, path: string, distDir: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/' || path === '/index.html') {
    const index = join(distDir, 'index.html');
    if (!existsSync(index)) {
      sendBytes(res, 503, NOT_BUILT, 'text/html; charset=utf-8', { 'cache-control': 'no-store' });
      return true;
    }
    const bytes = await readFile(index);
    sendBytes(res, 200, bytes, 'text/html; charset=utf-8', { ...PHONE_PAGE_HEADERS, 'cache-control': 'no-store' });
    return true;
  }
  if (!path.startsWith('/assets/')) return false;
  const name = path.slice('/assets/'.length);
  // One plain file name (Vite's `<name>-<hash>.<ext>`): no separators, no dot segments, no encoding tricks
  // (the path arrives still percent-encoded, so `%2e%2e%2f` is refused here too).
  const type = CONTENT_TYPES[extname(name).toLowerCase()];
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name) || name.includes('..') || !type) return notFound(res);
  const file = join(distDir, 'assets', name);
  if (!existsSync(file) || !statSync(file).isFile()) return notFound(res);
  const bytes = await readFile(file);
  sendBytes(res, 200, bytes, type, { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
  return true;
}

function notFound(res: ServerResponse): true {
  sendBytes(res, 404, 'Not found', 'text/plain; charset=utf-8');
  return true;
}
