import { useEffect, useState } from 'react';
import { messageOf } from '../api/client';
import { getDashboard } from '../api/dashboard';
import type { Dashboard, RecentDelivery } from '../api/types';
import { FriendsChart } from '../components/friends-chart';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../components/ui';
import { formatDateTime, number } from '../format';
import { StatusBadge, openedShort } from './deliveries/common';
import { ReportStatusBadge, useReportSettings } from './reports/common';

export function DashboardPage() {
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getDashboard().then(
      (d) => live && setData(d),
      (e) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <PageHeader title="ダッシュボード" />
      {error && <Alert>{error}</Alert>}
      {!data && !error && <Loading />}
      {data && (
        <div className="dashboard-grid">
          <section className="panel panel-wide" aria-labelledby="friends-heading">
            <h2 id="friends-heading">友だち</h2>
            <div className="stat">
              <span className="stat-label">現在の友だち数</span>
              <span className="stat-value" data-testid="friends-total">
                {number.format(data.friends.total)}
                <span className="stat-unit">人</span>
              </span>
            </div>
            {data.friends.series.length > 0 ? (
              <FriendsChart series={data.friends.series} />
            ) : (
              <EmptyState title="まだ記録がありません">
                <p>友だちの追加やブロックがあると、日ごとの数がグラフで表示されます。</p>
              </EmptyState>
            )}
          </section>
          {/* Only for staff who use 配信 (the menu has no 配信 for the others either). */}
          {data.deliveries && <RecentDeliveries items={data.deliveries.recent} />}
          <div className={data.deliveries ? 'panel-stack' : 'panel-pair'}>
            {/* Only for staff who use 市民通報 (within the categories they see). */}
            {data.reports && <OpenReports reports={data.reports} />}
            <NotYet title="イベント予約" text="イベントや講座の予約の受付は、まだ始まっていません。始まると、今日のイベントと予約人数がここに表示されます。" />
          </div>
        </div>
      )}
    </>
  );
}

/** 最近の配信: what left last, when (Japan time), to how many and how many opened it, each a link to its page. */
function RecentDeliveries(props: { items: RecentDelivery[] }) {
  return (
    <section className="panel panel-recent" aria-labelledby="recent-deliveries-heading">
      <h2 id="recent-deliveries-heading">最近の配信</h2>
      {props.items.length === 0 ? (
        <EmptyState title="まだ配信していません">
          <p>送ったメッセージが、ここに新しい順で表示されます。</p>
          <p>
            <Link to="/deliveries/new">新しい配信を作る</Link>
          </p>
        </EmptyState>
      ) : (
        <>
          <table className="table compact recent-deliveries" aria-label="最近の配信">
            <thead>
              <tr>
                <th scope="col">配信日時</th>
                <th scope="col">タイトル</th>
                <th scope="col">状態</th>
                <th scope="col" className="num">
                  対象
                </th>
                <th scope="col" className="num">
                  開封
                </th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((d) => (
                <tr key={d.deliveryId}>
                  <td className="nowrap">{formatDateTime(d.at)}</td>
                  <td>
                    <Link to={`/deliveries/${d.deliveryId}`}>{d.title}</Link>
                    {d.recurring && <div className="hint">くり返し配信</div>}
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td className="num nowrap">{typeof d.recipients === 'number' ? `${number.format(d.recipients)}人` : '—'}</td>
                  <td className="num nowrap">
                    {d.status === 'sent' || d.status === 'partly_failed'
                      ? openedShort({ state: d.statsState, opened: d.opened, lineClicked: null, clicked: 0 })
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="panel-footer">
            <Link to="/deliveries">配信履歴をすべて見る</Link>
          </p>
        </>
      )}
    </section>
  );
}

/** Reports not finished yet: how many are 受付 and 対応中, and the newest of them. */
function OpenReports(props: { reports: NonNullable<Dashboard['reports']> }) {
  const { name } = useReportSettings();
  const { received, inProgress, recent } = props.reports;
  return (
    <section className="panel" aria-label="市民通報">
      <h2>市民通報</h2>
      <p>
        まだ対応を終えていない通報（この1年に受け付けたもの）: 受付 <strong data-testid="reports-received">{number.format(received)}件</strong>・対応中{' '}
        <strong data-testid="reports-in-progress">{number.format(inProgress)}件</strong>
      </p>
      {recent.length === 0 ? (
        <p className="muted">対応を待っている通報はありません。</p>
      ) : (
        <ul className="plain-list">
          {recent.map((r) => (
            <li key={r.reportId}>
              <Link to={`/reports/${r.reportId}`}>受付番号 {r.receiptNo}</Link> <ReportStatusBadge status={r.status} />{' '}
              <span className="hint">
                {formatDateTime(r.createdAt)}・{name(r.category)}
              </span>
              <div className="hint">{r.description}</div>
            </li>
          ))}
        </ul>
      )}
      <p className="panel-footer">
        <Link to="/reports">通報の一覧を見る</Link>
      </p>
    </section>
  );
}

/** A capability that does not exist yet, said plainly. */
function NotYet(props: { title: string; text: string }) {
  return (
    <section className="panel" aria-label={`${props.title}（準備中）`}>
      <h2>
        {props.title}
        <span className="badge status-not-yet">準備中</span>
      </h2>
      <p className="muted">{props.text}</p>
    </section>
  );
}
