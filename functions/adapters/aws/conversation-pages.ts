/** A friend's conversation in sealed pages, for staff (the webhook consumer's store, conversation-store.ts, carries no paging code). */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ConversationEntry, ConversationPages } from '../../conversations/conversation-log';
import { CONVERSATION_SK_PREFIX, conversationPartition } from '../../conversations/keys';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { entryOf } from './conversation-store';
import { openCursor, sealCursor } from './cursor';
import { documentClient, tableName } from './dynamo-client';

const position = z.object({ PK: z.string().max(100), SK: z.string().max(300) });

export class DynamoConversationPages implements ConversationPages {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async page(userId: string, query: { limit: number; cursor?: string }): Promise<{ items: ConversationEntry[]; cursor?: string }> {
    const start = query.cursor ? await openCursor(this.sealer, 'conversation', { userId }, query.cursor, position) : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': conversationPartition(userId), ':prefix': CONVERSATION_SK_PREFIX },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const next = out.LastEvaluatedKey ? { PK: String(out.LastEvaluatedKey.PK), SK: String(out.LastEvaluatedKey.SK) } : undefined;
    return { items: (out.Items ?? []).map(entryOf), ...(next ? { cursor: await sealCursor(this.sealer, 'conversation', { userId }, next) } : {}) };
  }
}
