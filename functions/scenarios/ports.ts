/** What the scenario engine's callers store (adapters: functions/adapters/aws/scenario-*.ts). */
import type { StepSource } from './engine';
import type { ScenarioRun, Step } from './model';

export interface ScenarioSteps extends StepSource {
  /** Writes a version's steps (a version is written once, before it is published). */
  putSteps(scenarioId: string, version: number, steps: Step[]): Promise<void>;
}

export interface ScenarioRuns {
  /** The friend's run (consistent read), or null. Ended and expired runs are returned too: the caller decides (`isLive`). */
  get(userId: string): Promise<ScenarioRun | null>;
  /**
   * Stores `run` if the stored one still has `expectedSeq` (null: none is stored): false when another
   * event moved it meanwhile (the caller reads it again), so no two events advance from one position.
   */
  save(run: ScenarioRun, expectedSeq: number | null): Promise<boolean>;
}
