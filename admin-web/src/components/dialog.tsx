import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * The console's own dialog (送信の確認 and every other question the console asks): a modal card
 * over the page, named by its heading, Escape or 「やめる」 closes it. Never the browser's confirm
 * box, which staff cannot tell from a browser warning and which shows the site's address.
 */
export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; className?: string }) {
  const titleId = useId();
  return (
    <div className="modal-backdrop">
      <div
        className={`modal card${props.className ? ` ${props.className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onClose();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

export interface ConfirmOptions {
  title: string;
  /** What will happen, in plain words (text: never HTML). */
  body: ReactNode;
  /** The button that goes ahead, naming the action (「削除する」, 「取り消す」). */
  confirm: string;
  /** Red button, and the focus starts on 「やめる」 (deleting, cancelling, disabling). */
  danger?: boolean;
}

/** A yes/no question in the console's dialog. */
export function ConfirmDialog(props: ConfirmOptions & { onConfirm: () => void; onCancel: () => void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => (props.danger ? cancelRef : confirmRef).current?.focus(), [props.danger]);
  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      <div className="confirm-text">{props.body}</div>
      <div className="form-actions">
        <button ref={confirmRef} type="button" className={props.danger ? 'button danger' : 'button primary'} onClick={props.onConfirm}>
          {props.confirm}
        </button>
        <button ref={cancelRef} type="button" className="button" onClick={props.onCancel}>
          やめる
        </button>
      </div>
    </Dialog>
  );
}

/**
 * `const [dialog, ask] = useConfirm()`: render `dialog`, and `await ask({...})` answers true when
 * the person pressed the confirm button (false for やめる or Escape) — the console's window.confirm.
 */
export function useConfirm(): [ReactNode, (options: ConfirmOptions) => Promise<boolean>] {
  const [open, setOpen] = useState<(ConfirmOptions & { resolve: (yes: boolean) => void }) | null>(null);
  const ask = useCallback((options: ConfirmOptions) => new Promise<boolean>((resolve) => setOpen({ ...options, resolve })), []);
  const answer = (yes: boolean) => {
    open?.resolve(yes);
    setOpen(null);
  };
  const dialog = open ? <ConfirmDialog {...open} onConfirm={() => answer(true)} onCancel={() => answer(false)} /> : null;
  return [dialog, ask];
}
