/**
 * Serves the built console (admin-web/dist) like S3 + CloudFront will: the file if it exists,
 * index.html for unknown paths without a file extension (SPA routing), and CloudFront's
 * security headers on every answer.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * The citizen LIFF pages (liff-web/dist at /liff/): the console's headers, except that the LIFF SDK
 * host may serve scripts, the page may call LINE's API, the place picker's map shows 地理院タイル,
 * and the LINE simulator (another loopback port) may frame it. In AWS the web stack sets the
 * equivalent headers on CloudFront.
 */
export const LIFF_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' https://static.line-scdn.net; img-src 'self' data: blob: https://profile.line-scdn.net https://cyberjapandata.gsi.go.jp; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
    "connect-src 'self' https://api.line.me https://liffsdk.line-scdn.net; frame-ancestors 'self' http://127.0.0.1:*; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export const LIFF_PATH = '/liff';
export const DEFAULT_LIFF_DIST = resolve('liff-web/dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export const DEFAULT_WEB_DIST = resolve('admin-web/dist');

export function hasBuiltConsole(distDir: string): boolean {
  return existsSync(join(distDir, 'index.html'));
}

/** Answers GET/HEAD from distDir; false when the request is not for the console (caller answers). */
export function serveConsole(req: IncomingMessage, res: ServerResponse, distDir: string): boolean {
  return serveSpa(req, res, distDir, '', SECURITY_HEADERS);
}

/** Answers GET/HEAD under /liff/ from liffDistDir (index.html for unknown paths); false otherwise. */
export function serveLiff(req: IncomingMessage, res: ServerResponse, liffDistDir: string): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== LIFF_PATH && !path.startsWith(`${LIFF_PATH}/`)) return false;
  return serveSpa(req, res, liffDistDir, LIFF_PATH, LIFF_SECURITY_HEADERS);
}

function serveSpa(req: IncomingMessage, res: ServerResponse, distDir: string, mount: string, headers: Record<string, string>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!hasBuiltConsole(distDir)) return false;
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  if (pathname.startsWith('/api/') || pathname.includes('\0')) return false;
  if (mount) pathname = pathname.slice(mount.length) || '/';

  const root = resolve(distDir);
  const candidate = resolve(root, `.${pathname}`);
  const inside = candidate === root || candidate.startsWith(root + sep);
  if (inside && candidate !== root && existsSync(candidate) && statSync(candidate).isFile()) {
    send(req, res, candidate, headers);
    return true;
  }
  // Unknown paths with an extension are missing files, not screens of the SPA.
  if (extname(pathname)) return false;
  send(req, res, join(root, 'index.html'), headers);
  return true;
}

function send(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): void {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const isIndex = file.endsWith(`${sep}index.html`) && extname(file) === '.html';
  // Vite names files under assets/ by content hash: cache them for good; everything else revalidates.
  const immutable = file.includes(`${sep}assets${sep}`) && !isIndex;
  res.writeHead(200, {
    ...headers,
    'content-type': type,
    'content-length': String(statSync(file).size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
