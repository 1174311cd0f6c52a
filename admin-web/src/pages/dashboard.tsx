import { useEffect, useState } from 'react';
import { messageOf } from '../api/client';
import { getDashboard } from '../api/dashboard';
import type { Dashboard } from '../api/types';
import { FriendsChart } from '../components/friends-chart';
import { Alert, EmptyState, Loading, PageHeader } from '../components/ui';
import { number } from '../format';

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
          <Panel title="最近の配信" items={data.deliveries} empty="配信機能が使えるようになると、最近送ったメッセージと送信数がここに表示されます。" />
          <Panel title="未対応の市民通報" items={data.reports} empty="市民通報の機能が使えるようになると、まだ対応していない通報がここに表示されます。" />
          <Panel title="今日の予約" items={data.reservations} empty="イベント予約の機能が使えるようになると、今日のイベントと予約人数がここに表示されます。" />
        </div>
      )}
    </>
  );
}

/** Panels whose capability comes in a later issue: the API answers null for them. */
function Panel(props: { title: string; items: unknown[] | null; empty: string }) {
  return (
    <section className="panel" aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.items === null ? (
        <EmptyState title="この機能は準備中です">
          <p>{props.empty}</p>
        </EmptyState>
      ) : props.items.length === 0 ? (
        <EmptyState title="表示するものはありません" />
      ) : (
        <p>{props.items.length} 件</p>
      )}
    </section>
  );
}
