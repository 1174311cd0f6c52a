/** The runs of a scenario as the results show them (keys: functions/scenarios/keys.ts), newest first; cursors sealed per scenario. */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { RESULT_SK_PREFIX, resultsPartition } from '../../scenarios/keys';
import type { RunRecord } from '../../scenarios/model';
import type { RunPage, ScenarioResults } from '../../scenarios/ports';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { openCursor, sealCursor } from './cursor';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';

const keyShape = z.object({ PK: z.string().max(200), SK: z.string().max(300) }).strict();

export class DynamoScenarioResults implements ScenarioResults {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async page(scenarioId: string, query: { limit: number; cursor?: string }): Promise<RunPage> {
    const scope = { scenarioId };
    const start = query.cursor ? await openCursor(this.sealer, 'scenario-results', scope, query.cursor, keyShape) : undefined;
    const { items, last } = await this.read(scenarioId, query.limit, start);
    return { items, ...(last ? { cursor: await sealCursor(this.sealer, 'scenario-results', scope, last) } : {}) };
  }

  async all(scenarioId: string, max: number, brief = false): Promise<{ items: RunRecord[]; complete: boolean }> {
    const items: RunRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.read(scenarioId, Math.min(1_000, max - items.length), start, brief);
      items.push(...page.items);
      start = page.last;
    } while (start && items.length < max);
    return { items, complete: !start };
  }

  private async read(scenarioId: string, limit: number, start?: Record<string, unknown>, brief = false) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
        ExpressionAttributeValues: { ':pk': resultsPartition(scenarioId), ':r': RESULT_SK_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        // The summary needs how each run stands, not its answers (up to 50,000 runs).
        ...(brief
          ? {
              ProjectionExpression: '#run, #status, stepId, version, runExpiresAt, startedAt',
              ExpressionAttributeNames: { '#run': 'runId', '#status': 'status' },
            }
          : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return { items: (out.Items ?? []).map((i) => entityOf<RunRecord>(i)), last: out.LastEvaluatedKey as { PK: string; SK: string } | undefined };
  }
}
