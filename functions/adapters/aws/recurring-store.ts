/** Recurring deliveries on the single table (keys: functions/deliveries/keys.ts). */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recurringKey, recurringListKey } from '../../deliveries/keys';
import type { Recurring } from '../../deliveries/model';
import type { RecurringRepository } from '../../deliveries/ports';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';
import { VersionedStore } from './versioned-store';

export class DynamoRecurringStore extends VersionedStore<Recurring> implements RecurringRepository {
  constructor(db: DynamoDBDocumentClient = documentClient(), table: string = tableName()) {
    super(db, table);
  }
  protected item(r: Recurring) {
    return { ...recurringKey(r.recurringId), ...recurringListKey(r.createdAt, r.recurringId), type: 'Recurring', ...r };
  }
  async get(recurringId: string, consistent = false): Promise<Recurring | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: recurringKey(recurringId), ConsistentRead: consistent }));
    return Item ? entityOf<Recurring>(Item) : null;
  }
  list(): Promise<Recurring[]> {
    return this.listIndex('RECURRINGS');
  }
  create(recurring: Recurring): Promise<void> {
    return this.putNew(recurring, 'くり返し配信');
  }
  replace(next: Recurring, expectedVersion: number): Promise<void> {
    return this.putVersion(next, expectedVersion);
  }
}
