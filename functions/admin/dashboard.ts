/** Use case of the console's first screen: figures of the capabilities built so far. */
import { tokyoDate, type Clock } from '../ports/clock';

export interface FriendDay {
  /** yyyy-mm-dd, Asia/Tokyo. */
  date: string;
  added: number;
  blocked: number;
}

export interface FriendStatsReader {
  allDays(): Promise<FriendDay[]>;
}

export interface Dashboard {
  friends: { total: number; series: FriendDay[] };
  deliveries: null;
  reports: null;
  reservations: null;
}

export const SERIES_DAYS = 30;

/**
 * 1. Read the friends' day counters.
 * 2. Total = Σ added − Σ blocked over all days.
 * 3. Series = the last 30 Tokyo days up to today, zero-filled.
 * Capabilities not built yet answer null.
 */
export async function dashboard(deps: { friendStats: FriendStatsReader; clock: Clock }): Promise<Dashboard> {
  const days = await deps.friendStats.allDays();
  const total = days.reduce((sum, d) => sum + d.added - d.blocked, 0);
  const byDate = new Map(days.map((d) => [d.date, d]));
  const today = new Date(`${tokyoDate(deps.clock.now())}T00:00:00Z`).getTime();
  const series = Array.from({ length: SERIES_DAYS }, (_, i) => {
    const date = new Date(today - (SERIES_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const d = byDate.get(date);
    return { date, added: d?.added ?? 0, blocked: d?.blocked ?? 0 };
  });
  return { friends: { total: Math.max(total, 0), series }, deliveries: null, reports: null, reservations: null };
}
