/** StaffRepository on the single table (keys: functions/staff/keys.ts). */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STAFF_LIST_PK, staffKey, staffListKey } from '../../staff/keys';
import type { StaffAccount, StaffRepository } from '../../staff/staff';
import { documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';

function toItem(account: StaffAccount): Record<string, unknown> {
  return { ...staffKey(account.loginId), ...staffListKey(account.loginId), type: 'StaffAccount', ...account };
}

export function fromStaffItem(item: Record<string, unknown>): StaffAccount {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, type: _type, ...rest } = item;
  return {
    ...(rest as unknown as StaffAccount),
    permissions: (rest.permissions as StaffAccount['permissions']) ?? [],
    totp: (rest.totp as StaffAccount['totp']) ?? {},
    failedAttempts: Number(rest.failedAttempts ?? 0),
    sessionEpoch: Number(rest.sessionEpoch ?? 0),
    version: Number(rest.version ?? 1),
  };
}

export class DynamoStaffRepository implements StaffRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async get(loginId: string): Promise<StaffAccount | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: staffKey(loginId), ConsistentRead: true }));
    return Item ? fromStaffItem(Item) : null;
  }

  async create(account: StaffAccount): Promise<'created' | 'exists'> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: toItem(account), ConditionExpression: 'attribute_not_exists(PK)' }));
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async save(account: StaffAccount): Promise<'saved' | 'conflict'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(account),
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': account.version - 1 },
        }),
      );
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async list(): Promise<StaffAccount[]> {
    return queryAll(
      this.db,
      { TableName: this.table, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': STAFF_LIST_PK } },
      fromStaffItem,
    );
  }

  async any(): Promise<boolean> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': STAFF_LIST_PK },
        Limit: 1,
      }),
    );
    return (page.Items ?? []).length > 0;
  }
}
