/** SessionRepository on the single table (keys: functions/staff/keys.ts); TTL removes ended sessions. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sessionKey } from '../../staff/keys';
import { sessionExpiry, type Session, type SessionRepository } from '../../staff/session';
import { documentClient, tableName } from './dynamo-client';

export class DynamoSessionRepository implements SessionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async put(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...sessionKey(session.tokenHash), type: 'Session', ...session, expiresAt: Math.ceil(sessionExpiry(session).getTime() / 1000) },
      }),
    );
  }

  async get(tokenHash: string): Promise<Session | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: sessionKey(tokenHash), ConsistentRead: true }));
    if (!Item) return null;
    const { PK: _pk, SK: _sk, type: _type, expiresAt: _exp, ...rest } = Item;
    return rest as Session;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: sessionKey(tokenHash) }));
  }
}
