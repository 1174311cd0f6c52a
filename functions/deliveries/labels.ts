/**
 * Words staff read for deliveries — one table per concept, shared by the screens (admin-web
 * imports this file as it is), the history CSV and the audit log — and the one definition of a
 * delivery's time. Dependency-free on purpose (no imports beyond the Japan-time formatter).
 */
import { jstDateTime } from '../shared/japan-time';
import type { DeliveryStatus, RecurringStatus, Timing } from './model';

export const DELIVERY_STATUS_LABELS = {
  draft: '下書き',
  pending_approval: '承認待ち',
  scheduled: '予約済み',
  queued: '送信待ち',
  sending: '送信中',
  sent: '送信済み',
  partly_failed: '一部失敗',
  failed: '失敗',
  cancelled: '取り消し',
} as const satisfies Record<DeliveryStatus, string>;

export const RECURRING_STATUS_LABELS = { active: '実行中', paused: '一時停止中', ended: '終了' } as const satisfies Record<RecurringStatus, string>;

/** When a delivery goes out: now, or at a reserved time (functions/deliveries/model.ts `Timing`). */
export type TimingShape = Timing;

/** What `deliveryTime` reads of a delivery. */
export interface DeliveryTimes {
  firstSentAt?: string;
  queuedAt?: string;
  timing: TimingShape;
  createdAt: string;
}

/**
 * When the delivery went (or will go) out — the one answer every screen, the dashboard and the
 * history CSV show as 配信日時: the first accepted send, else when it was queued, else the reserved
 * time (a recurring occurrence's is its occurrence), else its creation. All of them are recorded
 * by the same clock (functions/ports/clock.ts `hostClock`), so they agree with the schedule.
 */
export function deliveryTime(d: DeliveryTimes): string {
  return d.firstSentAt ?? d.queuedAt ?? (d.timing.kind === 'at' ? d.timing.at : d.createdAt);
}

/** 「すぐに送信」 or the reserved time in Japan time, 「2026/12/07 10:00」. */
export function timingText(timing: TimingShape): string {
  return timing.kind === 'at' ? jstDateTime(timing.at) : 'すぐに送信';
}
