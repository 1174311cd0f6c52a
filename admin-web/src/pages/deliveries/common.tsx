import { useEffect, useId, useState } from 'react';
import { messageOf } from '../../api/client';
import type { DeliveryStatus, RecurringStatus, StatsState, DeliveryStats } from '../../api/deliveries';
import { EVERYONE_ID, listSegments, type Segment } from '../../api/segments';
import type { Me } from '../../api/types';
import { Link } from '../../components/ui';
import { formatDateTimeWithWeekday, formatTime, jstDate, number } from '../../format';
import { DELIVERY_STATUS_LABELS, RECURRING_STATUS_LABELS, deliveryTime } from '../../../../functions/deliveries/labels';
import { jstInstant } from '../../../../functions/shared/japan-time';
import { usePath } from '../../router';
import { AudienceCountLine } from '../segments/rule-editor';

/** The words of the server, the CSV and the audit log (functions/deliveries/labels.ts): one table. */
export const STATUS_LABEL: Record<DeliveryStatus, string> = DELIVERY_STATUS_LABELS;

export const RECURRING_STATUS_LABEL: Record<RecurringStatus, string> = RECURRING_STATUS_LABELS;

/** 配信日時: the one definition of the list, the detail, the recurring page, the dashboard and the CSV. */
export { deliveryTime };

export function StatusBadge(props: { status: DeliveryStatus }) {
  return <span className={`badge delivery-status-${props.status}`}>{STATUS_LABEL[props.status]}</span>;
}

export const CATEGORIES = ['お知らせ', '防災・緊急', '子育て', '健康・福祉', 'イベント', 'ごみ・環境', '税・手続き', '観光'];

/** The sub-pages of 配信, as tabs under the heading. */
export function DeliveriesNav(props: { me: Me }) {
  const path = usePath();
  const items = [
    { to: '/deliveries', label: '配信履歴', active: path === '/deliveries' || /^\/deliveries\/[0-9A-Z]{26}/.test(path) },
    { to: '/deliveries/new', label: '新しい配信', active: path === '/deliveries/new' },
    { to: '/deliveries/recurring', label: 'くり返し配信', active: path.startsWith('/deliveries/recurring') },
    ...(props.me.role === 'admin' ? [{ to: '/deliveries/settings', label: '配信の設定', active: path === '/deliveries/settings' }] : []),
  ];
  return (
    <nav className="subnav" aria-label="配信のメニュー">
      {items.map((i) => (
        <Link key={i.to} to={i.to} className={i.active ? 'active' : undefined} aria-current={i.active ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

/** The saved segments (led by 全員) as a select, with the chosen one's live count. */
export function AudiencePicker(props: { segmentId: string; onChange: (segmentId: string, segment?: Segment) => void; snapshotLabel?: string }) {
  const id = useId();
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listSegments().then(
      (r) => setSegments(r.items),
      (e) => setError(messageOf(e)),
    );
  }, []);
  const chosen = segments?.find((s) => s.segmentId === props.segmentId) ?? null;
  return (
    <div className="field">
      <label htmlFor={id}>
        配信先<span className="required">必須</span>
      </label>
      <select
        id={id}
        value={props.segmentId}
        onChange={(e) =>
          props.onChange(
            e.target.value,
            segments?.find((s) => s.segmentId === e.target.value),
          )
        }
        disabled={!segments}
      >
        {!segments && <option value={props.segmentId}>{props.snapshotLabel ?? '読み込み中…'}</option>}
        {segments && !chosen && props.segmentId && <option value={props.segmentId}>{props.snapshotLabel ?? '（削除されたセグメント）'}</option>}
        {segments?.map((s) => (
          <option key={s.segmentId} value={s.segmentId}>
            {s.segmentId === EVERYONE_ID ? `${s.name}（友だち全員）` : s.name}
          </option>
        ))}
      </select>
      {error && <p className="field-error">{error}</p>}
      {chosen && <AudienceCountLine rule={chosen.rule} label="いまの対象" />}
      <p className="hint">
        条件は「<Link to="/segments">セグメント</Link>」で作れます（セグメントの権限が必要です）。ブロック中の友だちには送りません。
      </p>
    </div>
  );
}

/** Open counts as LINE allows them to be told. */
export function openedText(stats: DeliveryStats | undefined): string {
  const state: StatsState = stats?.state ?? 'not_yet';
  if (state === 'available')
    return stats?.opened === null || stats?.opened === undefined ? '20人未満のため非表示（LINEの仕様）' : `${number.format(stats.opened)}人`;
  if (state === 'under_threshold') return '20人未満のため非表示（LINEの仕様）';
  if (state === 'unavailable') return '集計できません';
  return '集計前（翌日以降に表示）';
}

/** Short form for the history table. */
export function openedShort(stats: DeliveryStats | undefined): string {
  const state = stats?.state ?? 'not_yet';
  if (state === 'available' && typeof stats?.opened === 'number') return number.format(stats.opened);
  if (state === 'under_threshold' || state === 'available') return '20人未満';
  if (state === 'unavailable') return '—';
  return '集計前';
}

/** date + time inputs (Japan time) ↔ ISO. */
export function jstIso(date: string, time: string): string | null {
  if (!/^\d{2}:\d{2}$/.test(time)) return null;
  return jstInstant(date, time)?.toISOString() ?? null;
}

export function jstParts(iso: string): { date: string; time: string } {
  return { date: jstDate(new Date(iso)), time: formatTime(iso) };
}

/** 2026/06/01（月）07:00 in Japan time (the console's one formatter, format.ts). */
export function jstWithWeekday(iso: string): string {
  return formatDateTimeWithWeekday(iso);
}
