/**
 * The photo job: a report's photos fetched from LINE's content API (LINE keeps them for a limited
 * time), checked by their first bytes and size (≤ 10 MB), re-encoded without EXIF metadata (a phone's
 * GPS position, its model; the orientation applied first) and stored privately with a preview.
 * LINE answering that it has no such content, or bytes that are not a JPEG/PNG photo, mark the photo
 * missing at once (permanent); anything else is retried by the queue and, at the last attempt, marked
 * missing with the reason — the report itself was saved before and is never held up.
 */
import type { MessageContentReader } from '../conversations/content';
import { prepareImage } from '../deliveries/media';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import { PayloadTooLargeError, ValidationError } from '../shared/errors';
import { logger } from '../shared/powertools';
import { REPORT_LIMITS, type Report, type ReportPhoto } from './model';
import type { ReportStore } from './ports';

export interface ReportPhotoDeps {
  reports: Pick<ReportStore, 'get' | 'save'>;
  content: MessageContentReader;
  blobs: Pick<BlobStore, 'put'>;
  clock: Clock;
}

export const photoKeys = (reportId: string, photoId: string) => ({
  original: `reports/${reportId}/${photoId}`,
  preview: `reports/${reportId}/${photoId}.preview`,
});

type Result =
  { photoId: string; stored: Pick<ReportPhoto, 'blobKey' | 'previewKey' | 'contentType' | 'width' | 'height'> } | { photoId: string; missing: string };

/** Fetches and stores the report's pending citizen photos; throws (the queue retries) on a transient failure before the last attempt. */
export async function storeReportPhotos(deps: ReportPhotoDeps, reportId: string, attempt: number): Promise<void> {
  const report = await deps.reports.get(reportId);
  if (!report) return logger.warn('Report photo job for an unknown report', { reportId });
  const pending = report.photos.filter((p) => p.status === 'pending' && p.from === 'citizen');
  if (pending.length === 0) return;
  const results: Result[] = [];
  let transient: Error | undefined;
  for (const photo of pending) {
    try {
      results.push(await fetchOne(deps, reportId, photo.photoId));
    } catch (error) {
      if (attempt >= REPORT_LIMITS.photoAttempts) results.push({ photoId: photo.photoId, missing: `LINEから写真を受け取れませんでした（${attempt}回試行）。` });
      else transient ??= error as Error;
    }
  }
  await record(deps, reportId, results);
  if (transient) throw transient;
}

async function fetchOne(deps: ReportPhotoDeps, reportId: string, photoId: string): Promise<Result> {
  let content: { contentType: string; bytes: Buffer } | null;
  try {
    content = await deps.content.get(photoId, REPORT_LIMITS.photoBytes);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return { photoId, missing: '写真が10MBを超えていたため保存していません。' };
    throw error;
  }
  if (!content) return { photoId, missing: 'LINEに写真が残っていませんでした（保存期間切れ）。' };
  let prepared;
  try {
    prepared = await prepareImage(content.bytes, { uploadBytes: REPORT_LIMITS.photoBytes });
  } catch (error) {
    if (error instanceof ValidationError) return { photoId, missing: `写真として読み込めませんでした（${error.message}）` };
    throw error;
  }
  const keys = photoKeys(reportId, photoId);
  await deps.blobs.put(keys.original, prepared.original, prepared.contentType);
  await deps.blobs.put(keys.preview, prepared.preview, prepared.contentType);
  return {
    photoId,
    stored: { blobKey: keys.original, previewKey: keys.preview, contentType: prepared.contentType, width: prepared.width, height: prepared.height },
  };
}

/** The results written on the report (read again when someone changed it meanwhile). */
async function record(deps: ReportPhotoDeps, reportId: string, results: Result[]): Promise<void> {
  if (results.length === 0) return;
  for (let tries = 0; tries < 5; tries++) {
    const report = await deps.reports.get(reportId);
    if (!report) return;
    const at = deps.clock.now().toISOString();
    const next: Report = { ...report, photos: report.photos.map((p) => ({ ...p })), history: [...report.history], rev: report.rev + 1, updatedAt: at };
    let changed = false;
    for (const result of results) {
      const photo = next.photos.find((p) => p.photoId === result.photoId);
      if (!photo || photo.status !== 'pending') continue;
      changed = true;
      if ('stored' in result) Object.assign(photo, { status: 'stored' }, result.stored);
      else {
        Object.assign(photo, { status: 'missing', reason: result.missing });
        next.history.push({ at, kind: 'photo_missing', photoId: photo.photoId, text: result.missing });
      }
    }
    if (!changed) return;
    next.history = next.history.slice(-REPORT_LIMITS.history);
    if (await deps.reports.save(next, report.rev)) return;
  }
  throw new Error('Report kept changing while its photos were recorded');
}
