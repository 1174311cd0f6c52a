/**
 * A friend's scenario run (keys: functions/scenarios/keys.ts): one item per friend, the run as a
 * map, its `seq` beside it for the condition. Written only if the stored run still has the seq the
 * writer read (or none is stored), so two events never advance from the same position; removed by
 * TTL a day after the run would have expired. The run's result item (what staff see) is written in
 * the same transaction, so results never show a position the run did not reach.
 */
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resultKey, runKey } from '../../scenarios/keys';
import type { RunRecord, ScenarioRun } from '../../scenarios/model';
import type { ScenarioRuns } from '../../scenarios/ports';
import { cancellationReasons, documentClient, isConditionFailure, tableName } from './dynamo-client';

const DAY_S = 86_400;

export class DynamoScenarioRuns implements ScenarioRuns {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async get(userId: string): Promise<ScenarioRun | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: runKey(userId), ConsistentRead: true }));
    return (Item?.run as ScenarioRun | undefined) ?? null;
  }

  async save(run: ScenarioRun, expectedSeq: number | null, record?: RunRecord): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: { ...runKey(run.userId), type: 'ScenarioRun', run, seq: run.seq, expiresAt: Math.ceil(Date.parse(run.expiresAt) / 1000) + DAY_S },
      ...(expectedSeq === null
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': expectedSeq } }),
    };
    try {
      if (!record) {
        await this.db.send(new PutCommand(put));
        return true;
      }
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            { Put: { TableName: this.table, Item: { ...resultKey(record.scenarioId, record.startedAt, record.runId), type: 'ScenarioResult', ...record } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }
}
