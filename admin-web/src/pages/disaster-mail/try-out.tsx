import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { MAIL_DECISION_LABELS, dryRun, getMail, sendTestMail, type DryRunAnswer, type ReceivedMailSummary } from '../../api/disaster-mail';
import { EVERYONE_ID, listSegments, type Segment } from '../../api/segments';
import type { Me } from '../../api/types';
import { Alert, Field, Link, PageHeader } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { BASE, ContentByLanguage, DisasterMailNav, MODE_LABEL, bytesText, kindText } from './common';
import { MailTable } from './mail-log';

const MOVING = ['queued', 'sending'];
/** The server's bound on a pasted mail (1 MB). */
const MAX_RAW = 1024 * 1024;

/** テスト送信・試しに変換: a sample alert through the whole path to one segment, and what a pasted mail would become. */
export function TryOut(props: { me: Me }) {
  return (
    <>
      <PageHeader title="防災メール連携" />
      <DisasterMailNav />
      <TestMail me={props.me} />
      <DryRun />
    </>
  );
}

function TestMail(props: { me: Me }) {
  const id = useId();
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [segmentId, setSegmentId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ mailId: string; row?: ReceivedMailSummary } | null>(null);
  const alive = useRef(true);

  useEffect(() => {
    listSegments().then(
      (r) => setSegments(r.items.filter((s) => s.segmentId !== EVERYONE_ID)),
      (e) => setError(messageOf(e)),
    );
  }, []);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  /** Follows the new log line until its delivery has gone out (at most 2 minutes). */
  const follow = async (mailId: string) => {
    const until = Date.now() + 120_000;
    while (alive.current && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 1500));
      try {
        const row = await getMail(mailId);
        if (!alive.current) return;
        setSent({ mailId, row });
        if (row.decision !== 'sent' || (row.delivery && !MOVING.includes(row.delivery.status))) return;
      } catch (e) {
        // 404: not in the log yet (the mail is read from the queue); ask again shortly.
        if (!(e instanceof ApiError && e.status === 404)) {
          if (alive.current) setError(messageOf(e));
          return;
        }
      }
    }
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const answer = await sendTestMail(segmentId);
      setSent({ mailId: answer.mailId });
      void follow(answer.mailId);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="test-h">
      <h2 id="test-h">テスト送信</h2>
      <p className="hint">
        見本の防災メールを1通作り、受信から LINE
        への送信まで、本番と同じ流れで送ります。届くのは選んだセグメントの友だちだけです（ルールの設定は使いません）。受信ログには「テスト」と表示されます。職員だけのセグメントを作っておくと安全です。
      </p>
      <div className="add-item-row test-row">
        <label className="visually-hidden" htmlFor={id}>
          テストの送り先
        </label>
        <select id={id} value={segmentId} onChange={(e) => setSegmentId(e.target.value)} disabled={!segments}>
          <option value="">{segments ? '送り先のセグメントを選んでください' : '読み込み中…'}</option>
          {segments?.map((s) => (
            <option key={s.segmentId} value={s.segmentId}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="button" className="button primary" onClick={() => void send()} disabled={busy || !segmentId}>
          {busy ? '送っています…' : 'テスト送信'}
        </button>
      </div>
      {segments?.length === 0 && (
        <p className="hint">
          セグメントがありません。「<Link to="/segments">セグメント</Link>」で、テストを受け取る職員だけのセグメントを作ってください。
        </p>
      )}
      {error && <Alert>{error}</Alert>}
      {sent && (
        <div className="test-result">
          <Alert kind="success">テストメールを送りました。受信ログに次の行が追加されます。</Alert>
          {sent.row ? (
            <MailTable items={[sent.row]} me={props.me} label="テストメールの受信ログ" />
          ) : (
            <p className="muted">受信ログに記録されるのを待っています…</p>
          )}
        </div>
      )}
    </section>
  );
}

function DryRun() {
  const [raw, setRaw] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<DryRunAnswer | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await dryRun(raw));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const tooLarge = new Blob([raw]).size > MAX_RAW;

  return (
    <section className="card" aria-labelledby="dry-h">
      <h2 id="dry-h">試しに変換</h2>
      <p className="hint">
        届いたメールを貼り付けると、いまのルールでどう判定され、どんな文で誰に届くかを確かめられます。<strong>送信はしません。</strong>
      </p>
      <Field
        label="メール（ヘッダーを含むメール全体、または本文だけ）"
        hint="本文だけのときは、受け付ける差出人の1件目から届いたメールとして調べます。"
        error={tooLarge ? '1MB以内にしてください。' : undefined}
      >
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            className="raw-mail"
            rows={10}
            value={raw}
            spellCheck={false}
            onChange={(e) => setRaw(e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={() => void run()} disabled={busy || !raw.trim() || tooLarge}>
          {busy ? '変換しています…' : '変換してみる'}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {result && <DryRunResult result={result} />}
    </section>
  );
}

const DRY_DECISION: Record<'would_send' | 'would_hold', string> = { would_send: '送信します', would_hold: '承認待ちになります' };

function DryRunResult(props: { result: DryRunAnswer }) {
  const r = props.result;
  const decision = r.decision === 'would_send' || r.decision === 'would_hold' ? DRY_DECISION[r.decision] : MAIL_DECISION_LABELS[r.decision];
  const route = r.route
    ? r.route.position === 'default'
      ? `既定のルール（どのルールにも一致しないときのルール）`
      : `${r.route.position}番目のルール「${r.route.name}」に一致`
    : null;
  return (
    <div className="dry-result" aria-label="変換の結果" role="region">
      <Alert kind="info">この結果は試しに変換したものです。送信はしていません。</Alert>
      <dl className="detail-list">
        <div>
          <dt>判定</dt>
          <dd>
            <strong>{decision}</strong>
            <div>{r.reason}</div>
          </dd>
        </div>
        {route && r.route && (
          <div>
            <dt>ルール</dt>
            <dd className="wrap-anywhere">
              {route}
              <div className="hint">
                {MODE_LABEL[r.route.mode]}
                {r.route.mode === 'hold' && r.route.releaseAfterMinutes ? `（${r.route.releaseAfterMinutes}分たっても承認されなければ自動で送信）` : ''}
              </div>
            </dd>
          </div>
        )}
        {r.kind !== undefined && (
          <div>
            <dt>種類</dt>
            <dd>{kindText(r.kind)}</dd>
          </div>
        )}
        {r.audience && (
          <div>
            <dt>送り先</dt>
            <dd>
              {r.audience.label}（いまの対象 {number.format(r.audience.recipients)}人）
            </dd>
          </div>
        )}
        {r.mail && (
          <>
            <div>
              <dt>差出人</dt>
              <dd className="wrap-anywhere">{r.mail.from}</dd>
            </div>
            <div>
              <dt>件名</dt>
              <dd className="wrap-anywhere">{r.mail.subject || '（件名なし）'}</dd>
            </div>
            {r.mail.sentAt && (
              <div>
                <dt>発信日時</dt>
                <dd>{formatDateTime(r.mail.sentAt)}</dd>
              </div>
            )}
            {r.mail.attachments.length > 0 && (
              <div>
                <dt>添付ファイル（送りません）</dt>
                <dd className="wrap-anywhere">
                  {r.mail.attachments.map((a) => `${a.filename ?? '（名前なし）'}（${a.contentType}、${bytesText(a.bytes)}）`).join('、')}
                </dd>
              </div>
            )}
          </>
        )}
      </dl>
      {r.content && (
        <>
          <h3 className="subheading">送る内容</h3>
          <ContentByLanguage content={r.content} />
        </>
      )}
      <p className="hint">
        実際に届いたメールの記録は「<Link to={BASE}>受信ログ</Link>」で確かめられます。
      </p>
    </div>
  );
}
