/**
 * The photo job, in two steps so that a citizen's photos are safe within moments of the report:
 * 1. each pending photo is fetched from LINE's content API (LINE keeps it for a limited time),
 *    checked by its first bytes (JPEG/PNG) and size (≤ 10 MB) and kept privately as it came
 *    (`received`: never shown or served — it still carries the phone's EXIF, e.g. its GPS position);
 * 2. each received photo is re-encoded without EXIF (the orientation applied first), stored with a
 *    preview (`stored`: what staff see and download), and the raw copy deleted.
 * LINE answering that it has no such content, or bytes that are not a photo, mark the photo missing at
 * once (permanent); anything else is retried by the queue and, at the last attempt, marked missing
 * with the reason — the report itself was saved before and is never held up.
 */
import type { MessageContentReader } from '../conversations/content';
import { prepareImage } from '../deliveries/media';
import { detectType } from '../forms/magic';
import type { BlobStore, DirectUploadStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import { PayloadTooLargeError, ValidationError } from '../shared/errors';
import { logger } from '../shared/powertools';
import { REPORT_LIMITS, type Report, type ReportPhoto } from './model';
import type { ReportStore } from './ports';

export interface ReportPhotoDeps {
  reports: Pick<ReportStore, 'get' | 'save'>;
  content: MessageContentReader;
  blobs: Pick<BlobStore, 'put' | 'get'> & Pick<DirectUploadStore, 'delete'>;
  clock: Clock;
}

export const photoKeys = (reportId: string, photoId: string) => ({
  /** The raw copy (EXIF and all): its own prefix, which the bucket's lifecycle empties within a day. */
  raw: `reports-raw/${reportId}/${photoId}`,
  original: `reports/${reportId}/${photoId}`,
  preview: `reports/${reportId}/${photoId}.preview`,
});

type Change = { photoId: string; from: ReportPhoto['status']; set: Partial<ReportPhoto> & { status: ReportPhoto['status'] } };

const missing = (photoId: string, from: ReportPhoto['status'], reason: string): Change => ({ photoId, from, set: { status: 'missing', reason } });

/** Both steps for the report's photos; throws (the queue retries) on a transient failure before the last attempt. */
export async function storeReportPhotos(deps: ReportPhotoDeps, reportId: string, attempt: number): Promise<void> {
  const report = await deps.reports.get(reportId);
  if (!report) return logger.warn('Report photo job for an unknown report', { reportId });
  let transient: Error | undefined;
  const failed = (photoId: string, from: ReportPhoto['status'], error: unknown): Change[] => {
    if (attempt >= REPORT_LIMITS.photoAttempts) return [missing(photoId, from, `写真を保存できませんでした（${attempt}回試行）。`)];
    transient ??= error as Error;
    return [];
  };

  // 1. From LINE into our store, all of them first (fast: no decoding).
  const fetched: Change[] = [];
  for (const photo of report.photos.filter((p) => p.status === 'pending' && p.from === 'citizen')) {
    try {
      fetched.push(await fetchOne(deps, reportId, photo.photoId));
    } catch (error) {
      fetched.push(...failed(photo.photoId, 'pending', error));
    }
  }
  let current = (await record(deps, report, fetched)) ?? report;

  // 2. Re-encoded one by one, each recorded as it is done (staff see them as they come).
  for (const photo of current.photos.filter((p) => p.status === 'received')) {
    let change: Change[];
    try {
      change = [await encodeOne(deps, reportId, photo)];
    } catch (error) {
      change = failed(photo.photoId, 'received', error);
    }
    current = (await record(deps, current, change)) ?? current;
    // Re-encoded or given up: the raw copy (with the phone's EXIF) goes either way.
    if (change.length > 0 && photo.rawKey) await deps.blobs.delete(photo.rawKey);
  }
  if (transient) throw transient;
}

async function fetchOne(deps: ReportPhotoDeps, reportId: string, photoId: string): Promise<Change> {
  let content: { contentType: string; bytes: Buffer } | null;
  try {
    content = await deps.content.get(photoId, REPORT_LIMITS.photoBytes);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return missing(photoId, 'pending', '写真が10MBを超えていたため保存していません。');
    throw error;
  }
  if (!content) return missing(photoId, 'pending', 'LINEに写真が残っていませんでした（保存期間切れ）。');
  const type = detectType(content.bytes);
  if (type !== 'image/jpeg' && type !== 'image/png') return missing(photoId, 'pending', '写真として読み込めませんでした（JPEG・PNGではありません）。');
  const key = photoKeys(reportId, photoId).raw;
  await deps.blobs.put(key, content.bytes, type);
  return { photoId, from: 'pending', set: { status: 'received', rawKey: key, contentType: type } };
}

async function encodeOne(deps: ReportPhotoDeps, reportId: string, photo: ReportPhoto): Promise<Change> {
  const bytes = photo.rawKey ? await deps.blobs.get(photo.rawKey) : null;
  if (!bytes) return missing(photo.photoId, 'received', '受け取った写真が見つかりません。');
  let prepared;
  try {
    // ≤ 4 MB re-encoded: staff download it through the admin API (Lambda answers ≤ 6 MB, base64).
    prepared = await prepareImage(bytes, { uploadBytes: REPORT_LIMITS.photoBytes, originalBytes: 4 * 1024 * 1024 });
  } catch (error) {
    if (error instanceof ValidationError) return missing(photo.photoId, 'received', `写真として読み込めませんでした（${error.message}）`);
    throw error;
  }
  const keys = photoKeys(reportId, photo.photoId);
  await deps.blobs.put(keys.original, prepared.original, prepared.contentType);
  await deps.blobs.put(keys.preview, prepared.preview, prepared.contentType);
  return {
    photoId: photo.photoId,
    from: 'received',
    set: {
      status: 'stored',
      blobKey: keys.original,
      previewKey: keys.preview,
      contentType: prepared.contentType,
      width: prepared.width,
      height: prepared.height,
    },
  };
}

/**
 * The changes written on the report as this job last knew it (read again only when someone changed
 * it meanwhile); the report as written, or null when there was nothing to write.
 */
async function record(deps: ReportPhotoDeps, known: Report, changes: Change[]): Promise<Report | null> {
  if (changes.length === 0) return null;
  for (let tries = 0; tries < 5; tries++) {
    const report = tries === 0 ? known : await deps.reports.get(known.reportId);
    if (!report) return null;
    const at = deps.clock.now().toISOString();
    const next: Report = { ...report, photos: report.photos.map((p) => ({ ...p })), history: [...report.history], rev: report.rev + 1, updatedAt: at };
    let changed = false;
    for (const change of changes) {
      const photo = next.photos.find((p) => p.photoId === change.photoId);
      if (!photo || photo.status !== change.from) continue;
      changed = true;
      Object.assign(photo, change.set);
      if (change.set.status !== 'received') delete photo.rawKey;
      if (change.set.status === 'missing') next.history.push({ at, kind: 'photo_missing', photoId: photo.photoId, text: change.set.reason ?? '' });
    }
    if (!changed) return report;
    next.history = next.history.slice(-REPORT_LIMITS.history);
    if (await deps.reports.save(next, report.rev)) return next;
  }
  throw new Error('Report kept changing while its photos were recorded');
}
