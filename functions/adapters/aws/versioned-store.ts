/**
 * What the stores of staff-edited, versioned entities (segments, recurring deliveries) share: a
 * create that never overwrites, a replace only over the version the editor read (optimistic
 * locking; the loser is told in Japanese), and a newest-first list on GSI1.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../shared/errors';
import { isConditionFailure, queryAll } from './dynamo-client';
import { entityOf } from './items';

export abstract class VersionedStore<T extends { version: number }> {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
  ) {}

  protected abstract item(value: T): Record<string, unknown>;

  protected async putNew(value: T, what: string): Promise<void> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: this.item(value), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`同じIDの${what}がすでにあります。`);
      throw error;
    }
  }

  protected async putVersion(next: T, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(next),
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError('ほかの職員が先に変更しました。');
      throw error;
    }
  }

  protected async listIndex(pk: string): Promise<T[]> {
    return queryAll(
      this.db,
      { TableName: this.table, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false },
      (i) => entityOf<T>(i),
    );
  }
}
