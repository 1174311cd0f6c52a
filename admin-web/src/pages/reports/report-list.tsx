/**
 * 市民通報 › 一覧: the reports newest first with the filters (種類・状況・地区・担当課・期間), 「もっと見る」
 * with the server's cursor, and the CSV of the same filters. What citizens wrote is shown as text.
 */
import { useState } from 'react';
import { downloadReportsCsv, listReports, type ReportFilter } from '../../api/reports';
import type { Me } from '../../api/types';
import { usePagedList } from '../../paged-list';
import { Alert, EmptyState, Link, Loading, PageHeader, ListFooter } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { ReportFilters, ReportStatusBadge, ReportsNav, rememberedFilter, reportPath, useReportSettings } from './common';

export function ReportList(props: { me: Me }) {
  const { settings, error: settingsError, name } = useReportSettings();
  const [filter, setFilter] = useState<ReportFilter>(rememberedFilter);
  const { items, cursor, error, fieldErrors, busy, downloading, load, download } = usePagedList(filter, listReports, downloadReportsCsv);

  return (
    <>
      <PageHeader title="市民通報" />
      <ReportsNav />
      {settingsError && <Alert>{settingsError}</Alert>}
      <ReportFilters me={props.me} settings={settings} busy={busy} fieldErrors={fieldErrors} onSearch={(f) => setFilter({ ...f })} />
      <div className="toolbar">
        <p className="hint">
          新しい通報から表示します。期間は受付日（日本時間）で絞り込みます。CSVは、いまの条件に当てはまるすべての通報を出力します（Excel でそのまま開けます）。
        </p>
        <button type="button" className="button" onClick={() => void download()} disabled={downloading}>
          {downloading ? '準備しています…' : 'CSVをダウンロード'}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {items === null && <Loading />}
      {items && items.length === 0 && !error && (
        <EmptyState title="この条件に当てはまる通報はありません">
          <p>状況を「すべて」にするか、期間や条件を外してみてください。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table report-table" aria-label="通報の一覧">
              <thead>
                <tr>
                  <th scope="col">受付番号</th>
                  <th scope="col">受付日時</th>
                  <th scope="col">種類</th>
                  <th scope="col">状況</th>
                  <th scope="col">担当課</th>
                  <th scope="col">地区</th>
                  <th scope="col">内容</th>
                  <th scope="col" className="num">
                    写真
                  </th>
                  <th scope="col">区域外</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.reportId}>
                    <td className="nowrap">
                      <Link to={reportPath(r.reportId)}>{r.receiptNo}</Link>
                    </td>
                    <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                    <td className="nowrap">{name(r.category)}</td>
                    <td className="nowrap">
                      <ReportStatusBadge status={r.status} />
                    </td>
                    <td className="nowrap">{r.department ?? <span className="muted">未定</span>}</td>
                    <td className="nowrap">{r.district ?? <span className="muted">—</span>}</td>
                    <td className="report-text-cell">{r.description}</td>
                    <td className="num nowrap">{r.photos ? `${number.format(r.photos)}枚` : '—'}</td>
                    <td>{r.place?.outside && <span className="badge report-outside">区域外</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter count={items.length} busy={busy} onMore={cursor ? () => void load(filter, cursor) : undefined} />
        </div>
      )}
    </>
  );
}
