/**
 * Messages only the default reply answered, newest first (keys: functions/keywords/keys.ts). The
 * recorder (the webhook consumer's) carries no paging code: its bundle stays small.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { UNANSWERED_PARTITION, unansweredKey } from '../../keywords/keys';
import type { UnansweredMessage } from '../../keywords/model';
import type { UnansweredLog, UnansweredPage } from '../../keywords/ports';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { openCursor, sealCursor } from './cursor';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';
import { DynamoUnansweredRecorder } from './unanswered-recorder';

const listCursor = z.object({ at: z.string().max(40), messageId: z.string().max(100) });

export class DynamoUnansweredLog extends DynamoUnansweredRecorder implements UnansweredLog {
  constructor(
    db: DynamoDBDocumentClient = documentClient(),
    table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {
    super(db, table);
  }

  async list(query: { limit: number; cursor?: string }): Promise<UnansweredPage> {
    const after = query.cursor ? await openCursor(this.sealer, 'unanswered', {}, query.cursor, listCursor) : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': UNANSWERED_PARTITION },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(after ? { ExclusiveStartKey: unansweredKey(after.at, after.messageId) } : {}),
      }),
    );
    const items = (out.Items ?? []).map((item) => {
      const { userId, messageId, at, text, displayName } = entityOf<UnansweredMessage & { expiresAt?: number }>(item);
      return { userId, messageId, at, text, ...(displayName ? { displayName } : {}) };
    });
    const last = items.at(-1);
    return {
      items,
      ...(out.LastEvaluatedKey && last ? { cursor: await sealCursor(this.sealer, 'unanswered', {}, { at: last.at, messageId: last.messageId }) } : {}),
    };
  }
}
