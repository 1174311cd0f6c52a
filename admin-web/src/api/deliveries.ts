/** Deliveries (配信): shapes and calls of docs/deliveries-api.md, staff side. */
import { ApiError, downloadCsv, request, type Query } from './client';
import type { Lang } from '../../../functions/shared/languages';
import type { SegmentRule } from './segments';

export const CARD_TEMPLATES = ['notice', 'event', 'emergency'] as const;
export type CardTemplate = (typeof CARD_TEMPLATES)[number];

export type Bubble =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaId: string; alt?: string }
  | { type: 'card'; template: CardTemplate; title: string; body: string; mediaId?: string; when?: string; where?: string; button?: { label: string; url: string } }
  | { type: 'link'; text: string; label: string; url: string };

export interface Variant {
  lang: Lang;
  bubbles: Bubble[];
}

export type DeliveryStatus = 'draft' | 'pending_approval' | 'scheduled' | 'queued' | 'sending' | 'sent' | 'partly_failed' | 'failed' | 'cancelled';
export const DELIVERY_STATUSES: DeliveryStatus[] = ['draft', 'pending_approval', 'scheduled', 'queued', 'sending', 'sent', 'partly_failed', 'failed', 'cancelled'];

export interface Audience {
  segmentId: string | null;
  rule: SegmentRule;
  label: string;
}

export type AudienceInput = { segmentId: string } | { rule: SegmentRule; label?: string };

export type Timing = { kind: 'now' } | { kind: 'at'; at: string };

export type StatsState = 'not_yet' | 'available' | 'under_threshold' | 'unavailable';

export interface DeliveryStats {
  state: StatsState;
  opened: number | null;
  lineClicked: number | null;
  clicked: number;
  updatedAt?: string;
}

export interface Delivery {
  deliveryId: string;
  title: string;
  category: string;
  variants: Variant[];
  status: DeliveryStatus;
  audience: Audience;
  timing: Timing;
  recurringId?: string;
  occurrenceAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  requestedBy?: string;
  approvedBy?: string;
  rejectedReason?: string;
  sentBy?: string;
  /** Display names of the people above (the server adds them: the console names people, not login IDs). */
  createdByName?: string;
  updatedByName?: string;
  requestedByName?: string;
  approvedByName?: string;
  sentByName?: string;
  queuedAt?: string;
  firstSentAt?: string;
  finishedAt?: string;
  recipients?: number;
  chunksTotal?: number;
  chunksDone?: number;
  /** Sent as one LINE broadcast (everyone, one language). */
  broadcast?: boolean;
  succeeded?: number;
  failed?: number;
  stats?: DeliveryStats;
  version: number;
}

export interface DeliveryDetail {
  delivery: Delivery;
  chunks: { pending: number; sent: number; failed: number };
  links: { url: string; clicks: number }[];
}

export interface DeliveryInput {
  title: string;
  category: string;
  variants: Variant[];
  audience: AudienceInput;
  timing: Timing;
}

export interface Quota {
  limit: number | null;
  used: number | null;
  remaining: number | null;
  month?: string;
  unavailable?: boolean;
}

export interface Estimate {
  recipients: number;
  activeFriends?: number;
  requests: number;
  mode: 'multicast' | 'push' | 'broadcast';
  quota: Quota | null;
  exceedsQuota: boolean;
}

export interface Media {
  mediaId: string;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  bytes: number;
}

export interface HistoryFilter {
  from?: string;
  to?: string;
  q?: string;
  status?: string;
  category?: string;
}

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RecurrenceRule {
  freq: 'daily' | 'weekly' | 'monthly' | 'dates';
  interval: number;
  time: string;
  byWeekday?: Weekday[];
  byMonthDay?: number[];
  bySetPos?: number;
  dates?: string[];
  start: string;
  end?: string;
  excludeDates: string[];
  excludeWeekdays: Weekday[];
  excludeHolidays: boolean;
}

export type RecurringStatus = 'active' | 'paused' | 'ended';

export interface Recurring {
  recurringId: string;
  title: string;
  category: string;
  variants: Variant[];
  status: RecurringStatus;
  audience: Audience;
  rule: RecurrenceRule;
  nextAt?: string;
  lastOccurrenceAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export interface RecurringInput {
  title: string;
  category: string;
  variants: Variant[];
  audience: AudienceInput;
  rule: RecurrenceRule;
}

export interface DeliverySettings {
  approvalRequired: boolean;
}

const d = (id: string) => `/deliveries/${encodeURIComponent(id)}`;
const r = (id: string) => `/recurrings/${encodeURIComponent(id)}`;

const filterQuery = (f: HistoryFilter): Query => ({ from: f.from, to: f.to, q: f.q, status: f.status, category: f.category });

export const listDeliveries = (f: HistoryFilter, cursor?: string, limit = 50) =>
  request<{ items: Delivery[]; cursor?: string | null }>('GET', '/deliveries', { query: { ...filterQuery(f), cursor, limit } });
export const getDelivery = (id: string) => request<DeliveryDetail>('GET', d(id));
export const createDelivery = (input: DeliveryInput) => request<Delivery>('POST', '/deliveries', { body: input });
export const updateDelivery = (id: string, input: DeliveryInput & { version: number }) => request<Delivery>('PUT', d(id), { body: input });
export const deleteDelivery = (id: string) => request<void>('DELETE', d(id));
export const requestApproval = (id: string) => request<Delivery>('POST', `${d(id)}/request`, { body: {} });
export const approveDelivery = (id: string, force = false) => request<Delivery>('POST', `${d(id)}/approve`, { body: force ? { force: true } : {} });
export const rejectDelivery = (id: string, reason: string) => request<Delivery>('POST', `${d(id)}/reject`, { body: { reason } });
export const sendDelivery = (id: string, force = false) => request<Delivery>('POST', `${d(id)}/send`, { body: force ? { force: true } : {} });
export const cancelDelivery = (id: string) => request<Delivery>('POST', `${d(id)}/cancel`, { body: {} });
export const resendFailed = (id: string) => request<Delivery>('POST', `${d(id)}/resend-failed`, { body: {} });
export const estimateDelivery = (input: { audience: AudienceInput; variants: Variant[]; title?: string; category?: string }) =>
  request<Estimate>('POST', '/deliveries/estimate', { body: input });
export const getQuota = () => request<Quota>('GET', '/quota');

export const listRecurrings = () => request<{ items: Recurring[] }>('GET', '/recurrings');
export const getRecurring = (id: string) => request<{ recurring: Recurring; next: string[]; deliveries: Delivery[] }>('GET', r(id));
export const createRecurring = (input: RecurringInput) => request<Recurring>('POST', '/recurrings', { body: input });
export const updateRecurring = (id: string, input: RecurringInput & { version: number }) => request<Recurring>('PUT', r(id), { body: input });
export const changeRecurring = (id: string, change: 'pause' | 'resume' | 'end') => request<Recurring>('POST', `${r(id)}/${change}`, { body: {} });
export const previewRecurrence = (rule: RecurrenceRule) => request<{ next: string[] }>('POST', '/recurrings/preview', { body: { rule } });

export const getDeliverySettings = () => request<DeliverySettings>('GET', '/settings/deliveries');
export const putDeliverySettings = (s: DeliverySettings) => request<DeliverySettings>('PUT', '/settings/deliveries', { body: s });

/** Where the console shows an uploaded image (public route; LINE fetches the original the same way). */
export const mediaUrl = (mediaId: string, size: 'original' | 'preview' = 'preview') => `/media/${encodeURIComponent(mediaId)}/${size}`;

/** POST /media with the file's bytes (checked here first for a quick message; the server decides). */
export async function uploadMedia(file: File): Promise<Media> {
  if (file.type !== 'image/jpeg' && file.type !== 'image/png') throw new ApiError(400, 'validation', '画像は JPEG か PNG のファイルを選んでください。');
  if (file.size > 5 * 1024 * 1024) throw new ApiError(413, 'too_large', '画像が大きすぎます（5MBまで）。');
  return request<Media>('POST', '/media', { file });
}

/** GET /deliveries.csv with the list's filters, downloaded as a file (BOM included). */
export const downloadHistoryCsv = (f: HistoryFilter) => downloadCsv('/deliveries.csv', filterQuery(f), 'deliveries.csv');
