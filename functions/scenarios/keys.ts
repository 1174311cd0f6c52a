/**
 * Keys of the scenario capability (docs/data-model.md):
 * - Header:  PK SCENARIOS                            SK SCENARIO#<scenarioId>   (name, versions, published version, rev; the list is one Query)
 * - Settings: PK SCENARIOS                           SK #SETTINGS               (the onboarding scenario)
 * - Version: PK SCENARIO#<scenarioId>#V<version>     SK HEAD                    (start step, timeout, attempts: never changed after its save)
 * - Step:    PK SCENARIO#<scenarioId>#V<version>#<stepsId>  SK STEP#<stepId>    (one item per step of a save: any number of steps, none near 400 KB; the version header names its save)
 * - Word:    PK SCENARIO_WORDS                       SK W#<normalised word>     (a published scenario's start word: one owner each, by condition)
 * - Marker:  PK SCENARIO_WORDS                       SK MARKER                  (bumped by every change of the words: caches re-read them)
 * - Run:     PK FRIEND#<userId>                      SK SCENARIO_RUN            (the friend's one run; written on its `seq`; expires with it)
 * - Result:  PK SCENARIO#<scenarioId>#RUNS           SK RUN#<startedAt>#<runId> (a run as the results show it; newest last)
 */
export const SCENARIOS_PARTITION = 'SCENARIOS';
export const HEADER_SK_PREFIX = 'SCENARIO#';
export const headerKey = (scenarioId: string) => ({ PK: SCENARIOS_PARTITION, SK: `${HEADER_SK_PREFIX}${scenarioId}` });
export const settingsKey = () => ({ PK: SCENARIOS_PARTITION, SK: '#SETTINGS' });
export const versionPartition = (scenarioId: string, version: number) => `SCENARIO#${scenarioId}#V${String(version).padStart(6, '0')}`;
export const versionKey = (scenarioId: string, version: number) => ({ PK: versionPartition(scenarioId, version), SK: 'HEAD' });
/** The steps of one save of a version (`stepsId` absent: a version written before saves had their own). */
export const stepsPartition = (scenarioId: string, version: number, stepsId?: string) =>
  `${versionPartition(scenarioId, version)}${stepsId ? `#${stepsId}` : ''}`;
export const STEP_SK_PREFIX = 'STEP#';
export const stepKey = (scenarioId: string, version: number, stepId: string, stepsId?: string) => ({
  PK: stepsPartition(scenarioId, version, stepsId),
  SK: `${STEP_SK_PREFIX}${stepId}`,
});
export const WORDS_PARTITION = 'SCENARIO_WORDS';
export const WORD_SK_PREFIX = 'W#';
export const wordKey = (normalised: string) => ({ PK: WORDS_PARTITION, SK: `${WORD_SK_PREFIX}${normalised}` });
export const wordsMarkerKey = () => ({ PK: WORDS_PARTITION, SK: 'MARKER' });
export const runKey = (userId: string) => ({ PK: `FRIEND#${userId}`, SK: 'SCENARIO_RUN' });
export const resultsPartition = (scenarioId: string) => `SCENARIO#${scenarioId}#RUNS`;
export const RESULT_SK_PREFIX = 'RUN#';
export const resultKey = (scenarioId: string, startedAt: string, runId: string) => ({
  PK: resultsPartition(scenarioId),
  SK: `${RESULT_SK_PREFIX}${startedAt}#${runId}`,
});
