import type { IncomingMessage, ServerResponse } from 'node:http';

export interface BodyResult {
  buf: Buffer;
  tooLarge: boolean;
}

/** Reads a request body; beyond `limit` bytes the rest is drained and discarded. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve({ buf: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

export function sendBytes(res: ServerResponse, status: number, bytes: Buffer | string, contentType: string, headers: Record<string, string> = {}): void {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(buf.length) });
  res.end(buf);
}

export function parseJson(buf: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (buf.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(buf.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
