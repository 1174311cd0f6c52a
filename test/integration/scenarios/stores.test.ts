/**
 * Scenario storage on DynamoDB Local: a 500-step version written step by step and walked by the
 * engine with the run stored after every answer (its first 40 and last 5 steps; the unit test walks
 * all 500), the item's TTL a day after the run's timeout; two events racing from one position — only
 * one store succeeds (the caller reads the run again for the other).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoScenarioRuns } from '../../../functions/adapters/aws/scenario-run-store';
import { DynamoScenarioSteps } from '../../../functions/adapters/aws/scenario-step-store';
import { advanceRun, startRun, type EngineContext } from '../../../functions/scenarios/engine';
import { runKey, versionKey } from '../../../functions/scenarios/keys';
import { ensureTable } from '../../../local/dynamodb-local';
import { it_env, testDb } from '../../support/integration';
import { yesNoStep } from '../../support/scenario-fakes';

let steps: DynamoScenarioSteps;
let runs: DynamoScenarioRuns;
let table: string;

beforeAll(async () => {
  table = `scenarios-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, table);
  steps = new DynamoScenarioSteps(testDb(), table);
  runs = new DynamoScenarioRuns(testDb(), table);
});

/** A fresh scenario of `count` yes/no steps, stored; the engine's context for it. */
async function scenario(count: number, source: DynamoScenarioSteps = steps): Promise<{ scenarioId: string; ctx: EngineContext }> {
  const scenarioId = randomUUID().slice(0, 8);
  const stepsId = randomUUID();
  // The version header names its save's steps (as the staff use case writes it after them).
  await steps.putSteps(
    scenarioId,
    1,
    stepsId,
    Array.from({ length: count }, (_, i) => yesNoStep(i, count, { ja: `質問${i + 1}（${'長い説明文。'.repeat(20)}）`, en: `Question ${i + 1}` })),
  );
  await testDb().send(new PutCommand({ TableName: table, Item: { ...versionKey(scenarioId, 1), type: 'ScenarioVersion', scenarioId, version: 1, stepsId } }));
  const ctx: EngineContext = {
    source,
    version: { scenarioId, version: 1, name: `${count}問のシナリオ`, startStepId: 's0', timeoutMinutes: 30, maxAttempts: 3 },
    lang: 'ja',
    now: new Date('2026-12-07T01:00:00Z'),
    publicBaseUrl: 'https://city.example',
  };
  return { scenarioId, ctx };
}

it('keeps a 500-step version step by step; a run walks it, stored after every answer, to the end', async () => {
  // A reader of its own: every step is read from the table once.
  const { scenarioId, ctx } = await scenario(500, new DynamoScenarioSteps(testDb(), table));
  const userId = `U${scenarioId}`;
  const first = await startRun(ctx, { runId: 'R1', userId });
  expect(await runs.save(first.run, null)).toBe(true);
  const answer = async (i: number) => {
    const run = (await runs.get(userId))!;
    expect(run.stepId).toBe(`s${i}`);
    const out = await advanceRun(ctx, run, { kind: 'choice', runId: 'R1', seq: run.seq, stepId: `s${i}`, choiceId: i % 3 ? 'c0' : 'c1' }, `E${i}`);
    expect(await runs.save(out.run, run.seq)).toBe(true);
  };
  // The first 40 answers one by one (each: read the run, read the step, store the run)…
  for (let i = 0; i < 40; i++) await answer(i);
  // …then the run is moved to step 495 (as 455 more answers would), and the last five lead to the end.
  const mid = (await runs.get(userId))!;
  expect(await runs.save({ ...mid, stepId: 's495', seq: mid.seq + 1 }, mid.seq)).toBe(true);
  for (let i = 495; i < 500; i++) await answer(i);
  const last = (await runs.get(userId))!;
  expect(last.endedAt).toBeDefined();
  const { Item } = await testDb().send(new GetCommand({ TableName: table, Key: runKey(userId), ConsistentRead: true }));
  expect(Item!.expiresAt).toBe(Math.ceil(Date.parse(last.expiresAt) / 1000) + 86_400);
  expect(Item!.seq).toBe(last.seq);
  expect(Object.keys(last.answers)).toHaveLength(45);
  expect(last.answers.q3).toEqual({ kind: 'choice', choiceId: 'c1', value: 'いいえ' });
  expect(last.answers.q499).toEqual({ kind: 'choice', choiceId: 'c0', value: 'はい' });
});

it('two events from one position: only one advances the run', async () => {
  const { scenarioId, ctx } = await scenario(3);
  const userId = `U${scenarioId}`;
  await runs.save((await startRun(ctx, { runId: 'R2', userId })).run, null);
  const read = (await runs.get(userId))!;
  const [a, b] = await Promise.all(
    ['E1', 'E2'].map(async (eventId, n) => {
      const out = await advanceRun(ctx, read, { kind: 'choice', runId: 'R2', seq: read.seq, stepId: 's0', choiceId: `c${n}` }, eventId);
      return runs.save(out.run, read.seq);
    }),
  );
  expect([a, b].filter(Boolean)).toHaveLength(1);
  const stored = (await runs.get(userId))!;
  expect(stored).toMatchObject({ stepId: 's1', seq: 1 });
  expect(stored.events).toHaveLength(1);
  expect(await runs.save({ ...stored, seq: 2 }, null)).toBe(false); // a second "first" run is refused too
});
