/** Pieces shared by the pages of 市民通報: the tabs, the status badge, the filters (kept while staff move between the list and the map), the settings. */
import { lazy, useCallback, useEffect, useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client';
import { REPORT_STATUSES, REPORT_STATUS_LABELS, getReportSettings, type ReportFilter, type ReportSettingsView, type ReportStatus } from '../../api/reports';
import type { Me } from '../../api/types';
import { Field, Link } from '../../components/ui';
import { usePath } from '../../router';
import { STATUS_COLORS, categoryName, categoryOptions } from './report-texts';

export const REPORTS_BASE = '/reports';
export const reportPath = (reportId: string) => `${REPORTS_BASE}/${encodeURIComponent(reportId)}`;

/** The Leaflet map, in its own chunk (loaded when a map is first shown). */
export const ReportLeaflet = lazy(() => import('./report-leaflet'));

/** The sub-pages of 市民通報, as tabs under the heading. */
export function ReportsNav() {
  const path = usePath();
  const items = [
    { to: REPORTS_BASE, label: '一覧', active: path === REPORTS_BASE || path === `${REPORTS_BASE}/` || /^\/reports\/[0-9A-Z]{26}/.test(path) },
    { to: `${REPORTS_BASE}/map`, label: '地図', active: path === `${REPORTS_BASE}/map` },
    { to: `${REPORTS_BASE}/settings`, label: '設定', active: path === `${REPORTS_BASE}/settings` },
  ];
  return (
    <nav className="subnav" aria-label="市民通報のメニュー">
      {items.map((i) => (
        <Link key={i.to} to={i.to} className={i.active ? 'active' : undefined} aria-current={i.active ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

export function ReportStatusBadge(props: { status: ReportStatus }) {
  return <span className={`badge report-status report-status-${props.status}`}>{REPORT_STATUS_LABELS[props.status]}</span>;
}

/** The map's legend: each status's colour. */
export function StatusLegend() {
  return (
    <ul className="legend report-legend" aria-label="地図の色">
      {REPORT_STATUSES.map((s) => (
        <li key={s} className="legend-item">
          <span className="report-dot" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
          {REPORT_STATUS_LABELS[s]}
        </li>
      ))}
    </ul>
  );
}

/** The report settings (categories, departments, districts, tiles, boundary), read once per page; `name` gives a category's Japanese name. */
export function useReportSettings() {
  const [settings, setSettings] = useState<ReportSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getReportSettings().then(setSettings, (err) => setError(messageOf(err)));
  }, []);
  const name = useCallback((id: string) => categoryName(settings?.categories ?? [], id), [settings]);
  return { settings, error, name };
}

/** Not yet closed (受付・対応中): the default the list and the map start with. */
export const OPEN_STATUSES = 'received,in_progress';

/** The filters chosen last (kept while staff move between 一覧, 地図 and a report). */
let lastFilter: ReportFilter = { status: OPEN_STATUSES };
export const rememberedFilter = () => lastFilter;

/** 種類・状況・地区・担当課・期間: the list's and the map's search form. */
export function ReportFilters(props: {
  me: Me;
  settings: ReportSettingsView | null;
  busy: boolean;
  fieldErrors: Record<string, string>;
  onSearch: (f: ReportFilter) => void;
}) {
  const [draft, setDraft] = useState<ReportFilter>(lastFilter);
  const set = (patch: Partial<ReportFilter>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    lastFilter = draft;
    props.onSearch(draft);
  };
  const categories = categoryOptions(props.settings?.categories ?? [], props.me);
  const fe = props.fieldErrors;
  return (
    <form className="card filters report-filters" onSubmit={submit} aria-label="通報の絞り込み">
      <Field label="種類" error={fe.category}>
        {(id) => (
          <select id={id} value={draft.category ?? ''} onChange={(e) => set({ category: e.target.value })}>
            <option value="">すべて</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label.ja}
                {c.retired ? '（受付終了）' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="状況" error={fe.status}>
        {(id) => (
          <select id={id} value={draft.status ?? ''} onChange={(e) => set({ status: e.target.value })}>
            <option value="">すべて</option>
            <option value={OPEN_STATUSES}>受付・対応中（未完了）</option>
            {REPORT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {REPORT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="地区" error={fe.district}>
        {(id) => (
          <select id={id} value={draft.district ?? ''} onChange={(e) => set({ district: e.target.value })}>
            <option value="">すべて</option>
            {(props.settings?.districts ?? []).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="担当課" error={fe.department}>
        {(id) => (
          <select id={id} value={draft.department ?? ''} onChange={(e) => set({ department: e.target.value })}>
            <option value="">すべて</option>
            {(props.settings?.departments ?? []).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="受付日（から）" error={fe.from}>
        {(id) => <input id={id} type="date" value={draft.from ?? ''} max={draft.to || undefined} onChange={(e) => set({ from: e.target.value })} />}
      </Field>
      <Field label="受付日（まで）" error={fe.to}>
        {(id) => <input id={id} type="date" value={draft.to ?? ''} min={draft.from || undefined} onChange={(e) => set({ to: e.target.value })} />}
      </Field>
      <div className="filters-submit">
        <button type="submit" className="button primary" disabled={props.busy}>
          絞り込む
        </button>
      </div>
    </form>
  );
}
