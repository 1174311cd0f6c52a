/**
 * BlobStore on S3 (bucket from UPLOADS_BUCKET). Streams go through a multipart upload
 * (5 MB parts), so an export of any size is written with flat memory. Direct uploads are
 * presigned PUTs with Content-Type and Content-Length signed; downloads are presigned GETs.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore, DirectUploadStore, UploadTarget } from '../../ports/blob-store';
import { ENV, requireEnv } from '../../shared/env';

const PART_BYTES = 5 * 1024 * 1024;

/**
 * `WHEN_REQUIRED`: since SDK 3.729 PutObject gets a CRC32 checksum by default; a presigned PUT has
 * no body at signing time, so the URL would carry the checksum of zero bytes
 * (`x-amz-checksum-crc32=AAAAAA==`) and S3 would refuse every real upload (aws-sdk-js-v3 #6994).
 */
export const s3Client = (config: S3ClientConfig = {}) => new S3Client({ ...config, requestChecksumCalculation: 'WHEN_REQUIRED' });

const notFound = (error: unknown) => ['NoSuchKey', 'NotFound'].includes((error as { name?: string }).name ?? '');

/** RFC 6266 `filename*` so Japanese names survive; the plain `filename` is ASCII only. */
function contentDisposition(disposition: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export class S3BlobStore implements BlobStore, DirectUploadStore {
  constructor(
    private readonly s3: S3Client = s3Client(),
    private readonly bucket: string = requireEnv(ENV.UPLOADS_BUCKET),
  ) {}

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'AES256' }));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const { UploadId } = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ServerSideEncryption: 'AES256' }),
    );
    const parts: { ETag?: string; PartNumber: number }[] = [];
    try {
      let chunks: Buffer[] = [];
      let size = 0;
      const flush = async () => {
        const PartNumber = parts.length + 1;
        const { ETag } = await this.s3.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body: Buffer.concat(chunks) }));
        parts.push({ ETag, PartNumber });
        chunks = [];
        size = 0;
      };
      for await (const chunk of body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        chunks.push(buf);
        size += buf.length;
        if (size >= PART_BYTES) await flush();
      }
      if (size > 0 || parts.length === 0) await flush();
      await this.s3.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  /** Presigned GET; the answer's type and disposition are fixed by the signature (response-* parameters). */
  async downloadUrl(key: string, filename: string, seconds: number, disposition: 'inline' | 'attachment' = 'attachment'): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: contentDisposition(disposition, filename),
      ResponseCacheControl: 'private, no-store',
    });
    return getSignedUrl(this.s3, command, { expiresIn: seconds });
  }

  /**
   * Presigned PUT (virtual-hosted regional URL) with `content-type` and `content-length` among the
   * signed headers: S3 refuses a body of any other size or a different type (403 SignatureDoesNotMatch).
   * A presigned POST with `content-length-range` would need @aws-sdk/s3-presigned-post, not installed;
   * signing the exact length is stricter than a range.
   */
  async uploadTarget(key: string, contentType: string, bytes: number, seconds: number): Promise<UploadTarget> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: bytes });
    const url = await getSignedUrl(this.s3, command, { expiresIn: seconds, signableHeaders: new Set(['content-type', 'content-length']) });
    // Content-Length is set by the browser itself (a forbidden header name); it must equal `bytes`.
    return { url, method: 'PUT', headers: { 'content-type': contentType }, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
  }

  async size(key: string): Promise<number | null> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.ContentLength ?? 0;
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async firstBytes(key: string, length: number): Promise<Buffer | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${length - 1}` }));
      return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      if (notFound(error)) return null;
      // An empty object has no byte 0: S3 answers 416 InvalidRange.
      if ((error as { name?: string }).name === 'InvalidRange') return Buffer.alloc(0);
      throw error;
    }
  }

  /** CopyObject is server-side and atomic up to 5 GB (uploads are ≤ 50 MB). */
  async move(from: string, to: string, contentType: string): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: to,
        CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
        ContentType: contentType,
        MetadataDirective: 'REPLACE',
        ServerSideEncryption: 'AES256',
      }),
    );
    await this.delete(from);
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
