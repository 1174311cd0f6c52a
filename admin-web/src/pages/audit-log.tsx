import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { downloadAuditCsv, listAudit } from '../api/audit';
import { ApiError, messageOf } from '../api/client';
import type { AuditEntry, AuditFilter } from '../api/types';
import { Alert, EmptyState, Field, Loading, PageHeader, ListFooter } from '../components/ui';
import { addDays, formatDateTime, jstDate } from '../format';
import {
  AUDIT_ACTION_GROUPS,
  auditActionLabel,
  auditActorText,
  auditChanges,
  auditSummaryText,
  auditTargetText,
  type AuditNames,
} from '../../../functions/audit/labels';

/**
 * 操作履歴. Every word comes from the server's table (functions/audit/labels.ts): action names, the
 * filter's choices (all of them, grouped), targets and before/after details in plain Japanese,
 * times in Japan time — the same words as the CSV.
 */
export function AuditLog() {
  const today = jstDate();
  const [draft, setDraft] = useState<AuditFilter>({ from: addDays(today, -6), to: today, actor: '', action: '' });
  const [filter, setFilter] = useState<AuditFilter>(draft);
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [names, setNames] = useState<AuditNames>({});
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
      setNames((prev) => (after ? { staff: { ...prev.staff, ...page.names?.staff }, rule: page.names?.rule ?? prev.rule } : (page.names ?? {})));
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
          {(id) => (
            <input id={id} name="from" type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} required />
          )}
        </Field>
        <Field label="期間（終了日）" error={fieldErrors.to}>
          {(id) => (
            <input id={id} name="to" type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} required />
          )}
        </Field>
        <Field label="操作者（ログインID）" error={fieldErrors.actor}>
          {(id) => <input id={id} name="actor" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />}
        </Field>
        <Field label="操作" error={fieldErrors.action}>
          {(id) => (
            <select id={id} name="action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
              <option value="">すべて</option>
              {AUDIT_ACTION_GROUPS.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.actions.map((a) => (
                    <option key={a.code} value={a.code}>
                      {a.label}
                    </option>
                  ))}
                </optgroup>
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
            <table className="table audit-table" aria-label="操作履歴">
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
                    <td>{auditActorText(e.actor, names)}</td>
                    <td className="nowrap">{auditActionLabel(e.action)}</td>
                    <td className="audit-target">{auditTargetText(e, names)}</td>
                    <td className="audit-details">
                      <Details entry={e} names={names} />
                    </td>
                    <td className="nowrap mono">{e.ip === '-' ? '—' : (e.ip ?? '')}</td>
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

/** The summary when it says more than the action's name, and what changed, field by field, in words. */
function Details(props: { entry: AuditEntry; names: AuditNames }) {
  const summary = auditSummaryText(props.entry);
  const lines = auditChanges(props.entry, props.names);
  return (
    <>
      {summary !== auditActionLabel(props.entry.action) && <span className="audit-summary">{summary}</span>}
      {lines.length > 0 && (
        <ul className="changes">
          {lines.map((line, i) => (
            <li key={i}>
              <span className="change-key">{line.label}</span>:{' '}
              <span className="change-value">
                {line.before !== undefined && line.after !== undefined ? `${line.before} → ${line.after}` : (line.after ?? line.before)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
