/**
 * CSV of the delivery history (UTF-8 with BOM, CRLF, formula-safe cells), streamed row by row so
 * a long history never sits in memory.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import { jstTimestamp } from '../shared/japan-time';
import { DELIVERY_STATUS_LABELS, deliveryTime } from './labels';
import type { Delivery, DeliveryStatus } from './model';

/** The console's words (functions/deliveries/labels.ts): one table for the screen and the CSV. */
export const STATUS_LABELS: Record<DeliveryStatus, string> = DELIVERY_STATUS_LABELS;

export const HISTORY_COLUMNS = [
  '配信日時',
  'タイトル',
  'カテゴリ',
  '配信先',
  '状態',
  '対象人数',
  '成功',
  '失敗',
  '開封',
  'クリック',
  '送信者',
  '承認者',
  '配信ID',
];

/** When the delivery went (or will go) out: the one definition (functions/deliveries/labels.ts). */
export { deliveryTime };

function opened(d: Delivery): string {
  if (d.stats.state === 'available' && d.stats.opened !== null) return String(d.stats.opened);
  if (d.stats.state === 'under_threshold') return '20人未満';
  if (d.stats.state === 'unavailable') return '集計なし';
  return d.status === 'sent' || d.status === 'partly_failed' ? '集計前' : '';
}

/** Display names by login ID (送信者, 承認者 name people, not accounts); an unknown ID stays as it is. */
export type StaffNames = Readonly<Record<string, string>>;

export function historyRow(d: Delivery, names: StaffNames = {}): string[] {
  const person = (loginId: string | undefined) => (loginId ? (names[loginId] ?? loginId) : '');
  return [
    jstTimestamp(deliveryTime(d)),
    d.title,
    d.category,
    d.audience.label,
    STATUS_LABELS[d.status],
    d.recipients === undefined ? '' : String(d.recipients),
    d.succeeded === undefined ? '' : String(d.succeeded),
    d.failed === undefined ? '' : String(d.failed),
    opened(d),
    String(d.stats.clicked ?? 0),
    person(d.sentBy),
    person(d.approvedBy),
    d.deliveryId,
  ].map(neutraliseFormula);
}

/** Rows are pulled only as fast as the consumer reads (as in the forms export). */
export function historyCsvStream(deliveries: AsyncIterable<Delivery>, onRow?: () => void, names: StaffNames = {}): Readable {
  async function* rows() {
    yield HISTORY_COLUMNS;
    for await (const d of deliveries) {
      onRow?.();
      yield historyRow(d, names);
    }
  }
  const source = Readable.from(rows(), { objectMode: true, highWaterMark: 64 });
  const csv = stringify(CSV_OPTIONS);
  source.on('error', (e) => csv.destroy(e));
  return source.pipe(csv);
}
