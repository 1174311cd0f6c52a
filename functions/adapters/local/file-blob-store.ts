/**
 * BlobStore on the local disk (.local-data/uploads, or a temp folder for --memory runs).
 * Direct uploads go to the local platform's `PUT /__local/blobs/<token>` (local/blob-upload.ts):
 * the token is an HMAC-SHA256-signed grant for one key, type and exact size, with an expiry —
 * the local stand-in for an S3 presigned PUT.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, DirectUploadStore, UploadTarget } from '../../ports/blob-store';

/** Path of the local upload endpoint on the platform. */
export const LOCAL_BLOB_PATH = '/__local/blobs/';

/** What a signed local upload URL allows: exactly this key, type and size until `expires` (epoch ms). */
export interface UploadGrant {
  key: string;
  contentType: string;
  bytes: number;
  expires: number;
}

const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest();

export function signUploadGrant(grant: UploadGrant, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ k: grant.key, t: grant.contentType, n: grant.bytes, e: grant.expires })).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** The grant when the signature is ours and it has not expired; otherwise why not. */
export function verifyUploadGrant(token: string, secret: string, now = Date.now()): UploadGrant | 'invalid' | 'expired' {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 2048) return 'invalid';
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  let raw: { k?: unknown; t?: unknown; n?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  if (typeof raw.k !== 'string' || typeof raw.t !== 'string' || !Number.isSafeInteger(raw.n) || !Number.isSafeInteger(raw.e)) return 'invalid';
  if (now > (raw.e as number)) return 'expired';
  return { key: raw.k, contentType: raw.t, bytes: raw.n as number, expires: raw.e as number };
}

export interface LocalUploadSigning {
  /** The platform's base URL (http://127.0.0.1:3000). */
  baseUrl: string;
  /** HMAC key, random per runtime start (never in the repo). */
  secret: string;
}

export class FileBlobStore implements BlobStore, DirectUploadStore {
  private readonly root: string;
  constructor(
    root: string,
    private readonly signing?: LocalUploadSigning,
    private readonly now: () => number = Date.now,
  ) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const file = resolve(this.root, key);
    if (!file.startsWith(this.root + sep) || key.includes('\0')) throw new Error('blob key outside the store');
    return file;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.part`, body);
    await rename(`${file}.part`, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Written to `<file>.part` and renamed, so a reader never sees half a file; a failed stream leaves nothing. */
  async putStream(key: string, body: Readable): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    try {
      await pipeline(body, createWriteStream(`${file}.part`));
    } catch (error) {
      await rm(`${file}.part`, { force: true });
      throw error;
    }
    await rename(`${file}.part`, file);
  }

  async uploadTarget(key: string, contentType: string, bytes: number, seconds: number): Promise<UploadTarget> {
    if (!this.signing) throw new Error('FileBlobStore: direct uploads need the platform URL and a signing key');
    this.path(key); // refuses a key outside the store before signing it
    const expires = this.now() + seconds * 1000;
    const token = signUploadGrant({ key, contentType, bytes, expires }, this.signing.secret);
    return {
      url: `${this.signing.baseUrl}${LOCAL_BLOB_PATH}${token}`,
      method: 'PUT',
      headers: { 'content-type': contentType },
      expiresAt: new Date(expires).toISOString(),
    };
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async firstBytes(key: string, length: number): Promise<Buffer | null> {
    let handle;
    try {
      handle = await open(this.path(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.path(to);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.path(from), target);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
