/** Answers of the reports API (the console imports these types). */
import type { LineMessage } from '../ports/line-gateway';
import type { Report, ReportPhoto, ReportPlace, ReportSettings } from './model';
import type { ReportPoint } from './ports';
import type { ReportStatus } from './labels';

export interface ReportListItem {
  reportId: string;
  receiptNo: string;
  category: string;
  status: ReportStatus;
  createdAt: string;
  statusAt: string;
  district?: string;
  department?: string;
  /** The first 80 characters. */
  description: string;
  place?: ReportPlace;
  photos: number;
  displayName?: string;
}

export interface ReportListView {
  items: ReportListItem[];
  cursor?: string;
}

export interface ReportMapView {
  points: ReportPoint[];
  /** More matched than the map shows (narrow the period). */
  truncated: boolean;
}

export type ReportPhotoView = Omit<ReportPhoto, 'blobKey' | 'previewKey' | 'rawKey'> & { url?: string; previewUrl?: string };

export interface NearbyReport extends ReportPoint {
  meters: number;
}

export interface ReportView extends Omit<Report, 'photos'> {
  photos: ReportPhotoView[];
  /** Reports of the same category within the settings' distance and time (possible duplicates), nearest first. */
  nearby: NearbyReport[];
  /** The citizen blocked the account or is unknown: a status message cannot reach them. */
  reachable: boolean;
}

export interface StatusPreview {
  /** Exactly what the citizen will get (text and, when chosen, the repair photo). */
  messages: LineMessage[];
}

export type ReportSettingsView = ReportSettings;
