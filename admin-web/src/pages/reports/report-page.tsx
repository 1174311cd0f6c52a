/**
 * 市民通報 › 通報の詳細: what the citizen reported (text as text, photos, place on a small map),
 * the history, possible duplicates, and what staff do — change the status (previewing exactly what
 * the citizen will get before it is sent), assign a department and district, leave a note. Every
 * change names the report's `rev`; when someone else changed it first (409), the server's words
 * are shown and the report is read again.
 */
import { Suspense, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { ApiError, messageOf } from '../../api/client';
import {
  PHOTO_STATUS_LABELS,
  REPORT_LIMITS,
  REPORT_STATUSES,
  REPORT_STATUS_LABELS,
  addReportNote,
  assignReport,
  changeStatus,
  getReport,
  mapLink,
  previewStatus,
  type ReportSettingsView,
  type ReportView,
  type StatusPreview,
} from '../../api/reports';
import type { Me } from '../../api/types';
import { ImagePicker } from '../../components/content-editor';
import { Alert, EmptyState, Field, Link, Loading, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../format';
import { canUse } from '../../functions';
import { LANGUAGE_LABELS } from '../../../../functions/shared/languages';
import { StepPhone } from '../scenarios/common';
import { REPORTS_BASE, ReportLeaflet, ReportStatusBadge, ReportsNav, reportPath, useReportSettings } from './common';
import { NOTIFIED_LABELS, consoleImageSrc, eventBy, eventTitle, metersText, statusBodyOf, statusOutcome, type StatusForm } from './report-texts';

const blankForm = (report: Pick<ReportView, 'status' | 'reachable'>): StatusForm => ({
  status: report.status,
  reason: '',
  duplicateOf: '',
  message: '',
  notify: report.reachable,
});

/** The outcome of a change: the report it answered, or null after a 409 (the server's words shown, the report read again). */
type Apply = (run: (rev: number) => Promise<ReportView>) => Promise<ReportView | null>;
/** A refusal because someone changed the report first (409): shown, the report read again; true when it was one. */
type Conflicted = (err: unknown) => Promise<boolean>;

export function ReportPage(props: { me: Me; reportId: string }) {
  const { reportId } = props;
  const { settings, name } = useReportSettings();
  const [report, setReport] = useState<ReportView | null>(null);
  const [loadError, setLoadError] = useState<{ text: string; missing: boolean } | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [form, setForm] = useState<StatusForm | null>(null);
  const statusCard = useRef<HTMLElement>(null);

  const load = useCallback(async () => {
    try {
      const r = await getReport(reportId);
      setReport(r);
      setForm((f) => f ?? blankForm(r));
      setLoadError(null);
    } catch (err) {
      setLoadError({ text: messageOf(err), missing: err instanceof ApiError && err.status === 404 });
    }
  }, [reportId]);

  useEffect(() => {
    void load();
  }, [load]);

  const conflicted: Conflicted = async (err) => {
    if (!(err instanceof ApiError && err.status === 409)) return false;
    setConflict(err.message);
    await load();
    window.scrollTo(0, 0);
    return true;
  };

  const apply: Apply = async (run) => {
    if (!report) return null;
    setNotice(null);
    setConflict(null);
    try {
      const next = await run(report.rev);
      setReport(next);
      return next;
    } catch (err) {
      if (await conflicted(err)) return null;
      throw err;
    }
  };

  const header = (
    <>
      <PageHeader title={report ? `通報 ${report.receiptNo}` : '通報の詳細'}>
        <Link to={REPORTS_BASE} className="button">
          ← 一覧へ戻る
        </Link>
      </PageHeader>
      <ReportsNav />
    </>
  );
  if (loadError?.missing)
    return (
      <>
        {header}
        <EmptyState title="この通報は見つかりません">
          <p>{loadError.text}</p>
        </EmptyState>
      </>
    );
  if (!report || !form)
    return (
      <>
        {header}
        {loadError ? <Alert>{loadError.text}</Alert> : <Loading />}
      </>
    );

  const category = settings?.categories.find((c) => c.id === report.category);
  return (
    <>
      {header}
      {conflict && (
        <Alert>
          <p className="alert-title">{conflict}</p>
          <p>最新の内容を読み込み直しました。内容を確かめてから、もう一度操作してください。</p>
        </Alert>
      )}
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <section className="card report-head" aria-label="通報の概要">
        <h2>
          受付番号 {report.receiptNo}
          <ReportStatusBadge status={report.status} />
        </h2>
        <dl className="summary-list">
          <div>
            <dt>種類</dt>
            <dd>
              {name(report.category)}
              {category?.retired ? '（受付終了）' : ''}
            </dd>
          </div>
          <div>
            <dt>受付日時</dt>
            <dd>{formatDateTime(report.createdAt)}</dd>
          </div>
          <div>
            <dt>状況の変更</dt>
            <dd>{formatDateTime(report.statusAt)}</dd>
          </div>
          <div>
            <dt>担当課</dt>
            <dd>{report.department ?? '未定'}</dd>
          </div>
          <div>
            <dt>地区</dt>
            <dd>{report.district ?? '—'}</dd>
          </div>
          <div>
            <dt>通報した人（LINE）</dt>
            <dd>
              {report.displayName || '（名前なし）'}・{LANGUAGE_LABELS[report.lang]}
              {canUse(props.me, 'friends') && (
                <>
                  {' '}
                  <Link to={`/friends/${report.userId}`}>友だちの情報</Link>
                </>
              )}
            </dd>
          </div>
        </dl>
        {report.status === 'rejected' && report.reason && <p className="report-reason">対応できない理由：{report.reason}</p>}
        {report.duplicateOf && (
          <p className="report-reason">
            重複先：<Link to={reportPath(report.duplicateOf.reportId)}>受付番号 {report.duplicateOf.receiptNo}</Link>
          </p>
        )}
      </section>
      <div className="report-layout">
        <div className="report-main">
          <section className="card" aria-labelledby="report-desc-h">
            <h2 id="report-desc-h">内容</h2>
            {report.description ? <p className="report-text">{report.description}</p> : <p className="muted">（内容の入力はありません）</p>}
          </section>
          <Place report={report} settings={settings} name={name} />
          <Photos report={report} />
          {report.contact && (
            <section className="card" aria-labelledby="report-contact-h">
              <h2 id="report-contact-h">連絡先</h2>
              <dl className="summary-list">
                <div>
                  <dt>お名前</dt>
                  <dd>{report.contact.name || '—'}</dd>
                </div>
                <div>
                  <dt>電話番号</dt>
                  <dd>{report.contact.phone || '—'}</dd>
                </div>
                <div>
                  <dt>連絡先の利用に同意</dt>
                  <dd>{formatDateTime(report.contact.consentedAt)}</dd>
                </div>
              </dl>
            </section>
          )}
          {Object.keys(report.extra).length > 0 && (
            <section className="card" aria-labelledby="report-extra-h">
              <h2 id="report-extra-h">そのほかの回答</h2>
              <dl className="report-extra">
                {Object.entries(report.extra).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd className="report-text">{v}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
          <History report={report} />
        </div>
        <div className="report-side">
          <StatusCard
            cardRef={statusCard}
            report={report}
            form={form}
            onForm={setForm}
            apply={apply}
            conflicted={conflicted}
            onChanged={(next) => {
              setForm(blankForm(next));
              setNotice(statusOutcome(next.history));
              window.scrollTo(0, 0);
            }}
          />
          <AssignCard key={`assign-${report.rev}`} report={report} settings={settings} apply={apply} onDone={(text) => setNotice({ kind: 'success', text })} />
          <NoteCard report={report} apply={apply} onDone={(text) => setNotice({ kind: 'success', text })} />
          <Nearby
            report={report}
            onDuplicate={(receiptNo) => {
              setForm((f) => ({ ...(f ?? blankForm(report)), status: 'duplicate', duplicateOf: receiptNo }));
              statusCard.current?.scrollIntoView({ block: 'start' });
              statusCard.current?.querySelector('select')?.focus();
            }}
          />
        </div>
      </div>
    </>
  );
}

function Place(props: { report: ReportView; settings: ReportSettingsView | null; name: (id: string) => string }) {
  const { place } = props.report;
  // The same list while the report is the same: the map is not redrawn (nor moved back) as staff type elsewhere on the page.
  const points = useMemo(() => [props.report], [props.report]);
  return (
    <section className="card" aria-labelledby="report-place-h">
      <h2 id="report-place-h">場所</h2>
      {!place ? (
        <p className="muted">場所の指定はありません。</p>
      ) : (
        <>
          {place.outside && <Alert kind="error">この場所は市の区域の外です。市の担当でない可能性があります（通報は受け付けています）。</Alert>}
          <dl className="summary-list">
            <div>
              <dt>住所</dt>
              <dd>{place.address || '（住所なし）'}</dd>
            </div>
            <div>
              <dt>緯度・経度</dt>
              <dd className="mono">
                {place.latitude.toFixed(6)}, {place.longitude.toFixed(6)}
              </dd>
            </div>
            <div>
              <dt>地図</dt>
              <dd>
                <a href={mapLink(place.latitude, place.longitude)} target="_blank" rel="noopener noreferrer">
                  地理院地図で開く
                </a>
              </dd>
            </div>
          </dl>
          {props.settings && (
            <Suspense fallback={<Loading />}>
              <ReportLeaflet
                single
                label="通報の場所の地図"
                tiles={props.settings.tiles}
                boundary={props.settings.boundary}
                points={points}
                categoryName={props.name}
              />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}

function Photos(props: { report: ReportView }) {
  const { photos } = props.report;
  return (
    <section className="card" aria-labelledby="report-photos-h">
      <h2 id="report-photos-h">写真{photos.length ? `（${photos.length}枚）` : ''}</h2>
      {photos.length === 0 ? (
        <p className="muted">写真はありません。</p>
      ) : (
        <ul className="report-photos">
          {photos.map((p, i) => (
            <li key={p.photoId} className="report-photo">
              {p.status === 'stored' && p.url ? (
                <a href={p.url} target="_blank" rel="noopener noreferrer" title="写真を大きく開く">
                  <img src={p.previewUrl ?? p.url} alt={`${p.from === 'staff' ? '職員が送った写真' : '通報の写真'} ${i + 1}`} loading="lazy" />
                </a>
              ) : (
                <div className={`report-photo-missing photo-${p.status}`}>
                  <strong>{PHOTO_STATUS_LABELS[p.status]}</strong>
                  {p.status === 'missing' && p.reason && <span>{p.reason}</span>}
                  {p.status === 'pending' && <span>LINEから受け取っています。しばらくして読み込み直してください。</span>}
                </div>
              )}
              <span className="hint">
                {p.from === 'staff' ? '職員（対応後）' : '市民'}・{formatDateTime(p.addedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History(props: { report: ReportView }) {
  return (
    <section className="card" aria-labelledby="report-history-h">
      <h2 id="report-history-h">対応の記録</h2>
      <ol className="report-history">
        {[...props.report.history].reverse().map((e, i) => (
          <li key={`${e.at}-${i}`} className={`report-event event-${e.kind}`}>
            <div className="report-event-head">
              <strong>{eventTitle(e)}</strong>
              <span className="hint">
                {formatDateTime(e.at)}・{eventBy(e)}
              </span>
              {e.notified && <span className={`badge notified-${e.notified}`}>市民へのお知らせ：{NOTIFIED_LABELS[e.notified]}</span>}
            </div>
            {e.text && <p className="report-text report-event-text">{e.text}</p>}
            {e.mediaId && (
              <a href={`/media/${encodeURIComponent(e.mediaId)}/original`} target="_blank" rel="noopener noreferrer">
                <img className="report-event-photo" src={`/media/${encodeURIComponent(e.mediaId)}/preview`} alt="市民に送った対応後の写真" />
              </a>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function StatusCard(props: {
  cardRef: RefObject<HTMLElement | null>;
  report: ReportView;
  form: StatusForm;
  onForm: (f: StatusForm) => void;
  apply: Apply;
  conflicted: Conflicted;
  onChanged: (r: ReportView) => void;
}) {
  const { report, form } = props;
  const [preview, setPreview] = useState<StatusPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const notify = form.notify && report.reachable;

  const edit = (patch: Partial<StatusForm>) => {
    setPreview(null);
    setError(null);
    props.onForm({ ...form, ...patch });
  };
  const failed = (err: unknown) => {
    setError(messageOf(err));
    setFields(err instanceof ApiError ? err.fieldErrors() : {});
  };

  const showPreview = async () => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      setPreview(await previewStatus(report.reportId, statusBodyOf(form, report.rev, report.reachable)));
    } catch (err) {
      if (!(await props.conflicted(err))) failed(err);
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const next = await props.apply((rev) => changeStatus(report.reportId, statusBodyOf(form, rev, report.reachable)));
      setPreview(null);
      if (next) props.onChanged(next);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card report-status-card" ref={props.cardRef} aria-labelledby="report-status-h">
      <h2 id="report-status-h">状況の変更</h2>
      <Field label="新しい状況" error={fields.status}>
        {(id) => (
          <select id={id} value={form.status} disabled={!!preview} onChange={(e) => edit({ status: e.target.value as StatusForm['status'] })}>
            {REPORT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {REPORT_STATUS_LABELS[s]}
                {s === report.status ? '（いまの状況）' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      {form.status === 'rejected' && (
        <Field label="対応できない理由" required hint="市民へのお知らせに入ります。" error={fields.reason}>
          {(id, d) => (
            <textarea
              id={id}
              aria-describedby={d}
              rows={3}
              maxLength={REPORT_LIMITS.reasonChars}
              value={form.reason}
              disabled={!!preview}
              onChange={(e) => edit({ reason: e.target.value })}
            />
          )}
        </Field>
      )}
      {form.status === 'duplicate' && (
        <Field label="重複先の受付番号" required hint="同じ場所・同じ内容の、先に受け付けた通報の番号（例: 2026-000123）。" error={fields.duplicateOf}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              inputMode="numeric"
              placeholder="2026-000123"
              value={form.duplicateOf}
              disabled={!!preview}
              onChange={(e) => edit({ duplicateOf: e.target.value })}
            />
          )}
        </Field>
      )}
      <label className="choice report-notify">
        <input type="checkbox" checked={notify} disabled={!report.reachable || !!preview} onChange={(e) => edit({ notify: e.target.checked })} />
        市民に知らせる
      </label>
      {!report.reachable && (
        <p className="hint">この市民は公式アカウントをブロックしているか、友だちではありません。お知らせは送れないため、状況だけを変更します。</p>
      )}
      {notify && (
        <>
          <Field
            label="市民へのメッセージ（任意）"
            hint={`状況のお知らせ（${LANGUAGE_LABELS[report.lang]}の決まった文）のあとに、書いたとおりに付け加えます。`}
            error={fields.message}
          >
            {(id, d) => (
              <textarea
                id={id}
                aria-describedby={d}
                rows={4}
                maxLength={REPORT_LIMITS.messageChars}
                value={form.message}
                disabled={!!preview}
                onChange={(e) => edit({ message: e.target.value })}
              />
            )}
          </Field>
          {!preview && <ImagePicker label="対応後の写真（任意）" mediaId={form.mediaId} onChange={(mediaId) => edit({ mediaId })} />}
        </>
      )}
      {error && <Alert>{error}</Alert>}
      {preview ? (
        <div className="report-preview">
          <p className="hint">市民には、次のとおりに届きます。</p>
          <StepPhone
            label="市民に届くお知らせ"
            messages={preview.messages.map((m) =>
              m.type === 'image'
                ? { ...m, previewImageUrl: consoleImageSrc(m.previewImageUrl) ?? '', originalContentUrl: consoleImageSrc(m.originalContentUrl) ?? '' }
                : m,
            )}
          />
          <div className="form-actions">
            <button type="button" className="button primary" disabled={busy} onClick={() => void send()}>
              {busy ? '送信しています…' : '送信して変更'}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setPreview(null)}>
              戻って直す
            </button>
          </div>
        </div>
      ) : (
        <div className="form-actions">
          {notify ? (
            <button type="button" className="button primary" disabled={busy} onClick={() => void showPreview()}>
              {busy ? '確認しています…' : 'プレビュー'}
            </button>
          ) : (
            <button type="button" className="button primary" disabled={busy} onClick={() => void send()}>
              {busy ? '変更しています…' : '変更する（市民には知らせない）'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function AssignCard(props: { report: ReportView; settings: ReportSettingsView | null; apply: Apply; onDone: (text: string) => void }) {
  const { report, settings } = props;
  const [department, setDepartment] = useState(report.department ?? '');
  const [district, setDistrict] = useState(report.district ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const departments = settings?.departments ?? [];
  const districts = settings?.districts ?? [];
  const unchanged = department === (report.department ?? '') && district === (report.district ?? '');

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await props.apply((rev) => assignReport(report.reportId, { rev, department: department || null, district: district || null }));
      if (next) props.onDone(`担当課を「${next.department ?? '未定'}」、地区を「${next.district ?? 'なし'}」にしました。`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="report-assign-h">
      <h2 id="report-assign-h">担当課・地区</h2>
      <Field label="担当課">
        {(id) => (
          <select id={id} value={department} disabled={!settings} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">（未定）</option>
            {report.department && !departments.includes(report.department) && <option value={report.department}>{report.department}（設定にない課）</option>}
            {departments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="地区" hint="住所から自動で入ります。違うときに直してください。">
        {(id, d) => (
          <select id={id} aria-describedby={d} value={district} disabled={!settings} onChange={(e) => setDistrict(e.target.value)}>
            <option value="">（なし）</option>
            {report.district && !districts.includes(report.district) && <option value={report.district}>{report.district}（設定にない地区）</option>}
            {districts.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        )}
      </Field>
      {error && <Alert>{error}</Alert>}
      <div className="form-actions">
        <button type="button" className="button" disabled={busy || unchanged} onClick={() => void save()}>
          {busy ? '変更しています…' : '担当課・地区を変更'}
        </button>
      </div>
    </section>
  );
}

function NoteCard(props: { report: ReportView; apply: Apply; onDone: (text: string) => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await props.apply((rev) => addReportNote(props.report.reportId, { rev, text }));
      if (next) {
        setText('');
        props.onDone('内部メモを残しました。');
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="report-note-h">
      <h2 id="report-note-h">内部メモ</h2>
      <Field label="メモ" hint="職員どうしの申し送りです。市民には送られません。">
        {(id, d) => (
          <textarea id={id} aria-describedby={d} rows={3} maxLength={REPORT_LIMITS.noteChars} value={text} onChange={(e) => setText(e.target.value)} />
        )}
      </Field>
      {error && <Alert>{error}</Alert>}
      <div className="form-actions">
        <button type="button" className="button" disabled={busy || !text.trim()} onClick={() => void save()}>
          {busy ? '残しています…' : 'メモを残す'}
        </button>
      </div>
    </section>
  );
}

function Nearby(props: { report: ReportView; onDuplicate: (receiptNo: string) => void }) {
  const { nearby } = props.report;
  return (
    <section className="card" aria-labelledby="report-nearby-h">
      <h2 id="report-nearby-h">近くの同じ種類の通報</h2>
      <p className="hint">重複しているかもしれない通報です（設定の距離・時間の中、近い順）。</p>
      {nearby.length === 0 ? (
        <p className="muted">見つかりませんでした。</p>
      ) : (
        <ul className="report-nearby">
          {nearby.map((n) => (
            <li key={n.reportId}>
              <div>
                <Link to={reportPath(n.reportId)}>受付番号 {n.receiptNo}</Link>
                <ReportStatusBadge status={n.status} />
                <span className="hint">
                  {metersText(n.meters)}・{formatDateTime(n.createdAt)}
                </span>
              </div>
              {n.description && <p className="report-nearby-text">{[...n.description].slice(0, 60).join('')}</p>}
              <button type="button" className="button small" onClick={() => props.onDuplicate(n.receiptNo)}>
                この通報を重複としてまとめる
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
