/**
 * Ports of the deliveries capability. Adapters: functions/adapters/aws (DynamoDB, EventBridge
 * Scheduler, SQS), functions/adapters/local (local scheduler, local queue), functions/adapters/line.
 */
import type { LineMessage } from '../ports/line-gateway';
import type { AudienceFriend, Chunk, ChunkStatus, Delivery, DeliverySettings, DeliveryStatus, Media, PlannerMessage, Recurring, Segment } from './model';

export interface DeliveryListQuery {
  /** yyyy-mm-dd (Asia/Tokyo), inclusive. */
  from?: string;
  to?: string;
  /** Substring of title / category / segment label / sender (case-insensitive). */
  q?: string;
  status?: DeliveryStatus[];
  category?: string;
  /** Occurrences of one recurring delivery. */
  recurringId?: string;
  limit?: number;
  cursor?: string;
}

export interface DeliveryRepository {
  get(deliveryId: string, consistent?: boolean): Promise<Delivery | null>;
  /** Fails with ConflictError when it exists. */
  create(delivery: Delivery): Promise<void>;
  /** Optimistic concurrency: stores `next` (version = expectedVersion + 1) only if the stored version is `expectedVersion`. */
  replace(next: Delivery, expectedVersion: number): Promise<void>;
  /**
   * Conditional status move (e.g. scheduled → queued when a schedule fires, queued → sending when the
   * planner claims it). Returns false when the delivery is not in one of `from` (someone else moved it).
   */
  transition(deliveryId: string, from: DeliveryStatus[], to: DeliveryStatus, fields?: Partial<Delivery>): Promise<boolean>;
  list(query: DeliveryListQuery): Promise<{ items: Delivery[]; cursor?: string }>;
  /** Every delivery matching the query, for the history CSV (paged internally). */
  iterate(query: Omit<DeliveryListQuery, 'limit' | 'cursor'>): AsyncIterable<Delivery>;

  /**
   * Writes the chunks (at most MAX_CHUNKS_PER_WRITE), all or none: when an index already exists
   * nothing is written and the existing indexes are returned (the planner never writes an index
   * twice, so for it that means its lease was taken over).
   */
  putChunks(chunks: Chunk[]): Promise<number[]>;
  getChunk(deliveryId: string, index: number): Promise<Chunk | null>;
  listChunks(deliveryId: string): Promise<Chunk[]>;
  /**
   * pending → failed, once. Returns false when the chunk was no longer pending (a redelivered
   * queue message), so the caller does not count it twice. ("Sent" is `chunkSent`.)
   */
  failChunk(deliveryId: string, index: number, fields: { at: string; attempts: number; lastError?: string }): Promise<boolean>;
  /** failed → pending (the "resend the failed part" button). Returns the chunks that were reset. */
  resetFailedChunks(deliveryId: string): Promise<Chunk[]>;
  /** push mode: remembers how far a chunk got. */
  recordPushProgress(deliveryId: string, index: number, pushedUpTo: number): Promise<void>;

  // ---- send pipeline (planner.ts, sender.ts, finish.ts) -------------------------------------
  /**
   * Claims a delivery for planning with a lease: `queued|scheduled → sending`, or takes over a
   * `sending` delivery whose planning is unfinished (no `chunksTotal`) and whose lease expired (a
   * crashed planner: `resumed: true`). Refusals: `not_found`; `not_plannable` (draft, cancelled,
   * finished…); `busy` (another planner's lease is live); `planned` (planning already completed).
   */
  claimPlanning(deliveryId: string, token: string, nowMs: number, leaseMs: number): Promise<PlanningClaim>;
  /** Extends the lease while `token` still holds it; false = someone else took over (stop planning). */
  renewPlanning(deliveryId: string, token: string, untilMs: number): Promise<boolean>;
  /** Writes `recipients` and `chunksTotal` and drops the lease, only while `token` holds it. */
  completePlanning(deliveryId: string, token: string, fields: { recipients: number; chunksTotal: number; broadcast?: boolean }): Promise<boolean>;
  /** Stores the broadcast's LINE request ID (statistics per request). */
  recordLineRequestId(deliveryId: string, requestId: string): Promise<void>;
  /**
   * Chunk `index` was sent: marked sent and counted final in one write on the delivery (the chunk
   * item is not written). `moved` is false when it was already final (counted before). Sent wins
   * over failed: a chunk that got through after it was given up on counts as sent.
   */
  chunkSent(deliveryId: string, index: number): Promise<{ moved: boolean; done: number; total?: number }>;
  /** Records chunk `index` as final (idempotent: counting it again changes nothing); how many are final, of how many. */
  countChunkDone(deliveryId: string, index: number): Promise<{ done: number; total?: number }>;
  /** Sets `firstSentAt` once; false when it was already set. */
  markFirstSent(deliveryId: string, at: string): Promise<boolean>;
  /** A failed attempt on a pending chunk (the dead-letter handler reports the last one). */
  recordChunkError(deliveryId: string, index: number, fields: { attempts: number; lastError: string }): Promise<void>;
  /** Every chunk without its recipient list (cheap: what finishing and progress need). */
  chunkStates(deliveryId: string): Promise<ChunkState[]>;

  /** Link redirect: the URL and +1 click (undefined when no such link). */
  click(deliveryId: string, linkIndex: number): Promise<string | undefined>;
  /**
   * A citizen opened a link to the city's LIFF app: +1 click the first time for this citizen and
   * link ('counted'), nothing on a repeat ('repeat') or for a link the delivery does not have or
   * whose address does not start with `urlPrefix` — the city's LIFF app ('unknown').
   */
  clickOnce(deliveryId: string, linkIndex: number, userId: string, urlPrefix: string): Promise<'counted' | 'repeat' | 'unknown'>;
  putLinks(deliveryId: string, urls: string[]): Promise<void>;
  clicks(deliveryId: string): Promise<number>;
  /** Clicks per link (`urls` = collectLinks(delivery), index = linkIndex); 0 for links never clicked. */
  linkClicks(deliveryId: string, urls: string[]): Promise<{ url: string; clicks: number }[]>;
  /** Deletes a draft (condition: status = draft); false when it is no longer a draft. */
  deleteDraft(deliveryId: string): Promise<boolean>;
}

export type PlanningClaim =
  { claimed: true; delivery: Delivery; resumed: boolean } | { claimed: false; reason: 'not_found' | 'not_plannable' | 'busy' | 'planned'; delivery?: Delivery };

export interface ChunkState {
  index: number;
  status: ChunkStatus;
  recipients: number;
  attempts: number;
  lastError?: string;
}

export interface SegmentRepository {
  get(segmentId: string): Promise<Segment | null>;
  list(): Promise<Segment[]>;
  create(segment: Segment): Promise<void>;
  replace(next: Segment, expectedVersion: number): Promise<void>;
  delete(segmentId: string): Promise<void>;
}

export interface RecurringRepository {
  get(recurringId: string, consistent?: boolean): Promise<Recurring | null>;
  list(): Promise<Recurring[]>;
  create(recurring: Recurring): Promise<void>;
  replace(next: Recurring, expectedVersion: number): Promise<void>;
}

export interface MediaRepository {
  get(mediaId: string): Promise<Media | null>;
  put(media: Media): Promise<void>;
}

export interface SettingsRepository {
  get(): Promise<DeliverySettings>;
  put(settings: DeliverySettings): Promise<void>;
}

/** Friends as segment evaluation sees them. */
export interface AudienceSource {
  /**
   * Every friend that can be targeted, page by page, in no particular order (a blocked friend
   * may appear with status 'blocked' or not at all). Readers evaluate and count; they must not
   * rely on order. Names are read only with `names: true` (otherwise `displayName` is '').
   */
  pages(options?: { names?: boolean }): AsyncIterable<{ friends: AudienceFriend[] }>;
  /** User IDs with a latest response to the form. */
  answeredUsers(formId: string): Promise<Set<string>>;
}

/** Who got a delivery, per audience bucket (a friend's page shows the deliveries they got; functions/deliveries/keys.ts). */
export interface DeliveryReceipts {
  /** Idempotent (same keys on a retry). `everyone`: a broadcast. */
  record(deliveryId: string, plannedAt: string, recipients: Map<number, string[]> | 'everyone'): Promise<void>;
}

/** One-time schedules (EventBridge Scheduler in AWS, the local scheduler locally). */
export interface DeliveryScheduler {
  /** Creates or replaces the schedule `name` that puts `message` on the planner queue at `at`. */
  upsert(name: string, at: Date, message: PlannerMessage): Promise<void>;
  /** Deletes it; false when it did not exist (already fired or never made). */
  remove(name: string): Promise<boolean>;
}

export type SendOutcome = { kind: 'accepted'; requestId?: string } | { kind: 'already_accepted'; requestId?: string };

/** LINE errors the sender distinguishes. Retry the same request (same retry key) on the first two. */
export class LineRateLimitError extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('LINE answered 429 (rate limit)');
    this.name = 'LineRateLimitError';
  }
}
export class LineTransientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LineTransientError';
  }
}
/** 4xx other than 409/429: the request itself is wrong; retrying cannot help. */
export class LineRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'LineRejectedError';
  }
}

export interface LineDeliveryGateway {
  multicast(to: string[], messages: LineMessage[], retryKey: string, aggregationUnit?: string): Promise<SendOutcome>;
  push(to: string, messages: LineMessage[], retryKey: string, aggregationUnit?: string): Promise<SendOutcome>;
  /** Every friend who has not blocked the account (LINE delivers asynchronously; no aggregation unit). */
  broadcast(messages: LineMessage[], retryKey: string): Promise<SendOutcome>;
  /** This month's quota (null: unlimited) and consumption. */
  quota(): Promise<{ limit: number | null; used: number }>;
  /** Distinct custom aggregation units used this month (LINE allows 1,000). */
  aggregationUnitsUsed(): Promise<number>;
  /** Statistics of a unit, from/to yyyymmdd (UTC+9). Values under LINE's threshold are null. */
  unitStatistics(unit: string, from: string, to: string): Promise<{ uniqueImpression: number | null; uniqueClick: number | null } | null>;
  /** Statistics of one broadcast/narrowcast request (values under LINE's threshold are null). */
  requestStatistics(requestId: string): Promise<{ uniqueImpression: number | null; uniqueClick: number | null } | null>;
}

/** The planner and send queues: the platform's one queue port (functions/ports/event-queue.ts). */
export type { JsonQueue } from '../ports/event-queue';
