/** Port: binary objects (citizens' uploads, large exports). S3 in AWS, files locally. */
import type { Readable } from 'node:stream';

export interface BlobStore {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  /** Writes a stream of unknown length (e.g. a CSV export) without holding it in memory. */
  putStream(key: string, body: Readable, contentType: string): Promise<void>;
  /** A short-lived download URL, when the store can sign one (S3 with a presigner); else undefined. */
  downloadUrl?(key: string, filename: string, seconds: number, disposition?: 'inline' | 'attachment'): Promise<string | undefined>;
}

/** Where and how the browser sends a file's bytes itself (never through the API). */
export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the request must carry exactly (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Port: direct uploads. The store signs a one-off URL for exactly one key, type and size; after
 * the browser has sent the bytes the server inspects the object (size, first bytes) and then
 * moves or deletes it. S3: presigned PUT; locally: an HMAC-signed URL on the platform.
 */
export interface DirectUploadStore {
  uploadTarget(key: string, contentType: string, bytes: number, seconds: number): Promise<UploadTarget>;
  /** Size in bytes; null when there is no such object. */
  size(key: string): Promise<number | null>;
  /** The first `length` bytes (a ranged read); null when there is no such object. */
  firstBytes(key: string, length: number): Promise<Buffer | null>;
  /** Moves an object to another key (S3: server-side copy, then delete). */
  move(from: string, to: string, contentType: string): Promise<void>;
  /** Deletes an object; no error when it does not exist. */
  delete(key: string): Promise<void>;
}
