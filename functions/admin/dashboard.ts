/** Use case of the console's first screen: figures of the capabilities built so far. */
import { type Clock } from '../ports/clock';
import { jstDay } from '../shared/japan-time';
import { deliveryTime } from '../deliveries/labels';
import { LEFT_STATUSES } from '../deliveries/model';
import type { DeliveryRepository } from '../deliveries/ports';
import { canUse, type StaffAccount } from '../staff/staff';
import type { FriendStatsReader } from '../friends/friend-stats';
import type { Dashboard, RecentDelivery } from './views';
import { reportMap, type StaffReportsDeps } from '../reports/staff-reports';
import { listQuery } from '../reports/schemas';
import type { SignedIn } from '../staff/context';

export type { Dashboard, FriendDay, RecentDelivery } from './views';

export const SERIES_DAYS = 30;
/** Deliveries on the card. */
export const RECENT_DELIVERIES = 5;

export interface DashboardDeps {
  friendStats: FriendStatsReader;
  clock: Clock;
  /** Absent where deliveries are not wired (then no card). */
  deliveries?: Pick<DeliveryRepository, 'list'>;
  /** Absent where reports are not wired (then no card). */
  reports?: Pick<StaffReportsDeps, 'reports' | 'settings' | 'sealer' | 'clock'>;
}

/** Unfinished reports on the card, and how far back the card counts them. */
export const RECENT_REPORTS = 5;
export const REPORTS_DAYS = 365;

/**
 * 1. Read the friends' day counters.
 * 2. Total = Σ added − Σ blocked over all days.
 * 3. Series = the last 30 Tokyo days up to today, zero-filled.
 * 4. For an account holding 配信: the latest deliveries that left (or are leaving), newest first
 *    by 配信日時 — the history's newest first, a few more read than shown because the history
 *    sorts a "send now" by its creation.
 * 5. For an account holding 市民通報: how many reports of the last year are 受付 and 対応中 (in its
 *    categories) and the newest of them.
 * Capabilities not built yet answer null.
 */
type Viewer = Pick<StaffAccount, 'role' | 'permissions'> & Partial<Pick<StaffAccount, 'loginId' | 'reportCategories'>>;

export async function dashboard(deps: DashboardDeps, who?: Viewer): Promise<Dashboard> {
  const mayDeliver = Boolean(deps.deliveries && who && canUse(who, 'deliveries'));
  const mayReport = Boolean(deps.reports && who && canUse(who, 'reports'));
  const [days, recent, reports] = await Promise.all([
    deps.friendStats.allDays(),
    mayDeliver ? recentDeliveries(deps.deliveries!) : Promise.resolve(null),
    mayReport ? openReports(deps.reports!, who!) : Promise.resolve(null),
  ]);
  const total = days.reduce((sum, d) => sum + d.added - d.blocked, 0);
  const byDate = new Map(days.map((d) => [d.date, d]));
  const today = new Date(`${jstDay(deps.clock.now())}T00:00:00Z`).getTime();
  const series = Array.from({ length: SERIES_DAYS }, (_, i) => {
    const date = new Date(today - (SERIES_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const d = byDate.get(date);
    return { date, added: d?.added ?? 0, blocked: d?.blocked ?? 0 };
  });
  return { friends: { total: Math.max(total, 0), series }, deliveries: recent ? { recent } : null, reports, reservations: null };
}

async function recentDeliveries(deliveries: Pick<DeliveryRepository, 'list'>): Promise<RecentDelivery[]> {
  const { items } = await deliveries.list({ status: [...LEFT_STATUSES], limit: RECENT_DELIVERIES * 2 });
  return items
    .map((d) => ({
      deliveryId: d.deliveryId,
      title: d.title,
      status: d.status,
      at: deliveryTime(d),
      ...(d.recipients === undefined ? {} : { recipients: d.recipients }),
      ...(d.succeeded === undefined ? {} : { succeeded: d.succeeded }),
      ...(d.failed === undefined ? {} : { failed: d.failed }),
      opened: d.stats?.state === 'available' && typeof d.stats.opened === 'number' ? d.stats.opened : null,
      statsState: d.stats?.state ?? 'not_yet',
      recurring: Boolean(d.recurringId),
    }))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, RECENT_DELIVERIES);
}

async function openReports(deps: Pick<StaffReportsDeps, 'reports' | 'settings' | 'sealer' | 'clock'>, account: Viewer): Promise<Dashboard['reports']> {
  // The list's use cases read the account's login ID (the cursor's seal) and its category limit.
  const who = { account: { loginId: '-', ...account }, ip: '-' } as unknown as SignedIn;
  // The last year's reports (a key range: the query never reads every report ever made).
  const from = jstDay(new Date(deps.clock.now().getTime() - REPORTS_DAYS * 86_400_000));
  const open = { status: 'received,in_progress', from };
  // One read of the points (newest first): the counts and the newest few.
  const { points } = await reportMap(deps as StaffReportsDeps, who, listQuery.parse(open));
  return {
    received: points.filter((p) => p.status === 'received').length,
    inProgress: points.filter((p) => p.status === 'in_progress').length,
    recent: points.slice(0, RECENT_REPORTS).map(({ reportId, receiptNo, category, status, createdAt, description }) => ({
      reportId,
      receiptNo,
      category,
      status,
      createdAt,
      description: [...description].slice(0, 80).join(''),
    })),
  };
}
