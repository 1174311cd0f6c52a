/**
 * The per-user links this platform made, packed per audience bucket (keys: functions/richmenus/keys.ts):
 * `l` = "<userId>\t<lineRichMenuId>" lines, `rev` bumped by every write. A write reads the bucket,
 * applies its changes and puts it on the revision read (a concurrent write makes it read again), so
 * the link job and a single relink never lose each other's changes. 512 items hold ~75 bytes a
 * friend: 100,000 friends are ~15 KB an item; an item is full (390 KB) at about 2.6 million.
 */
import { BatchGetCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIENCE_BUCKETS, audienceBucketOf, unpackAudienceBucket } from '../../friends/audience-index';
import { richMenuLinksKey } from '../../richmenus/keys';
import type { RichMenuLinkStore } from '../../richmenus/ports';
import { documentClient, isConditionFailure, pause, tableName } from './dynamo-client';

const pack = (links: Map<string, string>) => [...links].map(([u, id]) => `${u}\t${id}`).join('\n');

export class DynamoRichMenuLinkStore implements RichMenuLinkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async all(): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    const keys = Array.from({ length: AUDIENCE_BUCKETS }, (_, b) => richMenuLinksKey(b));
    const batches = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) => keys.slice(i * 100, (i + 1) * 100));
    await Promise.all(
      batches.map(async (batch) => {
        let pending: Record<string, unknown>[] = batch;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
          if (attempt > 8) throw new Error('rich menu links: BatchGet kept leaving keys unprocessed');
          const out = await this.db.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'l' } } }),
          );
          for (const item of out.Responses?.[this.table] ?? []) for (const [u, id] of unpackAudienceBucket(item.l, () => undefined)) all.set(u, id);
          pending = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
        }
      }),
    );
    return all;
  }

  async get(userId: string): Promise<string | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: richMenuLinksKey(audienceBucketOf(userId)), ConsistentRead: true }));
    return unpackAudienceBucket(Item?.l, () => undefined).get(userId) ?? null;
  }

  async apply(changes: Map<string, string | null>): Promise<void> {
    const byBucket = new Map<number, [string, string | null][]>();
    for (const change of changes) {
      const b = audienceBucketOf(change[0]);
      const list = byBucket.get(b);
      if (list) list.push(change);
      else byBucket.set(b, [change]);
    }
    // Buckets are separate items: written in parallel, a few at a time.
    const buckets = [...byBucket];
    let next = 0;
    const worker = async () => {
      while (next < buckets.length) {
        const [bucket, list] = buckets[next++]!;
        await this.applyBucket(bucket, list);
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, buckets.length) }, worker));
  }

  private async applyBucket(bucket: number, changes: [string, string | null][]): Promise<void> {
    const key = richMenuLinksKey(bucket);
    for (let attempt = 0; attempt < 60; attempt++) {
      if (attempt > 0) await pause(attempt);
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      const links = unpackAudienceBucket(Item?.l, () => undefined);
      for (const [u, id] of changes) {
        if (id) links.set(u, id);
        else links.delete(u);
      }
      const rev = typeof Item?.rev === 'number' ? Item.rev : 0;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...key, type: 'RichMenuLinks', l: pack(links), rev: rev + 1 },
            ConditionExpression: Item ? '#rev = :rev' : 'attribute_not_exists(PK)',
            ...(Item ? { ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':rev': rev } } : {}),
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('rich menu links: too many concurrent writers of one bucket');
  }
}
