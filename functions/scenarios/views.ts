/** What the scenario staff API answers (the console imports these types: one contract). */
import type { ScenarioProblem } from './check';
import type { RunRecord, RunStatus, ScenarioHeader, ScenarioVersion, Step } from './model';

export type { ScenarioProblem } from './check';

export interface ScenarioListView {
  scenarios: (ScenarioHeader & { onboarding: boolean })[];
  onboardingScenarioId: string | null;
  settingsRev: number;
}

/** A version as the editor opens it, with what publishing it would say. */
export interface ScenarioView {
  header: ScenarioHeader;
  version: ScenarioVersion;
  steps: Step[];
  problems: ScenarioProblem[];
}

export const RUN_STATUS_LABELS: Record<RunStatus | 'abandoned', string> = {
  running: '進行中',
  finished: '最後まで進んだ',
  quit: '途中でやめた',
  gave_up: '聞き直しの上限で終了',
  broken: 'ステップの不備で終了',
  handoff: '職員へ引き継ぎ',
  form: 'フォームへ案内',
  scenario: '別のシナリオへ',
  report: '通報として受付',
  abandoned: '途中で止まった（時間切れ）',
};

export interface ScenarioResultsView {
  scenarioId: string;
  name: string;
  /** Runs counted (newest first, up to `max`); `complete` false when there were more. */
  runs: number;
  complete: boolean;
  max: number;
  byStatus: Record<RunStatus | 'abandoned', number>;
  /** Where runs stopped without an ending (time ran out), most first. */
  abandonedAt: { stepId: string; stepName: string; count: number }[];
}

export interface RunListView {
  items: (RunRecord & { effectiveStatus: RunStatus | 'abandoned'; stepName: string })[];
  cursor?: string;
}
