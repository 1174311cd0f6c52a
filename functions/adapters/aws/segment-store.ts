/** Segments (saved audiences) on the single table (keys: functions/deliveries/keys.ts). */
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { segmentKey, segmentListKey } from '../../deliveries/keys';
import type { Segment } from '../../deliveries/model';
import type { SegmentRepository } from '../../deliveries/ports';
import { documentClient, tableName } from './dynamo-client';
import { entityOf } from './items';
import { VersionedStore } from './versioned-store';

export class DynamoSegmentStore extends VersionedStore<Segment> implements SegmentRepository {
  constructor(db: DynamoDBDocumentClient = documentClient(), table: string = tableName()) {
    super(db, table);
  }
  protected item(s: Segment) {
    return { ...segmentKey(s.segmentId), ...segmentListKey(s.createdAt, s.segmentId), type: 'Segment', ...s };
  }
  async get(segmentId: string): Promise<Segment | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: segmentKey(segmentId), ConsistentRead: true }));
    return Item ? entityOf<Segment>(Item) : null;
  }
  list(): Promise<Segment[]> {
    return this.listIndex('SEGMENTS');
  }
  create(segment: Segment): Promise<void> {
    return this.putNew(segment, 'セグメント');
  }
  replace(next: Segment, expectedVersion: number): Promise<void> {
    return this.putVersion(next, expectedVersion);
  }
  async delete(segmentId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: segmentKey(segmentId) }));
  }
}
