/** Messages only the default reply answered, newest first (keys: functions/keywords/keys.ts). */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { UNANSWERED_DAYS, UNANSWERED_PARTITION, unansweredKey } from '../../keywords/keys';
import type { UnansweredMessage } from '../../keywords/model';
import type { UnansweredLog, UnansweredPage } from '../../keywords/ports';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { openCursor, sealCursor } from './cursor';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';

const listCursor = z.object({ at: z.string().max(40), messageId: z.string().max(100) });

export class DynamoUnansweredLog implements UnansweredLog {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async record(message: UnansweredMessage): Promise<void> {
    // The same message again (a retried event) writes the same item.
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...unansweredKey(message.at, message.messageId),
          type: 'UnansweredMessage',
          ...message,
          expiresAt: Math.floor(Date.parse(message.at) / 1000) + UNANSWERED_DAYS * 86_400,
        },
      }),
    );
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
