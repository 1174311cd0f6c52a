import { useCallback, useEffect, useId, useState, type KeyboardEvent } from 'react';
import { ApiError, messageOf, type ErrorDetail } from '../../api/client';
import {
  ALERT_KINDS,
  ALERT_KIND_LABELS,
  OTHER_LANGS,
  getSettings,
  saveSettings,
  type AlertKind,
  type OtherLang,
  type PhraseTable,
  type Route,
  type RouteTarget,
  type SettingsAnswer,
  type SettingsInput,
} from '../../api/disaster-mail';
import { EVERYONE_ID, listSegments, type Segment } from '../../api/segments';
import { Alert, Field, Link, Loading, PageHeader, SaveBarMessages } from '../../components/ui';
import { formatDateTime } from '../../format';
import { LANGUAGE_LABELS } from '../../../../functions/shared/languages';
import { DisasterMailNav, MODE_LABEL } from './common';

/** The server's bounds (functions/disaster-mail/schemas.ts), for the buttons that add. */
const MAX_SENDERS = 50;
const MAX_ROUTES = 50;

type RouteInput = SettingsInput['settings']['routes'][number];

/** A route as the page edits it: lists as typed text, numbers as typed. */
interface RouteDraft {
  id: string;
  name: string;
  senders: string;
  subjectKeywords: string;
  bodyKeywords: string;
  target: RouteTarget['kind'];
  segmentIds: string[];
  mode: Route['mode'];
  release: boolean;
  releaseMinutes: string;
}

interface Draft {
  acceptedSenders: string[];
  routes: RouteDraft[];
  useDefault: boolean;
  defaultRoute: RouteDraft;
  footerMarkers: string;
  disasterPageUrl: string;
  phrases: PhraseTable;
  duplicateWindowMinutes: string;
  requireDmarcPass: boolean;
}

/** A route ID the server accepts (letters, digits, - and _), unique enough within one settings. */
function newRouteId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `r${Date.now().toString(36)}${[...bytes].map((b) => b.toString(36).padStart(2, '0')).join('')}`.slice(0, 40);
}

const DEFAULT_ROUTE_NAME = '既定のルール';

function emptyRoute(name = ''): RouteDraft {
  return {
    id: newRouteId(),
    name,
    senders: '',
    subjectKeywords: '',
    bodyKeywords: '',
    target: 'everyone',
    segmentIds: [],
    mode: 'hold',
    release: false,
    releaseMinutes: '30',
  };
}

/** Keywords and senders: one a line, or separated by commas (、 and , both). */
function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,、，]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function routeDraft(route: Route): RouteDraft {
  return {
    id: route.id,
    name: route.name,
    senders: (route.senders ?? []).join('\n'),
    subjectKeywords: (route.subjectKeywords ?? []).join('\n'),
    bodyKeywords: (route.bodyKeywords ?? []).join('\n'),
    target: route.target.kind,
    segmentIds: route.target.kind === 'segments' ? route.target.segmentIds : [],
    mode: route.mode,
    release: route.releaseAfterMinutes !== undefined,
    releaseMinutes: String(route.releaseAfterMinutes ?? 30),
  };
}

function toDraft(answer: SettingsAnswer): Draft {
  const s = answer.settings;
  return {
    acceptedSenders: s.acceptedSenders,
    routes: s.routes.map(routeDraft),
    useDefault: s.defaultRoute !== null,
    defaultRoute: s.defaultRoute ? routeDraft(s.defaultRoute) : emptyRoute(DEFAULT_ROUTE_NAME),
    footerMarkers: s.footerMarkers.join('\n'),
    disasterPageUrl: s.disasterPageUrl ?? '',
    phrases: s.phrases,
    duplicateWindowMinutes: String(s.duplicateWindowMinutes),
    requireDmarcPass: s.requireDmarcPass ?? true,
  };
}

/** Whole minutes as typed, or NaN (the server's message then says what is wrong). */
const minutes = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN);

function routeInput(d: RouteDraft, isDefault: boolean): RouteInput {
  const optional = (list: string[]) => (list.length ? list : undefined);
  return {
    id: d.id,
    name: isDefault ? d.name.trim() || DEFAULT_ROUTE_NAME : d.name.trim(),
    ...(isDefault
      ? {}
      : {
          senders: optional(splitList(d.senders).map((s) => s.toLowerCase())),
          subjectKeywords: optional(splitList(d.subjectKeywords)),
          bodyKeywords: optional(splitList(d.bodyKeywords)),
        }),
    target: d.target === 'everyone' ? { kind: 'everyone' } : { kind: 'segments', segmentIds: d.segmentIds },
    mode: d.mode,
    ...(d.mode === 'hold' && d.release ? { releaseAfterMinutes: minutes(d.releaseMinutes) } : {}),
  };
}

function settingsInput(d: Draft): SettingsInput['settings'] {
  const url = d.disasterPageUrl.trim();
  return {
    acceptedSenders: d.acceptedSenders,
    routes: d.routes.map((r) => routeInput(r, false)),
    defaultRoute: d.useDefault ? routeInput(d.defaultRoute, true) : null,
    footerMarkers: d.footerMarkers
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    ...(url ? { disasterPageUrl: url } : {}),
    phrases: d.phrases,
    duplicateWindowMinutes: minutes(d.duplicateWindowMinutes),
    requireDmarcPass: d.requireDmarcPass,
  };
}

/** What the page can tell before asking the server: numbers that are not whole minutes. */
function localProblems(d: Draft): string[] {
  const out: string[] = [];
  if (Number.isNaN(minutes(d.duplicateWindowMinutes))) out.push('「重複とみなす時間」は分を数字で入力してください。');
  const check = (r: RouteDraft, where: string) => {
    if (r.mode === 'hold' && r.release && Number.isNaN(minutes(r.releaseMinutes)))
      out.push(`${where}：自動で送信するまでの時間は、分を数字で入力してください。`);
    if (r.target === 'segments' && r.segmentIds.length === 0) out.push(`${where}：送り先のセグメントを選んでください。`);
  };
  d.routes.forEach((r, i) => check(r, `ルール ${i + 1}`));
  if (d.useDefault) check(d.defaultRoute, '既定のルール');
  return out;
}

const ROUTE_FIELD_LABEL: Record<string, string> = {
  id: 'ID',
  name: '名前',
  senders: '差出人',
  subjectKeywords: '件名のキーワード',
  bodyKeywords: '本文のキーワード',
  target: '送り先',
  segmentIds: '送り先のセグメント',
  mode: '送り方',
  releaseAfterMinutes: '自動で送信するまでの時間',
};

/** Where a server message belongs, in the page's words (`settings.routes.0.name` → ルール 1 の名前). */
function placeOf(detail: ErrorDetail): string {
  const raw = Array.isArray(detail.path) ? detail.path.join('.') : (detail.path ?? detail.field ?? '');
  const parts = String(raw)
    .replace(/^settings\.?/, '')
    .split('.')
    .filter(Boolean);
  const [head, second, third] = parts;
  const route = (rest: string[]) => {
    const field = rest.find((p) => ROUTE_FIELD_LABEL[p]);
    return field ? `の${ROUTE_FIELD_LABEL[field]}` : '';
  };
  switch (head) {
    case 'acceptedSenders':
      return second !== undefined ? `受け付ける差出人（${Number(second) + 1}件目）` : '受け付ける差出人';
    case 'routes':
      return second !== undefined && /^\d+$/.test(second) ? `ルール ${Number(second) + 1}${route(parts.slice(2))}` : 'ルール';
    case 'defaultRoute':
      return `既定のルール${route(parts.slice(1))}`;
    case 'footerMarkers':
      return '本文の終わりの目印';
    case 'disasterPageUrl':
      return '防災ページのURL';
    case 'phrases':
      return second && third && (ALERT_KINDS as readonly string[]).includes(second) && (OTHER_LANGS as readonly string[]).includes(third)
        ? `定型文（${ALERT_KIND_LABELS[second as AlertKind]}・${LANGUAGE_LABELS[third as OtherLang]}）`
        : '定型文';
    case 'duplicateWindowMinutes':
      return '重複とみなす時間';
    default:
      return '';
  }
}

/** ルール設定: accepted senders, the routes in order and the default, the message's parts, the standard sentences. */
export function DisasterMailSettings() {
  const [answer, setAnswer] = useState<SettingsAnswer | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<{ message: string; problems: string[] } | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Set<string>>(new Set());

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const a = await getSettings();
      setAnswer(a);
      setDraft(toDraft(a));
      setDirty(false);
      setConflict(null);
      setSaveError(null);
      setOpen(new Set());
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
    listSegments().then(
      (r) => setSegments(r.items.filter((s) => s.segmentId !== EVERYONE_ID)),
      () => setSegments([]),
    );
  }, [load]);

  if (!draft || !answer)
    return (
      <>
        <PageHeader title="防災メール連携" />
        <DisasterMailNav />
        {loadError ? <Alert>{loadError}</Alert> : <Loading />}
      </>
    );

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
    setNotice(null);
  };
  const changeRoute = (index: number, patch: Partial<RouteDraft>) => change({ routes: draft.routes.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
  const move = (index: number, by: -1 | 1) => {
    const routes = [...draft.routes];
    [routes[index], routes[index + by]] = [routes[index + by], routes[index]];
    change({ routes });
  };
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const addRoute = () => {
    const route = emptyRoute();
    change({ routes: [...draft.routes, route] });
    setOpen(new Set(open).add(route.id));
  };

  const save = async () => {
    setNotice(null);
    setConflict(null);
    const problems = localProblems(draft);
    if (problems.length) {
      setSaveError({ message: '保存できませんでした。次の点を直してください。', problems });
      return;
    }
    setBusy(true);
    setSaveError(null);
    try {
      const saved = await saveSettings({ settings: settingsInput(draft), expectedVersion: answer.version });
      setAnswer(saved);
      setDraft(toDraft(saved));
      setDirty(false);
      setNotice('保存しました。次に届くメールから、この設定で送ります。');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(e.message);
      else if (e instanceof ApiError && e.status === 400)
        setSaveError({
          message: e.message,
          problems: e.details.map((d) => [placeOf(d), d.message ?? ''].filter(Boolean).join('：')).filter(Boolean),
        });
      else setSaveError({ message: messageOf(e), problems: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="防災メール連携" />
      <DisasterMailNav />
      <p className="muted page-lead">どの差出人のメールを受け付け、どのメールを誰に、どう送るかを決めます。変更は「保存する」を押すまで反映されません。</p>

      <section className="card form-editor" aria-labelledby="senders-h">
        <h2 id="senders-h">受け付ける差出人</h2>
        <SendersEditor senders={draft.acceptedSenders} onChange={(acceptedSenders) => change({ acceptedSenders })} />
        <label className="choice">
          <input type="checkbox" checked={draft.requireDmarcPass} onChange={(e) => change({ requireDmarcPass: e.target.checked })} />
          送信元の認証（DMARC）が確認できたメールだけを自動で送る（おすすめ）
        </label>
        <p className="hint">
          差出人は、なりすますことができます。DMARC
          で差出人のドメインを確かめられないメールは、自動では送らずに「承認待ち」にします。市の防災システムの送信ドメインに DMARC
          が設定されていないときだけ、外してください。（この確認は AWS で受信したメールで行います。）
        </p>
      </section>

      <section className="card form-editor" aria-labelledby="routes-h">
        <h2 id="routes-h">ルール</h2>
        <p className="hint route-explain">
          上から順に調べ、最初に一致したルールで送ります。条件を書いた項目はすべて満たす必要があり、キーワードはどれか1つを含めば一致します（全角・半角は区別しません）。
        </p>
        {draft.routes.length === 0 && <p className="muted">ルールはまだありません。</p>}
        <ol className="route-list">
          {draft.routes.map((r, i) => {
            const isOpen = open.has(r.id);
            const n = i + 1;
            return (
              <li key={r.id} className="route-card">
                <div className="route-head">
                  <span className="route-num" aria-hidden="true">
                    {n}
                  </span>
                  <div className="route-summary">
                    <strong className="route-name">{r.name.trim() || '（名前なし）'}</strong>
                    <span className="hint">{routeSummary(r, segments)}</span>
                  </div>
                  <div className="item-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={isOpen}
                      aria-label={`ルール ${n} を${isOpen ? '閉じる' : '編集する'}`}
                      onClick={() => toggle(r.id)}
                    >
                      {isOpen ? '閉じる' : '編集する'}
                    </button>
                    <button type="button" className="button small" aria-label={`ルール ${n} を上へ`} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑ 上へ
                    </button>
                    <button
                      type="button"
                      className="button small"
                      aria-label={`ルール ${n} を下へ`}
                      disabled={i === draft.routes.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓ 下へ
                    </button>
                    <button
                      type="button"
                      className="button small danger"
                      aria-label={`ルール ${n} を削除`}
                      onClick={() => change({ routes: draft.routes.filter((_, j) => j !== i) })}
                    >
                      削除
                    </button>
                  </div>
                </div>
                {isOpen && (
                  <fieldset className="route-fields">
                    <legend className="visually-hidden">ルール {n}</legend>
                    <RouteFields route={r} segments={segments} onChange={(patch) => changeRoute(i, patch)} />
                  </fieldset>
                )}
              </li>
            );
          })}
        </ol>
        <button type="button" className="button" onClick={addRoute} disabled={draft.routes.length >= MAX_ROUTES}>
          ＋ ルールを追加
        </button>
        {draft.routes.length >= MAX_ROUTES && <p className="hint">ルールは{MAX_ROUTES}件までです。</p>}

        <fieldset className="field default-route">
          <legend>どのルールにも一致しないメール</legend>
          <div className="radio-column">
            <label className="choice">
              <input type="radio" name="default-route" checked={!draft.useDefault} onChange={() => change({ useDefault: false })} />
              どのルールにも一致しないメールは記録のみ（送らない）
            </label>
            <label className="choice">
              <input type="radio" name="default-route" checked={draft.useDefault} onChange={() => change({ useDefault: true })} />
              既定のルールで送る
            </label>
          </div>
          {draft.useDefault && (
            <fieldset className="route-fields">
              <legend className="visually-hidden">既定のルール</legend>
              <RouteFields
                route={draft.defaultRoute}
                segments={segments}
                isDefault
                onChange={(patch) => change({ defaultRoute: { ...draft.defaultRoute, ...patch } })}
              />
            </fieldset>
          )}
        </fieldset>
      </section>

      <section className="card form-editor" aria-labelledby="message-h">
        <h2 id="message-h">送る文の作り方</h2>
        <Field label="本文の終わりの目印（1行に1つ）" hint="この文字で始まる行から下（署名や配信停止の案内など）は送りません。">
          {(id, describedBy) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={Math.max(3, draft.footerMarkers.split('\n').length + 1)}
              value={draft.footerMarkers}
              onChange={(e) => change({ footerMarkers: e.target.value })}
            />
          )}
        </Field>
        <Field label="防災ページのURL" hint="すべてのお知らせの最後に「詳しくは：URL」とつけます（https:// で始まるアドレス）。空欄ならつけません。">
          {(id, describedBy) => (
            <input
              id={id}
              type="url"
              aria-describedby={describedBy}
              value={draft.disasterPageUrl}
              maxLength={1000}
              placeholder="https://www.city.arao.lg.jp/bousai/"
              onChange={(e) => change({ disasterPageUrl: e.target.value })}
            />
          )}
        </Field>
        <Field label="重複とみなす時間（分）" hint="この時間内に同じ内容のメールがもう一度届いても、送るのは1回だけです（1〜1440分）。">
          {(id, describedBy) => (
            <span className="with-unit">
              <input
                id={id}
                type="number"
                inputMode="numeric"
                min={1}
                max={1440}
                aria-describedby={describedBy}
                value={draft.duplicateWindowMinutes}
                onChange={(e) => change({ duplicateWindowMinutes: e.target.value })}
              />
              分
            </span>
          )}
        </Field>
      </section>

      <section className="card form-editor" aria-labelledby="phrases-h">
        <h2 id="phrases-h">ほかの言語の定型文</h2>
        <p className="hint">
          友だちの LINE
          の言語が英語・韓国語・中国語のとき、お知らせの種類に合わせてこの文を先に送り、そのあとに日本語の本文を続けます（機械翻訳はしません）。種類がわからないメールは日本語だけで送ります。
        </p>
        {ALERT_KINDS.map((kind) => (
          <details key={kind} className="phrase-kind">
            <summary>{ALERT_KIND_LABELS[kind]}</summary>
            <fieldset className="phrase-grid">
              <legend className="visually-hidden">{ALERT_KIND_LABELS[kind]}の定型文</legend>
              {OTHER_LANGS.map((lang) => (
                <Field key={lang} label={LANGUAGE_LABELS[lang]}>
                  {(id) => (
                    <textarea
                      id={id}
                      rows={3}
                      maxLength={500}
                      value={draft.phrases[kind][lang]}
                      onChange={(e) => change({ phrases: { ...draft.phrases, [kind]: { ...draft.phrases[kind], [lang]: e.target.value } } })}
                    />
                  )}
                </Field>
              ))}
            </fieldset>
          </details>
        ))}
      </section>

      <div className="save-bar settings-save-bar">
        <SaveBarMessages conflict={conflict} onReload={() => void load()} problems={[]} saveError={saveError} notice={notice} />
        <div className="save-bar-row">
          <button type="button" className="button primary" onClick={() => void save()} disabled={busy}>
            {busy ? '保存しています…' : '保存する'}
          </button>
          {dirty ? <span className="unsaved">保存していない変更があります</span> : null}
          <span className="hint">
            {answer.version === 0
              ? 'まだ一度も保存されていません（いまは標準の設定です）。'
              : `最終更新 ${formatDateTime(answer.updatedAt)}${answer.updatedBy ? `（${answer.updatedBy}）` : ''}`}
          </span>
        </div>
      </div>
    </>
  );
}

/** A route in words for its collapsed line: what it matches → where it sends, how. */
function routeSummary(r: RouteDraft, segments: Segment[] | null): string {
  const when = [
    splitList(r.senders).length ? `差出人が ${splitList(r.senders).join('、')}` : '',
    splitList(r.subjectKeywords).length ? `件名に「${splitList(r.subjectKeywords).join('」「')}」のどれか` : '',
    splitList(r.bodyKeywords).length ? `本文に「${splitList(r.bodyKeywords).join('」「')}」のどれか` : '',
  ].filter(Boolean);
  const to =
    r.target === 'everyone'
      ? '友だち全員'
      : r.segmentIds.map((id) => segments?.find((s) => s.segmentId === id)?.name ?? '（削除されたセグメント）').join('、') || '（送り先なし）';
  const release = r.mode === 'hold' && r.release ? `（${r.releaseMinutes}分たったら自動で送信）` : '';
  return `${when.length ? when.join('、') : 'すべてのメール'} → ${to}、${MODE_LABEL[r.mode]}${release}`;
}

function SendersEditor(props: { senders: string[]; onChange: (senders: string[]) => void }) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const add = () => {
    const entries = splitList(typed).map((s) => s.toLowerCase());
    if (!entries.length) return;
    props.onChange([...new Set([...props.senders, ...entries])].slice(0, MAX_SENDERS));
    setTyped('');
  };
  const full = props.senders.length >= MAX_SENDERS;
  return (
    <>
      <p className="hint">
        ここにある差出人からのメールだけを受け付けます。それ以外のメールは送らずに、受信ログに「受け付けない差出人」として記録します。メールアドレス（bousai@city.arao.example）か、ドメイン（city.arao.example：そのドメインのすべてのアドレス）で入力します。
      </p>
      {props.senders.length === 0 ? (
        <p className="muted">まだありません（いまは、どのメールも送りません）。</p>
      ) : (
        <ul className="sender-list" aria-label="受け付ける差出人">
          {props.senders.map((s) => (
            <li key={s}>
              <span className="wrap-anywhere">{s}</span>
              <button
                type="button"
                className="button small danger"
                aria-label={`${s} を削除`}
                onClick={() => props.onChange(props.senders.filter((x) => x !== s))}
              >
                削除
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="field-label" htmlFor={id}>
        追加する差出人
      </label>
      <div className="add-item-row">
        <input
          id={id}
          value={typed}
          maxLength={254}
          disabled={full}
          placeholder="bousai@city.arao.example"
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="button" onClick={add} disabled={full || !typed.trim()}>
          追加
        </button>
      </div>
      {full && <p className="hint">差出人は{MAX_SENDERS}件までです。</p>}
    </>
  );
}

function RouteFields(props: { route: RouteDraft; segments: Segment[] | null; isDefault?: boolean; onChange: (patch: Partial<RouteDraft>) => void }) {
  const { route: r, segments, onChange } = props;
  const name = useId();
  const deleted = r.segmentIds.filter((id) => !segments?.some((s) => s.segmentId === id));
  return (
    <>
      {!props.isDefault && (
        <>
          <Field label="名前" required hint="受信ログに「ルール」として表示されます（60文字まで）。">
            {(id, describedBy) => (
              <input id={id} aria-describedby={describedBy} value={r.name} maxLength={60} onChange={(e) => onChange({ name: e.target.value })} />
            )}
          </Field>
          <div className="keyword-grid">
            <Field label="差出人" hint="空欄なら、受け付ける差出人すべて。">
              {(id, describedBy) => (
                <textarea id={id} aria-describedby={describedBy} rows={2} value={r.senders} onChange={(e) => onChange({ senders: e.target.value })} />
              )}
            </Field>
            <Field label="件名のキーワード" hint="改行か「、」で区切ります。空欄なら件名は問いません。">
              {(id, describedBy) => (
                <textarea
                  id={id}
                  aria-describedby={describedBy}
                  rows={2}
                  value={r.subjectKeywords}
                  onChange={(e) => onChange({ subjectKeywords: e.target.value })}
                />
              )}
            </Field>
            <Field label="本文のキーワード" hint="改行か「、」で区切ります。空欄なら本文は問いません。">
              {(id, describedBy) => (
                <textarea id={id} aria-describedby={describedBy} rows={2} value={r.bodyKeywords} onChange={(e) => onChange({ bodyKeywords: e.target.value })} />
              )}
            </Field>
          </div>
        </>
      )}
      <fieldset className="field">
        <legend>送り先</legend>
        <div className="radio-row">
          <label className="choice">
            <input type="radio" name={`${name}-target`} checked={r.target === 'everyone'} onChange={() => onChange({ target: 'everyone' })} />
            友だち全員
          </label>
          <label className="choice">
            <input type="radio" name={`${name}-target`} checked={r.target === 'segments'} onChange={() => onChange({ target: 'segments' })} />
            セグメントを選ぶ
          </label>
        </div>
        {r.target === 'segments' && (
          <div className="segment-choices">
            {segments === null && <p className="muted">セグメントを読み込み中…</p>}
            {segments?.length === 0 && (
              <p className="hint">
                セグメントがありません。「<Link to="/segments">セグメント</Link>」で作れます（セグメントの権限が必要です）。
              </p>
            )}
            <div className="checkbox-grid">
              {segments?.map((s) => (
                <label key={s.segmentId} className="choice wrap-anywhere">
                  <input
                    type="checkbox"
                    checked={r.segmentIds.includes(s.segmentId)}
                    onChange={(e) =>
                      onChange({ segmentIds: e.target.checked ? [...r.segmentIds, s.segmentId] : r.segmentIds.filter((x) => x !== s.segmentId) })
                    }
                  />
                  {s.name}
                </label>
              ))}
              {segments &&
                deleted.map((id) => (
                  <label key={id} className="choice">
                    <input type="checkbox" checked onChange={() => onChange({ segmentIds: r.segmentIds.filter((x) => x !== id) })} />
                    （削除されたセグメント）
                  </label>
                ))}
            </div>
            <p className="hint">選んだセグメントのどれかに当てはまる友だちに送ります（20個まで）。</p>
          </div>
        )}
      </fieldset>
      <fieldset className="field">
        <legend>送り方</legend>
        <div className="radio-row">
          {(['auto', 'hold'] as const).map((mode) => (
            <label key={mode} className="choice">
              <input type="radio" name={`${name}-mode`} checked={r.mode === mode} onChange={() => onChange({ mode })} />
              {MODE_LABEL[mode]}
            </label>
          ))}
        </div>
        {r.mode === 'hold' && (
          <div className="release-row">
            <label className="choice">
              <input type="checkbox" checked={r.release} onChange={(e) => onChange({ release: e.target.checked })} />
              承認されなくても、時間がたったら自動で送信する
            </label>
            {r.release && (
              <span className="with-unit">
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1440}
                  aria-label="自動で送信するまでの時間（分）"
                  value={r.releaseMinutes}
                  onChange={(e) => onChange({ releaseMinutes: e.target.value })}
                />
                分たっても承認されなければ自動で送信
              </span>
            )}
            <p className="hint">承認と破棄は、防災メール連携の権限がある職員が「承認待ち」で行います。</p>
          </div>
        )}
      </fieldset>
    </>
  );
}
