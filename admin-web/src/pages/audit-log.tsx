import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { downloadAuditCsv, listAudit } from '../api/audit';
import { ApiError, messageOf } from '../api/client';
import type { AuditEntry, AuditFilter, FunctionId } from '../api/types';
import { FUNCTION_LABEL, ROLE_LABEL } from '../functions';
import { Alert, EmptyState, Field, Loading, PageHeader } from '../components/ui';
import { addDays, formatDateTime, jstDate } from '../format';

/** Action codes of the audit log (functions/audit/audit.ts) in plain Japanese. */
const ACTIONS: Record<string, string> = {
  'auth.login': 'サインイン',
  'auth.login_failed': 'サインイン失敗',
  'auth.locked': 'アカウントロック',
  'auth.logout': 'サインアウト',
  'auth.password_changed': 'パスワード変更',
  'auth.totp_setup': '二要素認証の準備',
  'auth.totp_enabled': '二要素認証の有効化',
  'auth.totp_disabled': '二要素認証の無効化',
  'staff.created': '職員アカウント作成',
  'staff.updated': '職員アカウント変更',
  'staff.password_reset': 'パスワード再設定',
  'form.created': 'フォーム作成',
  'form.updated': 'フォーム変更',
  'form.published': 'フォーム公開',
  'form.unpublished': 'フォーム公開停止',
  'form.responses_exported': 'フォーム回答のCSV出力',
};

const actionLabel = (code: string) => ACTIONS[code] ?? code;

/** Names of the fields the before/after pictures carry, for staff. */
const FIELD_LABEL: Record<string, string> = {
  displayName: '表示名',
  role: '権限',
  permissions: '使える機能',
  disabled: '無効',
  locked: 'ロック',
  mustChangePassword: 'パスワード変更が必要',
  totpEnabled: '二要素認証',
  loginId: 'ログインID',
  lockedUntil: 'ロック解除の予定',
};

export function AuditLog() {
  const today = jstDate();
  const [draft, setDraft] = useState<AuditFilter>({ from: addDays(today, -6), to: today, actor: '', action: '' });
  const [filter, setFilter] = useState<AuditFilter>(draft);
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const load = useCallback(async (f: AuditFilter, after?: string) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const page = await listAudit(f, after);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors());
      if (!after) setItems([]);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load(filter);
  }, [filter, load]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ ...draft, actor: draft.actor?.trim() });
  };

  const download = async () => {
    setDownloading(true);
    setError(null);
    try {
      await downloadAuditCsv(filter);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <>
      <PageHeader title="操作履歴">
        <button type="button" className="button" onClick={download} disabled={downloading}>
          {downloading ? '準備しています…' : 'CSVダウンロード'}
        </button>
      </PageHeader>
      <form className="card filters" onSubmit={search} aria-label="絞り込み">
        <Field label="期間（開始日）" error={fieldErrors.from}>
          {(id) => <input id={id} name="from" type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} required />}
        </Field>
        <Field label="期間（終了日）" error={fieldErrors.to}>
          {(id) => <input id={id} name="to" type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} required />}
        </Field>
        <Field label="操作者（ログインID）" error={fieldErrors.actor}>
          {(id) => <input id={id} name="actor" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />}
        </Field>
        <Field label="操作" error={fieldErrors.action}>
          {(id) => (
            <select id={id} name="action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
              <option value="">すべて</option>
              {Object.entries(ACTIONS).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="filters-submit">
          <button type="submit" className="button primary" disabled={busy}>
            表示する
          </button>
        </div>
      </form>
      <p className="hint">CSVダウンロードは、いま表示している条件（期間・操作者・操作）で出力します。Excel でそのまま開けます。</p>
      {error && <Alert>{error}</Alert>}
      {items === null && <Loading />}
      {items && items.length === 0 && !error && (
        <EmptyState title="この条件に当てはまる操作はありません">
          <p>期間を広げるか、操作者・操作の条件を外してみてください。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <div className="table-scroll">
            <table className="table" aria-label="操作履歴">
              <thead>
                <tr>
                  <th scope="col">日時</th>
                  <th scope="col">操作者</th>
                  <th scope="col">操作</th>
                  <th scope="col">対象</th>
                  <th scope="col">内容</th>
                  <th scope="col">IPアドレス</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.at)}</td>
                    <td>{e.actor}</td>
                    <td className="nowrap">{actionLabel(e.action)}</td>
                    <td>{e.target ?? ''}</td>
                    <td>
                      {e.summary ?? ''}
                      <Changes entry={e} />
                    </td>
                    <td className="nowrap mono">{e.ip ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-footer">
            <span className="muted">{items.length} 件を表示</span>
            {cursor && (
              <button type="button" className="button" disabled={busy} onClick={() => load(filter, cursor)}>
                {busy ? '読み込み中…' : 'さらに表示'}
              </button>
            )}
          </div>
        </div>
      )}
    </>
  );
}

/** Before/after as "field: old → new", only for the fields that differ. */
function Changes(props: { entry: AuditEntry }) {
  const before = asRecord(props.entry.before);
  const after = asRecord(props.entry.after);
  if (!before && !after) return null;
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]),
  );
  if (keys.length === 0) return null;
  return (
    <ul className="changes">
      {keys.map((k) => (
        <li key={k}>
          <span className="change-key">{FIELD_LABEL[k] ?? k}</span>: {show(before?.[k])} → {show(after?.[k])}
        </li>
      ))}
    </ul>
  );
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '（なし）';
  if (Array.isArray(v)) return v.length ? v.map((x) => FUNCTION_LABEL[x as FunctionId] ?? String(x)).join('、') : '（なし）';
  if (v === 'admin' || v === 'general') return ROLE_LABEL[v];
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
