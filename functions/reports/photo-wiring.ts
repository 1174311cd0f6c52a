/** Composition root of the planner's `reportPhotos` job: LINE's content API → re-encoded photos in the blob store. */
import { DynamoReportStore } from '../adapters/aws/report-store';
import { lineAccessToken } from '../adapters/aws/line-credentials';
import { LineContentReader } from '../adapters/line/content-reader';
import { blobStore } from '../forms/wiring';
import type { Clock } from '../ports/clock';
import { storeReportPhotos } from './photos';

/** `attempt` is the queue's receive count. */
export function reportPhotoJob(clock: Clock): (reportId: string, attempt: number) => Promise<void> {
  const deps = { reports: new DynamoReportStore(), content: new LineContentReader(lineAccessToken), blobs: blobStore(), clock };
  return (reportId, attempt) => storeReportPhotos(deps, reportId, attempt);
}
