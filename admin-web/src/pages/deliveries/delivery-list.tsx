import { useEffect, useState, type FormEvent } from 'react';
import { DELIVERY_STATUSES, downloadHistoryCsv, listDeliveries, type Delivery, type HistoryFilter } from '../../api/deliveries';
import type { Me } from '../../api/types';
import { usePagedList } from '../../paged-list';
import { Alert, EmptyState, Field, Link, Loading, PageHeader, ListFooter } from '../../components/ui';
import { addDays, formatDateTime, jstDate, number, personName } from '../../format';
import { CATEGORIES, DeliveriesNav, STATUS_LABEL, StatusBadge, deliveryTime, openedShort } from './common';

/** When a delivery went (or will go) out, for the history's first column (the one definition: deliveryTime). */
export function whenOf(d: Delivery): string {
  return deliveryTime(d);
}

/** Who sent it (or asked, or made it), by name. */
export function senderOf(d: Delivery): string {
  if (d.sentBy) return personName(d.sentByName, d.sentBy);
  if (d.requestedBy) return personName(d.requestedByName, d.requestedBy);
  return personName(d.createdByName, d.createdBy);
}

const dash = (n: number | undefined) => (typeof n === 'number' ? number.format(n) : '—');

/** 配信履歴: search, the history table with paging, and its CSV. */
export function DeliveryList(props: { me: Me }) {
  const today = jstDate();
  const [draft, setDraft] = useState<HistoryFilter>({ from: addDays(today, -89), to: addDays(today, 31), q: '', status: '', category: '' });
  const [filter, setFilter] = useState<HistoryFilter>(draft);
  const { items, cursor, error, fieldErrors, busy, downloading, load, download } = usePagedList(filter, listDeliveries, downloadHistoryCsv);

  // While something is on its way, the table follows it (every 5 s, first page only).
  const moving = items?.some((d) => d.status === 'queued' || d.status === 'sending');
  useEffect(() => {
    if (!moving || cursor) return;
    const t = setTimeout(() => void load(filter), 5000);
    return () => clearTimeout(t);
  }, [moving, items, cursor, filter, load]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ ...draft, q: draft.q?.trim(), category: draft.category?.trim() });
  };

  return (
    <>
      <PageHeader title="配信">
        <Link to="/deliveries/new" className="button primary">
          ＋ 新しい配信
        </Link>
      </PageHeader>
      <DeliveriesNav me={props.me} />
      <form className="card filters" onSubmit={search} aria-label="配信の検索">
        <Field label="期間（開始日）" error={fieldErrors.from}>
          {(id) => <input id={id} type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
        </Field>
        <Field label="期間（終了日）" error={fieldErrors.to}>
          {(id) => <input id={id} type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
        </Field>
        <Field label="キーワード" error={fieldErrors.q}>
          {(id) => (
            <input
              id={id}
              className="filter-keyword"
              value={draft.q}
              placeholder="タイトル・本文"
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
            />
          )}
        </Field>
        <Field label="状態" error={fieldErrors.status}>
          {(id) => (
            <select id={id} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
              <option value="">すべて</option>
              {DELIVERY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
              <option value="partly_failed,failed">一部失敗・失敗</option>
            </select>
          )}
        </Field>
        <Field label="カテゴリ" error={fieldErrors.category}>
          {(id) => (
            <>
              <input
                id={id}
                className="filter-category"
                list={`${id}-list`}
                value={draft.category}
                onChange={(e) => setDraft({ ...draft, category: e.target.value })}
              />
              <datalist id={`${id}-list`}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <div className="filters-submit">
          <button type="submit" className="button primary" disabled={busy}>
            検索する
          </button>
        </div>
      </form>
      <div className="toolbar">
        <p className="hint">期間は配信日時（予約は送る予定の日時）で絞り込みます。CSVは、いまの検索条件で出力します（Excel でそのまま開けます）。</p>
        <button type="button" className="button" onClick={download} disabled={downloading}>
          {downloading ? '準備しています…' : 'CSVをダウンロード'}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {items === null && <Loading />}
      {items && items.length === 0 && !error && (
        <EmptyState title="この条件に当てはまる配信はありません">
          <p>期間を広げるか、条件を外してみてください。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table delivery-table" aria-label="配信履歴">
              <thead>
                <tr>
                  <th scope="col">配信日時</th>
                  <th scope="col">タイトル</th>
                  <th scope="col">カテゴリ</th>
                  <th scope="col">配信先</th>
                  <th scope="col">状態</th>
                  <th scope="col" className="num">
                    対象
                  </th>
                  <th scope="col" className="num">
                    成功
                  </th>
                  <th scope="col" className="num">
                    失敗
                  </th>
                  <th scope="col" className="num">
                    開封
                  </th>
                  <th scope="col" className="num">
                    クリック
                  </th>
                  <th scope="col">送信者</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.deliveryId}>
                    <td className="nowrap">
                      {d.status === 'draft' || d.status === 'pending_approval' ? <span className="muted">未送信</span> : formatDateTime(whenOf(d))}
                    </td>
                    <td>
                      <Link to={`/deliveries/${d.deliveryId}`}>{d.title}</Link>
                      {d.recurringId && <div className="hint">くり返し配信</div>}
                    </td>
                    <td>{d.category}</td>
                    <td>{d.audience.label}</td>
                    <td>
                      <StatusBadge status={d.status} />
                    </td>
                    <td className="num">{dash(d.recipients)}</td>
                    <td className="num">{dash(d.succeeded)}</td>
                    <td className="num">{dash(d.failed)}</td>
                    <td className="num">{d.firstSentAt || d.status === 'sent' ? openedShort(d.stats) : '—'}</td>
                    <td className="num">{d.stats ? number.format(d.stats.clicked) : '—'}</td>
                    <td>{senderOf(d)}</td>
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
