/**
 * What the deliveries staff API answers (docs/deliveries-api.md): the JSON the staff console reads.
 * The use cases are declared to return these types, so the compiler checks the server sends them,
 * and admin-web imports them. Type-only imports of vocabulary modules only: the console's
 * type-check must never load a server-only package or Node's types through this file.
 *
 * Answers that name people go through functions/admin/delivery-routes.ts `named` (functions/staff/
 * directory.ts `decorate`): `createdByName`, `updatedByName`, … next to each person field.
 */
import type { Lang } from '../shared/languages';
import type { WithNames } from '../staff/directory';
import type { FormKind } from '../forms/form';
import type { AttributeDefinitions } from '../forms/views';
import type { ChunkStatus, Delivery, Media, Recurring, Segment } from './model';

export interface ItemList<T> {
  items: T[];
}

// ---- deliveries ------------------------------------------------------------------------------

/** One page of the history (`listDeliveries`), newest first. */
export interface DeliveryPage {
  items: Delivery[];
  cursor?: string;
}

/** How often each link of a delivery was opened (through the click counter or the LIFF page). */
export interface LinkClicks {
  url: string;
  clicks: number;
}

/** A delivery with its progress (`getDelivery`): chunks counted by state, its links' clicks. */
export interface DeliveryDetail {
  delivery: Delivery;
  chunks: Record<ChunkStatus, number>;
  links: LinkClicks[];
}

/** LINE's count of this month's messages (`monthQuota`); `limit` null: no limit. */
export interface MonthQuota {
  limit: number | null;
  used: number;
  remaining: number | null;
}

/** Recipients, LINE requests and the month's quota, before sending (`estimateDelivery`). */
export interface Estimate {
  recipients: number;
  activeFriends: number;
  requests: number;
  minimumRequests: number;
  /** broadcast: everyone in one language — one LINE request (planner.ts). */
  mode: 'multicast' | 'push' | 'broadcast';
  /** null when LINE cannot be asked right now (the send is not blocked by it). */
  quota: MonthQuota | null;
  exceedsQuota: boolean;
}

/** GET /quota (built by functions/admin/delivery-routes.ts): the quota, or `unavailable` while LINE cannot be asked. */
export type QuotaAnswer = (MonthQuota | { limit: null; used: null; remaining: null; unavailable: true }) & {
  /** yyyy-mm, Japan time. */
  month: string;
};

export type DeliveryAnswer = WithNames<Delivery>;
export type DeliveryPageAnswer = WithNames<DeliveryPage>;
export type DeliveryDetailAnswer = WithNames<DeliveryDetail>;
export type MediaAnswer = WithNames<Media>;

// ---- recurring deliveries ----------------------------------------------------------------------

/** A recurring delivery (`getRecurring`): its next occurrences and its latest deliveries. */
export interface RecurringDetail {
  recurring: Recurring;
  /** The next occurrences (ISO), none once ended. */
  next: string[];
  deliveries: Delivery[];
}

/** POST /recurrings/preview (built by the route from `previewOccurrences`). */
export interface OccurrencePreview {
  next: string[];
}

export type RecurringAnswer = WithNames<Recurring>;
export type RecurringListAnswer = WithNames<ItemList<Recurring>>;
export type RecurringDetailAnswer = WithNames<RecurringDetail>;

// ---- segments ------------------------------------------------------------------------------------

/** Active friends matching a rule (`countAudience`). */
export interface AudienceCount {
  /** Active friends matching the rule. */
  matching: number;
  activeFriends: number;
  /** Matching friends per message language (the variant each would get, when content is given). */
  byLang: Partial<Record<Lang, number>>;
}

/** POST /segments/count (built by the route): the count without the per-language split. */
export type AudienceCountAnswer = Pick<AudienceCount, 'matching' | 'activeFriends'>;

/** GET /segments/fields (`segmentFields`): what the condition editor offers. */
export interface SegmentFields {
  /** The profile form's attributes with their choices (labels in Japanese). */
  attributes: AttributeDefinitions['attributes'];
  /** Forms one can have answered (title in Japanese). */
  forms: { formId: string; title: string; kind: FormKind }[];
  languages: { id: Lang; label: string }[];
}

export type SegmentAnswer = WithNames<Segment>;
export type SegmentListAnswer = WithNames<ItemList<Segment>>;
