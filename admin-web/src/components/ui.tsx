import { useId, type ReactNode } from 'react';
import { linkClick } from '../router';
import { number } from '../format';

/** A labelled form control with its hint and the server's message for this field. */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (id: string, describedBy?: string) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>
        {props.label}
        {props.required && <span className="required">必須</span>}
      </label>
      {props.children(id, describedBy)}
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field-error" id={errorId} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function Alert(props: { kind?: 'error' | 'success' | 'info'; children: ReactNode }) {
  const kind = props.kind ?? 'error';
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function PageHeader(props: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{props.title}</h1>
      {props.children && <div className="page-actions">{props.children}</div>}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{props.title}</p>
      {props.children && <div className="empty-body">{props.children}</div>}
    </div>
  );
}

export function Link(props: { to: string; className?: string; children: ReactNode; 'aria-current'?: 'page' }) {
  return (
    <a href={props.to} className={props.className} onClick={linkClick(props.to)} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}

export function Loading() {
  return <p className="loading">読み込み中…</p>;
}

/**
 * The messages above an editor's save buttons: a save refused because someone saved first (with
 * 「最新の内容を読み込む」), what the page itself found to fix, the server's refusal with its list,
 * and the success notice.
 */
export function SaveBarMessages(props: {
  conflict: string | null;
  onReload: () => void;
  problems: string[];
  saveError: { message: string; problems: string[] } | null;
  notice: string | null;
}) {
  const { conflict, problems, saveError, notice } = props;
  return (
    <div className="save-bar-messages">
      {conflict && (
        <Alert>
          <p className="alert-title">{conflict}</p>
          <p>相手の変更を上書きしないため、保存しませんでした。最新の内容を読み込んでから、もう一度変更してください（この画面の変更は消えます）。</p>
          <button type="button" className="button" onClick={props.onReload}>
            最新の内容を読み込む
          </button>
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert>
          <p className="alert-title">保存できませんでした。次の点を直してください。</p>
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {saveError && (
        <Alert>
          <p className="alert-title">{saveError.message}</p>
          {saveError.problems.length > 0 && (
            <ul className="problems">
              {saveError.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {notice && <Alert kind="success">{notice}</Alert>}
    </div>
  );
}

/** Under a paged table: how many rows are shown and, while there are more, 「さらに表示」. */
export function ListFooter(props: { count: number; busy: boolean; onMore?: () => void }) {
  return (
    <div className="table-footer">
      <span className="muted">{number.format(props.count)}件を表示</span>
      {props.onMore && (
        <button type="button" className="button" onClick={props.onMore} disabled={props.busy}>
          {props.busy ? '読み込み中…' : 'さらに表示'}
        </button>
      )}
    </div>
  );
}
