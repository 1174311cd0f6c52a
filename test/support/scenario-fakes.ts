/** In-memory scenario stores with the DynamoDB stores' conditions (rev, seq, one owner per start word). */
import type { Localized, RunRecord, ScenarioHeader, ScenarioRun, ScenarioVersion, Step } from '../../functions/scenarios/model';
import type {
  DefinitionWrite,
  RunPage,
  ScenarioDefinitions,
  ScenarioResults,
  ScenarioRuns,
  ScenarioSettings,
  ScenarioSteps,
  StartWords,
} from '../../functions/scenarios/ports';

const clone = <T>(v: T): T => structuredClone(v);

/**
 * Step `i` of a long yes/no questionnaire (`s0` … `s<steps-1>`): はい / いいえ (Yes / No) quick replies
 * saved as `q<i>`, both leading on, the last to the end — the 500-step scenario of the tests and the bench.
 */
export function yesNoStep(
  i: number,
  steps: number,
  text: Localized = { ja: `質問${i + 1}：${'ご協力をお願いします。'.repeat(8)}`, en: `Question ${i + 1}` },
): Step {
  return {
    stepId: `s${i}`,
    name: `質問${i + 1}`,
    messages: [{ type: 'text', text }],
    wait: {
      kind: 'choice',
      display: 'quickReply',
      saveAs: `q${i}`,
      choices: [
        { ja: 'はい', en: 'Yes' },
        { ja: 'いいえ', en: 'No' },
      ].map((label, c) => ({
        choiceId: `c${c}`,
        label,
        next: i === steps - 1 ? { to: 'end' as const } : { to: 'step' as const, stepId: `s${i + 1}` },
      })),
    },
  };
}

/** A scenario's header as staff left it (no start words, version 1 saved), published when `publishedVersion` is given. */
export function scenarioHeader(scenarioId: string, name: string, over: Partial<ScenarioHeader> = {}): ScenarioHeader {
  const at = '2026-12-07T03:00:00.000Z';
  return { scenarioId, name, startWords: [], latestVersion: 1, versions: [], createdAt: at, createdBy: 's', updatedAt: at, updatedBy: 's', rev: 2, ...over };
}

export class MemoryScenarios implements ScenarioDefinitions, ScenarioSteps {
  headers = new Map<string, ScenarioHeader>();
  versions = new Map<string, ScenarioVersion>();
  steps = new Map<string, Map<string, Step>>();
  words = new Map<string, string>();
  wordsMarker = 0;
  settingsItem: ScenarioSettings = { rev: 0 };
  /** Step reads, to see what the runtime reads. */
  stepReads = 0;

  async list() {
    return [...this.headers.values()].map(clone);
  }
  async get(id: string) {
    const h = this.headers.get(id);
    return h ? clone(h) : null;
  }
  async create(header: ScenarioHeader) {
    if (this.headers.has(header.scenarioId)) throw new Error('exists');
    this.headers.set(header.scenarioId, clone(header));
  }
  async saveVersion(next: ScenarioHeader, version: ScenarioVersion): Promise<DefinitionWrite> {
    const stored = this.headers.get(next.scenarioId);
    if (!stored) return 'missing';
    if (stored.rev !== next.rev - 1 || this.versions.has(`${version.scenarioId}|${version.version}`)) return 'conflict';
    this.versions.set(`${version.scenarioId}|${version.version}`, clone(version));
    this.headers.set(next.scenarioId, clone(next));
    return 'done';
  }
  async publish(next: ScenarioHeader, words: { claim: string[]; release: string[] }) {
    const stored = this.headers.get(next.scenarioId);
    if (!stored) return 'missing' as const;
    if (stored.rev !== next.rev - 1) return 'conflict' as const;
    for (const w of words.claim) {
      const owner = this.words.get(w);
      if (owner && owner !== next.scenarioId) return { taken: w, by: owner };
    }
    for (const w of words.release) if (this.words.get(w) === next.scenarioId && !words.claim.includes(w)) this.words.delete(w);
    for (const w of words.claim) this.words.set(w, next.scenarioId);
    if (words.claim.length + words.release.length > 0) this.wordsMarker += 1;
    this.headers.set(next.scenarioId, clone(next));
    return 'done' as const;
  }
  async remove(id: string, rev: number, release: string[]): Promise<DefinitionWrite> {
    const stored = this.headers.get(id);
    if (!stored) return 'missing';
    if (stored.rev !== rev) return 'conflict';
    this.headers.delete(id);
    for (const w of release) if (this.words.get(w) === id) this.words.delete(w);
    if (release.length > 0) this.wordsMarker += 1;
    return 'done';
  }
  async version(id: string, v: number) {
    const found = this.versions.get(`${id}|${v}`);
    return found ? clone(found) : null;
  }
  private saveOf(id: string, v: number) {
    return `${id}|${v}|${this.versions.get(`${id}|${v}`)?.stepsId ?? ''}`;
  }
  async versionSteps(id: string, v: number) {
    return [...(this.steps.get(this.saveOf(id, v))?.values() ?? [])].map(clone);
  }
  async wordsVersion() {
    return this.wordsMarker;
  }
  async startWords(): Promise<StartWords> {
    return { version: this.wordsMarker, words: new Map(this.words) };
  }
  async settings() {
    return clone(this.settingsItem);
  }
  async saveSettings(next: ScenarioSettings, expectedRev: number) {
    if (this.settingsItem.rev !== expectedRev) return false;
    this.settingsItem = clone(next);
    return true;
  }
  async step(id: string, v: number, stepId: string) {
    this.stepReads += 1;
    const s = this.steps.get(this.saveOf(id, v))?.get(stepId);
    return s ? clone(s) : null;
  }
  async putSteps(id: string, v: number, stepsId: string, steps: Step[]) {
    this.steps.set(`${id}|${v}|${stepsId}`, new Map(steps.map((s) => [s.stepId, clone(s)])));
  }
}

export class MemoryScenarioRuns implements ScenarioRuns, ScenarioResults {
  runs = new Map<string, ScenarioRun>();
  records = new Map<string, RunRecord>();
  /** Called before a save is applied (tests move the run under it). */
  beforeSave?: () => void;

  async get(userId: string) {
    const r = this.runs.get(userId);
    return r ? clone(r) : null;
  }
  async save(run: ScenarioRun, expectedSeq: number | null, record?: RunRecord) {
    this.beforeSave?.();
    const stored = this.runs.get(run.userId);
    if (expectedSeq === null ? stored : stored?.seq !== expectedSeq) return false;
    this.runs.set(run.userId, clone(run));
    if (record) this.records.set(`${record.scenarioId}|${record.startedAt}|${record.runId}`, clone(record));
    return true;
  }
  private of(scenarioId: string) {
    return [...this.records.values()].filter((r) => r.scenarioId === scenarioId).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
  async page(scenarioId: string, query: { limit: number; cursor?: string }): Promise<RunPage> {
    const all = this.of(scenarioId);
    const from = query.cursor ? Number(query.cursor) : 0;
    const items = all.slice(from, from + query.limit).map(clone);
    return { items, ...(from + query.limit < all.length ? { cursor: String(from + query.limit) } : {}) };
  }
  async all(scenarioId: string, max: number) {
    const all = this.of(scenarioId);
    return { items: all.slice(0, max).map(clone), complete: all.length <= max };
  }
}
