import { useCallback, useEffect, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { approveMail, discardMail, listHeldMails, type ReceivedMailDetail } from '../../api/disaster-mail';
import { useConfirm } from '../../components/dialog';
import { Alert, EmptyState, Field, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../format';
import { BASE, ContentByLanguage, DisasterMailNav, TestBadge, releaseText, variantText } from './common';
import { refreshHeldCount, useHeldCount } from './held-count';

/** LINE's limit for one text message (the server refuses a longer approved text). */
const MAX_TEXT = 4400;

const japaneseOf = (mail: ReceivedMailDetail): string => {
  const ja = mail.content?.variants.find((v) => v.lang === 'ja');
  return ja ? variantText(ja) : '';
};

/** 承認待ち: held mails, each with its Japanese text to check (and correct) before it goes out. */
export function HeldMails() {
  const [items, setItems] = useState<ReceivedMailDetail[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const held = useHeldCount();
  const [reads, setReads] = useState(0);

  const load = useCallback(async (expected: number) => {
    try {
      setItems(expected === 0 ? [] : await listHeldMails());
    } catch (e) {
      setError(messageOf(e));
      setItems((prev) => prev ?? []);
    }
  }, []);

  // The list follows the shared count (the shell asks every 15 s): a new or handled mail reloads it.
  useEffect(() => {
    if (held !== null) void load(held);
    else
      void refreshHeldCount().then((n) => {
        if (n === null) {
          setError('承認待ちの件数を読み込めませんでした。時間をおいて、もう一度開いてください。');
          setItems((prev) => prev ?? []);
        }
      });
  }, [held, reads, load]);

  const handled = async (message: string | null, failure?: unknown) => {
    if (failure !== undefined) {
      setNotice(null);
      setError(messageOf(failure));
    } else {
      setError(null);
      setNotice(message);
    }
    await refreshHeldCount();
    // Read the list again even when the count stayed (a 409: someone else handled it and another came in).
    setReads((n) => n + 1);
  };

  return (
    <>
      <PageHeader title="防災メール連携" />
      <DisasterMailNav />
      <p className="muted page-lead">
        「承認してから送信」のルールに一致したメールです。内容を確かめ、必要なら日本語の文を直してから「承認して送信」を押してください。送らないときは「破棄」を押します。
      </p>
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      {items === null && !error && <Loading />}
      {items && items.length === 0 && (
        <EmptyState title="承認を待っているメールはありません">
          <p>
            これまでに受信したメールは「<Link to={BASE}>受信ログ</Link>」で確かめられます。
          </p>
        </EmptyState>
      )}
      {items?.map((mail) => (
        <HeldMailCard key={mail.mailId} mail={mail} onHandled={handled} />
      ))}
    </>
  );
}

function HeldMailCard(props: { mail: ReceivedMailDetail; onHandled: (message: string | null, failure?: unknown) => Promise<void> }) {
  const { mail } = props;
  const composed = japaneseOf(mail);
  const [text, setText] = useState(composed);
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();
  const edited = text !== composed;
  const subject = mail.subject?.trim() || '（件名なし）';
  const headingId = `held-${mail.mailId}`;

  const approve = async () => {
    const yes = await ask({
      title: '承認して送信',
      body: (
        <>
          <p>
            「{subject}」を{mail.audienceLabel ? `「${mail.audienceLabel}」に` : ''}今すぐ送ります。よろしいですか？
          </p>
          {edited && <p className="hint">直した日本語の文で送ります。ほかの言語は、定型文のあとに直した日本語の文が続きます。</p>}
          <p className="hint">送信を始めると取り消せません。</p>
        </>
      ),
      confirm: '送信する',
    });
    if (!yes) return;
    setBusy(true);
    try {
      await approveMail(mail.mailId, edited ? text : undefined);
      await props.onHandled(`「${subject}」を承認して送信しました。送信の様子は「受信ログ」で確かめられます。`);
    } catch (e) {
      await props.onHandled(null, conflictAware(e));
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    const yes = await ask({
      title: 'メールの破棄',
      body: (
        <>
          <p>「{subject}」を破棄しますか？ 破棄したメールは LINE に送られません。</p>
          <p className="hint">受信の記録は「受信ログ」に残ります。</p>
        </>
      ),
      confirm: '破棄する',
      danger: true,
    });
    if (!yes) return;
    setBusy(true);
    try {
      await discardMail(mail.mailId);
      await props.onHandled(`「${subject}」を破棄しました。このメールは送られません。`);
    } catch (e) {
      await props.onHandled(null, conflictAware(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card held-card" aria-labelledby={headingId}>
      <div className="item-head">
        <h2 id={headingId} className="wrap-anywhere">
          {mail.source === 'test' && <TestBadge />}
          {subject}
        </h2>
        <Link to={`${BASE}/mails/${encodeURIComponent(mail.mailId)}`}>受信の記録を見る</Link>
      </div>
      <dl className="summary-list held-facts">
        <div>
          <dt>受信日時</dt>
          <dd>{formatDateTime(mail.receivedAt)}</dd>
        </div>
        <div>
          <dt>差出人</dt>
          <dd className="wrap-anywhere">{mail.from ?? '（不明）'}</dd>
        </div>
        <div>
          <dt>ルール</dt>
          <dd className="wrap-anywhere">{mail.routeName ?? '—'}</dd>
        </div>
        <div>
          <dt>送り先</dt>
          <dd className="wrap-anywhere">{mail.audienceLabel ?? '—'}</dd>
        </div>
      </dl>
      {mail.hold?.releaseAt ? (
        <p className="release-note">{releaseText(mail.hold.releaseAt)}（それまでに承認か破棄をしなかったとき）。</p>
      ) : (
        <p className="hint">承認されるまで送信しません。</p>
      )}
      <Field
        label="日本語のメッセージ"
        hint={
          <>
            友だちに届く文です。直すとその文で送ります（{MAX_TEXT.toLocaleString('ja-JP')}文字まで、いま {text.length.toLocaleString('ja-JP')}文字）。
            {edited && (
              <button type="button" className="link-button" onClick={() => setText(composed)}>
                元の文に戻す
              </button>
            )}
          </>
        }
      >
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            className="held-text"
            rows={Math.min(16, Math.max(6, text.split('\n').length + 1))}
            maxLength={MAX_TEXT}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      {mail.content && (
        <details className="other-langs">
          <summary>ほかの言語で届く文（英語・韓国語・中国語）</summary>
          <ContentByLanguage content={mail.content} only="others">
            {edited && <p className="hint">日本語を直して承認すると、定型文のあとに続く日本語も直した文になります。</p>}
          </ContentByLanguage>
        </details>
      )}
      <div className="form-actions">
        <button type="button" className="button primary" onClick={() => void approve()} disabled={busy || !text.trim()}>
          承認して送信
        </button>
        <button type="button" className="button danger" onClick={() => void discard()} disabled={busy}>
          破棄
        </button>
      </div>
      {dialog}
    </section>
  );
}

/** 409: someone else handled it, or its hold time passed: the server's words, and the list is read again. */
function conflictAware(e: unknown): unknown {
  if (e instanceof ApiError && e.status === 409) return new ApiError(409, e.code, `${e.message}（一覧を最新の状態にしました）`);
  return e;
}
