/**
 * 市民通報 › 地図: every report of the filters as a dot coloured by its status, on the settings'
 * tiles with the city's boundary; a dot's popup links to the report. Leaflet comes in its own chunk.
 */
import { Suspense, useEffect, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { getReportMap, type ReportFilter, type ReportMapView } from '../../api/reports';
import type { Me } from '../../api/types';
import { Alert, Loading, PageHeader } from '../../components/ui';
import { number } from '../../format';
import { ReportFilters, ReportLeaflet, ReportsNav, StatusLegend, rememberedFilter, useReportSettings } from './common';

export function ReportMap(props: { me: Me }) {
  const { settings, error: settingsError, name } = useReportSettings();
  const [filter, setFilter] = useState<ReportFilter>(rememberedFilter);
  const [view, setView] = useState<ReportMapView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    getReportMap(filter)
      .then(
        (v) => alive && setView(v),
        (err) => {
          if (!alive) return;
          setError(messageOf(err));
          if (err instanceof ApiError) setFieldErrors(err.fieldErrors());
        },
      )
      .finally(() => alive && setBusy(false));
    return () => {
      alive = false;
    };
  }, [filter]);

  const placed = view?.points.filter((p) => p.place).length ?? 0;
  const unplaced = (view?.points.length ?? 0) - placed;
  return (
    <>
      <PageHeader title="市民通報" />
      <ReportsNav />
      {settingsError && <Alert>{settingsError}</Alert>}
      <ReportFilters me={props.me} settings={settings} busy={busy} fieldErrors={fieldErrors} onSearch={(f) => setFilter({ ...f })} />
      {error && <Alert>{error}</Alert>}
      {view?.truncated && (
        <Alert kind="info">当てはまる通報が多いため、新しいものから {number.format(view.points.length)}件だけを表示しています。期間を絞ってください。</Alert>
      )}
      <div className="report-map-head">
        <p className="hint" role="status">
          {view
            ? `${number.format(placed)}件の通報を表示しています。${unplaced ? `（場所のない通報 ${number.format(unplaced)}件は一覧で見られます）` : ''}点を押すと受付番号・種類・状況が出ます。`
            : '読み込み中…'}
        </p>
        <StatusLegend />
      </div>
      {settings && view ? (
        <Suspense fallback={<Loading />}>
          <ReportLeaflet label="通報の地図" tiles={settings.tiles} boundary={settings.boundary} points={view.points} categoryName={name} />
        </Suspense>
      ) : (
        !error && !settingsError && <Loading />
      )}
    </>
  );
}
