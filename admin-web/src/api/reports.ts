/**
 * 市民通報: calls of the staff API (functions/admin/report-routes.ts), with the server's own shapes.
 * Photo addresses come from the server (`url`, `previewUrl`); a repair photo is uploaded with the
 * same POST /media as a chat image (`uploadMedia`, used by the shared ImagePicker).
 */
import type { z } from 'zod';
import type { assignBody, listQuery, noteBody, settingsBody, statusBody } from '../../../functions/reports/schemas';
import type { ReportListView, ReportMapView, ReportSettingsView, ReportView, StatusPreview } from '../../../functions/reports/views';
import { downloadCsv, request, type Query } from './client';

export { CLOSED_STATUSES, PHOTO_STATUS_LABELS, REPORT_EVENT_LABELS, REPORT_STATUSES, REPORT_STATUS_LABELS, mapLink } from '../../../functions/reports/labels';
export type { ReportStatus } from '../../../functions/reports/labels';
export { REPORT_LIMITS } from '../../../functions/reports/model';
export type { GeoPolygon, ReportCategory, ReportEvent, ReportPlace, ReportSettings } from '../../../functions/reports/model';
export type { ReportPoint } from '../../../functions/reports/ports';
export type {
  NearbyReport,
  ReportListItem,
  ReportListView,
  ReportMapView,
  ReportPhotoView,
  ReportSettingsView,
  ReportView,
  StatusPreview,
} from '../../../functions/reports/views';
export { GSI_TILES } from '../../../functions/reports/defaults';

/** The list's, the map's and the CSV's filters (categories and statuses comma-separated, JST days). */
export type ReportFilter = Pick<z.input<typeof listQuery>, 'category' | 'status' | 'district' | 'department' | 'from' | 'to'>;
/** A status change and its preview (POST …/status, …/status/preview). */
export type StatusChange = z.input<typeof statusBody>;
export type AssignChange = z.input<typeof assignBody>;
export type NoteInput = z.input<typeof noteBody>;
export type ReportSettingsInput = z.input<typeof settingsBody>;

const r = (reportId: string) => `/reports/${encodeURIComponent(reportId)}`;

/** The filters as the query: empty ones left out, text trimmed. */
export function filterQuery(f: ReportFilter): Query {
  const q: Query = {};
  for (const key of ['category', 'status', 'district', 'department', 'from', 'to'] as const) {
    const v = f[key]?.trim();
    if (v) q[key] = v;
  }
  return q;
}

export const listReports = (f: ReportFilter, cursor?: string) =>
  request<ReportListView>('GET', '/reports', { query: { ...filterQuery(f), cursor, limit: 50 } });
export const getReportMap = (f: ReportFilter) => request<ReportMapView>('GET', '/reports/map', { query: filterQuery(f) });
/** GET /reports/export.csv with the list's filters, downloaded as a file (BOM included). */
export const downloadReportsCsv = (f: ReportFilter) => downloadCsv('/reports/export.csv', filterQuery(f), 'reports.csv');
export const getReportSettings = () => request<ReportSettingsView>('GET', '/reports/settings');
export const putReportSettings = (body: ReportSettingsInput) => request<ReportSettingsView>('PUT', '/reports/settings', { body });
export const getReport = (reportId: string) => request<ReportView>('GET', r(reportId));
export const previewStatus = (reportId: string, body: StatusChange) => request<StatusPreview>('POST', `${r(reportId)}/status/preview`, { body });
export const changeStatus = (reportId: string, body: StatusChange) => request<ReportView>('POST', `${r(reportId)}/status`, { body });
export const assignReport = (reportId: string, body: AssignChange) => request<ReportView>('POST', `${r(reportId)}/assign`, { body });
export const addReportNote = (reportId: string, body: NoteInput) => request<ReportView>('POST', `${r(reportId)}/notes`, { body });
