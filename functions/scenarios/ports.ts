/** What the scenario capability stores (adapters: functions/adapters/aws/scenario-*.ts). */
import type { StepSource } from './engine';
import type { RunRecord, ScenarioHeader, ScenarioRun, ScenarioVersion, Step } from './model';

export interface ScenarioSteps extends StepSource {
  /** Writes one save's steps of a version (before its version header; `stepsId` unique per save). */
  putSteps(scenarioId: string, version: number, stepsId: string, steps: Step[]): Promise<void>;
}

export interface ScenarioRuns {
  /** The friend's run (consistent read), or null. Ended and expired runs are returned too: the caller decides (`isLive`). */
  get(userId: string): Promise<ScenarioRun | null>;
  /**
   * Stores `run` if the stored one still has `expectedSeq` (null: none is stored): false when another
   * event moved it meanwhile (the caller reads it again), so no two events advance from one position.
   * `record`: the run as the results show it, written in the same transaction.
   */
  save(run: ScenarioRun, expectedSeq: number | null, record?: RunRecord): Promise<boolean>;
}

export type DefinitionWrite = 'done' | 'conflict' | 'missing';

/** What a menu or a message naming a scenario checks when it is saved: it exists and is published. */
export type ScenarioLookup = Pick<ScenarioDefinitions, 'get'>;

/** Why a scenario a menu area or a button names cannot be started (null: it can). */
export async function scenarioRefusal(scenarios: ScenarioLookup, scenarioId: string): Promise<string | null> {
  const found = await scenarios.get(scenarioId);
  if (!found) return '始めるシナリオが見つかりません（削除された可能性があります）。選び直してください。';
  if (!found.publishedVersion) return `シナリオ「${found.name}」は公開されていません。公開してから選んでください。`;
  return null;
}

/** Start words of published scenarios, by their normalised form; `version` changes whenever any does. */
export interface StartWords {
  version: number;
  words: Map<string, string>;
}

export interface ScenarioDefinitions {
  list(): Promise<ScenarioHeader[]>;
  get(scenarioId: string): Promise<ScenarioHeader | null>;
  create(header: ScenarioHeader): Promise<void>;
  /** A version's header, after its steps (ScenarioSteps.putSteps), then the scenario's header on its `rev - 1`. */
  saveVersion(next: ScenarioHeader, version: ScenarioVersion): Promise<DefinitionWrite>;
  /**
   * The header on its `rev - 1` with the published scenario's start words (normalised) in one
   * transaction: words it no longer has are released, new ones claimed — `{ taken }` when another
   * scenario owns one.
   */
  publish(next: ScenarioHeader, words: { claim: string[]; release: string[] }): Promise<DefinitionWrite | { taken: string; by: string }>;
  /** Removes the header and releases its words; versions and steps stay for runs pinned to them. */
  remove(scenarioId: string, expectedRev: number, release: string[]): Promise<DefinitionWrite>;
  version(scenarioId: string, version: number): Promise<ScenarioVersion | null>;
  /** Every step of a version (the editor, the results). */
  versionSteps(scenarioId: string, version: number): Promise<Step[]>;
  wordsVersion(): Promise<number>;
  startWords(): Promise<StartWords>;
  settings(): Promise<ScenarioSettings>;
  /** On `rev` (0: never saved). */
  saveSettings(next: ScenarioSettings, expectedRev: number): Promise<boolean>;
}

export interface ScenarioSettings {
  /** Started for every new friend after the greeting. */
  onboardingScenarioId?: string;
  rev: number;
  updatedAt?: string;
  updatedBy?: string;
}

export interface RunPage {
  items: RunRecord[];
  cursor?: string;
}

export interface ScenarioResults {
  /** Newest first. */
  page(scenarioId: string, query: { limit: number; cursor?: string }): Promise<RunPage>;
  /** Every run of a scenario, newest first, up to `max` (the CSV); `brief`: without answers (the summary reads only how runs stand). */
  all(scenarioId: string, max: number, brief?: boolean): Promise<{ items: RunRecord[]; complete: boolean }>;
}
