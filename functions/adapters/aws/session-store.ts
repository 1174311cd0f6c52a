/** SessionRepository on the single table (keys: functions/staff/keys.ts); TTL removes ended sessions. */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Sealer } from '../../shared/sealed';
import { sessionKey, unknownIdFailuresKey } from '../../staff/keys';
import { sessionExpiry, type Session, type SessionRepository, type UnknownIdFailures } from '../../staff/session';
import { appSealer } from './app-secret';
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

/** UnknownIdFailures on the single table: one item per typed ID, keyed by its HMAC (functions/shared/sealed.ts). */
export class DynamoUnknownIdFailures implements UnknownIdFailures {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  private async key(loginId: string) {
    return unknownIdFailuresKey(await this.sealer.digest('signin-failures', loginId.normalize('NFKC').toLowerCase()));
  }

  async lockedUntil(loginId: string, now: Date): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: await this.key(loginId), ConsistentRead: true }));
    const until = Item?.lockedUntil as string | undefined;
    return until && Date.parse(until) > now.getTime() ? until : undefined;
  }

  async fail(loginId: string, now: Date, limit: number, lockMs: number): Promise<string | undefined> {
    const Key = await this.key(loginId);
    const expiresAt = Math.floor(now.getTime() / 1000) + 86_400;
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key,
        UpdateExpression: 'ADD failedAttempts :one SET #type = :type, expiresAt = :exp',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'SignInFailures', ':exp': expiresAt },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (((Attributes?.failedAttempts as number) ?? 0) < limit) return undefined;
    // The limit reached: lock, and count again from zero (as an account's failures do).
    const lockedUntil = new Date(now.getTime() + lockMs).toISOString();
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key,
        UpdateExpression: 'SET lockedUntil = :until, failedAttempts = :zero',
        ExpressionAttributeValues: { ':until': lockedUntil, ':zero': 0 },
      }),
    );
    return lockedUntil;
  }
}
