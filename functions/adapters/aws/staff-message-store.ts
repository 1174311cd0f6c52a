/**
 * Staff chat messages in the conversation history (keys: functions/conversations/keys.ts), one per
 * client id: the entry and a marker `CHATSEND#<clientId>` naming it are written in one transaction,
 * so a resend finds the first entry (its time, hence its key) instead of writing another.
 */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sendMarkerKey } from '../../chat/keys';
import type { StaffMessages } from '../../chat/ports';
import type { ConversationEntry } from '../../conversations/conversation-log';
import { conversationEntryKey } from '../../conversations/keys';
import { entryOf } from './conversation-store';
import { documentClient, isConditionFailure, tableName } from './dynamo-client';

export class DynamoStaffMessages implements StaffMessages {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async begin(entry: ConversationEntry): Promise<{ created: boolean; entry: ConversationEntry }> {
    const iso = entry.at.toISOString();
    const key = conversationEntryKey(entry.userId, iso, entry.id);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...sendMarkerKey(entry.userId, entry.id), type: 'ChatSendMarker', entrySK: key.SK },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            { Put: { TableName: this.table, Item: { ...key, type: 'ConversationEntry', ...entry, at: iso } } },
          ],
        }),
      );
      return { created: true, entry };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const marker = await this.db.send(new GetCommand({ TableName: this.table, Key: sendMarkerKey(entry.userId, entry.id), ConsistentRead: true }));
    const sk = marker.Item?.entrySK as string | undefined;
    const first = sk ? await this.db.send(new GetCommand({ TableName: this.table, Key: { PK: key.PK, SK: sk }, ConsistentRead: true })) : undefined;
    if (!first?.Item) throw new Error('Staff message marker without its entry');
    return { created: false, entry: entryOf(first.Item) };
  }

  async finish(entry: ConversationEntry, result: { sendStatus: 'sent' | 'failed'; via?: 'reply' | 'push'; sendError?: string }): Promise<ConversationEntry> {
    const key = conversationEntryKey(entry.userId, entry.at.toISOString(), entry.id);
    const sets = ['sendStatus = :s', ...(result.via ? ['via = :v'] : []), ...(result.sendError ? ['sendError = :e'] : [])];
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        ConditionExpression: 'attribute_exists(PK)',
        UpdateExpression: `SET ${sets.join(', ')}${result.sendError ? '' : ' REMOVE sendError'}`,
        ExpressionAttributeValues: {
          ':s': result.sendStatus,
          ...(result.via ? { ':v': result.via } : {}),
          ...(result.sendError ? { ':e': result.sendError } : {}),
        },
      }),
    );
    const { sendError: _e, ...rest } = entry;
    return { ...rest, ...result };
  }
}
