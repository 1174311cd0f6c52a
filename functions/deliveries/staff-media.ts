/** Staff use case: upload an image for a delivery (checked by magic bytes, resized, preview made). */
import { ulid } from 'ulid';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { SignedIn } from '../staff/context';
import type { BlobStore } from '../ports/blob-store';
import { mediaBlobKeys } from './keys';
import { prepareImage } from './media';
import type { Media } from './model';
import type { MediaRepository } from './ports';

export interface StaffMediaDeps extends AuditDeps {
  media: MediaRepository;
  blobs: BlobStore;
}

export async function uploadMedia(deps: StaffMediaDeps, who: SignedIn, bytes: Buffer): Promise<Media> {
  const image = await prepareImage(bytes);
  const now = deps.clock.now();
  const mediaId = ulid(now.getTime());
  const keys = mediaBlobKeys(mediaId, image.contentType === 'image/png' ? 'png' : 'jpg');
  await Promise.all([deps.blobs.put(keys.originalKey, image.original, image.contentType), deps.blobs.put(keys.previewKey, image.preview, image.contentType)]);
  const media: Media = {
    mediaId,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
    ...keys,
    bytes: image.original.length,
    createdAt: now.toISOString(),
    createdBy: who.account.loginId,
  };
  await deps.media.put(media);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'media.uploaded',
    target: `media:${mediaId}`,
    ip: who.ip,
    after: { width: media.width, height: media.height, bytes: media.bytes },
  });
  return media;
}
