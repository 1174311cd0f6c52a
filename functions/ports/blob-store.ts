/** Port: binary objects (citizens' uploads, large exports). S3 in AWS, files locally. */
import type { Readable } from 'node:stream';

export interface BlobStore {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  /** Writes a stream of unknown length (e.g. a CSV export) without holding it in memory. */
  putStream(key: string, body: Readable, contentType: string): Promise<void>;
  /** A short-lived download URL, when the store can sign one (S3 with a presigner); else undefined. */
  downloadUrl?(key: string, filename: string, seconds: number): Promise<string | undefined>;
}
