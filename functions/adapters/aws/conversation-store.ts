/** ConversationLog on the single table (keys: functions/conversations/keys.ts). */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConversationEntry, ConversationLog } from '../../conversations/conversation-log';
import { CONVERSATION_SK_PREFIX, conversationEntryKey, conversationPartition } from '../../conversations/keys';
import { documentClient, tableName } from './dynamo-client';

/** A stored entry as the domain reads it. */
export const entryOf = ({ PK: _pk, SK: _sk, type: _type, ...rest }: Record<string, unknown>) =>
  ({ ...rest, at: new Date(rest.at as string) }) as ConversationEntry;

export class DynamoConversationLog implements ConversationLog {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async append(entry: ConversationEntry): Promise<void> {
    const iso = entry.at.toISOString();
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...conversationEntryKey(entry.userId, iso, entry.id), type: 'ConversationEntry', ...entry, at: iso },
      }),
    );
  }

  /** Newest first. */
  async list(userId: string, limit: number): Promise<ConversationEntry[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': conversationPartition(userId), ':prefix': CONVERSATION_SK_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(entryOf);
  }
}
