/** Deliveries (配信): calls of docs/deliveries-api.md, staff side, with the server's own shapes. */
import type { z } from 'zod';
import type {
  deliveryBody,
  deliveryUpdateBody,
  estimateBody,
  historyQuery,
  previewBody,
  recurringBody,
  recurringUpdateBody,
  rejectBody,
  sendBody,
  settingsBody,
} from '../../../functions/deliveries/schemas';
import { DELIVERY_IMAGE, type DeliverySettings, type RecurrenceRule, type RecurringChange } from '../../../functions/deliveries/model';
import type {
  DeliveryAnswer,
  DeliveryDetailAnswer,
  DeliveryPageAnswer,
  Estimate,
  MediaAnswer,
  OccurrencePreview,
  QuotaAnswer,
  RecurringAnswer,
  RecurringDetailAnswer,
  RecurringListAnswer,
} from '../../../functions/deliveries/views';
import { ApiError, downloadCsv, request, type Query } from './client';

export { CARD_TEMPLATES, DELIVERY_STATUSES, EDITABLE_STATUSES, LEFT_STATUSES, WEEKDAYS } from '../../../functions/deliveries/model';
export type {
  Audience,
  Bubble,
  CardTemplate,
  DeliverySettings,
  DeliveryStats,
  DeliveryStatus,
  RecurrenceRule,
  RecurringChange,
  RecurringStatus,
  StatsState,
  Timing,
  Variant,
  Weekday,
} from '../../../functions/deliveries/model';
export type { Estimate };

/** A delivery with its people's display names (added by the server). */
export type Delivery = DeliveryAnswer;
export type DeliveryDetail = DeliveryDetailAnswer;
export type Recurring = RecurringAnswer;
export type Quota = QuotaAnswer;
export type Media = MediaAnswer;

/** What the compose screen sends (POST /deliveries; PUT adds `version`). */
export type DeliveryInput = z.input<typeof deliveryBody>;
export type RecurringInput = z.input<typeof recurringBody>;
/** A saved segment or an unsaved rule. */
export type AudienceInput = DeliveryInput['audience'];

/** The history's filters: the server's query fields except paging, as the strings a query string holds. */
export type HistoryFilter = { [K in Exclude<keyof z.input<typeof historyQuery>, 'cursor' | 'limit' | 'recurringId'>]?: string };

const d = (id: string) => `/deliveries/${encodeURIComponent(id)}`;
const r = (id: string) => `/recurrings/${encodeURIComponent(id)}`;

const filterQuery = (f: HistoryFilter): Query => ({ from: f.from, to: f.to, q: f.q, status: f.status, category: f.category });
const force = (yes: boolean): z.input<typeof sendBody> => (yes ? { force: true } : {});

export const listDeliveries = (f: HistoryFilter, cursor?: string, limit = 50) =>
  request<DeliveryPageAnswer>('GET', '/deliveries', { query: { ...filterQuery(f), cursor, limit } });
export const getDelivery = (id: string) => request<DeliveryDetail>('GET', d(id));
export const createDelivery = (input: DeliveryInput) => request<Delivery>('POST', '/deliveries', { body: input });
export const updateDelivery = (id: string, input: z.input<typeof deliveryUpdateBody>) => request<Delivery>('PUT', d(id), { body: input });
export const deleteDelivery = (id: string) => request<void>('DELETE', d(id));
export const requestApproval = (id: string) => request<Delivery>('POST', `${d(id)}/request`, { body: {} });
export const approveDelivery = (id: string, yes = false) => request<Delivery>('POST', `${d(id)}/approve`, { body: force(yes) });
export const rejectDelivery = (id: string, reason: string) =>
  request<Delivery>('POST', `${d(id)}/reject`, { body: { reason } satisfies z.input<typeof rejectBody> });
export const sendDelivery = (id: string, yes = false) => request<Delivery>('POST', `${d(id)}/send`, { body: force(yes) });
export const cancelDelivery = (id: string) => request<Delivery>('POST', `${d(id)}/cancel`, { body: {} });
export const resendFailed = (id: string) => request<Delivery>('POST', `${d(id)}/resend-failed`, { body: {} });
export const estimateDelivery = (input: z.input<typeof estimateBody>) => request<Estimate>('POST', '/deliveries/estimate', { body: input });
export const getQuota = () => request<Quota>('GET', '/quota');

export const listRecurrings = () => request<RecurringListAnswer>('GET', '/recurrings');
export const getRecurring = (id: string) => request<RecurringDetailAnswer>('GET', r(id));
export const createRecurring = (input: RecurringInput) => request<Recurring>('POST', '/recurrings', { body: input });
export const updateRecurring = (id: string, input: z.input<typeof recurringUpdateBody>) => request<Recurring>('PUT', r(id), { body: input });
export const changeRecurring = (id: string, change: RecurringChange) => request<Recurring>('POST', `${r(id)}/${change}`, { body: {} });
export const previewRecurrence = (rule: RecurrenceRule) =>
  request<OccurrencePreview>('POST', '/recurrings/preview', { body: { rule } satisfies z.input<typeof previewBody> });

export const getDeliverySettings = () => request<DeliverySettings>('GET', '/settings/deliveries');
export const putDeliverySettings = (s: z.input<typeof settingsBody>) => request<DeliverySettings>('PUT', '/settings/deliveries', { body: s });

/** Where the console shows an uploaded image (public route; LINE fetches the original the same way). */
export const mediaUrl = (mediaId: string, size: 'original' | 'preview' = 'preview') => `/media/${encodeURIComponent(mediaId)}/${size}`;

/** POST /media with the file's bytes (checked here first for a quick message; the server decides). */
export async function uploadMedia(file: File): Promise<Media> {
  if (!(DELIVERY_IMAGE.types as readonly string[]).includes(file.type))
    throw new ApiError(400, 'validation', '画像は JPEG か PNG のファイルを選んでください。');
  if (file.size > DELIVERY_IMAGE.maxBytes) throw new ApiError(413, 'too_large', `画像が大きすぎます（${DELIVERY_IMAGE.maxBytes / 1024 / 1024}MBまで）。`);
  return request<Media>('POST', '/media', { file });
}

/** GET /deliveries.csv with the list's filters, downloaded as a file (BOM included). */
export const downloadHistoryCsv = (f: HistoryFilter) => downloadCsv('/deliveries.csv', filterQuery(f), 'deliveries.csv');
