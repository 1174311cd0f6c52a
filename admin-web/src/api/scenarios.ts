/** Scenarios (シナリオ): calls of the staff API (functions/admin/scenario-routes.ts), with the server's own shapes. */
import type { z } from 'zod';
import type { createBody, publishBody, saveBody, settingsBody } from '../../../functions/scenarios/schemas';
import type { ScenarioHeader } from '../../../functions/scenarios/model';
import type { RunListView, ScenarioListView, ScenarioResultsView, ScenarioView } from '../../../functions/scenarios/views';
import { downloadCsv, request } from './client';

export { SCENARIO_LIMITS, STEP_LIMITS, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MINUTES } from '../../../functions/scenarios/model';
export type {
  Choice,
  Edge,
  Localized,
  RunRecord,
  ScenarioDraft,
  ScenarioHeader,
  ScenarioRun,
  ScenarioVersion,
  Step,
  StepMessage,
  TextRules,
  Wait,
} from '../../../functions/scenarios/model';
export { RUN_STATUS_LABELS } from '../../../functions/scenarios/views';
export type { RunListView, ScenarioListView, ScenarioProblem, ScenarioResultsView, ScenarioView } from '../../../functions/scenarios/views';
export { checkDraft } from '../../../functions/scenarios/check';
export { render as renderStep } from '../../../functions/scenarios/engine';

export type SaveInput = z.input<typeof saveBody>;

const s = (scenarioId: string) => `/scenarios/${encodeURIComponent(scenarioId)}`;

export const listScenarios = () => request<ScenarioListView>('GET', '/scenarios');
/** Published scenarios by name, for a delivery's or a reply's scenario button (staff with deliveries or keywords too). */
export const listPublishedScenarios = async () => (await request<{ items: { scenarioId: string; name: string }[] }>('GET', '/scenarios/published')).items;
export const createScenario = (name: string) => request<ScenarioView>('POST', '/scenarios', { body: { name } satisfies z.input<typeof createBody> });
export const getScenario = (scenarioId: string, version?: number) =>
  request<ScenarioView>('GET', version ? `${s(scenarioId)}/versions/${version}` : s(scenarioId));
export const saveScenario = (scenarioId: string, input: SaveInput) => request<ScenarioView>('PUT', s(scenarioId), { body: input });
export const publishScenario = (scenarioId: string, version: number, rev: number) =>
  request<ScenarioHeader>('POST', `${s(scenarioId)}/publish`, { body: { version, rev } satisfies z.input<typeof publishBody> });
export const unpublishScenario = (scenarioId: string, rev: number) => request<ScenarioHeader>('POST', `${s(scenarioId)}/unpublish`, { body: { rev } });
export const deleteScenario = (scenarioId: string, rev: number) => request<void>('DELETE', s(scenarioId), { body: { rev } });
export const saveScenarioSettings = (onboardingScenarioId: string | null, rev: number) =>
  request<ScenarioListView>('PUT', '/scenarios/settings', { body: { onboardingScenarioId, rev } satisfies z.input<typeof settingsBody> });
export const scenarioResults = (scenarioId: string) => request<ScenarioResultsView>('GET', `${s(scenarioId)}/results`);
export const listRuns = (scenarioId: string, cursor?: string) => request<RunListView>('GET', `${s(scenarioId)}/runs`, { query: { cursor, limit: 50 } });
export const downloadRuns = (scenarioId: string) => downloadCsv(`${s(scenarioId)}/runs.csv`, {}, `scenario-${scenarioId}-runs.csv`);
