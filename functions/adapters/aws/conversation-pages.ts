/**
 * A friend's conversation in sealed pages, for staff (the webhook consumer's store, conversation-store.ts,
 * carries no paging code), with the deliveries they got (delivery-receipts.ts) in their place among
 * the messages. A page is read by time: messages and receipts older than the cursor's position
 * (`<ISO>#<id>`), merged newest first; what one source has not read yet is never skipped by the other.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ConversationEntry, ConversationPages } from '../../conversations/conversation-log';
import { CONVERSATION_SK_PREFIX, conversationPartition } from '../../conversations/keys';
import { friendKey } from '../../friends/keys';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { entryOf } from './conversation-store';
import { openCursor, sealCursor } from './cursor';
import type { DynamoDeliveryReceipts } from './delivery-receipts';
import { documentClient, tableName } from './dynamo-client';

const position = z.object({ before: z.string().min(1).max(300) });

export class DynamoConversationPages implements ConversationPages {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
    /** The deliveries a friend got, merged in (absent: messages only). */
    private readonly receipts?: DynamoDeliveryReceipts,
  ) {}

  async page(userId: string, query: { limit: number; cursor?: string }): Promise<{ items: ConversationEntry[]; cursor?: string }> {
    const before = query.cursor ? (await openCursor(this.sealer, 'conversation', { userId }, query.cursor, position)).before : undefined;
    const [messages, received] = await Promise.all([this.messages(userId, before, query.limit), this.received(userId, before, query.limit)]);
    // Everything at or after `floor` is known from both sources.
    const floor = [messages.floor, received.floor]
      .filter((f): f is string => f !== undefined)
      .sort()
      .pop();
    const merged = [...messages.items, ...received.items]
      .filter((e) => floor === undefined || e.position >= floor)
      .sort((a, b) => (a.position < b.position ? 1 : -1));
    const items = merged.slice(0, query.limit);
    const more = merged.length > query.limit || floor !== undefined;
    const next = !more ? undefined : items.length === query.limit ? items[items.length - 1]!.position : floor;
    return {
      items: items.map((e) => e.entry),
      ...(next ? { cursor: await sealCursor(this.sealer, 'conversation', { userId }, { before: next }) } : {}),
    };
  }

  /** Messages older than `before`, newest first; `floor`: more are older than it. */
  private async messages(userId: string, before: string | undefined, limit: number) {
    const boundary = before ? `${CONVERSATION_SK_PREFIX}${before}` : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': conversationPartition(userId),
          ':from': CONVERSATION_SK_PREFIX,
          ':to': boundary ?? `${CONVERSATION_SK_PREFIX}\uffff`,
        },
        ScanIndexForward: false,
        // One more: BETWEEN includes the boundary itself (the last item of the previous page).
        Limit: limit + 1,
      }),
    );
    const all = (out.Items ?? []).filter((item) => item.SK !== boundary);
    const items = all.slice(0, limit).map((item) => ({ entry: entryOf(item), position: String(item.SK).slice(CONVERSATION_SK_PREFIX.length) }));
    const more = all.length > limit || (out.LastEvaluatedKey !== undefined && all.length >= limit);
    return { items, floor: more && items.length > 0 ? items[items.length - 1]!.position : undefined };
  }

  private async received(userId: string, before: string | undefined, limit: number) {
    if (!this.receipts) return { items: [], floor: undefined };
    const friend = await this.db.send(new GetCommand({ TableName: this.table, Key: friendKey(userId), ProjectionExpression: 'followedAt' }));
    const followedAt = typeof friend.Item?.followedAt === 'string' ? friend.Item.followedAt : undefined;
    const got = await this.receipts.forFriend(userId, { before, limit, ...(followedAt ? { followedAt } : {}) });
    return {
      items: got.items.map((d) => ({
        position: d.position,
        entry: {
          userId,
          id: d.deliveryId,
          at: new Date(d.at),
          direction: 'out',
          by: 'delivery',
          kind: 'messages',
          deliveryId: d.deliveryId,
        } satisfies ConversationEntry,
      })),
      floor: got.frontier,
    };
  }
}
