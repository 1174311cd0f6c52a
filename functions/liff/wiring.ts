/**
 * Builds the LIFF API's dependencies from the environment (composition root).
 * Uploads go to S3 (UPLOADS_BUCKET) in AWS and to a folder (UPLOADS_DIR) locally; browsers send
 * the bytes to a presigned S3 URL, or locally to the platform's signed endpoint (LOCAL_BLOBS_URL).
 */
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { DynamoFormStore } from '../adapters/aws/form-store';
import { DynamoResponseStore } from '../adapters/aws/response-store';
import { DynamoUploadStore } from '../adapters/aws/upload-store';
import { lineCredentials } from '../adapters/aws/line-credentials';
import { S3BlobStore } from '../adapters/aws/s3-blob-store';
import { LineIdTokenVerifier } from '../adapters/line/id-token-verifier';
import { FileBlobStore } from '../adapters/local/file-blob-store';
import { onceProfileForm } from '../forms/bootstrap';
import type { BlobStore, DirectUploadStore } from '../ports/blob-store';
import { systemClock } from '../ports/clock';
import { ENV } from '../shared/env';
import type { LiffDeps } from './api';

/** S3 when UPLOADS_BUCKET is set, else the local folder UPLOADS_DIR. */
export function blobStore(): BlobStore & DirectUploadStore {
  if (process.env[ENV.UPLOADS_BUCKET]) return new S3BlobStore();
  const dir = process.env[ENV.UPLOADS_DIR];
  if (!dir) throw new Error(`Environment variable ${ENV.UPLOADS_BUCKET} (AWS) or ${ENV.UPLOADS_DIR} (local) is not set`);
  const baseUrl = process.env[ENV.LOCAL_BLOBS_URL];
  const secret = process.env[ENV.LOCAL_BLOBS_SECRET];
  return new FileBlobStore(dir, baseUrl && secret ? { baseUrl, secret } : undefined);
}

export async function loginChannelId(): Promise<string> {
  const id = (await lineCredentials()).loginChannelId;
  if (!id) throw new Error('The LINE Login channel id (loginChannelId) is not configured');
  return id;
}

export function liffDeps(): LiffDeps {
  const forms = new DynamoFormStore();
  return {
    forms,
    responses: new DynamoResponseStore(),
    uploads: new DynamoUploadStore(),
    blobs: blobStore(),
    clock: systemClock,
    verifier: new LineIdTokenVerifier({ channelId: loginChannelId }),
    clicks: new DynamoDeliveryStore(),
    liffId: process.env[ENV.LIFF_ID] || undefined,
    bootstrap: onceProfileForm({ forms, audit: new DynamoAuditLog(), clock: systemClock }),
  };
}
