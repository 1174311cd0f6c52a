/**
 * シナリオ › 編集: the scenario's settings, its steps as a list (keyboard) or a graph (lazily loaded),
 * the selected step's editor beside a phone picture of what the friend sees, the checks before
 * publishing as staff edit, and the versions (save makes a new one; publish any of them, which is
 * how a scenario rolls back). Citizens mid-way finish on the version they started.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { listForms } from '../../api/forms';
import {
  checkDraft,
  deleteScenario,
  getScenario,
  listScenarios,
  publishScenario,
  renderStep,
  saveScenario,
  unpublishScenario,
  SCENARIO_LIMITS,
  STEP_LIMITS,
  type Choice,
  type Edge,
  type Localized,
  type ScenarioDraft,
  type ScenarioProblem,
  type ScenarioView,
  type Step,
  type Wait,
} from '../../api/scenarios';
import { ImagePicker } from '../../components/content-editor';
import { useConfirm } from '../../components/dialog';
import { Alert, Field, Link, Loading, PageHeader, SaveBarMessages } from '../../components/ui';
import { formatDateTime, number } from '../../format';
import { navigate } from '../../router';
import { CHOICE_DISPLAY_LABELS, EDGE_LABELS, TEXT_FORMAT_LABELS, WAIT_KIND_LABELS } from '../../../../functions/scenarios/labels';
import { LANGS, LANGUAGE_LABELS, type Lang } from '../../../../functions/shared/languages';
import { scenarioPath, SCENARIOS_BASE, StateBadge, StepPhone } from './common';

const ScenarioGraph = lazy(() => import('./scenario-graph'));

type Target = { id: string; name: string };

function toDraft(view: ScenarioView): ScenarioDraft {
  return {
    name: view.header.name,
    startWords: view.version.startWords ?? [],
    startStepId: view.version.startStepId,
    timeoutMinutes: view.version.timeoutMinutes,
    maxAttempts: view.version.maxAttempts,
    steps: view.steps,
  };
}

/** A step ID not used yet: step-1, step-2, … */
function freshStepId(steps: Step[]): string {
  const used = new Set(steps.map((s) => s.stepId));
  for (let n = steps.length + 1; ; n++) if (!used.has(`step-${n}`)) return `step-${n}`;
}

function edgeText(edge: Edge, steps: Step[], scenarios: Target[], forms: Target[]): string {
  switch (edge.to) {
    case 'step':
      return `→ ${steps.find((s) => s.stepId === edge.stepId)?.name ?? `（ない: ${edge.stepId}）`}`;
    case 'scenario':
      return `→ シナリオ「${scenarios.find((s) => s.id === edge.scenarioId)?.name ?? edge.scenarioId}」`;
    case 'form':
      return `→ フォーム「${forms.find((f) => f.id === edge.formId)?.name ?? edge.formId}」`;
    default:
      return `→ ${EDGE_LABELS[edge.to]}`;
  }
}

export function ScenarioEditor(props: { scenarioId: string }) {
  const [view, setView] = useState<ScenarioView | null>(null);
  const [draft, setDraft] = useState<ScenarioDraft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [lang, setLang] = useState<Lang>('ja');
  const [mode, setMode] = useState<'list' | 'graph'>('list');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<{ message: string; problems: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [scenarios, setScenarios] = useState<Target[]>([]);
  const [forms, setForms] = useState<Target[] | null>(null);
  const [confirmDialog, confirm] = useConfirm();

  const load = useCallback(
    async (version?: number) => {
      try {
        const v = await getScenario(props.scenarioId, version);
        setView(v);
        setDraft(toDraft(v));
        setDirty(false);
        setSelected((s) => (s && v.steps.some((x) => x.stepId === s) ? s : v.version.startStepId));
        setConflict(null);
        setError(null);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [props.scenarioId],
  );
  useEffect(() => {
    void load();
    void listScenarios()
      .then((l) =>
        setScenarios(l.scenarios.filter((s) => s.scenarioId !== props.scenarioId && s.publishedVersion).map((s) => ({ id: s.scenarioId, name: s.name }))),
      )
      .catch(() => setScenarios([]));
    // Forms need the surveys function too; without it a form is named by its ID.
    void listForms()
      .then((l) => setForms(l.items.filter((f) => f.status === 'published').map((f) => ({ id: f.formId, name: f.title.ja }))))
      .catch(() => setForms(null));
  }, [load, props.scenarioId]);

  // The checks that need no server run as staff type; the server's (forms, images, patterns, other scenarios) come with each save.
  const liveProblems = useMemo<ScenarioProblem[]>(() => (draft ? checkDraft(draft) : []), [draft]);
  const serverOnly = (view?.problems ?? []).filter((p) => !liveProblems.some((l) => l.message === p.message));
  const problems = dirty ? liveProblems : [...liveProblems, ...serverOnly];
  const errors = problems.filter((p) => p.level === 'error');

  if (error && !view) return <Alert>{error}</Alert>;
  if (!view || !draft) return <Loading />;

  const change = (next: ScenarioDraft) => {
    setDraft(next);
    setDirty(true);
    setNotice(null);
  };
  const setStep = (stepId: string, step: Step) => change({ ...draft, steps: draft.steps.map((s) => (s.stepId === stepId ? step : s)) });
  /** A change that lands later (an image upload): applied to the draft as it is then, not as it was when it began. */
  const patchStep = (stepId: string, patch: (s: Step) => Step) => {
    setDraft((d) => d && { ...d, steps: d.steps.map((s) => (s.stepId === stepId ? patch(s) : s)) });
    setDirty(true);
    setNotice(null);
  };
  const step = draft.steps.find((s) => s.stepId === selected) ?? null;

  /** A new step, at the end of the list or right after `after` (a step's 「新しいステップへ」 keeps it beside its source). */
  const addStep = (after?: Step) => {
    const stepId = freshStepId(draft.steps);
    const fresh: Step = {
      stepId,
      name: `ステップ${draft.steps.length + 1}`,
      messages: [{ type: 'text', text: { ja: '' } }],
      wait: { kind: 'none', next: { to: 'end' } },
    };
    const at = after ? draft.steps.findIndex((s) => s.stepId === after.stepId) + 1 : draft.steps.length;
    change({ ...draft, steps: [...draft.steps.slice(0, at), fresh, ...draft.steps.slice(at)] });
    setSelected(stepId);
    return stepId;
  };
  const removeStep = async (target: Step) => {
    const used = draft.steps.filter((s) => s.stepId !== target.stepId && edgesOf(s).some((e) => e.to === 'step' && e.stepId === target.stepId));
    const ok = await confirm({
      title: `ステップ「${target.name}」を削除しますか？`,
      body:
        used.length > 0
          ? `${used.map((s) => `「${s.name}」`).join('、')}からこのステップへ進む行き先が、行き先のない状態になります。`
          : 'このステップを削除します。',
      confirm: '削除する',
      danger: true,
    });
    if (!ok) return;
    change({ ...draft, steps: draft.steps.filter((s) => s.stepId !== target.stepId) });
    setSelected(draft.startStepId === target.stepId ? null : draft.startStepId);
  };

  const save = async () => {
    setBusy(true);
    setSaveError(null);
    setNotice(null);
    try {
      // The start words as typed, one a line: blank lines dropped only now (typing keeps them).
      const startWords = draft.startWords.map((w) => w.trim()).filter(Boolean);
      const saved = await saveScenario(props.scenarioId, { ...draft, startWords, rev: view.header.rev });
      setView(saved);
      setDraft(toDraft(saved));
      setDirty(false);
      setNotice(
        `第${number.format(saved.header.latestVersion)}版として保存しました。${saved.problems.some((p) => p.level === 'error') ? '公開する前に、下の「直すところ」を直してください。' : ''}`,
      );
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(e.message);
      else setSaveError({ message: messageOf(e), problems: e instanceof ApiError ? detailsOf(e) : [] });
    } finally {
      setBusy(false);
    }
  };

  const publish = async (version: number) => {
    const rollback = view.header.publishedVersion !== undefined && version < view.header.publishedVersion;
    const ok = await confirm({
      title: rollback ? `第${version}版に戻しますか？` : `第${version}版を公開しますか？`,
      body: `これから始める友だちは第${version}版で案内されます。途中の友だちは、始めたときの版のまま最後まで進みます。`,
      confirm: rollback ? 'この版に戻す' : '公開する',
    });
    if (!ok) return;
    setBusy(true);
    setSaveError(null);
    try {
      await publishScenario(props.scenarioId, version, view.header.rev);
      await load(view.version.version);
      setNotice(`第${number.format(version)}版を公開しました。`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(e.message);
      else setSaveError({ message: messageOf(e), problems: [] });
    } finally {
      setBusy(false);
    }
  };

  /** Another version, or the state after an action, replaces the draft: unsaved edits are asked about first. */
  const keepEdits = async () =>
    dirty &&
    !(await confirm({
      title: '保存していない変更があります',
      body: '変更を保存せずに進むと、この画面の変更は消えます。',
      confirm: '変更を捨てて進む',
      danger: true,
    }));

  const unpublish = async () => {
    if (await keepEdits()) return;
    if (
      !(await confirm({
        title: '公開をやめますか？',
        body: '開始キーワードやボタンから始められなくなります。途中の友だちは最後まで進めます。',
        confirm: '公開をやめる',
        danger: true,
      }))
    )
      return;
    setBusy(true);
    try {
      await unpublishScenario(props.scenarioId, view.header.rev);
      await load(view.version.version);
      setNotice('公開をやめました。');
    } catch (e) {
      setSaveError({ message: messageOf(e), problems: [] });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (
      !(await confirm({
        title: `シナリオ「${view.header.name}」を削除しますか？`,
        body: '一覧から消えます。途中の友だちは最後まで進めます。',
        confirm: '削除する',
        danger: true,
      }))
    )
      return;
    try {
      await deleteScenario(props.scenarioId, view.header.rev);
      navigate(SCENARIOS_BASE);
    } catch (e) {
      setSaveError({ message: messageOf(e), problems: [] });
    }
  };

  const viewingOld = view.version.version !== view.header.latestVersion;
  const canPublish = !dirty && errors.length === 0 && view.header.publishedVersion !== view.version.version;
  const targets = { steps: draft.steps, scenarios, forms: forms ?? [] };

  return (
    <>
      {confirmDialog}
      <PageHeader title={`シナリオ「${view.header.name}」`}>
        <Link to={`${scenarioPath(props.scenarioId)}/results`} className="button">
          結果
        </Link>
      </PageHeader>
      <p>
        <Link to={SCENARIOS_BASE}>← シナリオ一覧</Link>
      </p>
      <div className="scenario-status">
        <StateBadge header={view.header} />
        <span className="muted">
          表示中：第{number.format(view.version.version)}版{viewingOld ? '（古い版。保存すると新しい版になります）' : '（最新）'}
        </span>
      </div>
      {error && <Alert>{error}</Alert>}

      <section className="card" aria-labelledby="settings-h">
        <h2 id="settings-h">設定</h2>
        <div className="form-grid">
          <Field label="シナリオ名" required>
            {(id) => <input id={id} value={draft.name} maxLength={SCENARIO_LIMITS.nameChars} onChange={(e) => change({ ...draft, name: e.target.value })} />}
          </Field>
          <Field
            label="開始キーワード"
            hint="1行に1つ。友だちがこの言葉を送ると始まります（全角・半角、ひらがな・カタカナの違いは区別しません）。リッチメニューの「キーワード」にも使えます。"
          >
            {(id, d) => (
              <textarea
                id={id}
                aria-describedby={d}
                rows={3}
                value={draft.startWords.join('\n')}
                onChange={(e) => change({ ...draft, startWords: e.target.value.split('\n') })}
              />
            )}
          </Field>
          <Field label="最初のステップ">
            {(id) => (
              <select id={id} value={draft.startStepId} onChange={(e) => change({ ...draft, startStepId: e.target.value })}>
                {draft.steps.map((s) => (
                  <option key={s.stepId} value={s.stepId}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="途中で止まったときにリセットするまで（分）"
            hint="この時間、何も送られなかったら、次のメッセージはシナリオの外（キーワード応答など）で受けます。"
          >
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="number"
                min={SCENARIO_LIMITS.timeoutMinutes.min}
                max={SCENARIO_LIMITS.timeoutMinutes.max}
                value={draft.timeoutMinutes}
                onChange={(e) => change({ ...draft, timeoutMinutes: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field label="聞き直す回数" hint="この回数、答えを受け付けられなかったら、いったん終了して「最初から」を案内します。">
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="number"
                min={SCENARIO_LIMITS.maxAttempts.min}
                max={SCENARIO_LIMITS.maxAttempts.max}
                value={draft.maxAttempts}
                onChange={(e) => change({ ...draft, maxAttempts: Number(e.target.value) })}
              />
            )}
          </Field>
        </div>
      </section>

      <Problems problems={problems} steps={draft.steps} onSelect={(id) => setSelected(id)} />

      <section className="card" aria-labelledby="steps-h">
        <div className="rules-head">
          <h2 id="steps-h">ステップ（{number.format(draft.steps.length)} 個）</h2>
          <div className="rules-actions">
            <div className="segmented" role="group" aria-label="表示のしかた">
              <button type="button" className={mode === 'list' ? 'button active' : 'button'} aria-pressed={mode === 'list'} onClick={() => setMode('list')}>
                リスト
              </button>
              <button type="button" className={mode === 'graph' ? 'button active' : 'button'} aria-pressed={mode === 'graph'} onClick={() => setMode('graph')}>
                図
              </button>
            </div>
            <label>
              編集する言語{' '}
              <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
                {LANGS.map((l) => (
                  <option key={l} value={l}>
                    {LANGUAGE_LABELS[l]}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button" onClick={() => addStep()}>
              ＋ ステップを追加
            </button>
          </div>
        </div>
        <div className={mode === 'graph' ? 'scenario-layout graph-mode' : 'scenario-layout'}>
          <div className="scenario-steps">
            {mode === 'graph' ? (
              <Suspense fallback={<Loading />}>
                <ScenarioGraph
                  draft={draft}
                  selected={selected}
                  onSelect={setSelected}
                  onConnect={(from, choiceId, to) => change(connect(draft, from, choiceId, to))}
                />
              </Suspense>
            ) : (
              <ol className="step-list" aria-label="ステップの一覧">
                {draft.steps.map((s) => (
                  <li key={s.stepId}>
                    <button
                      type="button"
                      className={s.stepId === selected ? 'step-item selected' : 'step-item'}
                      aria-current={s.stepId === selected ? 'true' : undefined}
                      onClick={() => setSelected(s.stepId)}
                    >
                      <span className="step-item-name">
                        {s.stepId === draft.startStepId && <span className="badge">最初</span>} {s.name}
                        {problems.some((p) => p.level === 'error' && p.stepId === s.stepId) && <span className="badge danger-badge">要修正</span>}
                      </span>
                      <span className="hint">
                        {WAIT_KIND_LABELS[s.wait.kind]}
                        {s.wait.kind === 'choice' ? `（${s.wait.choices.length}個）` : ''}{' '}
                        {s.wait.kind !== 'choice' ? edgeText(s.wait.next, draft.steps, scenarios, forms ?? []) : ''}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </div>
          <div className="scenario-step-editor">
            {step ? (
              <StepEditor
                key={step.stepId}
                step={step}
                lang={lang}
                targets={targets}
                formsKnown={forms !== null}
                onChange={(next) => setStep(step.stepId, next)}
                onPatch={(patch) => patchStep(step.stepId, patch)}
                onAddStep={() => addStep(step)}
                onRemove={() => void removeStep(step)}
              />
            ) : (
              <p className="muted">左の一覧からステップを選んでください。</p>
            )}
          </div>
          <div className="scenario-preview">
            {step && (
              <StepPhone
                label={`${LANGUAGE_LABELS[lang]}での表示`}
                messages={renderStep(
                  {
                    source: { step: async () => null },
                    version: { ...view.version, startStepId: draft.startStepId },
                    lang,
                    now: new Date(),
                    publicBaseUrl: '',
                  },
                  {
                    runId: 'preview',
                    userId: '',
                    scenarioId: props.scenarioId,
                    version: view.version.version,
                    stepId: step.stepId,
                    trail: step.stepId === draft.startStepId ? [] : [draft.startStepId],
                    answers: sampleAnswers(draft.steps),
                    attempts: 0,
                    startedAt: '',
                    updatedAt: '',
                    expiresAt: '',
                    seq: 0,
                    events: [],
                  },
                  step,
                )}
              />
            )}
          </div>
        </div>
      </section>

      <div className="save-bar">
        <SaveBarMessages conflict={conflict} onReload={() => void load()} problems={[]} saveError={saveError} notice={notice} />
        <button type="button" className="button primary" disabled={busy || !dirty} onClick={() => void save()}>
          保存（新しい版）
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || !canPublish}
          onClick={() => void publish(view.version.version)}
          title={dirty ? '保存してから公開できます' : undefined}
        >
          {view.header.publishedVersion !== undefined && view.version.version < view.header.publishedVersion ? 'この版に戻す' : 'この版を公開'}
        </button>
        {dirty && <span className="muted">保存していない変更があります。</span>}
      </div>

      <section className="card" aria-labelledby="versions-h">
        <h2 id="versions-h">版の履歴</h2>
        <div className="table-scroll">
          <table className="table" aria-label="版の履歴">
            <thead>
              <tr>
                <th scope="col">版</th>
                <th scope="col">保存</th>
                <th scope="col" className="num">
                  ステップ
                </th>
                <th scope="col">公開</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {[...view.header.versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td className="nowrap">
                    第{number.format(v.version)}版{v.version === view.header.publishedVersion && <span className="badge success-badge">公開中</span>}
                  </td>
                  <td>
                    {formatDateTime(v.savedAt)} <span className="hint">{v.savedBy}</span>
                  </td>
                  <td className="num">{number.format(v.steps)}</td>
                  <td>{v.publishedAt ? `${formatDateTime(v.publishedAt)}（${v.publishedBy}）` : ''}</td>
                  <td className="nowrap">
                    {v.version !== view.version.version && (
                      <button
                        type="button"
                        className="button small"
                        disabled={busy}
                        onClick={() =>
                          void (async () => {
                            if (!(await keepEdits())) await load(v.version);
                          })()
                        }
                      >
                        開く
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="form-actions">
          {view.header.publishedVersion !== undefined && (
            <button type="button" className="button" disabled={busy} onClick={() => void unpublish()}>
              公開をやめる
            </button>
          )}
          <button type="button" className="button danger" disabled={busy} onClick={() => void remove()}>
            シナリオを削除
          </button>
        </div>
      </section>
    </>
  );
}

function detailsOf(e: ApiError): string[] {
  const problems = (e.details as { problems?: ScenarioProblem[] } | undefined)?.problems;
  return problems ? problems.filter((p) => p.level === 'error').map((p) => p.message) : [];
}

function edgesOf(step: Step): Edge[] {
  return step.wait.kind === 'choice' ? step.wait.choices.map((c) => c.next) : [step.wait.next];
}

/** An edge drawn on the graph: a choice's (its handle) or the step's one way on. */
function connect(draft: ScenarioDraft, from: string, choiceId: string | null, to: string): ScenarioDraft {
  return {
    ...draft,
    steps: draft.steps.map((s) => {
      if (s.stepId !== from) return s;
      const next: Edge = { to: 'step', stepId: to };
      if (s.wait.kind === 'choice') return { ...s, wait: { ...s.wait, choices: s.wait.choices.map((c) => (c.choiceId === choiceId ? { ...c, next } : c)) } };
      return { ...s, wait: { ...s.wait, next } };
    }),
  };
}

/** What `{answer.x}` shows in the preview: the answer's name in brackets. */
function sampleAnswers(steps: Step[]) {
  const out: Record<string, { kind: 'text'; text: string }> = {};
  for (const s of steps) if (s.wait.kind !== 'none' && s.wait.saveAs) out[s.wait.saveAs] = { kind: 'text', text: `〈${s.name}の答え〉` };
  return out;
}

function Problems(props: { problems: ScenarioProblem[]; steps: Step[]; onSelect: (stepId: string) => void }) {
  if (props.problems.length === 0) return <Alert kind="success">公開の前の確認：直すところはありません。</Alert>;
  const errors = props.problems.filter((p) => p.level === 'error');
  return (
    <section className={errors.length > 0 ? 'alert alert-error' : 'alert alert-info'} aria-labelledby="problems-h">
      <h2 id="problems-h" className="alert-title">
        {errors.length > 0 ? `直すところ（${errors.length}件）：直すまで公開できません` : '確認してください（公開はできます）'}
      </h2>
      <ul className="problems">
        {props.problems.map((p, i) => (
          <li key={i}>
            {p.level === 'warning' ? '注意：' : ''}
            {p.message}{' '}
            {p.stepId && props.steps.some((s) => s.stepId === p.stepId) && (
              <button type="button" className="link-button" onClick={() => props.onSelect(p.stepId!)}>
                このステップを開く
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One text in the language being edited (Japanese required; others fall back to Japanese). */
function LocalizedInput(props: {
  label: string;
  value: Localized;
  lang: Lang;
  max: number;
  multiline?: boolean;
  optional?: boolean;
  onChange: (v: Localized) => void;
  hint?: string;
}) {
  const { value, lang } = props;
  const text = (lang === 'ja' ? value.ja : value[lang]) ?? '';
  const set = (t: string) => props.onChange(lang === 'ja' ? { ...value, ja: t } : { ...value, [lang]: t || undefined });
  return (
    <Field
      label={`${props.label}（${LANGUAGE_LABELS[lang]}）`}
      required={lang === 'ja' && !props.optional}
      hint={lang !== 'ja' && !value[lang] ? `未入力のときは日本語「${value.ja.slice(0, 30)}」が送られます。` : props.hint}
    >
      {(id, d) =>
        props.multiline ? (
          <textarea id={id} aria-describedby={d} rows={3} maxLength={props.max} value={text} onChange={(e) => set(e.target.value)} />
        ) : (
          <input id={id} aria-describedby={d} maxLength={props.max} value={text} onChange={(e) => set(e.target.value)} />
        )
      }
    </Field>
  );
}

function EdgeInput(props: {
  label: string;
  edge: Edge;
  targets: { steps: Step[]; scenarios: Target[]; forms: Target[] };
  formsKnown: boolean;
  self: string;
  onChange: (e: Edge) => void;
}) {
  const { edge, targets } = props;
  const kind = edge.to;
  const setKind = (to: Edge['to']) => {
    if (to === 'step') props.onChange({ to, stepId: targets.steps.find((s) => s.stepId !== props.self)?.stepId ?? props.self });
    else if (to === 'scenario') props.onChange({ to, scenarioId: targets.scenarios[0]?.id ?? '' });
    else if (to === 'form') props.onChange({ to, formId: targets.forms[0]?.id ?? '' });
    else props.onChange({ to });
  };
  return (
    <fieldset className="edge-input">
      <legend>{props.label}</legend>
      <select aria-label={`${props.label}の種類`} value={kind} onChange={(e) => setKind(e.target.value as Edge['to'])}>
        {(Object.keys(EDGE_LABELS) as Edge['to'][]).map((k) => (
          <option key={k} value={k}>
            {EDGE_LABELS[k]}
          </option>
        ))}
      </select>
      {edge.to === 'step' && (
        <select aria-label={`${props.label}のステップ`} value={edge.stepId} onChange={(e) => props.onChange({ to: 'step', stepId: e.target.value })}>
          {!targets.steps.some((s) => s.stepId === edge.stepId) && <option value={edge.stepId}>（ないステップ: {edge.stepId}）</option>}
          {targets.steps.map((s) => (
            <option key={s.stepId} value={s.stepId}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      {edge.to === 'scenario' && (
        <select
          aria-label={`${props.label}のシナリオ`}
          value={edge.scenarioId}
          onChange={(e) => props.onChange({ to: 'scenario', scenarioId: e.target.value })}
        >
          {targets.scenarios.length === 0 && <option value="">（公開中のほかのシナリオがありません）</option>}
          {targets.scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      {edge.to === 'form' &&
        (props.formsKnown ? (
          <select aria-label={`${props.label}のフォーム`} value={edge.formId} onChange={(e) => props.onChange({ to: 'form', formId: e.target.value })}>
            {targets.forms.length === 0 && <option value="">（公開中のフォームがありません）</option>}
            {targets.forms.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            aria-label={`${props.label}のフォームID`}
            value={edge.formId}
            onChange={(e) => props.onChange({ to: 'form', formId: e.target.value.trim() })}
          />
        ))}
    </fieldset>
  );
}

function StepEditor(props: {
  step: Step;
  lang: Lang;
  targets: { steps: Step[]; scenarios: Target[]; forms: Target[] };
  formsKnown: boolean;
  onChange: (s: Step) => void;
  onPatch: (patch: (s: Step) => Step) => void;
  onAddStep: () => void;
  onRemove: () => void;
}) {
  const { step, lang } = props;
  const set = (patch: Partial<Step>) => props.onChange({ ...step, ...patch });
  const setWait = (wait: Wait) => set({ wait });
  const next = step.wait.kind === 'choice' ? null : step.wait.next;
  const changeKind = (kind: Wait['kind']) => {
    const keep: Edge = next ?? { to: 'end' };
    const saveAs = step.wait.kind !== 'none' ? step.wait.saveAs : undefined;
    if (kind === 'choice')
      setWait({
        kind,
        display: 'quickReply',
        saveAs,
        choices: [
          { choiceId: 'c1', label: { ja: 'はい' }, next: keep },
          { choiceId: 'c2', label: { ja: 'いいえ' }, next: { to: 'end' } },
        ],
      });
    else if (kind === 'text') setWait({ kind, rules: { required: true }, saveAs, next: keep });
    else if (kind === 'image') setWait({ kind, optional: false, saveAs, next: keep });
    else if (kind === 'location') setWait({ kind, saveAs, next: keep });
    else setWait({ kind, next: keep });
  };
  const edge = (label: string, e: Edge, onChange: (e: Edge) => void) => (
    <EdgeInput label={label} edge={e} targets={props.targets} formsKnown={props.formsKnown} self={step.stepId} onChange={onChange} />
  );
  return (
    <div className="step-editor" aria-label={`ステップ「${step.name}」の編集`} role="group">
      <Field label="ステップ名" required hint={`ID: ${step.stepId}（結果の「どこで止まったか」にこの名前が出ます）`}>
        {(id, d) => (
          <input id={id} aria-describedby={d} maxLength={SCENARIO_LIMITS.stepNameChars} value={step.name} onChange={(e) => set({ name: e.target.value })} />
        )}
      </Field>
      <fieldset>
        <legend>
          送るメッセージ（{step.messages.length} / {STEP_LIMITS.messages}）
        </legend>
        {step.messages.map((m, i) =>
          m.type === 'text' ? (
            <div key={i} className="step-message">
              <LocalizedInput
                label={`メッセージ${i + 1}`}
                value={m.text}
                lang={lang}
                max={STEP_LIMITS.text}
                multiline
                hint="{answer.名前} で前の答えを入れられます。"
                onChange={(text) => set({ messages: step.messages.map((x, k) => (k === i ? { type: 'text', text } : x)) })}
              />
              <button type="button" className="link-button" onClick={() => set({ messages: step.messages.filter((_, k) => k !== i) })}>
                このメッセージを削除
              </button>
            </div>
          ) : (
            <div key={i} className="step-message">
              <ImagePicker
                label={`メッセージ${i + 1}（画像）`}
                mediaId={m.mediaId || undefined}
                onChange={(mediaId) =>
                  // The upload may end after other edits: the step as it is then, its i-th message if it is still an image.
                  props.onPatch((s) => ({
                    ...s,
                    messages: s.messages.map((x, k) => (k === i && x.type === 'image' ? { type: 'image', mediaId: mediaId ?? '' } : x)),
                  }))
                }
              />
              <button type="button" className="link-button" onClick={() => set({ messages: step.messages.filter((_, k) => k !== i) })}>
                このメッセージを削除
              </button>
            </div>
          ),
        )}
        {step.messages.length < STEP_LIMITS.messages && (
          <>
            <button type="button" className="button small" onClick={() => set({ messages: [...step.messages, { type: 'text', text: { ja: '' } }] })}>
              ＋ メッセージ
            </button>{' '}
            <button type="button" className="button small" onClick={() => set({ messages: [...step.messages, { type: 'image', mediaId: '' }] })}>
              ＋ 画像
            </button>
          </>
        )}
      </fieldset>
      <Field label="友だちの答え方">
        {(id) => (
          <select id={id} value={step.wait.kind} onChange={(e) => changeKind(e.target.value as Wait['kind'])}>
            {(Object.keys(WAIT_KIND_LABELS) as Wait['kind'][]).map((k) => (
              <option key={k} value={k}>
                {WAIT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {step.wait.kind !== 'none' && (
        <Field label="答えを保存する名前" hint="半角英数字と _。結果とCSVの列名になり、{answer.名前} で後のメッセージに入れられます。空なら保存しません。">
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              value={step.wait.kind !== 'none' ? (step.wait.saveAs ?? '') : ''}
              maxLength={SCENARIO_LIMITS.saveAsChars}
              onChange={(e) => step.wait.kind !== 'none' && setWait({ ...step.wait, saveAs: e.target.value.trim() || undefined } as Wait)}
            />
          )}
        </Field>
      )}
      {step.wait.kind === 'choice' && <ChoicesEditor wait={step.wait} lang={lang} edge={edge} onChange={setWait} />}
      {step.wait.kind === 'text' && (
        <fieldset>
          <legend>文字の答えの確認</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={step.wait.rules.required}
              onChange={(e) => step.wait.kind === 'text' && setWait({ ...step.wait, rules: { ...step.wait.rules, required: e.target.checked } })}
            />
            必ず答える
          </label>
          <div className="form-grid">
            <Field label="最小文字数">
              {(id) => (
                <input
                  id={id}
                  type="number"
                  min={0}
                  value={step.wait.kind === 'text' ? (step.wait.rules.minLength ?? '') : ''}
                  onChange={(e) =>
                    step.wait.kind === 'text' &&
                    setWait({ ...step.wait, rules: { ...step.wait.rules, minLength: e.target.value === '' ? undefined : Number(e.target.value) } })
                  }
                />
              )}
            </Field>
            <Field label="最大文字数">
              {(id) => (
                <input
                  id={id}
                  type="number"
                  min={1}
                  value={step.wait.kind === 'text' ? (step.wait.rules.maxLength ?? '') : ''}
                  onChange={(e) =>
                    step.wait.kind === 'text' &&
                    setWait({ ...step.wait, rules: { ...step.wait.rules, maxLength: e.target.value === '' ? undefined : Number(e.target.value) } })
                  }
                />
              )}
            </Field>
            <Field label="形式">
              {(id) => (
                <select
                  id={id}
                  value={step.wait.kind === 'text' ? (step.wait.rules.format ?? '') : ''}
                  onChange={(e) =>
                    step.wait.kind === 'text' &&
                    setWait({ ...step.wait, rules: { ...step.wait.rules, format: (e.target.value || undefined) as 'number' | undefined } })
                  }
                >
                  {Object.entries(TEXT_FORMAT_LABELS).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {step.wait.rules.format === 'pattern' && (
              <Field label="パターン（正規表現）">
                {(id) => (
                  <input
                    id={id}
                    className="mono"
                    value={step.wait.kind === 'text' ? (step.wait.rules.pattern ?? '') : ''}
                    onChange={(e) => step.wait.kind === 'text' && setWait({ ...step.wait, rules: { ...step.wait.rules, pattern: e.target.value } })}
                  />
                )}
              </Field>
            )}
          </div>
        </fieldset>
      )}
      {step.wait.kind === 'image' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={step.wait.optional}
            onChange={(e) => step.wait.kind === 'image' && setWait({ ...step.wait, optional: e.target.checked })}
          />
          写真がなくても進める（「スキップ」を表示）
        </label>
      )}
      {next && edge('答えたあとの行き先', next, (e) => step.wait.kind !== 'choice' && setWait({ ...step.wait, next: e } as Wait))}
      {step.wait.kind !== 'none' && (
        <LocalizedInput
          label="聞き直しの文（任意）"
          optional
          value={step.reprompt ?? { ja: '' }}
          lang={lang}
          max={1000}
          hint="答えを受け付けられなかったときの文。空なら決まった文で理由を伝えます。"
          onChange={(v) => set({ reprompt: Object.values(v).some((t) => t?.trim()) ? v : undefined })}
        />
      )}
      <div className="form-actions">
        <button type="button" className="button small" onClick={props.onAddStep}>
          ＋ ステップを追加
        </button>
        <button type="button" className="button small danger" onClick={props.onRemove}>
          このステップを削除
        </button>
      </div>
    </div>
  );
}

function ChoicesEditor(props: {
  wait: Extract<Wait, { kind: 'choice' }>;
  lang: Lang;
  edge: (label: string, e: Edge, onChange: (e: Edge) => void) => React.ReactNode;
  onChange: (w: Wait) => void;
}) {
  const { wait } = props;
  const max = wait.display === 'quickReply' ? SCENARIO_LIMITS.quickReplyChoices : SCENARIO_LIMITS.buttonChoices;
  const setChoice = (i: number, c: Choice) => props.onChange({ ...wait, choices: wait.choices.map((x, k) => (k === i ? c : x)) });
  const freshId = () => {
    const used = new Set(wait.choices.map((c) => c.choiceId));
    for (let n = wait.choices.length + 1; ; n++) if (!used.has(`c${n}`)) return `c${n}`;
  };
  return (
    <fieldset>
      <legend>
        選択肢（{wait.choices.length} / {max}）
      </legend>
      <Field label="表示のしかた">
        {(id) => (
          <select id={id} value={wait.display} onChange={(e) => props.onChange({ ...wait, display: e.target.value as 'quickReply' | 'buttons' })}>
            {Object.entries(CHOICE_DISPLAY_LABELS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {wait.choices.map((c, i) => (
        <div key={c.choiceId} className="choice-row">
          <LocalizedInput
            label={`選択肢${i + 1}`}
            value={c.label}
            lang={props.lang}
            max={STEP_LIMITS.quickReplyLabel}
            onChange={(label) => setChoice(i, { ...c, label })}
          />
          {props.edge(`選択肢${i + 1}の行き先`, c.next, (next) => setChoice(i, { ...c, next }))}
          <button type="button" className="link-button" onClick={() => props.onChange({ ...wait, choices: wait.choices.filter((_, k) => k !== i) })}>
            この選択肢を削除
          </button>
        </div>
      ))}
      {wait.choices.length < max && (
        <button
          type="button"
          className="button small"
          onClick={() => props.onChange({ ...wait, choices: [...wait.choices, { choiceId: freshId(), label: { ja: '' }, next: { to: 'end' } }] })}
        >
          ＋ 選択肢
        </button>
      )}
    </fieldset>
  );
}
