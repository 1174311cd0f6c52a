/**
 * Staff use cases of scenarios (console page シナリオ, staff with the scenarios function): create,
 * save (every save is a new version, its steps one item each), check, publish a version (rolling
 * back is publishing an older one), end publication, delete; the onboarding scenario; results per
 * scenario, runs with their answers, CSV. Citizens mid-way finish on the version they started.
 * Every change is audited.
 */
import { ulid } from 'ulid';
import { stringify } from 'csv-stringify/sync';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { MediaRepository } from '../deliveries/ports';
import type { FormRepository } from '../forms/ports';
import { normalizeForMatch } from '../keywords/normalize';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { jstDateTime } from '../shared/japan-time';
import { checkPatterns } from '../shared/pattern-safety';
import type { SignedIn } from '../staff/context';
import { checkDraft, edgesOf, type ScenarioProblem } from './check';
import { answerText, COMMANDS, isExpired } from './engine';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TIMEOUT_MINUTES,
  SCENARIO_LIMITS,
  STEP_LIMITS,
  type RunRecord,
  type RunStatus,
  type ScenarioDraft,
  type ScenarioHeader,
  type ScenarioVersion,
  type Step,
} from './model';
import type { ScenarioDefinitions, ScenarioResults, ScenarioSteps } from './ports';
import type { SaveInput } from './schemas';
import { RUN_STATUS_LABELS, type RunListView, type ScenarioListView, type ScenarioResultsView, type ScenarioView } from './views';

export interface StaffScenariosDeps extends AuditDeps {
  definitions: ScenarioDefinitions;
  steps: Pick<ScenarioSteps, 'putSteps'>;
  results: ScenarioResults;
  media: Pick<MediaRepository, 'get'>;
  forms: Pick<FormRepository, 'get'>;
}

const STALE = 'ほかの職員が先にこのシナリオを変更しました。画面を読み込み直してください。';
const GONE = 'このシナリオは見つかりません（削除された可能性があります）。';
/** Runs read for the summary and the CSV. */
export const RESULTS_MAX = 50_000;

export async function listScenarios(deps: StaffScenariosDeps): Promise<ScenarioListView> {
  const [headers, settings] = await Promise.all([deps.definitions.list(), deps.definitions.settings()]);
  return {
    scenarios: headers
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map((h) => ({ ...h, onboarding: h.scenarioId === settings.onboardingScenarioId })),
    onboardingScenarioId: settings.onboardingScenarioId ?? null,
    settingsRev: settings.rev,
  };
}

/** Published scenarios by name (a scenario button's choice). */
export async function publishedScenarios(deps: Pick<StaffScenariosDeps, 'definitions'>): Promise<{ scenarioId: string; name: string }[]> {
  return (await deps.definitions.list())
    .filter((h) => h.publishedVersion)
    .map((h) => ({ scenarioId: h.scenarioId, name: h.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'ja'));
}

async function header(deps: StaffScenariosDeps, scenarioId: string): Promise<ScenarioHeader> {
  const found = await deps.definitions.get(scenarioId);
  if (!found) throw new NotFoundError(GONE);
  return found;
}

/** A new scenario with a first version of one step (greeting, then the end), so the editor always opens a version. */
export async function createScenario(deps: StaffScenariosDeps, who: SignedIn, input: { name: string }): Promise<ScenarioView> {
  const now = deps.clock.now().toISOString();
  const scenarioId = ulid(deps.clock.now().getTime());
  const first: Step = {
    stepId: 'start',
    name: 'はじめ',
    messages: [{ type: 'text', text: { ja: `${input.name}をご案内します。` } }],
    wait: { kind: 'none', next: { to: 'end' } },
  };
  const draft: ScenarioDraft = {
    name: input.name,
    startWords: [],
    startStepId: 'start',
    timeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    steps: [first],
  };
  const created: ScenarioHeader = {
    scenarioId,
    name: input.name,
    startWords: [],
    latestVersion: 0,
    versions: [],
    createdAt: now,
    createdBy: who.account.loginId,
    updatedAt: now,
    updatedBy: who.account.loginId,
    rev: 1,
  };
  await deps.definitions.create(created);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'scenario.created',
    target: `scenario:${scenarioId}`,
    ip: who.ip,
    after: { name: input.name },
  });
  return saveVersion(deps, who, created, draft);
}

export async function getScenario(deps: StaffScenariosDeps, scenarioId: string, versionNumber?: number): Promise<ScenarioView> {
  const h = await header(deps, scenarioId);
  const wanted = versionNumber ?? h.latestVersion;
  const [version, steps] = await Promise.all([deps.definitions.version(scenarioId, wanted), deps.definitions.versionSteps(scenarioId, wanted)]);
  if (!version) throw new NotFoundError('この版は見つかりません。');
  const ordered = orderSteps(steps, version.startStepId);
  return { header: h, version, steps: ordered, problems: await problemsOf(deps, h, { ...version, startWords: version.startWords ?? [], steps: ordered }) };
}

/** Steps in the order a reader meets them: from the first step, breadth first; unreachable ones last. */
function orderSteps(steps: Step[], startStepId: string): Step[] {
  const byId = new Map(steps.map((s) => [s.stepId, s]));
  const seen = new Set<string>();
  const out: Step[] = [];
  const queue = byId.has(startStepId) ? [startStepId] : [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const step = byId.get(id)!;
    out.push(step);
    for (const e of edgesOf(step)) if (e.to === 'step' && byId.has(e.stepId) && !seen.has(e.stepId)) queue.push(e.stepId);
  }
  return [...out, ...steps.filter((s) => !seen.has(s.stepId))];
}

/** The pure checks, then those that read: other scenarios, forms, images, patterns, start words. */
async function problemsOf(deps: StaffScenariosDeps, self: ScenarioHeader, draft: ScenarioDraft): Promise<ScenarioProblem[]> {
  const problems = checkDraft(draft);
  const error = (message: string, stepId?: string) => problems.push({ level: 'error', message, ...(stepId ? { stepId } : {}) });
  const scenarios = new Map<string, string[]>();
  const forms = new Map<string, string[]>();
  const media = new Map<string, string[]>();
  const patterns: { stepId: string; pattern: string }[] = [];
  const add = (map: Map<string, string[]>, key: string, stepId: string) => map.set(key, [...(map.get(key) ?? []), stepId]);
  for (const step of draft.steps) {
    for (const e of edgesOf(step)) {
      if (e.to === 'scenario' && e.scenarioId !== self.scenarioId) add(scenarios, e.scenarioId, step.stepId);
      if (e.to === 'form') add(forms, e.formId, step.stepId);
    }
    for (const m of step.messages) if (m.type === 'image') add(media, m.mediaId, step.stepId);
    if (step.wait.kind === 'text' && step.wait.rules.format === 'pattern' && step.wait.rules.pattern)
      patterns.push({ stepId: step.stepId, pattern: step.wait.rules.pattern });
  }
  await Promise.all([
    ...[...scenarios].map(async ([id, at]) => {
      const other = await deps.definitions.get(id);
      if (!other?.publishedVersion) error(`行き先のシナリオ${other ? `「${other.name}」は公開されていません` : 'が見つかりません'}。`, at[0]);
    }),
    ...[...forms].map(async ([id, at]) => {
      const form = await deps.forms.get(id);
      if (form?.status !== 'published') error(`行き先のフォーム${form ? `「${form.title}」は公開されていません` : 'が見つかりません'}。`, at[0]);
    }),
    ...[...media].map(async ([id, at]) => {
      if (!(await deps.media.get(id))) error('画像が見つかりません。もう一度アップロードしてください。', at[0]);
    }),
  ]);
  if (patterns.length > 0) {
    const verdicts = await checkPatterns(patterns.map((p) => ({ pattern: p.pattern, maxLength: STEP_LIMITS.answerText })));
    verdicts.forEach((v, i) => {
      if (!v.safe) error(`入力パターン（${patterns[i]!.pattern.slice(0, 30)}）：${v.reason}`, patterns[i]!.stepId);
    });
  }
  const normalised = draft.startWords.map((w) => ({ w, n: normalizeForMatch(w) }));
  const commands = new Set(Object.values(COMMANDS).flatMap((words) => Object.values(words).map((t) => normalizeForMatch(t))));
  for (const { w, n } of normalised) {
    if (!n) error(`開始キーワード「${w}」は記号と空白だけのため使えません。`);
    // 最初から / 戻る / やめる / スキップ steer every run: a scenario cannot take them.
    else if (commands.has(n)) error(`開始キーワード「${w}」は、シナリオの途中で使う言葉（最初から・戻る・やめる・スキップ）と同じため使えません。`);
  }
  return problems;
}

/** Saves the editor's content as a new version (with problems: only publishing needs none). */
export async function saveScenario(deps: StaffScenariosDeps, who: SignedIn, scenarioId: string, input: SaveInput): Promise<ScenarioView> {
  const h = await header(deps, scenarioId);
  if (h.rev !== input.rev) throw new ConflictError(STALE);
  const { rev: _rev, ...draft } = input;
  return saveVersion(deps, who, h, draft);
}

async function saveVersion(deps: StaffScenariosDeps, who: SignedIn, h: ScenarioHeader, draft: ScenarioDraft): Promise<ScenarioView> {
  const now = deps.clock.now().toISOString();
  const number = h.latestVersion + 1;
  const version: ScenarioVersion = {
    scenarioId: h.scenarioId,
    version: number,
    stepsId: ulid(deps.clock.now().getTime()),
    name: draft.name,
    startStepId: draft.startStepId,
    timeoutMinutes: draft.timeoutMinutes,
    maxAttempts: draft.maxAttempts,
    startWords: draft.startWords,
  };
  // Steps first, apart from any other save's: a version whose header exists always has its steps, and
  // a save that loses the race for this number (or dies half-way) leaves steps nobody reads.
  await deps.steps.putSteps(h.scenarioId, number, version.stepsId!, draft.steps);
  const next: ScenarioHeader = {
    ...h,
    name: draft.name,
    latestVersion: number,
    versions: [...h.versions, { version: number, savedAt: now, savedBy: who.account.loginId, steps: draft.steps.length }].slice(
      -SCENARIO_LIMITS.versionsListed,
    ),
    updatedAt: now,
    updatedBy: who.account.loginId,
    rev: h.rev + 1,
  };
  const result = await deps.definitions.saveVersion(next, version);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  if (h.latestVersion > 0) {
    await recordAudit(deps, {
      actor: who.account.loginId,
      action: 'scenario.saved',
      target: `scenario:${h.scenarioId}`,
      ip: who.ip,
      after: { name: draft.name, version: number, steps: draft.steps.length, startWords: draft.startWords },
    });
  }
  const steps = orderSteps(draft.steps, draft.startStepId);
  return { header: next, version, steps, problems: await problemsOf(deps, next, { ...draft, steps }) };
}

/** Points citizens at `version` (publishing, or rolling back to an older one): refused while it has an error. */
export async function publishScenario(
  deps: StaffScenariosDeps,
  who: SignedIn,
  scenarioId: string,
  input: { version: number; rev: number },
): Promise<ScenarioHeader> {
  const h = await header(deps, scenarioId);
  if (h.rev !== input.rev) throw new ConflictError(STALE);
  const view = await getScenario(deps, scenarioId, input.version);
  const errors = view.problems.filter((p) => p.level === 'error');
  if (errors.length > 0)
    throw new ValidationError(`公開できません：${errors[0]!.message}${errors.length > 1 ? `（ほか${errors.length - 1}件）` : ''}`, { problems: view.problems });
  const words = view.version.startWords ?? [];
  const previousWords = h.publishedVersion ? h.startWords : [];
  const now = deps.clock.now().toISOString();
  const next: ScenarioHeader = {
    ...h,
    publishedVersion: input.version,
    startWords: words,
    versions: h.versions.map((v) => (v.version === input.version ? { ...v, publishedAt: now, publishedBy: who.account.loginId } : v)),
    updatedAt: now,
    updatedBy: who.account.loginId,
    rev: h.rev + 1,
  };
  const result = await deps.definitions.publish(next, { claim: words.map(normalizeForMatch), release: previousWords.map(normalizeForMatch) });
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  if (typeof result === 'object') {
    const owner = await deps.definitions.get(result.by);
    const word = words.find((w) => normalizeForMatch(w) === result.taken) ?? result.taken;
    throw new ValidationError(`開始キーワード「${word}」は、シナリオ「${owner?.name ?? '（削除済み）'}」が使っています。別の言葉にしてください。`);
  }
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'scenario.published',
    target: `scenario:${scenarioId}`,
    ip: who.ip,
    before: { publishedVersion: h.publishedVersion ?? null },
    after: { name: next.name, publishedVersion: input.version, startWords: words },
  });
  return next;
}

export async function unpublishScenario(deps: StaffScenariosDeps, who: SignedIn, scenarioId: string, rev: number): Promise<ScenarioHeader> {
  const h = await header(deps, scenarioId);
  if (h.rev !== rev) throw new ConflictError(STALE);
  if (!h.publishedVersion) throw new ValidationError('このシナリオは公開されていません。');
  const settings = await deps.definitions.settings();
  if (settings.onboardingScenarioId === scenarioId)
    throw new ValidationError('友だち追加時のシナリオに設定されているため、公開を終了できません。先に設定を外してください。');
  const { publishedVersion: _p, ...rest } = h;
  const next: ScenarioHeader = { ...rest, updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId, rev: h.rev + 1 };
  const result = await deps.definitions.publish(next, { claim: [], release: h.startWords.map(normalizeForMatch) });
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result !== 'done') throw new ConflictError(STALE);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'scenario.unpublished',
    target: `scenario:${scenarioId}`,
    ip: who.ip,
    before: { publishedVersion: h.publishedVersion },
  });
  return next;
}

/** Removes the scenario from the list; its versions stay stored so citizens mid-way can finish. */
export async function deleteScenario(deps: StaffScenariosDeps, who: SignedIn, scenarioId: string, rev: number): Promise<void> {
  const h = await header(deps, scenarioId);
  if (h.rev !== rev) throw new ConflictError(STALE);
  const settings = await deps.definitions.settings();
  if (settings.onboardingScenarioId === scenarioId)
    throw new ValidationError('友だち追加時のシナリオに設定されているため、削除できません。先に設定を外してください。');
  const result = await deps.definitions.remove(scenarioId, rev, h.publishedVersion ? h.startWords.map(normalizeForMatch) : []);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  await recordAudit(deps, { actor: who.account.loginId, action: 'scenario.deleted', target: `scenario:${scenarioId}`, ip: who.ip, before: { name: h.name } });
}

export async function saveSettings(
  deps: StaffScenariosDeps,
  who: SignedIn,
  input: { onboardingScenarioId: string | null; rev: number },
): Promise<ScenarioListView> {
  const before = await deps.definitions.settings();
  if (before.rev !== input.rev) throw new ConflictError('ほかの職員が先に設定を変更しました。画面を読み込み直してください。');
  let name: string | null = null;
  if (input.onboardingScenarioId) {
    const h = await deps.definitions.get(input.onboardingScenarioId);
    if (!h) throw new ValidationError('選んだシナリオが見つかりません。');
    if (!h.publishedVersion) throw new ValidationError(`シナリオ「${h.name}」は公開されていません。公開してから選んでください。`);
    name = h.name;
  }
  const ok = await deps.definitions.saveSettings(
    {
      ...(input.onboardingScenarioId ? { onboardingScenarioId: input.onboardingScenarioId } : {}),
      rev: before.rev + 1,
      updatedAt: deps.clock.now().toISOString(),
      updatedBy: who.account.loginId,
    },
    before.rev,
  );
  if (!ok) throw new ConflictError('ほかの職員が先に設定を変更しました。画面を読み込み直してください。');
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'scenario_settings.updated',
    target: 'scenario-settings',
    ip: who.ip,
    after: { onboardingScenario: name },
  });
  return listScenarios(deps);
}

const effectiveStatus = (r: RunRecord, now: Date): RunStatus | 'abandoned' =>
  r.status === 'running' && isExpired({ expiresAt: r.runExpiresAt } as Parameters<typeof isExpired>[0], now) ? 'abandoned' : r.status;

/** The names of a scenario's steps over all its versions (results name the step a run is at). */
async function stepNames(deps: StaffScenariosDeps, scenarioId: string, versions: Iterable<number>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const v of [...new Set(versions)].sort((a, b) => a - b)) {
    for (const s of await deps.definitions.versionSteps(scenarioId, v)) names.set(`${v}|${s.stepId}`, s.name);
  }
  return names;
}

export async function scenarioResults(deps: StaffScenariosDeps, scenarioId: string): Promise<ScenarioResultsView> {
  const h = await header(deps, scenarioId);
  const { items, complete } = await deps.results.all(scenarioId, RESULTS_MAX, true);
  const now = deps.clock.now();
  const byStatus = Object.fromEntries(Object.keys(RUN_STATUS_LABELS).map((k) => [k, 0])) as ScenarioResultsView['byStatus'];
  const abandoned = new Map<string, { version: number; stepId: string; count: number }>();
  for (const r of items) {
    const status = effectiveStatus(r, now);
    byStatus[status] += 1;
    if (status === 'abandoned') {
      const key = `${r.version}|${r.stepId}`;
      abandoned.set(key, { version: r.version, stepId: r.stepId, count: (abandoned.get(key)?.count ?? 0) + 1 });
    }
  }
  const names = await stepNames(
    deps,
    scenarioId,
    [...abandoned.values()].map((a) => a.version),
  );
  const merged = new Map<string, { stepId: string; stepName: string; count: number }>();
  for (const [key, a] of abandoned) {
    const stepName = names.get(key) ?? a.stepId;
    const m = merged.get(stepName) ?? { stepId: a.stepId, stepName, count: 0 };
    m.count += a.count;
    merged.set(stepName, m);
  }
  return {
    scenarioId,
    name: h.name,
    runs: items.length,
    complete,
    max: RESULTS_MAX,
    byStatus,
    abandonedAt: [...merged.values()].sort((a, b) => b.count - a.count),
  };
}

export async function listRuns(deps: StaffScenariosDeps, scenarioId: string, query: { limit?: number; cursor?: string }): Promise<RunListView> {
  await header(deps, scenarioId);
  const page = await deps.results.page(scenarioId, { limit: query.limit ?? 50, ...(query.cursor ? { cursor: query.cursor } : {}) });
  const names = await stepNames(
    deps,
    scenarioId,
    page.items.map((r) => r.version),
  );
  const now = deps.clock.now();
  return {
    items: page.items.map((r) => ({ ...r, effectiveStatus: effectiveStatus(r, now), stepName: names.get(`${r.version}|${r.stepId}`) ?? r.stepId })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** Every run with its answers (one column per answer name), Excel-friendly and formula-safe. */
export async function exportRuns(
  deps: StaffScenariosDeps,
  who: SignedIn,
  scenarioId: string,
  withUserIds: boolean,
): Promise<{ filename: string; body: string }> {
  const h = await header(deps, scenarioId);
  const { items } = await deps.results.all(scenarioId, RESULTS_MAX);
  const names = await stepNames(
    deps,
    scenarioId,
    items.map((r) => r.version),
  );
  const answerNames: string[] = [];
  for (const r of [...items].reverse()) for (const k of Object.keys(r.answers)) if (!answerNames.includes(k)) answerNames.push(k);
  const now = deps.clock.now();
  const rows = items.map((r) => [
    jstDateTime(r.startedAt),
    jstDateTime(r.updatedAt),
    RUN_STATUS_LABELS[effectiveStatus(r, now)],
    names.get(`${r.version}|${r.stepId}`) ?? r.stepId,
    String(r.version),
    ...(withUserIds ? [r.userId] : []),
    ...answerNames.map((k) => answerText(r.answers[k])),
  ]);
  const header_ = ['開始日時', '最後の応答', '状態', 'ステップ', '版', ...(withUserIds ? ['ユーザーID'] : []), ...answerNames];
  const body = stringify(
    [header_, ...rows].map((row) => row.map((cell) => neutraliseFormula(cell))),
    CSV_OPTIONS,
  );
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'scenario.exported',
    target: `scenario:${scenarioId}`,
    ip: who.ip,
    after: { name: h.name, runs: items.length },
  });
  return { filename: `scenario-${scenarioId}-runs.csv`, body };
}
