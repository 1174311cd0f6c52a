/**
 * BlobStore on S3 (bucket from UPLOADS_BUCKET). Streams go through a multipart upload
 * (5 MB parts), so an export of any size is written with flat memory.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { BlobStore } from '../../ports/blob-store';
import { ENV, requireEnv } from '../../shared/env';

const PART_BYTES = 5 * 1024 * 1024;

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client = new S3Client({}),
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
      if ((error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const { UploadId } = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ServerSideEncryption: 'AES256' }));
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

  // downloadUrl: needs @aws-sdk/s3-request-presigner (not installed); without it large exports answer 507.
}
