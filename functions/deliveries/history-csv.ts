/**
 * CSV of the delivery history (UTF-8 with BOM, CRLF, formula-safe cells), streamed row by row so
 * a long history never sits in memory.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { tokyoDateTime } from '../audit/audit';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import type { Delivery, DeliveryStatus } from './model';

export const STATUS_LABELS: Record<DeliveryStatus, string> = {
  draft: '下書き',
  pending_approval: '承認待ち',
  scheduled: '予約済み',
  queued: '送信待ち',
  sending: '送信中',
  sent: '送信済み',
  partly_failed: '一部失敗',
  failed: '失敗',
  cancelled: '取り消し',
};

export const HISTORY_COLUMNS = ['配信日時', 'タイトル', 'カテゴリ', '配信先', '状態', '対象人数', '成功', '失敗', '開封', 'クリック', '送信者', '承認者', '配信ID'];

/** When the delivery went (or will go) out: first accepted send, the reservation, or its creation. */
export function deliveryTime(d: Delivery): string {
  return d.firstSentAt ?? d.queuedAt ?? (d.timing.kind === 'at' ? d.timing.at : d.createdAt);
}

function opened(d: Delivery): string {
  if (d.stats.state === 'available' && d.stats.opened !== null) return String(d.stats.opened);
  if (d.stats.state === 'under_threshold') return '20人未満';
  if (d.stats.state === 'unavailable') return '集計なし';
  return d.status === 'sent' || d.status === 'partly_failed' ? '集計前' : '';
}

export function historyRow(d: Delivery): string[] {
  return [
    tokyoDateTime(deliveryTime(d)),
    d.title,
    d.category,
    d.audience.label,
    STATUS_LABELS[d.status],
    d.recipients === undefined ? '' : String(d.recipients),
    d.succeeded === undefined ? '' : String(d.succeeded),
    d.failed === undefined ? '' : String(d.failed),
    opened(d),
    String(d.stats.clicked ?? 0),
    d.sentBy ?? '',
    d.approvedBy ?? '',
    d.deliveryId,
  ].map(neutraliseFormula);
}

/** Rows are pulled only as fast as the consumer reads (as in the forms export). */
export function historyCsvStream(deliveries: AsyncIterable<Delivery>, onRow?: () => void): Readable {
  async function* rows() {
    yield HISTORY_COLUMNS;
    for await (const d of deliveries) {
      onRow?.();
      yield historyRow(d);
    }
  }
  const source = Readable.from(rows(), { objectMode: true, highWaterMark: 64 });
  const csv = stringify(CSV_OPTIONS);
  source.on('error', (e) => csv.destroy(e));
  return source.pipe(csv);
}
