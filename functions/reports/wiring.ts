/**
 * Composition root of citizen reports in the webhook consumer: the report edge (the run's answers → a
 * report, its photo job queued on the planner queue) and the report buttons' responder. The planner's
 * photo job is photo-wiring.ts (jimp and S3 stay out of the webhook's bundle).
 */
import { DynamoReportSettings } from '../adapters/aws/report-settings-store';
import { DynamoReportStore } from '../adapters/aws/report-store';
import { DynamoFriendRepository } from '../adapters/aws/friend-store';
import type { Clock } from '../ports/clock';
import type { JsonQueue } from '../ports/event-queue';
import type { ReportPhotosJob } from './ports';
import { ReportDesk } from './citizen-reports';

export function reportDesk(jobs: JsonQueue<ReportPhotosJob>, clock: Clock): ReportDesk {
  return new ReportDesk({ reports: new DynamoReportStore(), settings: new DynamoReportSettings(), jobs, clock, friends: new DynamoFriendRepository() });
}
