/**
 * Deliveries (issue 5): segments, composed messages, send now / scheduled / recurring, chunks,
 * open and click counts. The shared vocabulary of the capability; behaviour lives in the modules
 * next to it (segment.ts, recurrence.ts, compose.ts, planner.ts, sender.ts, staff-deliveries.ts).
 * HTTP contract: docs/deliveries-api.md (answers: views.ts). Keys: keys.ts. Ports: ports.ts.
 * Type-only imports here: the staff console imports this file's constants as they are.
 */
import type { AttributeName } from '../forms/form';
import type { Lang } from '../shared/languages';

export type { AttributeName, Lang };

/** Images staff attach to deliveries: JPEG or PNG up to 5 MB (resized on the server; API Gateway takes 6 MB bodies). */
export const DELIVERY_IMAGE = { types: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024 } as const;

// ---- segments ------------------------------------------------------------------------------

/**
 * One condition on a friend.
 * - attribute: the friend's profile attribute (choice ids). `in`: single-valued attributes match
 *   when the value is one of `values`; `categories` (multi) when any wanted category is one of
 *   `values`. `notIn` is the negation (a friend without the attribute matches `notIn`).
 * - answeredForm: the friend has (or has not) a latest response to form `formId`.
 * - followed: first follow (`followedAt`) before / on-or-after the start of `date` (Asia/Tokyo).
 * - language: the friend's LINE language mapped to the five supported ones (others count as ja).
 */
export type Condition =
  | { kind: 'attribute'; attribute: AttributeName; op: 'in' | 'notIn'; values: string[] }
  | { kind: 'answeredForm'; formId: string; answered: boolean }
  | { kind: 'followed'; op: 'before' | 'onOrAfter'; date: string }
  | { kind: 'language'; values: Lang[] };

/** `all` = AND, `any` = OR. No conditions = everyone. Blocked friends never match. */
export interface SegmentRule {
  match: 'all' | 'any';
  conditions: Condition[];
}

/** The built-in segment "everyone" (no conditions), never stored. */
export const EVERYONE_ID = 'everyone';

export interface Segment {
  segmentId: string;
  name: string;
  description?: string;
  rule: SegmentRule;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** What segment evaluation reads of a friend (the friend item, see functions/friends). */
export interface AudienceFriend {
  userId: string;
  /** '' when the reader did not ask for names (only a delivery with the name variable needs them). */
  displayName: string;
  status: 'active' | 'blocked';
  /** First follow, epoch milliseconds (NaN when unknown: no "followed" condition holds). */
  followedAtMs: number;
  language?: string;
  attributes?: Partial<Record<AttributeName, string | string[]>>;
}

// ---- message content -----------------------------------------------------------------------

export const CARD_TEMPLATES = ['notice', 'event', 'emergency'] as const;
export type CardTemplate = (typeof CARD_TEMPLATES)[number];

/**
 * A bubble (one LINE message). `{name}` in text is replaced by the friend's display name
 * (which makes the delivery use push per friend instead of multicast: LINE has no per-recipient
 * substitution in multicast). URLs are rewritten to the platform's click redirect when sent.
 */
export type Bubble =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaId: string; alt?: string }
  | {
      type: 'card';
      template: CardTemplate;
      title: string;
      body: string;
      mediaId?: string;
      /** Event card: when and where, free text. */
      when?: string;
      where?: string;
      button?: { label: string; url: string };
    }
  | { type: 'link'; text: string; label: string; url: string }
  /** A text with a button that starts a published scenario (postback `scenario:<scenarioId>`, functions/scenarios/responder.ts). */
  | { type: 'scenario'; text: string; label: string; scenarioId: string };

export interface Variant {
  lang: Lang;
  /** 1..5 bubbles. */
  bubbles: Bubble[];
}

export interface DeliveryContent {
  title: string;
  category: string;
  /** The `ja` variant is required; a friend gets their language's variant when one exists. */
  variants: Variant[];
}

/** An uploaded image, resized for LINE (original ≤ 10 MB JPEG/PNG, preview ≤ 1 MB, 240 px). */
export interface Media {
  mediaId: string;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  originalKey: string;
  previewKey: string;
  bytes: number;
  createdAt: string;
  createdBy: string;
}

// ---- deliveries ----------------------------------------------------------------------------

/** Every status a delivery can have, in the order the history's filter offers them. */
export const DELIVERY_STATUSES = ['draft', 'pending_approval', 'scheduled', 'queued', 'sending', 'sent', 'partly_failed', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Staff may still edit a delivery in these (a reservation stays one); later ones have started. */
export const EDITABLE_STATUSES: readonly DeliveryStatus[] = ['draft', 'pending_approval', 'scheduled'];

/** A delivery that left or is leaving (its progress counts): the dashboard's 最近の配信, the console's progress. */
export const LEFT_STATUSES: readonly DeliveryStatus[] = ['queued', 'sending', 'sent', 'partly_failed', 'failed'];

export interface Audience {
  /** The saved segment it came from (null: everyone or an unsaved rule). */
  segmentId: string | null;
  /** Snapshot of the rule used, so history shows what was sent even after the segment changes. */
  rule: SegmentRule;
  /**
   * Several segments at once (a disaster-mail route to more than one segment): a friend is in the
   * audience when any of these rules matches them; `rule` is then the first of them.
   */
  anyOf?: SegmentRule[];
  label: string;
}

export type Timing = { kind: 'now' } | { kind: 'at'; at: string };

export type StatsState = 'not_yet' | 'available' | 'under_threshold' | 'unavailable';

export interface DeliveryStats {
  state: StatsState;
  /** LINE uniqueImpression (null: under LINE's privacy threshold of 20 or not yet available). */
  opened: number | null;
  /** LINE uniqueClick of its own URL actions (null as above). */
  lineClicked: number | null;
  /** Clicks counted by the platform's redirect (/r/...). */
  clicked: number;
  updatedAt?: string;
}

export interface Delivery extends DeliveryContent {
  deliveryId: string;
  status: DeliveryStatus;
  audience: Audience;
  timing: Timing;
  /** Set for an occurrence of a recurring delivery. */
  recurringId?: string;
  occurrenceAt?: string;
  /** Name of the one-time schedule (EventBridge Scheduler / local scheduler) while scheduled. */
  scheduleName?: string;
  /** LINE custom aggregation unit (open counts of multicast/push). */
  aggregationUnit: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  requestedBy?: string;
  approvedBy?: string;
  /** Why an administrator sent a request back (shown on the draft). */
  rejectedReason?: string;
  /** Who pressed send / confirmed the schedule. */
  sentBy?: string;
  queuedAt?: string;
  firstSentAt?: string;
  finishedAt?: string;
  /**
   * Sent as one LINE broadcast (everyone, one language variant, no name: the fastest path):
   * `recipients` is the active friends counted at planning; statistics come by request ID.
   */
  broadcast?: boolean;
  /** The broadcast's `x-line-request-id` (statistics per request). */
  lineRequestId?: string;
  /** Filled by the planner. */
  recipients?: number;
  chunksTotal?: number;
  /** Chunks that reached sent/failed (stored as a set of chunk indexes; `resend failed` removes the reset ones). */
  chunksDone?: number;
  /** Filled when the last chunk finishes (sum over chunks). */
  succeeded?: number;
  failed?: number;
  stats: DeliveryStats;
  version: number;
}

// ---- chunks (the unit of sending) ------------------------------------------------------------

export const MULTICAST_MAX_RECIPIENTS = 500;

export type ChunkStatus = 'pending' | 'sent' | 'failed';

export interface Chunk {
  deliveryId: string;
  index: number;
  lang: Lang;
  /** multicast: one request to ≤ 500; push: one request per friend (the text names the friend). */
  mode: 'multicast' | 'push' | 'broadcast';
  recipients: string[];
  /** push mode only: display names in recipients' order. */
  names?: string[];
  /** UUID derived from (deliveryId, index): the same on every retry, so LINE never delivers twice. */
  retryKey: string;
  status: ChunkStatus;
  attempts: number;
  lastError?: string;
  /** push mode: indexes of recipients already accepted (resume after a crash). */
  pushedUpTo?: number;
}

// ---- queue messages -------------------------------------------------------------------------

/** Planner queue: resolve the audience of a delivery (send now, a fired schedule) or create an occurrence. */
export type PlannerMessage =
  | { type: 'plan'; deliveryId: string }
  | { type: 'occurrence'; recurringId: string; occurrenceAt: string }
  /** Put every friend's rich menu link right (functions/richmenus/links.ts); `requestedAt` lets a run skip requests an earlier run covered. */
  | { type: 'richMenuSync'; requestedAt: string }
  /** A disaster mail that went out at once was recorded: its alert kind may switch disaster mode (functions/richmenus/disaster-signal.ts). */
  | { type: 'disasterSignal'; mailId: string }
  /** A citizen report's photos to fetch from LINE (functions/reports/photos.ts). */
  | { type: 'reportPhotos'; reportId: string };

/**
 * Send queue: one chunk. The planner puts the chunk itself in the message (`chunk`: multicast and
 * broadcast), so a sender that receives it for the first time sends without reading the table;
 * a message without it (resend, reconcile, push mode), or received again, reads the chunk item.
 */
export interface SendMessage {
  deliveryId: string;
  index: number;
  chunk?: SendMessageChunk;
}

export interface SendMessageChunk {
  lang: Lang;
  mode: 'multicast' | 'broadcast';
  retryKey: string;
  /** Recipients' user IDs joined by "\n" (empty for a broadcast). */
  to: string;
}

// ---- recurring -------------------------------------------------------------------------------

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A recurrence in Asia/Tokyo wall time. Examples:
 * daily 07:00 → {freq:'daily', interval:1}; every Monday 8:00 → {freq:'weekly', byWeekday:['MO']};
 * every other week → interval 2; the 1st and 15th → {freq:'monthly', byMonthDay:[1,15]};
 * last day of month → byMonthDay [-1]; 2nd Tuesday → {freq:'monthly', byWeekday:['TU'], bySetPos:2};
 * a list of dates → {freq:'dates', dates:[...]}.
 */
export interface RecurrenceRule {
  freq: 'daily' | 'weekly' | 'monthly' | 'dates';
  interval: number;
  /** HH:mm, Asia/Tokyo. */
  time: string;
  byWeekday?: Weekday[];
  byMonthDay?: number[];
  /** With byWeekday on monthly: 1..4 or -1 (last). */
  bySetPos?: number;
  /** freq 'dates': yyyy-mm-dd list. */
  dates?: string[];
  /** Active window, yyyy-mm-dd inclusive (Asia/Tokyo). */
  start: string;
  end?: string;
  excludeDates: string[];
  excludeWeekdays: Weekday[];
  /** Skip Japanese public holidays (from @holiday-jp/holiday_jp). */
  excludeHolidays: boolean;
}

export type RecurringStatus = 'active' | 'paused' | 'ended';

/** What staff can do to a recurring delivery's status (POST /recurrings/:id/<change>). */
export type RecurringChange = 'pause' | 'resume' | 'end';

export interface Recurring extends DeliveryContent {
  recurringId: string;
  status: RecurringStatus;
  audience: Audience;
  rule: RecurrenceRule;
  /** The next occurrence that has a schedule (absent when none is left). */
  nextAt?: string;
  scheduleName?: string;
  lastOccurrenceAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export interface DeliverySettings {
  /** General accounts must request approval; administrators approve and send. */
  approvalRequired: boolean;
}
