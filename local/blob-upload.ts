/**
 * The local stand-in for an S3 presigned PUT: `PUT /__local/blobs/<token>` on the platform.
 * The token (functions/adapters/local/file-blob-store.ts) is an HMAC-signed grant for one key,
 * one content type and an exact size, with an expiry. Like S3 with Content-Type and
 * Content-Length signed, anything else is refused (403) and nothing is written; the body
 * streams to disk (no 10 MB gateway limit, flat memory for a 50 MB video).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { FileBlobStore, LOCAL_BLOB_PATH, verifyUploadGrant } from '../functions/adapters/local/file-blob-store';
import { normaliseContentType } from '../functions/forms/magic';

export interface LocalBlobUploadOptions {
  store: FileBlobStore;
  secret: string;
  now?: () => number;
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error: { code, message } }));
}

/** Handles the request when it is for the local blob endpoint (true), else leaves it (false). */
export function handleLocalBlobUpload(req: IncomingMessage, res: ServerResponse, options: LocalBlobUploadOptions): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (!path.startsWith(LOCAL_BLOB_PATH)) return false;
  void receive(req, res, path.slice(LOCAL_BLOB_PATH.length), options).catch((error) => {
    console.error('[blobs] upload failed', error);
    if (!res.headersSent) refuse(res, 500, 'internal_error', 'upload failed');
    else res.destroy();
  });
  return true;
}

async function receive(req: IncomingMessage, res: ServerResponse, token: string, { store, secret, now = Date.now }: LocalBlobUploadOptions): Promise<void> {
  // A refused request's body is not read; the connection closes (S3 answers before reading too).
  if (req.method !== 'PUT') return refuse(res, 405, 'method_not_allowed', 'PUT only');
  const grant = verifyUploadGrant(decodeURIComponent(token), secret, now());
  if (grant === 'invalid') return refuse(res, 403, 'signature_does_not_match', 'The upload URL is not valid.');
  if (grant === 'expired') return refuse(res, 403, 'request_expired', 'The upload URL has expired.');
  if (normaliseContentType(req.headers['content-type']) !== grant.contentType)
    return refuse(res, 403, 'signature_does_not_match', 'Content-Type differs from the signed one.');
  const declared = req.headers['content-length'];
  if (declared === undefined) return refuse(res, 411, 'missing_content_length', 'Content-Length is required.');
  if (Number(declared) !== grant.bytes) return refuse(res, 403, 'signature_does_not_match', 'Content-Length differs from the signed one.');

  // Counts what really arrives: never more than the grant, and exactly the grant at the end.
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > grant.bytes) done(new Error('body larger than the signed Content-Length'));
      else done(null, chunk);
    },
    flush(done) {
      done(received === grant.bytes ? null : new Error('body shorter than the signed Content-Length'));
    },
  });
  // A client that goes away mid-way fails the write (pipe() alone would leave it waiting).
  req.once('error', (e) => limit.destroy(e));
  req.once('close', () => {
    if (!req.complete) limit.destroy(new Error('client aborted'));
  });
  try {
    await store.putStream(grant.key, req.pipe(limit));
  } catch {
    if (!res.headersSent) refuse(res, 400, 'incomplete_body', 'The body does not match the signed Content-Length.');
    return;
  }
  res.writeHead(200, { 'content-length': '0' }).end();
}
