import { useEffect, useState, type FormEvent } from 'react';
import { createForm, listForms, type FormSummary } from '../../api/forms';
import { messageOf } from '../../api/client';
import { Alert, EmptyState, Field, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { navigate } from '../../router';
import { KindBadge, LiffLink, StatusBadge } from './common';

/** フォーム一覧: every survey and the city's profile form, with their state and response counts. */
export function FormsList() {
  const [items, setItems] = useState<FormSummary[] | null>(null);
  const [liffId, setLiffId] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listForms().then(
      (r) => {
        setItems([...r.items].sort((a, b) => (a.kind === b.kind ? b.updatedAt.localeCompare(a.updatedAt) : a.kind === 'profile' ? -1 : 1)));
        setLiffId(r.liffId);
      },
      (e) => setError(messageOf(e)),
    );
  }, []);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const form = await createForm({ kind: 'survey', title: { ja: title.trim() } });
      navigate(`/surveys/${encodeURIComponent(form.formId)}`);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="アンケート・フォーム">
        {!creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            ＋ アンケートを作成
          </button>
        )}
      </PageHeader>
      <p className="muted page-lead">
        LINE
        で市民に答えてもらうフォームの一覧です。「プロフィール」は友だちの居住地区や年代などを登録してもらう市の標準フォームで、その回答はセグメント（配信先の絞り込み）に使われます。
      </p>
      {error && <Alert>{error}</Alert>}
      {creating && (
        <form className="card form" onSubmit={create} aria-label="アンケートの作成">
          <h2>新しいアンケート</h2>
          <Field label="タイトル（日本語）" required hint="あとから変更できます。作成後、質問を追加して「公開する」を押すと市民が回答できるようになります。">
            {(id, describedBy) => (
              <input id={id} aria-describedby={describedBy} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={100} autoFocus />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || !title.trim()}>
              {busy ? '作成しています…' : '作成して編集へ'}
            </button>
            <button type="button" className="button" onClick={() => setCreating(false)} disabled={busy}>
              やめる
            </button>
          </div>
        </form>
      )}
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <EmptyState title="フォームはまだありません">
          <p>「＋ アンケートを作成」から作れます。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table" aria-label="フォーム一覧">
              <thead>
                <tr>
                  <th scope="col">タイトル</th>
                  <th scope="col">種類</th>
                  <th scope="col">状態</th>
                  <th scope="col">受付期間</th>
                  <th scope="col" className="num">
                    回答数
                  </th>
                  <th scope="col">回答ページ</th>
                </tr>
              </thead>
              <tbody>
                {items.map((f) => (
                  <tr key={f.formId}>
                    <td>
                      <Link to={`/surveys/${encodeURIComponent(f.formId)}`}>{f.title.ja || '（無題）'}</Link>
                      <div className="hint">最終更新 {formatDateTime(f.updatedAt)}</div>
                    </td>
                    <td>
                      <KindBadge kind={f.kind} />
                    </td>
                    <td>
                      <StatusBadge status={f.status} />
                    </td>
                    <td className="nowrap">
                      {f.opensAt || f.closesAt ? (
                        <>
                          {f.opensAt ? formatDateTime(f.opensAt) : '公開時から'}
                          <br />〜 {f.closesAt ? formatDateTime(f.closesAt) : '終了日なし'}
                        </>
                      ) : (
                        <span className="muted">期限なし</span>
                      )}
                    </td>
                    <td className="num">
                      <Link to={`/surveys/${encodeURIComponent(f.formId)}/responses`}>{number.format(f.responseCount ?? 0)} 件</Link>
                    </td>
                    <td className="link-cell">
                      <LiffLink formId={f.formId} liffId={liffId} compact />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
