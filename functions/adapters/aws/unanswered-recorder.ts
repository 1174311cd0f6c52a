/** Keeps a message only the default reply answered (the webhook consumer's side of functions/adapters/aws/unanswered-store.ts). */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UNANSWERED_DAYS, unansweredKey } from '../../keywords/keys';
import type { UnansweredMessage } from '../../keywords/model';
import type { UnansweredRecorder } from '../../keywords/ports';
import { documentClient, tableName } from './dynamo-client';

export class DynamoUnansweredRecorder implements UnansweredRecorder {
  constructor(
    protected readonly db: DynamoDBDocumentClient = documentClient(),
    protected readonly table: string = tableName(),
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
}
