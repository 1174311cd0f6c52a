import { useCallback, useEffect, useRef, useState, type MouseEvent } from 'react';
import { messageOf } from '../../api/client';
import { getMail, listMails, rawMailUrl, type ReceivedMailDetail, type ReceivedMailSummary } from '../../api/disaster-mail';
import type { Me } from '../../api/types';
import { Alert, EmptyState, Link, Loading, PageHeader, ListFooter } from '../../components/ui';
import { formatDateTime, formatTime, jstDate, slashDate } from '../../format';
import { navigate } from '../../router';
import {
  BASE,
  ContentByLanguage,
  DecisionBadge,
  DeliveryProgress,
  DisasterMailNav,
  TestBadge,
  VERDICT_LABEL,
  bytesText,
  holdText,
  kindText,
  releaseText,
} from './common';
import { useHeldCount } from './held-count';

const MOVING = ['queued', 'sending'];

const mailPath = (id: string) => `${BASE}/mails/${encodeURIComponent(id)}`;

/** One line of the log (also the test page's new line): 受信日時, 差出人, 件名, 判定, 理由, ルール, 配信. */
export function MailRow(props: { mail: ReceivedMailSummary; me: Me }) {
  const { mail, me } = props;
  const open = (e: MouseEvent) => {
    // The subject is the row's link; a click elsewhere in the row opens the same page (text can still be selected).
    if ((e.target as HTMLElement).closest('a, button') || window.getSelection()?.toString()) return;
    navigate(mailPath(mail.mailId));
  };
  return (
    <tr className="clickable-row" onClick={open}>
      <td className="mail-when">
        <span>{slashDate(jstDate(new Date(mail.receivedAt)))}</span> <span>{formatTime(mail.receivedAt)}</span>
      </td>
      <td className="mail-from">{mail.from ?? <span className="muted">（不明）</span>}</td>
      <td className="mail-subject">
        {mail.source === 'test' && <TestBadge />}
        <Link to={mailPath(mail.mailId)}>{mail.subject?.trim() || '（件名なし）'}</Link>
      </td>
      <td className="nowrap">
        <DecisionBadge decision={mail.decision} />
      </td>
      <td className="mail-reason">
        {mail.reason}
        {mail.decision === 'held' && mail.hold?.releaseAt && !mail.hold.outcome && <div className="hint">{releaseText(mail.hold.releaseAt)}</div>}
      </td>
      <td className="mail-route">{mail.routeName ?? <span className="muted">—</span>}</td>
      <td className="mail-delivery">
        <DeliveryCell mail={mail} me={me} />
      </td>
    </tr>
  );
}

/** The delivery a mail became: its progress; a held mail's delivery has not left yet (it waits, unsent). */
function DeliveryCell(props: { mail: ReceivedMailSummary; me: Me }) {
  const { mail } = props;
  if (mail.decision === 'held' && !mail.hold?.outcome) return <span className="muted">未送信（承認待ち）</span>;
  if (!mail.delivery) return <span className="muted">—</span>;
  return <DeliveryProgress progress={mail.delivery} me={props.me} />;
}

export function MailTable(props: { items: ReceivedMailSummary[]; me: Me; label: string }) {
  return (
    <div className="table-scroll">
      <table className="table mail-table" aria-label={props.label}>
        <thead>
          <tr>
            <th scope="col">受信日時</th>
            <th scope="col">差出人</th>
            <th scope="col">件名</th>
            <th scope="col">判定</th>
            <th scope="col">理由</th>
            <th scope="col">ルール</th>
            <th scope="col">配信</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((mail) => (
            <MailRow key={mail.mailId} mail={mail} me={props.me} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 受信ログ: every mail the bridge received, newest first, with what became of it. */
export function MailLog(props: { me: Me }) {
  const [items, setItems] = useState<ReceivedMailSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const held = useHeldCount();

  const load = useCallback(async (after?: string) => {
    setBusy(true);
    setError(null);
    try {
      const page = await listMails(after);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.cursor ?? null);
    } catch (err) {
      setError(messageOf(err));
      if (!after) setItems((prev) => prev ?? []);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // A new held mail (the badge's number changed): the first page again, unless more pages are open.
  const seenHeld = useRef(held);
  useEffect(() => {
    if (held === seenHeld.current) return;
    seenHeld.current = held;
    if (!cursor) void load();
  }, [held, cursor, load]);

  // While a delivery is on its way, the table follows it (every 5 s, first page only).
  const moving = items?.some((m) => m.delivery && MOVING.includes(m.delivery.status));
  useEffect(() => {
    if (!moving || cursor) return;
    const t = setTimeout(() => void load(), 5000);
    return () => clearTimeout(t);
  }, [moving, items, cursor, load]);

  return (
    <>
      <PageHeader title="防災メール連携" />
      <DisasterMailNav />
      <p className="muted page-lead">
        市の防災メールを受け取り、ルールに従って LINE の友だちに送ります。受け取ったメールはすべてここに記録され、送ったかどうかと、その理由がわかります。
      </p>
      <div className="toolbar">
        <p className="hint">行を押すと、読み取った本文と、送った（送る）内容が表示されます。</p>
        <button type="button" className="button" onClick={() => void load()} disabled={busy}>
          最新の状態に更新
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {items === null && !error && <Loading />}
      {items && items.length === 0 && !error && (
        <EmptyState title="受信したメールはまだありません">
          <p>「ルール設定」で受け付ける差出人を登録すると、そのアドレスからの防災メールを受け付けます。</p>
        </EmptyState>
      )}
      {items && items.length > 0 && (
        <div className="card">
          <MailTable items={items} me={props.me} label="受信ログ" />
          <ListFooter count={items.length} busy={busy} onMore={cursor ? () => void load(cursor) : undefined} />
        </div>
      )}
    </>
  );
}

/** One received mail: what was read, what became of it, and what was (or will be) sent. */
export function MailDetail(props: { me: Me; mailId: string }) {
  const { me, mailId } = props;
  const [mail, setMail] = useState<ReceivedMailDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMail(await getMail(mailId));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [mailId]);

  useEffect(() => {
    void load();
  }, [load]);

  const status = mail?.delivery?.status;
  useEffect(() => {
    if (!status || !MOVING.includes(status)) return;
    const t = setInterval(() => void load(), 3000);
    return () => clearInterval(t);
  }, [status, load]);

  const crumb = (
    <p className="breadcrumb">
      <Link to={BASE}>防災メール連携</Link> › <Link to={BASE}>受信ログ</Link> ›
    </p>
  );
  if (!mail)
    return (
      <>
        {crumb}
        <PageHeader title="受信したメール" />
        {error ? <Alert>{error}</Alert> : <Loading />}
      </>
    );

  const auth = mail.authentication;
  const verdicts = auth
    ? ([['SPF', auth.spf] as const, ['DKIM', auth.dkim] as const, ['DMARC', auth.dmarc] as const].filter(([, v]) => v) as [
        string,
        NonNullable<typeof auth.spf>,
      ][])
    : [];
  const waiting = mail.decision === 'held' && !mail.hold?.outcome;
  const sentOrHeld = mail.decision === 'held' ? '送る予定の内容' : '送った内容';

  return (
    <>
      {crumb}
      <PageHeader title={mail.subject?.trim() || '（件名なし）'}>
        {mail.source === 'test' && <TestBadge />}
        <DecisionBadge decision={mail.decision} />
      </PageHeader>
      <DisasterMailNav />
      {error && <Alert>{error}</Alert>}
      {waiting && (
        <Alert kind="info">
          <p>このメールは承認を待っています。{mail.hold?.releaseAt ? `承認されなければ ${releaseText(mail.hold.releaseAt)}。` : ''}</p>
          <Link to={`${BASE}/held`}>「承認待ち」で内容を確かめて、承認または破棄する</Link>
        </Alert>
      )}
      {mail.decision === 'unreadable' && (
        <Alert kind="info">
          <p>このメールは読み取れなかったため、送っていません。受信したメールそのものをダウンロードして、中身を確かめられます。</p>
          <a className="button" href={rawMailUrl(mail.mailId)} download={`${mail.mailId}.eml`}>
            受信したメールをダウンロード（.eml）
          </a>
        </Alert>
      )}

      <section className="card" aria-labelledby="mail-facts-h">
        <h2 id="mail-facts-h">受信の記録</h2>
        <dl className="detail-list">
          <div>
            <dt>受信日時</dt>
            <dd>{formatDateTime(mail.receivedAt)}</dd>
          </div>
          <div>
            <dt>差出人</dt>
            <dd className="wrap-anywhere">
              {mail.fromName ? `${mail.fromName} <${mail.from ?? ''}>` : (mail.from ?? '（不明）')}
              {mail.source === 'test' && <span className="hint">（「テスト送信」ボタンで作ったメール）</span>}
            </dd>
          </div>
          {mail.sentAt && (
            <div>
              <dt>発信日時（メールに書かれた時刻）</dt>
              <dd>{formatDateTime(mail.sentAt)}</dd>
            </div>
          )}
          <div>
            <dt>判定</dt>
            <dd>
              <DecisionBadge decision={mail.decision} /> {mail.reason}
            </dd>
          </div>
          <div>
            <dt>ルール</dt>
            <dd className="wrap-anywhere">{mail.routeName ?? '—'}</dd>
          </div>
          {mail.kind !== undefined && (
            <div>
              <dt>種類</dt>
              <dd>{kindText(mail.kind)}</dd>
            </div>
          )}
          {mail.hold && (
            <div>
              <dt>承認</dt>
              <dd>{holdText(mail.hold)}</dd>
            </div>
          )}
          {mail.duplicateOf && (
            <div>
              <dt>重複</dt>
              <dd>
                <Link to={mailPath(mail.duplicateOf.mailId)}>{formatDateTime(mail.duplicateOf.receivedAt)} に受信したメール</Link>
                {mail.duplicateOf.by === 'messageId' ? ' と同じメール（Message-ID が同じ）' : ' と同じ内容'}のため、送っていません。
              </dd>
            </div>
          )}
          <div>
            <dt>配信</dt>
            <dd>
              <DeliveryCell mail={mail} me={me} />
            </dd>
          </div>
          {mail.audienceLabel && (
            <div>
              <dt>送り先</dt>
              <dd>{mail.audienceLabel}</dd>
            </div>
          )}
          <div>
            <dt>メールの大きさ</dt>
            <dd>{bytesText(mail.bytes)}</dd>
          </div>
          {mail.messageId && (
            <div>
              <dt>Message-ID</dt>
              <dd className="mono wrap-anywhere">{mail.messageId}</dd>
            </div>
          )}
        </dl>
        {verdicts.length > 0 && (
          <>
            <h3 className="subheading">差出人の確認（なりすましの検査）</h3>
            <table className="table compact auth-table" aria-label="差出人の確認">
              <tbody>
                {verdicts.map(([name, verdict]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td className={verdict === 'PASS' ? undefined : 'verdict-warn'}>{VERDICT_LABEL[verdict]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      {mail.content && (
        <section className="card" aria-labelledby="mail-content-h">
          <h2 id="mail-content-h">{sentOrHeld}</h2>
          {mail.audienceLabel && <p>送り先：{mail.audienceLabel}</p>}
          <ContentByLanguage content={mail.content} />
          <p className="hint">
            友だちの LINE の言語が英語・韓国語・中国語のときは、その言語の定型文のあとに日本語の本文が続きます。そのほかの友だちには日本語を送ります。
          </p>
        </section>
      )}

      <section className="card" aria-labelledby="mail-text-h">
        <h2 id="mail-text-h">読み取った本文</h2>
        {mail.text ? <p className="message-text mail-text">{mail.text}</p> : <p className="muted">本文はありません（または読み取れませんでした）。</p>}
      </section>

      {mail.attachments.length > 0 && (
        <section className="card" aria-labelledby="mail-files-h">
          <h2 id="mail-files-h">添付ファイル</h2>
          <p className="hint">添付ファイルは名前と大きさを記録するだけで、LINE には送りません。</p>
          <div className="table-scroll">
            <table className="table" aria-label="添付ファイル">
              <thead>
                <tr>
                  <th scope="col">ファイル名</th>
                  <th scope="col">種類</th>
                  <th scope="col" className="num">
                    大きさ
                  </th>
                </tr>
              </thead>
              <tbody>
                {mail.attachments.map((a, i) => (
                  <tr key={i}>
                    <td className="wrap-anywhere">{a.filename ?? '（名前なし）'}</td>
                    <td className="wrap-anywhere">{a.contentType}</td>
                    <td className="num nowrap">{bytesText(a.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
