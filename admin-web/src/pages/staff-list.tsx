import { useEffect, useMemo, useState } from 'react';
import { messageOf } from '../api/client';
import { listStaff } from '../api/staff';
import type { Me, Staff } from '../api/types';
import { Alert, EmptyState, Link, Loading, PageHeader } from '../components/ui';
import { FUNCTION_LABEL, ROLE_LABEL } from '../functions';
import { formatDateTime } from '../format';
import { navigate } from '../router';

const PAGE_SIZE = 25;

export function StaffList(_props: { me: Me }) {
  const [items, setItems] = useState<Staff[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);

  useEffect(() => {
    listStaff().then(setItems, (e) => setError(messageOf(e)));
  }, []);

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = [...(items ?? [])].sort((a, b) => a.loginId.localeCompare(b.loginId));
    return q ? all.filter((s) => s.loginId.toLowerCase().includes(q) || s.displayName.toLowerCase().includes(q)) : all;
  }, [items, query]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = filtered.slice(current * PAGE_SIZE, current * PAGE_SIZE + PAGE_SIZE);

  return (
    <>
      <PageHeader title="職員アカウント">
        <button type="button" className="button primary" onClick={() => navigate('/staff/new')}>
          ＋ アカウントを作成
        </button>
      </PageHeader>
      {error && <Alert>{error}</Alert>}
      {!items && !error && <Loading />}
      {items && (
        <div className="card">
          <div className="toolbar">
            <label className="search">
              <span className="visually-hidden">検索</span>
              <input
                type="search"
                placeholder="ログインID・表示名で検索"
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  setPage(0);
                }}
              />
            </label>
            <span className="muted" role="status">
              {query ? `${filtered.length} 件が該当（全 ${items.length} 件）` : `全 ${items.length} 件`}
            </span>
          </div>
          {filtered.length === 0 ? (
            <EmptyState title={query ? '該当するアカウントはありません' : 'アカウントはまだありません'} />
          ) : (
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">ログインID</th>
                    <th scope="col">表示名</th>
                    <th scope="col">権限</th>
                    <th scope="col">使える機能</th>
                    <th scope="col">状態</th>
                    <th scope="col">最終サインイン</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((s) => (
                    <tr key={s.loginId} className={s.disabled ? 'row-disabled' : undefined}>
                      <td>
                        <Link to={`/staff/${encodeURIComponent(s.loginId)}`}>{s.loginId}</Link>
                      </td>
                      <td>{s.displayName}</td>
                      <td>
                        <span className={`badge role-${s.role}`}>{ROLE_LABEL[s.role]}</span>
                      </td>
                      <td className="functions-cell">
                        {s.role === 'admin'
                          ? 'すべて'
                          : s.permissions
                              .map((p) => `${FUNCTION_LABEL[p] ?? p}${p === 'reports' && s.reportCategories?.length ? '（一部の種類）' : ''}`)
                              .join('、') || 'なし'}
                      </td>
                      <td>
                        <StatusBadges staff={s} />
                      </td>
                      <td className="nowrap">{formatDateTime(s.lastLoginAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {pages > 1 && (
            <nav className="pager" aria-label="ページ送り">
              <button type="button" className="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
                前へ
              </button>
              <span>
                {current + 1} / {pages} ページ
              </span>
              <button type="button" className="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
                次へ
              </button>
            </nav>
          )}
        </div>
      )}
    </>
  );
}

export function StatusBadges(props: { staff: Staff }) {
  const s = props.staff;
  return (
    <>
      {s.disabled ? <span className="badge status-disabled">無効</span> : <span className="badge status-active">有効</span>}
      {s.locked && <span className="badge status-locked">ロック中</span>}
      {s.manageable === false && (
        <span className="badge status-readonly" title="あなたが使えない機能も使えるアカウントです。変更は管理者に依頼してください。">
          変更不可
        </span>
      )}
    </>
  );
}
