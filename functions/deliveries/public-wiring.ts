/**
 * Composition root of the public link and image addresses (GET /r/…, /media/…): a file of its own
 * so the citizens' redirect function bundles only the delivery and media stores and S3, not the
 * send pipeline. The local runtime passes its file blob store.
 */
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { DynamoMediaStore } from '../adapters/aws/media-store';
import { S3BlobStore } from '../adapters/aws/s3-blob-store';
import type { PublicDeps } from './public-api';

export function publicDeps(overrides: Partial<PublicDeps> = {}): PublicDeps {
  return {
    ...overrides,
    deliveries: overrides.deliveries ?? new DynamoDeliveryStore(),
    media: overrides.media ?? new DynamoMediaStore(),
    blobs: overrides.blobs ?? new S3BlobStore(),
  };
}
