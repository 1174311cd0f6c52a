/**
 * Who got each delivery, packed per audience bucket (keys: functions/deliveries/keys.ts, receiptKey):
 * the planner writes one item per bucket with recipients (≤ 512 a delivery, ~7 KB each for 100,000
 * friends) instead of one per friend; a friend's page reads their bucket's items newest first and
 * keeps those that name them. A broadcast is one item under RECEIPTS#ALL.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { receiptKey, receiptPartition } from '../../deliveries/keys';
import type { DeliveryReceipts } from '../../deliveries/ports';
import { audienceBucketOf } from '../../friends/audience-index';
import { batchWrite, documentClient, tableName } from './dynamo-client';

/** Batch writes in flight while recording a delivery's receipts. */
const WRITES_IN_FLIGHT = 4;
/** Receipt items a page reads at most (of the friend's bucket, and of broadcasts). */
const MAX_READ = 200;

/** A delivery a friend got: its ID and the time it was planned (the position among their messages: `<ISO>#<deliveryId>`). */
interface ReceivedDelivery {
  deliveryId: string;
  at: string;
  position: string;
}

export class DynamoDeliveryReceipts implements DeliveryReceipts {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async record(deliveryId: string, plannedAt: string, recipients: Map<number, string[]> | 'everyone'): Promise<void> {
    const items =
      recipients === 'everyone'
        ? [{ ...receiptKey('ALL', plannedAt, deliveryId), type: 'DeliveryReceipt', deliveryId, at: plannedAt }]
        : [...recipients].map(([bucket, users]) => ({
            ...receiptKey(bucket, plannedAt, deliveryId),
            type: 'DeliveryReceipt',
            deliveryId,
            at: plannedAt,
            u: users.join('\n'),
          }));
    await batchWrite(
      this.db,
      this.table,
      items.map((Item) => ({ PutRequest: { Item } })),
      'delivery receipts',
      WRITES_IN_FLIGHT,
    );
  }

  /**
   * The deliveries the friend got before `before` (a position; none: the newest), newest first:
   * at most `limit`, reading at most MAX_READ items of their bucket and of broadcasts.
   * `frontier`: reading stopped there with more to read (nothing older than it is known yet).
   * Broadcasts count for a friend who had followed by then.
   */
  async forFriend(userId: string, query: { before?: string; limit: number; followedAt?: string }): Promise<{ items: ReceivedDelivery[]; frontier?: string }> {
    const maxRead = MAX_READ;
    const [own, all] = await Promise.all([
      this.read(receiptPartition(audienceBucketOf(userId)), query.before, query.limit, maxRead, (item) =>
        String(item.u ?? '')
          .split('\n')
          .includes(userId),
      ),
      this.read(receiptPartition('ALL'), query.before, query.limit, maxRead, (item) => !query.followedAt || String(item.at) >= query.followedAt),
    ]);
    // Both lists hold everything newer than their frontier: the merged list does down to the newer frontier.
    const frontier = [own.frontier, all.frontier]
      .filter((f): f is string => f !== undefined)
      .sort()
      .pop();
    const items = [...own.items, ...all.items]
      .filter((d) => frontier === undefined || d.position >= frontier)
      .sort((a, b) => (a.position < b.position ? 1 : -1))
      .slice(0, query.limit);
    const cut = items.length === query.limit && own.items.length + all.items.length > query.limit ? items[items.length - 1]!.position : undefined;
    const more = [frontier, cut]
      .filter((f): f is string => f !== undefined)
      .sort()
      .pop();
    return { items, ...(more ? { frontier: more } : {}) };
  }

  private async read(
    pk: string,
    before: string | undefined,
    limit: number,
    maxRead: number,
    keep: (item: Record<string, unknown>) => boolean,
  ): Promise<{ items: ReceivedDelivery[]; frontier?: string }> {
    const items: ReceivedDelivery[] = [];
    let start: Record<string, unknown> | undefined;
    let read = 0;
    for (;;) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: before ? 'PK = :pk AND SK < :before' : 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(before ? { ':before': before } : {}) },
          ScanIndexForward: false,
          Limit: Math.min(50, maxRead - read),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        read++;
        if (keep(item)) items.push({ deliveryId: String(item.deliveryId), at: String(item.at), position: String(item.SK) });
        if (items.length >= limit) return { items, frontier: String(item.SK) };
      }
      start = out.LastEvaluatedKey;
      if (!start) return { items };
      if (read >= maxRead) return { items, frontier: String(start.SK) };
    }
  }
}
