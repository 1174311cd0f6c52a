/**
 * The steps of scenario versions (keys: functions/scenarios/keys.ts), one item each. A published
 * version never changes, so an instance keeps the steps it read (at most `maxCached`, oldest
 * dropped): a citizen's answer costs one read the first time a step is reached, none after.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { stepKey, versionKey } from '../../scenarios/keys';
import type { Step } from '../../scenarios/model';
import type { ScenarioSteps } from '../../scenarios/ports';
import { batchWrite, documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoScenarioSteps implements ScenarioSteps {
  private readonly cache = new Map<string, Step>();
  /** Which save's steps each version has (its header: never changes). */
  private readonly saves = new Map<string, string | null>();

  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly maxCached = 5_000,
  ) {}

  async step(scenarioId: string, version: number, stepId: string): Promise<Step | null> {
    const id = `${scenarioId}|${version}|${stepId}`;
    const hit = this.cache.get(id);
    if (hit) return hit;
    const key = stepKey(scenarioId, version, stepId, (await this.saveOf(scenarioId, version)) ?? undefined);
    // Consistent: a version is published right after its steps are written.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    if (!Item) return null;
    const step = entityOf<Step>(Item);
    this.cache.set(id, step);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    return step;
  }

  /** The version header's `stepsId` (null: a version without one), read once per version. */
  private async saveOf(scenarioId: string, version: number): Promise<string | null> {
    const id = `${scenarioId}|${version}`;
    if (this.saves.has(id)) return this.saves.get(id)!;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: versionKey(scenarioId, version), ConsistentRead: true, ProjectionExpression: 'stepsId' }),
    );
    const stepsId = typeof Item?.stepsId === 'string' ? Item.stepsId : null;
    // Not remembered while the header is missing: it may be written a moment later.
    if (Item) this.saves.set(id, stepsId);
    return stepsId;
  }

  async putSteps(scenarioId: string, version: number, stepsId: string, steps: Step[]): Promise<void> {
    await batchWrite(
      this.db,
      this.table,
      steps.map((step) => ({ PutRequest: { Item: { ...stepKey(scenarioId, version, step.stepId, stepsId), type: 'ScenarioStep', ...step } } })),
      'scenario steps',
      4,
    );
  }
}
