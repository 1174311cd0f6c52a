/** キーワード応答 › ルールの作成・編集: name, how it matches, keywords, priority, state, period and the reply. */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../../api/client';
import {
  ENABLED_LABELS,
  KEYWORD_LIMITS,
  MATCH_KINDS,
  MATCH_KIND_HINTS,
  MATCH_KIND_LABELS,
  createRule,
  deleteRule,
  getRule,
  updateRule,
  type KeywordRule,
  type MatchKind,
  type RuleInput,
} from '../../api/keywords';
import { Alert, Field, Link, Loading, PageHeader, SaveBarMessages } from '../../components/ui';
import { useConfirm } from '../../components/dialog';
import { ContentEditor, contentProblems, contentsOf, emptyContents, variantsOf, type Contents } from '../../components/content-editor';
import { formatDateTime, number } from '../../format';
import { navigate } from '../../router';
import { jstWallString } from '../../../../functions/shared/japan-time';
import { BASE, KeywordsNav, StateBadge, rulePath } from './common';
import { flashOnList } from './rule-list';
import { TryBox, jstLocalToIso } from './try-box';

const L = KEYWORD_LIMITS;
const DEFAULT_PRIORITY = 500;

interface Draft {
  name: string;
  match: MatchKind;
  /** One keyword per line, as typed. */
  keywords: string;
  priority: string;
  enabled: boolean;
  /** datetime-local values (Japan time), '' for none. */
  from: string;
  until: string;
  contents: Contents;
  handoff: boolean;
}

const local = (iso: string | undefined) => (iso ? jstWallString(new Date(iso)) : '');

function draftOf(rule: KeywordRule): Draft {
  return {
    name: rule.name,
    match: rule.match,
    keywords: rule.patterns.join('\n'),
    priority: String(rule.priority),
    enabled: rule.enabled,
    from: local(rule.activeFrom),
    until: local(rule.activeUntil),
    contents: contentsOf(rule.replies),
    handoff: rule.handoff === true,
  };
}

/** A new rule; from a message that nothing answered, its text (on one line, cut to fit) as the name and first keyword. */
function blank(fromMessage: string | null): Draft {
  const line = (fromMessage ?? '').replace(/\s+/g, ' ').trim();
  return {
    name: line.slice(0, L.nameChars),
    match: 'contains',
    keywords: line.slice(0, L.patternChars),
    priority: String(DEFAULT_PRIORITY),
    enabled: true,
    from: '',
    until: '',
    contents: emptyContents(),
    handoff: false,
  };
}

/** The keywords as the server takes them: one per line, blank lines left out (a regular expression kept exactly as typed). */
function patternsOf(d: Draft): string[] {
  return d.keywords
    .split(/\r?\n/)
    .map((p) => (d.match === 'regex' ? p : p.trim()))
    .filter((p) => p.trim().length > 0);
}

function inputOf(d: Draft): RuleInput {
  const from = jstLocalToIso(d.from);
  const until = jstLocalToIso(d.until);
  return {
    name: d.name.trim(),
    match: d.match,
    patterns: patternsOf(d),
    priority: Number(d.priority),
    enabled: d.enabled,
    ...(from ? { activeFrom: from } : {}),
    ...(until ? { activeUntil: until } : {}),
    replies: variantsOf(d.contents),
    ...(d.handoff ? { handoff: true } : {}),
  };
}

/** What must be fixed before the server is asked (the server checks everything again, with its own words). */
function problemsOf(d: Draft): string[] {
  const out: string[] = [];
  if (!d.name.trim()) out.push('ルール名を入力してください。');
  const patterns = patternsOf(d);
  if (patterns.length === 0) out.push('キーワードを1つ以上入れてください。');
  if (patterns.length > L.patternsPerRule) out.push(`キーワードは1つのルールに${L.patternsPerRule}個までです（いま${patterns.length}個）。`);
  if (!/^\d+$/.test(d.priority.trim())) out.push(`優先度は${L.priorityMin}〜${L.priorityMax}の整数で入力してください。`);
  out.push(...contentProblems(d.contents));
  return out;
}

/** The server's messages by the field they belong to (zod paths: name, patterns.0, activeUntil, replies.…). */
function fieldOf(path: string): keyof Draft | 'replies' | null {
  const head = path.split('.')[0];
  if (head === 'name' || head === 'match' || head === 'priority' || head === 'enabled') return head;
  if (head === 'patterns') return 'keywords';
  if (head === 'activeFrom') return 'from';
  if (head === 'activeUntil') return 'until';
  if (head === 'replies') return 'replies';
  return null;
}

interface SaveError {
  message: string;
  problems: string[];
  fields: Partial<Record<keyof Draft | 'replies', string>>;
}

function saveErrorOf(err: unknown): SaveError {
  if (!(err instanceof ApiError)) return { message: messageOf(err), problems: [], fields: {} };
  const fields: SaveError['fields'] = {};
  for (const [path, text] of Object.entries(err.fieldErrors())) {
    const f = fieldOf(path);
    if (f) fields[f] = fields[f] && !fields[f].includes(text) ? `${fields[f]} ${text}` : text;
  }
  const problems = [...new Set(err.details.map((d) => d.message).filter((m): m is string => !!m))];
  return { message: err.message, problems, fields };
}

/** A message carried to the new rule's own page after it was created (the address changes). */
let flash: string | null = null;

/** `ruleId` null: a new rule (with `?keyword=` from the unanswered list). */
export function RuleEditor(props: { ruleId: string | null }) {
  const { ruleId } = props;
  const id = useId();
  const fromMessage = ruleId ? null : new URLSearchParams(location.search).get('keyword');
  const [rule, setRule] = useState<KeywordRule | null>(null);
  const [draft, setDraft] = useState<Draft | null>(ruleId ? null : blank(fromMessage));
  const [saved, setSaved] = useState<string>(() => (ruleId ? '' : JSON.stringify(blank(fromMessage))));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [saveError, setSaveError] = useState<SaveError | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(() => {
    const f = flash;
    flash = null;
    return f;
  });
  const [busy, setBusy] = useState(false);
  const [dialog, ask] = useConfirm();

  const load = useCallback(async () => {
    if (!ruleId) return;
    setLoadError(null);
    try {
      const r = await getRule(ruleId);
      setRule(r);
      setDraft(draftOf(r));
      setSaved(JSON.stringify(draftOf(r)));
      setConflict(null);
      setSaveError(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [ruleId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (loadError)
    return (
      <>
        <PageHeader title="キーワード応答" />
        <KeywordsNav />
        <Alert>{loadError}</Alert>
        <Link to={BASE}>ルール一覧へ戻る</Link>
      </>
    );
  if (!draft) return <Loading />;

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setNotice(null);
  };
  const dirty = JSON.stringify(draft) !== saved;
  const fieldError = (f: keyof Draft | 'replies') => saveError?.fields[f];

  const save = async () => {
    const found = problemsOf(draft);
    setProblems(found);
    setSaveError(null);
    setConflict(null);
    setNotice(null);
    if (found.length) return;
    setBusy(true);
    try {
      if (rule) {
        const next = await updateRule(rule.ruleId, { ...inputOf(draft), version: rule.version });
        setRule(next);
        setDraft(draftOf(next));
        setSaved(JSON.stringify(draftOf(next)));
        setNotice(`ルール「${next.name}」を保存しました。友だちへの返信にも、数秒で使われるようになります。`);
      } else {
        const created = await createRule(inputOf(draft));
        flash = `ルール「${created.name}」を作成しました。友だちへの返信にも、数秒で使われるようになります。`;
        navigate(rulePath(created.ruleId), { replace: true });
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(err.message);
      else setSaveError(saveErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!rule) return;
    const yes = await ask({
      title: 'ルールの削除',
      body: (
        <>
          <p>ルール「{rule.name}」を削除しますか？</p>
          <p className="hint">
            削除すると元に戻せません。このルールの応答の回数も見られなくなります。一時的に止めるだけなら、「状態」を「{ENABLED_LABELS.false}
            」にして保存してください。
          </p>
        </>
      ),
      confirm: '削除する',
      danger: true,
    });
    if (!yes) return;
    setBusy(true);
    setSaveError(null);
    setConflict(null);
    try {
      await deleteRule(rule.ruleId, rule.version);
      flashOnList(`ルール「${rule.name}」を削除しました。`);
      navigate(BASE);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(err.message);
      else setSaveError(saveErrorOf(err));
      setBusy(false);
    }
  };

  const patterns = patternsOf(draft);
  const keywordHint: ReactNode =
    draft.match === 'regex' ? (
      <>
        1行に1つ、JavaScript の正規表現で書きます（大文字・小文字は区別しません）。メッセージの原文と、表記のゆれをそろえた文の両方で調べます。
        時間のかかりすぎる書き方（例: <code>(a+)+</code>）は保存できません。
      </>
    ) : (
      <>
        1行に1つ書きます（{L.patternsPerRule}個まで、1つ{L.patternChars}文字まで）。<strong>ごみ・ゴミ・ｺﾞﾐ・「ゴミ」は同じ言葉</strong>
        として扱います（カタカナ・ひらがな、全角・半角、大文字・小文字、空白や記号のちがいはそろえて比べます）。
      </>
    );

  return (
    <>
      <p className="breadcrumb">
        <Link to={BASE}>キーワード応答</Link> ›
      </p>
      <PageHeader title={rule ? rule.name : '新しいルール'}>{rule && <StateBadge rule={rule} />}</PageHeader>
      <KeywordsNav />
      {fromMessage && !rule && (
        <Alert kind="info">
          答えられなかったメッセージから作っています。キーワードは短い言葉にすると、似た質問にも答えられます（例:「粗大ごみの出し方を教えて」→「粗大ごみ」）。
        </Alert>
      )}

      <section className="card form-editor" aria-labelledby={`${id}-basics`}>
        <h2 id={`${id}-basics`}>ルール</h2>
        <Field
          label="ルール名"
          required
          error={fieldError('name')}
          hint={`一覧と「応答の回数」に表示する名前です（友だちには見えません）。${L.nameChars}文字まで。`}
        >
          {(fid, describedBy) => (
            <input id={fid} aria-describedby={describedBy} value={draft.name} maxLength={L.nameChars} onChange={(e) => change({ name: e.target.value })} />
          )}
        </Field>
        <fieldset className={fieldError('match') ? 'field has-error' : 'field'}>
          <legend>
            一致のしかた<span className="required">必須</span>
          </legend>
          <div className="radio-column match-kinds">
            {MATCH_KINDS.map((k) => (
              <label key={k} className="choice match-kind">
                <input type="radio" name={`${id}-match`} checked={draft.match === k} onChange={() => change({ match: k })} />
                <span>
                  <strong>{MATCH_KIND_LABELS[k]}</strong>
                  <span className="hint match-hint">{MATCH_KIND_HINTS[k]}</span>
                </span>
              </label>
            ))}
          </div>
          {fieldError('match') && (
            <p className="field-error" role="alert">
              {fieldError('match')}
            </p>
          )}
        </fieldset>
        <Field label={`キーワード（${number.format(patterns.length)} / ${L.patternsPerRule}）`} required error={fieldError('keywords')} hint={keywordHint}>
          {(fid, describedBy) => (
            <textarea
              id={fid}
              aria-describedby={describedBy}
              className={draft.match === 'regex' ? 'keyword-input mono' : 'keyword-input'}
              rows={Math.min(Math.max(patterns.length + 1, 3), 10)}
              value={draft.keywords}
              placeholder={draft.match === 'regex' ? '例: ^(粗大|そだい)ごみ' : '例:\n粗大ごみ\n大型ごみ'}
              onChange={(e) => change({ keywords: e.target.value })}
            />
          )}
        </Field>
        <div className="inline-fields">
          <Field
            label="優先度"
            required
            error={fieldError('priority')}
            hint={`${L.priorityMin}〜${L.priorityMax}。小さいほど先に調べます（ふつうは ${DEFAULT_PRIORITY}）。`}
          >
            {(fid, describedBy) => (
              <input
                id={fid}
                aria-describedby={describedBy}
                type="number"
                inputMode="numeric"
                min={L.priorityMin}
                max={L.priorityMax}
                step={1}
                value={draft.priority}
                onChange={(e) => change({ priority: e.target.value })}
              />
            )}
          </Field>
          <fieldset className="field">
            <legend>状態</legend>
            <div className="radio-row">
              {([true, false] as const).map((on) => (
                <label key={String(on)} className="choice">
                  <input type="radio" name={`${id}-enabled`} checked={draft.enabled === on} onChange={() => change({ enabled: on })} />
                  {ENABLED_LABELS[String(on) as 'true' | 'false']}
                </label>
              ))}
            </div>
            <p className="hint">「{ENABLED_LABELS.false}」にしたルールは、残したまま使いません。</p>
          </fieldset>
          <div className="field">
            <label className="choice">
              <input type="checkbox" checked={draft.handoff} onChange={(e) => change({ handoff: e.target.checked })} />
              返信のあと、職員との1:1チャットにつなぐ
            </label>
            <p className="hint">「職員と話したい」などの言葉に使います。受付時間外は、いつ返事をするかを自動で伝えます。</p>
          </div>
        </div>
        <fieldset className="field period">
          <legend>有効期間（任意）</legend>
          <div className="inline-fields">
            <Field label="開始（日本時間）" error={fieldError('from')}>
              {(fid) => <input id={fid} type="datetime-local" value={draft.from} onChange={(e) => change({ from: e.target.value })} />}
            </Field>
            <Field label="終了（日本時間）" error={fieldError('until')}>
              {(fid) => <input id={fid} type="datetime-local" value={draft.until} onChange={(e) => change({ until: e.target.value })} />}
            </Field>
          </div>
          <p className="hint">空欄なら、いつでも答えます。イベントの受付期間など、決まった間だけ答えるときに入れます（終了の時刻ちょうどまで答えます）。</p>
        </fieldset>
      </section>

      <section className="card" aria-labelledby={`${id}-reply`}>
        <h2 id={`${id}-reply`}>返信</h2>
        <p className="hint reply-lead">
          当てはまったメッセージに、この内容を返信します。友だちの LINE の言語に合う返信があればそれを、なければ日本語を送ります。
        </p>
        {fieldError('replies') && (
          <p className="field-error" role="alert">
            {fieldError('replies')}
          </p>
        )}
        <ContentEditor contents={draft.contents} onChange={(contents) => change({ contents })} purpose="reply" />
      </section>

      <div className="save-bar settings-save-bar">
        <SaveBarMessages conflict={conflict} onReload={() => void load()} problems={problems} saveError={saveError} notice={notice} />
        <div className="save-bar-row">
          <button type="button" className="button primary" onClick={() => void save()} disabled={busy}>
            {busy ? '保存しています…' : '保存する'}
          </button>
          <Link to={BASE} className="button">
            一覧へ戻る
          </Link>
          {rule && (
            <button type="button" className="button danger" onClick={() => void remove()} disabled={busy}>
              削除する
            </button>
          )}
          {dirty ? <span className="unsaved">保存していない変更があります</span> : null}
          {rule && (
            <span className="hint">
              最終更新 {formatDateTime(rule.updatedAt)}（{rule.updatedBy === 'system' ? '初期データ' : rule.updatedBy}）
            </span>
          )}
        </div>
      </div>

      {rule && <TryBox heading="保存したルールで試す" hint="保存した内容で、どのルールが答えるかを確かめられます（保存していない変更は使いません）。" />}
      {dialog}
    </>
  );
}
