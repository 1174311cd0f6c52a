/**
 * The periodic statistics job (EventBridge rule, hourly in AWS; every few minutes and on demand
 * in the local runtime):
 *
 * 1. Lists deliveries that went out in the last 14 days (LINE keeps updating a unit's statistics
 *    for 14 days after sending, then they freeze) and deliveries stuck in `sending`.
 * 2. Hands every delivery stuck in `sending` for more than 15 minutes to `reconcile` (the
 *    pipeline's finish.ts: finishes it, replans it or re-enqueues its pending chunks).
 * 3. Refreshes the least recently refreshed first, at most `maxLineRequests` LINE calls per run
 *    (LINE allows 60 statistics-per-unit requests an hour; 50 leaves room for retries by hand):
 *    `unitStatistics('d_<id>', sendDay, today)` (UTC+9 yyyymmdd) — for a broadcast
 *    `requestStatistics(<x-line-request-id>)` — and the redirect counters, and
 *    stores `stats` honestly:
 *    - `unavailable`: the delivery went out without an aggregation unit (monthly allowance used up);
 *    - `not_yet`: LINE has no data for the unit yet, or answers nulls on the day of sending;
 *    - `under_threshold`: LINE answers null (fewer than 20 people: LINE's privacy threshold);
 *    - `available`: numbers.
 *    A 429 from LINE stops LINE calls for this run (the rest keep their stats and go first next run).
 */
import type { Clock } from '../ports/clock';
import { jstDay } from '../shared/japan-time';
import type { Delivery, DeliveryStats, DeliveryStatus } from './model';
import { LineRateLimitError, type DeliveryRepository, type LineDeliveryGateway } from './ports';

export interface StatsDeps {
  deliveries: DeliveryRepository;
  line: Pick<LineDeliveryGateway, 'unitStatistics' | 'requestStatistics'>;
  clock: Clock;
  /** finish.ts `reconcile` for a delivery stuck in `sending`. */
  reconcile?: (deliveryId: string) => Promise<unknown>;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface StatsOptions {
  /** LINE requests this run may make. @default 50 */
  maxLineRequests?: number;
}

export interface StatsRunSummary {
  considered: number;
  refreshed: number;
  lineRequests: number;
  rateLimited: boolean;
  failed: number;
  reconciled: number;
  byState: Record<DeliveryStats['state'], number>;
}

export const STATS_WINDOW_DAYS = 14;
export const STUCK_SENDING_MS = 15 * 60_000;
export const DEFAULT_MAX_LINE_REQUESTS = 50;
const DAY_MS = 86_400_000;
/**
 * The history index sorts by the scheduled time, else the creation time; a draft may wait a while
 * before it is sent, so the scan reaches this much further back and filters on `firstSentAt`.
 */
const DRAFT_MARGIN_DAYS = 60;

const SENT_STATUSES: DeliveryStatus[] = ['sending', 'sent', 'partly_failed', 'failed'];

/** yyyymmdd in UTC+9, as LINE's insight endpoints take it. */
export const lineDay = (date: Date) => jstDay(date).replace(/-/g, '');

/** What LINE's answer means for a delivery (pure; see the states above). */
export function statsFrom(
  answer: { uniqueImpression: number | null; uniqueClick: number | null } | null,
  sentAt: Date,
  now: Date,
): Pick<DeliveryStats, 'state' | 'opened' | 'lineClicked'> {
  if (!answer) return { state: 'not_yet', opened: null, lineClicked: null };
  const { uniqueImpression, uniqueClick } = answer;
  if (uniqueImpression !== null || uniqueClick !== null) return { state: 'available', opened: uniqueImpression, lineClicked: uniqueClick };
  // Nulls on the day of sending more likely mean "not counted yet" than "fewer than 20".
  if (jstDay(sentAt) === jstDay(now)) return { state: 'not_yet', opened: null, lineClicked: null };
  return { state: 'under_threshold', opened: null, lineClicked: null };
}

/** Runs the job once (steps at the top of this file). */
export async function refreshStatistics(deps: StatsDeps, options: StatsOptions = {}): Promise<StatsRunSummary> {
  const maxLineRequests = options.maxLineRequests ?? DEFAULT_MAX_LINE_REQUESTS;
  const now = deps.clock.now();
  const windowStart = now.getTime() - STATS_WINDOW_DAYS * DAY_MS;
  const summary: StatsRunSummary = {
    considered: 0,
    refreshed: 0,
    lineRequests: 0,
    rateLimited: false,
    failed: 0,
    reconciled: 0,
    byState: { not_yet: 0, available: 0, under_threshold: 0, unavailable: 0 },
  };

  // 1. Candidates.
  const candidates: Delivery[] = [];
  const stuck: string[] = [];
  const from = jstDay(new Date(windowStart - DRAFT_MARGIN_DAYS * DAY_MS));
  for await (const d of deps.deliveries.iterate({ from, status: SENT_STATUSES })) {
    if (d.status === 'sending') {
      const since = Date.parse(d.firstSentAt ?? d.queuedAt ?? d.updatedAt);
      if (now.getTime() - since > STUCK_SENDING_MS) stuck.push(d.deliveryId);
    }
    if (!d.firstSentAt || Date.parse(d.firstSentAt) < windowStart) continue;
    candidates.push(d);
  }
  summary.considered = candidates.length;

  // 2. Stuck deliveries.
  if (deps.reconcile) {
    for (const deliveryId of stuck) {
      try {
        await deps.reconcile(deliveryId);
        summary.reconciled++;
      } catch (error) {
        summary.failed++;
        deps.log?.('Reconcile failed', { deliveryId, error: (error as Error).message });
      }
    }
  }

  // 3. Least recently refreshed first.
  candidates.sort((a, b) => (a.stats?.updatedAt ?? '').localeCompare(b.stats?.updatedAt ?? ''));
  for (const d of candidates) {
    // A broadcast has no aggregation unit: its statistics come per request ID.
    const unavailable = !d.broadcast && (d.stats?.state === 'unavailable' || !d.aggregationUnit);
    if (!unavailable && (summary.rateLimited || summary.lineRequests >= maxLineRequests)) continue;
    try {
      const clicked = await deps.deliveries.clicks(d.deliveryId);
      let line: Pick<DeliveryStats, 'state' | 'opened' | 'lineClicked'>;
      if (unavailable) line = { state: 'unavailable', opened: null, lineClicked: null };
      else {
        const sentAt = new Date(d.firstSentAt!);
        // A broadcast whose request ID is not known yet has nothing to ask LINE about.
        const requestId = d.lineRequestId;
        const ask = !d.broadcast
          ? () => deps.line.unitStatistics(d.aggregationUnit, lineDay(sentAt), lineDay(now))
          : requestId
            ? () => deps.line.requestStatistics(requestId)
            : undefined;
        if (ask) summary.lineRequests++;
        line = statsFrom(ask ? await ask() : null, sentAt, now);
      }
      const stats: DeliveryStats = { ...line, clicked, updatedAt: now.toISOString() };
      // A conditional no-op status move: never overwrites a delivery that moved on meanwhile.
      if (await deps.deliveries.transition(d.deliveryId, [d.status], d.status, { stats })) {
        summary.refreshed++;
        summary.byState[stats.state]++;
      }
    } catch (error) {
      if (error instanceof LineRateLimitError) {
        summary.rateLimited = true;
        continue;
      }
      summary.failed++;
      deps.log?.('Statistics refresh failed', { deliveryId: d.deliveryId, error: (error as Error).message });
    }
  }
  return summary;
}
