import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../../api/client';
import {
  approveDelivery,
  createDelivery,
  estimateDelivery,
  getDelivery,
  getDeliverySettings,
  getQuota,
  requestApproval,
  sendDelivery,
  updateDelivery,
  EDITABLE_STATUSES,
  type Delivery,
  type DeliveryInput,
  type Estimate,
  type Quota,
} from '../../api/deliveries';
import { EVERYONE_ID } from '../../api/segments';
import type { Me } from '../../api/types';
import { Alert, Field, Link, Loading, PageHeader } from '../../components/ui';
import { Dialog } from '../../components/dialog';
import { sendConfirmParts } from './confirm-text';
import { addDays, formatDateTime, jstDate, number } from '../../format';
import { navigate } from '../../router';
import { AudiencePicker, CATEGORIES, DeliveriesNav, StatusBadge, jstIso, jstParts } from './common';
import { ContentEditor, contentProblems, contentsOf, emptyContents, usesName, variantsOf, type Contents } from '../../components/content-editor';

interface Draft {
  title: string;
  category: string;
  segmentId: string;
  audienceLabel: string;
  contents: Contents;
  timing: 'now' | 'at';
  date: string;
  time: string;
}

function draftOf(d: Delivery, copy: boolean): Draft {
  const at = d.timing.kind === 'at' ? jstParts(d.timing.at) : null;
  return {
    title: copy ? `${d.title}（複製）` : d.title,
    category: d.category,
    segmentId: d.audience.segmentId ?? EVERYONE_ID,
    audienceLabel: d.audience.label,
    contents: contentsOf(d.variants),
    timing: copy ? 'now' : d.timing.kind,
    date: at && !copy ? at.date : addDays(jstDate(), 1),
    time: at && !copy ? at.time : '09:00',
  };
}

const blank = (): Draft => ({
  title: '',
  category: 'お知らせ',
  segmentId: EVERYONE_ID,
  audienceLabel: '全員',
  contents: emptyContents(),
  timing: 'now',
  date: addDays(jstDate(), 1),
  time: '09:00',
});

/** 配信の作成・編集 (new, a copy, or an editable draft / request / reservation). */
export function DeliveryCompose(props: { me: Me; deliveryId: string | null }) {
  const { me, deliveryId } = props;
  const copyOf = deliveryId ? null : new URLSearchParams(location.search).get('copy');
  const [delivery, setDelivery] = useState<Delivery | null>(null);
  const [draft, setDraft] = useState<Draft | null>(deliveryId || copyOf ? null : blank());
  const [approvalRequired, setApprovalRequired] = useState<boolean | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [quota, setQuota] = useState<Quota | null>(null);
  const [confirming, setConfirming] = useState<Estimate | null>(null);

  useEffect(() => {
    const source = deliveryId ?? copyOf;
    if (source)
      getDelivery(source).then(
        ({ delivery: d }) => {
          if (deliveryId) setDelivery(d);
          setDraft(draftOf(d, !deliveryId));
        },
        (e) => setLoadError(messageOf(e)),
      );
    getDeliverySettings().then(
      (s) => setApprovalRequired(s.approvalRequired),
      () => setApprovalRequired(false),
    );
    getQuota().then(setQuota, () => setQuota(null));
  }, [deliveryId, copyOf]);

  // The estimate follows the audience and the content (a {name} makes it one push per friend).
  const estimateKey = draft && contentProblems(draft.contents).length === 0 ? JSON.stringify([draft.segmentId, variantsOf(draft.contents)]) : '';
  const seq = useRef(0);
  useEffect(() => {
    if (!estimateKey || !draft) {
      setEstimate(null);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      estimateDelivery({ audience: { segmentId: draft.segmentId }, variants: variantsOf(draft.contents) }).then(
        (e) => mine === seq.current && setEstimate(e),
        () => mine === seq.current && setEstimate(null),
      );
    }, 500);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [estimateKey]);

  if (loadError)
    return (
      <>
        <PageHeader title="配信" />
        <Alert>{loadError}</Alert>
        <Link to="/deliveries">配信履歴へ戻る</Link>
      </>
    );
  if (!draft || approvalRequired === null) return <Loading />;
  if (delivery && !EDITABLE_STATUSES.includes(delivery.status))
    return (
      <>
        <PageHeader title={delivery.title} />
        <Alert kind="info">この配信は送信を始めているため、変更できません。</Alert>
        <Link to={`/deliveries/${delivery.deliveryId}`}>配信の詳細へ</Link>
      </>
    );

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setNotice(null);
  };
  const mustRequest = me.role !== 'admin' && approvalRequired;
  const scheduled = delivery?.status === 'scheduled';
  const atIso = draft.timing === 'at' ? jstIso(draft.date, draft.time) : null;

  const problems = (): string[] => {
    const out: string[] = [];
    if (!draft.title.trim()) out.push('タイトルを入力してください。');
    if (!draft.category.trim()) out.push('カテゴリを入力してください。');
    out.push(...contentProblems(draft.contents));
    if (draft.timing === 'at') {
      if (!atIso) out.push('送る日付と時刻を入力してください。');
      else if (new Date(atIso).getTime() < Date.now() + 60_000) out.push('送る日時は、今から1分以上あとにしてください。');
    }
    return out;
  };

  const input = (): DeliveryInput => ({
    title: draft.title.trim(),
    category: draft.category.trim(),
    variants: variantsOf(draft.contents),
    audience: { segmentId: draft.segmentId },
    timing: draft.timing === 'at' && atIso ? { kind: 'at', at: atIso } : { kind: 'now' },
  });

  /** Saves (creates on first save) and returns the stored delivery, or null with the reason shown. */
  const save = async (): Promise<Delivery | null> => {
    const found = problems();
    if (found.length) {
      setError(
        <>
          次の点を直してください。
          <ul className="problems">
            {found.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>,
      );
      return null;
    }
    setError(null);
    setNotice(null);
    try {
      const saved = delivery ? await updateDelivery(delivery.deliveryId, { ...input(), version: delivery.version }) : await createDelivery(input());
      setDelivery(saved);
      // The address becomes the draft's without remounting this page (a send dialog may be about to open).
      if (!delivery) history.replaceState(null, '', `/deliveries/${saved.deliveryId}/edit`);
      return saved;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conflict')
        setError('ほかの職員が先にこの配信を変更しました。画面を再読み込みしてから、もう一度お試しください。');
      else if (e instanceof ApiError && e.details.length) {
        setError(
          <>
            {e.message}
            <ul className="problems">
              {e.details.map((d, i) => (
                <li key={i}>{d.message}</li>
              ))}
            </ul>
          </>,
        );
      } else setError(messageOf(e));
      return null;
    }
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  const saveDraft = () =>
    run(async () => {
      const saved = await save();
      if (saved)
        setNotice(
          saved.status === 'scheduled'
            ? `予約を変更しました（${formatDateTime(saved.timing.kind === 'at' ? saved.timing.at : undefined)} に送ります）。`
            : '下書きを保存しました。',
        );
    });

  const askApproval = () =>
    run(async () => {
      const saved = await save();
      if (!saved) return;
      try {
        await requestApproval(saved.deliveryId);
        navigate(`/deliveries/${saved.deliveryId}`);
      } catch (e) {
        setError(messageOf(e));
      }
    });

  const prepareSend = () =>
    run(async () => {
      const saved = await save();
      if (!saved) return;
      try {
        setConfirming(await estimateDelivery({ audience: { segmentId: draft.segmentId }, variants: variantsOf(draft.contents) }));
      } catch (e) {
        setError(messageOf(e));
      }
    });

  const shownQuota = estimate?.quota ?? quota;

  return (
    <>
      <PageHeader title={delivery ? '配信の編集' : '新しい配信'}>{delivery && <StatusBadge status={delivery.status} />}</PageHeader>
      <DeliveriesNav me={me} />
      {delivery?.rejectedReason && delivery.status === 'draft' && (
        <Alert kind="info">
          <p className="alert-title">管理者から差し戻されました</p>
          <p>理由: {delivery.rejectedReason}</p>
        </Alert>
      )}
      {delivery?.status === 'pending_approval' && (
        <Alert kind="info">承認待ちの配信です。変更して保存すると下書きに戻り、もう一度「承認を依頼」が必要になります。</Alert>
      )}
      {error && <Alert>{error}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}

      <section className="card form-editor" aria-labelledby="basics-h">
        <h2 id="basics-h">基本情報</h2>
        <Field label="タイトル" required hint="配信履歴に表示する名前です（友だちには届きません）。">
          {(id, describedBy) => (
            <input id={id} aria-describedby={describedBy} value={draft.title} maxLength={100} onChange={(e) => change({ title: e.target.value })} />
          )}
        </Field>
        <Field label="カテゴリ" required hint="一覧から選ぶか、自由に入力できます。履歴の絞り込みに使います。">
          {(id, describedBy) => (
            <>
              <input
                id={id}
                aria-describedby={describedBy}
                list={`${id}-list`}
                value={draft.category}
                maxLength={30}
                onChange={(e) => change({ category: e.target.value })}
              />
              <datalist id={`${id}-list`}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <AudiencePicker
          segmentId={draft.segmentId}
          snapshotLabel={draft.audienceLabel}
          onChange={(segmentId, s) => change({ segmentId, audienceLabel: s?.name ?? draft.audienceLabel })}
        />
      </section>

      <section className="card" aria-labelledby="content-h">
        <h2 id="content-h">メッセージ</h2>
        <ContentEditor contents={draft.contents} onChange={(contents) => change({ contents })} />
      </section>

      <section className="card form-editor" aria-labelledby="timing-h">
        <h2 id="timing-h">送る日時</h2>
        <fieldset className="field">
          <legend className="visually-hidden">送る日時</legend>
          <div className="radio-row">
            <label className="choice">
              <input type="radio" name="timing" checked={draft.timing === 'now'} onChange={() => change({ timing: 'now' })} disabled={scheduled} />
              今すぐ
            </label>
            <label className="choice">
              <input type="radio" name="timing" checked={draft.timing === 'at'} onChange={() => change({ timing: 'at' })} />
              日時を指定
            </label>
          </div>
        </fieldset>
        {scheduled && <p className="hint">予約中の配信を今すぐ送るには、予約を取り消してから新しく送ってください。</p>}
        {draft.timing === 'at' && (
          <div className="inline-fields">
            <Field label="日付">
              {(id) => <input id={id} type="date" value={draft.date} min={jstDate()} onChange={(e) => change({ date: e.target.value })} />}
            </Field>
            <Field label="時刻（日本時間）">
              {(id) => <input id={id} type="time" value={draft.time} step={300} onChange={(e) => change({ time: e.target.value })} />}
            </Field>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="estimate-h">
        <h2 id="estimate-h">送信数の見込み</h2>
        {estimate ? (
          <dl className="summary-list" data-testid="estimate">
            <div>
              <dt>対象人数</dt>
              <dd>{number.format(estimate.recipients)}人</dd>
            </div>
            <div>
              <dt>送信回数（LINE への依頼）</dt>
              <dd>
                {number.format(estimate.requests)}回（
                {estimate.mode === 'push' ? '1人ずつ送信' : estimate.mode === 'broadcast' ? 'LINEの一斉配信（全員・1言語）' : '500人ずつ送信'}）
              </dd>
            </div>
            <div>
              <dt>今月の送信可能数の残り</dt>
              <dd>{shownQuota && shownQuota.remaining !== null ? `${number.format(shownQuota.remaining)}通` : '上限なし・不明'}</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">内容と配信先がそろうと、対象人数と送信回数を表示します。</p>
        )}
        {shownQuota && shownQuota.limit !== null && shownQuota.used !== null && (
          <p className="hint">
            今月（{quota?.month ?? jstDate().slice(0, 7)}）の上限 {number.format(shownQuota.limit)}通のうち {number.format(shownQuota.used)}
            通を使っています。1人に届けると1通と数えます。
          </p>
        )}
        {estimate?.exceedsQuota && (
          <Alert>
            今月の送信可能数が足りません（対象 {number.format(estimate.recipients)}人、残り {number.format(estimate.quota?.remaining ?? 0)}
            通）。このまま送ると、一部の友だちに届きません。
          </Alert>
        )}
        {usesName(draft.contents) && <p className="hint">本文に友だちの名前が入るため、1人ずつ送ります。送り終わるまで時間がかかります。</p>}
      </section>

      <div className="save-bar compose-actions">
        <button type="button" className="button" onClick={saveDraft} disabled={busy}>
          {scheduled ? '予約の内容を保存' : '下書き保存'}
        </button>
        {!scheduled && mustRequest && (
          <button type="button" className="button primary" onClick={askApproval} disabled={busy}>
            承認を依頼
          </button>
        )}
        {!scheduled && !mustRequest && (
          <button type="button" className="button primary" onClick={prepareSend} disabled={busy}>
            {draft.timing === 'at' ? '予約する' : '送信する'}
          </button>
        )}
        {mustRequest && <span className="hint">配信には管理者の承認が必要です。依頼すると、管理者が内容を確かめて送信します。</span>}
        {delivery && (
          <Link to={`/deliveries/${delivery.deliveryId}`} className="button">
            詳細を見る
          </Link>
        )}
      </div>

      {confirming && delivery && (
        <SendDialog
          delivery={delivery}
          estimate={confirming}
          audienceLabel={draft.audienceLabel}
          at={draft.timing === 'at' ? atIso : null}
          onCancel={() => setConfirming(null)}
          onSent={(d) => navigate(`/deliveries/${d.deliveryId}`)}
        />
      )}
    </>
  );
}

/** 「…の N人に送ります」: the last look before sending or reserving (also asks when the quota is short). */
export function SendDialog(props: {
  delivery: Delivery;
  estimate: Estimate;
  audienceLabel: string;
  at: string | null;
  approve?: boolean;
  onCancel: () => void;
  onSent: (d: Delivery) => void;
}) {
  const { estimate, at } = props;
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [quotaShort, setQuotaShort] = useState(estimate.exceedsQuota);
  const verb = at ? '予約する' : '送信する';
  const action = props.approve ? `承認して${at ? '予約' : '送信'}する` : verb;
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const d = props.approve ? await approveDelivery(props.delivery.deliveryId, force) : await sendDelivery(props.delivery.deliveryId, force);
      props.onSent(d);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'quota_exceeded') setQuotaShort(true);
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={at ? '予約の確認' : '送信の確認'} onClose={props.onCancel}>
      <p className="confirm-text">
        {sendConfirmParts({ audienceLabel: props.audienceLabel, recipients: estimate.recipients, at }).map((part, i) =>
          part.strong ? <strong key={i}>{part.text}</strong> : <span key={i}>{part.text}</span>,
        )}
      </p>
      <p className="hint">
        タイトル: {props.delivery.title}　／　LINE への送信回数: {number.format(estimate.requests)}回
      </p>
      {!at && <p className="hint">送信を始めると取り消せません。</p>}
      {quotaShort && (
        <>
          <Alert>今月の送信可能数が足りません。このまま送ると、一部の友だちに届きません。</Alert>
          <label className="choice">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            届かない友だちが出ることを了解して送る
          </label>
        </>
      )}
      {error && <Alert>{error}</Alert>}
      <div className="form-actions">
        <button ref={confirmRef} type="button" className="button primary" onClick={go} disabled={busy || (quotaShort && !force)}>
          {busy ? '処理しています…' : action}
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={busy}>
          やめる
        </button>
      </div>
    </Dialog>
  );
}
