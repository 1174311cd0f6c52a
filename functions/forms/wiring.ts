/**
 * Composition root of forms: the stores the staff's and the citizens' use cases share (the admin
 * API and the LIFF API build their deps from it). Uploads go to S3 (UPLOADS_BUCKET) in AWS and to
 * a folder (UPLOADS_DIR) locally; browsers send the bytes to a presigned S3 URL, or locally to the
 * platform's signed endpoint (LOCAL_BLOBS_URL).
 */
import { DynamoFormStore } from '../adapters/aws/form-store';
import { DynamoResponseStore } from '../adapters/aws/response-store';
import { S3BlobStore } from '../adapters/aws/s3-blob-store';
import { DynamoUploadStore } from '../adapters/aws/upload-store';
import { FileBlobStore } from '../adapters/local/file-blob-store';
import type { BlobStore, DirectUploadStore } from '../ports/blob-store';
import { ENV } from '../shared/env';
import type { FormRepository, ResponseRepository, UploadRepository } from './ports';

/** S3 when UPLOADS_BUCKET is set, else the local folder UPLOADS_DIR. */
export function blobStore(): BlobStore & DirectUploadStore {
  if (process.env[ENV.UPLOADS_BUCKET]) return new S3BlobStore();
  const dir = process.env[ENV.UPLOADS_DIR];
  if (!dir) throw new Error(`Environment variable ${ENV.UPLOADS_BUCKET} (AWS) or ${ENV.UPLOADS_DIR} (local) is not set`);
  const baseUrl = process.env[ENV.LOCAL_BLOBS_URL];
  const secret = process.env[ENV.LOCAL_BLOBS_SECRET];
  return new FileBlobStore(dir, baseUrl && secret ? { baseUrl, secret } : undefined);
}

export interface FormStores {
  forms: FormRepository;
  responses: ResponseRepository;
  uploads: UploadRepository;
  blobs: BlobStore & DirectUploadStore;
}

/** Forms, answers, upload metadata and upload bytes. */
export function formStores(): FormStores {
  return { forms: new DynamoFormStore(), responses: new DynamoResponseStore(), uploads: new DynamoUploadStore(), blobs: blobStore() };
}
