import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import {
  EDITABLE_STATUSES,
  LEFT_STATUSES,
  cancelDelivery,
  deleteDelivery,
  estimateDelivery,
  getDelivery,
  rejectDelivery,
  resendFailed,
  type DeliveryDetail as Detail,
  type Estimate,
} from '../../api/deliveries';
import { LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import type { Me } from '../../api/types';
import { PhonePreview } from '../../components/phone-preview';
import { useConfirm } from '../../components/dialog';
import { Alert, Field, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime, number, personName } from '../../format';
import { navigate } from '../../router';
import { DeliveriesNav, StatusBadge, openedText } from './common';
import { SendDialog } from './delivery-compose';
import { whenOf } from './delivery-list';

const MOVING = ['queued', 'sending'];

/** 配信の詳細: state and progress, figures, open and click counts, and what can be done next. */
export function DeliveryDetail(props: { me: Me; deliveryId: string }) {
  const { me, deliveryId } = props;
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lang, setLang] = useState<Lang>('ja');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [approving, setApproving] = useState<Estimate | null>(null);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    try {
      setDetail(await getDelivery(deliveryId));
    } catch (e) {
      setError(messageOf(e));
    }
  }, [deliveryId]);

  useEffect(() => {
    void load();
  }, [load]);

  // Follow the progress while sending (every 2 s).
  const status = detail?.delivery.status;
  useEffect(() => {
    if (!status || !MOVING.includes(status)) return;
    const t = setInterval(() => void load(), 2000);
    return () => clearInterval(t);
  }, [status, load]);

  if (!detail)
    return (
      <>
        <PageHeader title="配信の詳細" />
        {error ? <Alert>{error}</Alert> : <Loading />}
      </>
    );
  const { delivery: d, chunks, links } = detail;

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await fn();
      await load();
      setNotice(done);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    const yes = await ask({
      title: '予約の取り消し',
      body: (
        <>
          <p>
            「{d.title}」の予約（{d.timing.kind === 'at' ? formatDateTime(d.timing.at) : '—'} に送る予定）を取り消しますか？
          </p>
          <p className="hint">取り消した配信は送られません。同じ内容は「複製して新規作成」で作り直せます。</p>
        </>
      ),
      confirm: '取り消す',
      danger: true,
    });
    if (yes) void act(() => cancelDelivery(d.deliveryId), '予約を取り消しました。この配信は送られません。');
  };
  const resend = async () => {
    const yes = await ask({
      title: '失敗した分の再送',
      body: (
        <>
          <p>失敗した分（{number.format(d.failed ?? 0)}人）だけ、もう一度送りますか？</p>
          <p className="hint">すでに届いた友だちには送りません。</p>
        </>
      ),
      confirm: '再送する',
    });
    if (yes) void act(() => resendFailed(d.deliveryId), '失敗した分の再送を始めました。');
  };
  const remove = async () => {
    if (!(await ask({ title: '下書きの削除', body: <p>下書き「{d.title}」を削除しますか？削除すると元に戻せません。</p>, confirm: '削除する', danger: true })))
      return;
    setBusy(true);
    try {
      await deleteDelivery(d.deliveryId);
      navigate('/deliveries');
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  const startApprove = async () => {
    setBusy(true);
    setError(null);
    try {
      setApproving(
        await estimateDelivery({
          audience: d.audience.segmentId ? { segmentId: d.audience.segmentId } : { rule: d.audience.rule, label: d.audience.label },
          variants: d.variants,
        }),
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const langs = d.variants.map((v) => v.lang);
  const bubbles = d.variants.find((v) => v.lang === lang)?.bubbles ?? d.variants[0]?.bubbles ?? [];
  const total = d.chunksTotal ?? chunks.pending + chunks.sent + chunks.failed;
  const done = chunks.sent + chunks.failed;
  const isAdmin = me.role === 'admin';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/deliveries">配信</Link> ›
      </p>
      <PageHeader title={d.title}>
        <StatusBadge status={d.status} />
      </PageHeader>
      <DeliveriesNav me={me} />
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      {d.status === 'draft' && d.rejectedReason && (
        <Alert kind="info">
          <p className="alert-title">管理者から差し戻されました</p>
          <p>理由: {d.rejectedReason}</p>
        </Alert>
      )}
      {d.status === 'pending_approval' && (
        <Alert kind="info">
          {isAdmin
            ? 'この配信は承認待ちです。内容を確かめて「承認して送信」か「差し戻し」を選んでください。'
            : '管理者の承認を待っています。承認されると送信（または予約）されます。'}
        </Alert>
      )}

      <div className="form-actions detail-actions">
        {EDITABLE_STATUSES.includes(d.status) && (
          <Link to={`/deliveries/${d.deliveryId}/edit`} className="button">
            {d.status === 'scheduled' ? '予約の内容を変更' : '編集する'}
          </Link>
        )}
        {d.status === 'pending_approval' && isAdmin && (
          <>
            <button type="button" className="button primary" onClick={() => void startApprove()} disabled={busy}>
              承認して送信
            </button>
            <button type="button" className="button danger" onClick={() => setRejecting(true)} disabled={busy}>
              差し戻し
            </button>
          </>
        )}
        {d.status === 'scheduled' && (
          <button type="button" className="button danger" onClick={() => void cancel()} disabled={busy}>
            予約を取り消す
          </button>
        )}
        {(d.status === 'partly_failed' || d.status === 'failed') && (
          <button type="button" className="button primary" onClick={() => void resend()} disabled={busy}>
            失敗した分だけ再送
          </button>
        )}
        <Link to={`/deliveries/new?copy=${d.deliveryId}`} className="button">
          複製して新規作成
        </Link>
        {d.status === 'draft' && (
          <button type="button" className="button danger" onClick={() => void remove()} disabled={busy}>
            下書きを削除
          </button>
        )}
      </div>

      {rejecting && (
        <section className="card" aria-label="差し戻しの理由">
          <Field label="差し戻しの理由" required hint="依頼した職員に表示されます。">
            {(id, describedBy) => (
              <textarea id={id} aria-describedby={describedBy} rows={2} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            )}
          </Field>
          <div className="form-actions">
            <button
              type="button"
              className="button danger"
              disabled={busy || !reason.trim()}
              onClick={() =>
                void act(async () => {
                  await rejectDelivery(d.deliveryId, reason.trim());
                  setRejecting(false);
                }, '差し戻しました。依頼した職員が直して、もう一度依頼できます。')
              }
            >
              差し戻す
            </button>
            <button type="button" className="button" onClick={() => setRejecting(false)}>
              やめる
            </button>
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="facts-h">
        <h2 id="facts-h">配信の内容</h2>
        <dl className="summary-list">
          <div>
            <dt>状態</dt>
            <dd data-testid="delivery-status">
              <StatusBadge status={d.status} />
            </dd>
          </div>
          <div>
            <dt>{d.status === 'scheduled' ? '送る予定' : '配信日時'}</dt>
            <dd>
              {d.status === 'draft' || d.status === 'pending_approval'
                ? d.timing.kind === 'at'
                  ? `${formatDateTime(d.timing.at)}（予定）`
                  : '今すぐ（送信時）'
                : formatDateTime(whenOf(d))}
            </dd>
          </div>
          <div>
            <dt>カテゴリ</dt>
            <dd>{d.category}</dd>
          </div>
          <div>
            <dt>配信先</dt>
            <dd>{d.audience.label}</dd>
          </div>
          <div>
            <dt>言語</dt>
            <dd>{langs.map((l) => LANGUAGE_LABELS[l]).join('・')}</dd>
          </div>
          <div>
            <dt>作成</dt>
            <dd data-testid="created-by">{personName(d.createdByName, d.createdBy)}</dd>
          </div>
          {d.requestedBy && (
            <div>
              <dt>承認の依頼</dt>
              <dd>{personName(d.requestedByName, d.requestedBy)}</dd>
            </div>
          )}
          {d.approvedBy && (
            <div>
              <dt>承認</dt>
              <dd>{personName(d.approvedByName, d.approvedBy)}</dd>
            </div>
          )}
          {d.sentBy && (
            <div>
              <dt>送信</dt>
              <dd data-testid="sent-by">{personName(d.sentByName, d.sentBy)}</dd>
            </div>
          )}
        </dl>
      </section>

      {(!!d.firstSentAt || LEFT_STATUSES.includes(d.status)) && (
        <section className="card" aria-labelledby="progress-h">
          <h2 id="progress-h">送信の状況</h2>
          {total > 0 ? (
            <>
              <div className="progress" role="progressbar" aria-label="送信の進み具合" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
                <span className="progress-sent" style={{ width: `${(chunks.sent / total) * 100}%` }} />
                <span className="progress-failed" style={{ width: `${(chunks.failed / total) * 100}%` }} />
              </div>
              <p className="hint">
                {d.broadcast
                  ? 'LINEの一斉配信（全員・1言語）として1回で送りました。LINEが全員に順に届けます。'
                  : `送信のまとまり ${number.format(total)}件のうち、送信済み ${number.format(chunks.sent)}件・失敗 ${number.format(chunks.failed)}件・待ち ${number.format(chunks.pending)}件（1件は最大500人）`}
              </p>
            </>
          ) : (
            <p className="muted">送る相手を確かめています…</p>
          )}
          <dl className="summary-list figures">
            <div>
              <dt>対象</dt>
              <dd>{typeof d.recipients === 'number' ? `${number.format(d.recipients)}人` : '—'}</dd>
            </div>
            <div>
              <dt>成功</dt>
              <dd>{typeof d.succeeded === 'number' ? `${number.format(d.succeeded)}人` : '—'}</dd>
            </div>
            <div>
              <dt>失敗</dt>
              <dd>{typeof d.failed === 'number' ? `${number.format(d.failed)}人` : '—'}</dd>
            </div>
            <div>
              <dt>開封</dt>
              <dd data-testid="opened">{openedText(d.stats)}</dd>
            </div>
            <div>
              <dt>クリック</dt>
              <dd>{number.format(d.stats?.clicked ?? 0)}回</dd>
            </div>
          </dl>
          <p className="hint">
            開封数は LINE が翌日以降に集計します。20人未満のときは LINE が数を教えないため表示できません。送信から14日を過ぎると更新されません。
          </p>
          {links.length > 0 && (
            <table className="table compact link-clicks" aria-label="リンクごとのクリック数">
              <thead>
                <tr>
                  <th scope="col">リンク先</th>
                  <th scope="col" className="num">
                    クリック
                  </th>
                </tr>
              </thead>
              <tbody>
                {links.map((l, i) => (
                  <tr key={i}>
                    <td className="link-url">{l.url}</td>
                    <td className="num">{number.format(l.clicks)}回</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      <section className="card" aria-labelledby="preview-h">
        <h2 id="preview-h">送った（送る）メッセージ</h2>
        <div className="tabs" role="tablist" aria-label="表示する言語">
          {langs.map((l) => (
            <button key={l} type="button" role="tab" aria-selected={lang === l} className={lang === l ? 'tab active' : 'tab'} onClick={() => setLang(l)}>
              {LANGUAGE_LABELS[l]}
            </button>
          ))}
        </div>
        <PhonePreview bubbles={bubbles} lang={langs.includes(lang) ? lang : 'ja'} label={`スマートフォンでの表示（${LANGUAGE_LABELS[lang]}）`} />
      </section>

      {dialog}
      {approving && (
        <SendDialog
          delivery={d}
          estimate={approving}
          audienceLabel={d.audience.label}
          at={d.timing.kind === 'at' ? d.timing.at : null}
          approve
          onCancel={() => setApproving(null)}
          onSent={() => {
            setApproving(null);
            void load();
            setNotice('承認しました。');
          }}
        />
      )}
    </>
  );
}
