/** Ports of citizen reports (adapters: functions/adapters/aws/report-store.ts, report-settings-store.ts; fakes: test/support/report-fakes.ts). */
import type { Report, ReportSettings, ReportStatus } from './model';

export interface ListQuery {
  category: string;
  /** createdAt range (ISO, inclusive). */
  from?: string;
  to?: string;
  /** Only these statuses / this district / department (applied by the store's filter). */
  statuses?: ReportStatus[];
  district?: string;
  department?: string;
  /** Newest first, strictly older than this list key (`<createdAt>#<reportId>`). */
  before?: string;
  limit: number;
}

/** A report as the map and the duplicate hints need it (a projection: no history, no photos). */
export type ReportPoint = Pick<Report, 'reportId' | 'receiptNo' | 'category' | 'status' | 'place' | 'createdAt' | 'district' | 'department' | 'description'>;

export interface ReportStore {
  get(reportId: string): Promise<Report | null>;
  /** The report of a receipt number (staff type it to mark a duplicate). */
  findByReceipt(receiptNo: string): Promise<Report | null>;
  /** Writes a new report unless one exists for this id (the run): 'exists' then. */
  create(report: Report): Promise<'created' | 'exists'>;
  /** Writes the report if it still has `expectedRev` (it carries the next rev); false: someone changed it. */
  save(report: Report, expectedRev: number): Promise<boolean>;
  /** The next receipt number of a year (1, 2, …). */
  nextReceiptNo(year: number): Promise<number>;
  /** One category's reports, newest first, filtered; up to `limit`, and whether more are older. */
  list(query: ListQuery): Promise<{ items: Report[]; more: boolean }>;
  /** Sets (or, with null, removes) the friend's 「adding to a report」 mark; false when the friend is not registered. */
  markAdding(userId: string, adding: { reportId: string; until: string } | null): Promise<boolean>;
  /** Every matching report of a category as a point (the map, duplicate hints), newest first, at most `max`. */
  points(query: Omit<ListQuery, 'before' | 'limit'> & { max: number }): Promise<ReportPoint[]>;
}

export interface ReportSettingsStore {
  settings(): Promise<ReportSettings>;
  /** false: someone saved since `expectedRev`. */
  save(next: ReportSettings, expectedRev: number): Promise<boolean>;
}

/** The photo job's queue message (on the planner queue: functions/deliveries/model.ts PlannerMessage). */
export interface ReportPhotosJob {
  type: 'reportPhotos';
  reportId: string;
}
