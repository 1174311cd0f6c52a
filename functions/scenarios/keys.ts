/**
 * Keys of the scenario capability (docs/data-model.md):
 * - Step:  PK SCENARIO#<scenarioId>#V<version>  SK STEP#<stepId>  (one item per step of a version: any number of steps, none near 400 KB)
 * - Run:   PK FRIEND#<userId>                   SK SCENARIO_RUN   (the friend's one run; written on its `seq`; expires with it)
 */
export const versionPartition = (scenarioId: string, version: number) => `SCENARIO#${scenarioId}#V${String(version).padStart(6, '0')}`;
export const STEP_SK_PREFIX = 'STEP#';
export const stepKey = (scenarioId: string, version: number, stepId: string) => ({
  PK: versionPartition(scenarioId, version),
  SK: `${STEP_SK_PREFIX}${stepId}`,
});
export const runKey = (userId: string) => ({ PK: `FRIEND#${userId}`, SK: 'SCENARIO_RUN' });
