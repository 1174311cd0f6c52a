/** The friends list (functions/friends/directory.ts) on GSI1 `FRIENDS`, newest first, bounded reads per request. */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DirectoryPage, FriendDirectory, FriendRow } from '../../friends/directory';
import { FRIENDS_LIST_PK, friendKey } from '../../friends/keys';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { openCursor, sealCursor } from './cursor';
import { documentClient, tableName } from './dynamo-client';

const position = z.object({ PK: z.string().max(200), SK: z.string().max(200), GSI1PK: z.literal(FRIENDS_LIST_PK), GSI1SK: z.string().max(300) });
/** One query's page: small enough that a page which stops at the budget wastes little. */
const READ_PAGE = 250;

function rowOf(item: Record<string, unknown>): FriendRow {
  return {
    userId: String(item.userId),
    displayName: typeof item.displayName === 'string' ? item.displayName : '',
    ...(typeof item.pictureUrl === 'string' ? { pictureUrl: item.pictureUrl } : {}),
    ...(typeof item.language === 'string' ? { language: item.language } : {}),
    status: item.status === 'blocked' ? 'blocked' : 'active',
    ...(typeof item.followedAt === 'string' ? { followedAt: item.followedAt } : {}),
    ...(typeof item.blockedAt === 'string' ? { blockedAt: item.blockedAt } : {}),
    ...(typeof item.lastMessageAt === 'string' ? { lastMessageAt: item.lastMessageAt } : {}),
    ...(item.attributes && typeof item.attributes === 'object' ? { attributes: item.attributes as FriendRow['attributes'] } : {}),
  };
}

export class DynamoFriendDirectory implements FriendDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async get(userId: string): Promise<FriendRow | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: friendKey(userId) }));
    return Item && Item.GSI1PK === FRIENDS_LIST_PK ? rowOf(Item) : null;
  }

  async page(query: { limit: number; budget: number; cursor?: string; filterKey: string }, accept: (f: FriendRow) => boolean): Promise<DirectoryPage> {
    type Position = z.infer<typeof position>;
    let start: Position | undefined = query.cursor ? await openCursor(this.sealer, 'friends', { filter: query.filterKey }, query.cursor, position) : undefined;
    const items: FriendRow[] = [];
    let scanned = 0;
    let lastRead: Position | undefined;
    let atEnd = false;
    reading: while (items.length < query.limit && scanned < query.budget) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': FRIENDS_LIST_PK },
          ScanIndexForward: false,
          Limit: Math.min(READ_PAGE, query.budget - scanned),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const read = out.Items ?? [];
      for (const [i, item] of read.entries()) {
        scanned++;
        lastRead = { PK: String(item.PK), SK: String(item.SK), GSI1PK: FRIENDS_LIST_PK, GSI1SK: String(item.GSI1SK) };
        const row = rowOf(item);
        if (accept(row) && items.push(row) >= query.limit) {
          atEnd = !out.LastEvaluatedKey && i === read.length - 1;
          break reading;
        }
      }
      if (!out.LastEvaluatedKey) {
        atEnd = true;
        break;
      }
      start = out.LastEvaluatedKey as Position;
    }
    const next = lastRead ?? start;
    return { items, scanned, ...(!atEnd && next ? { cursor: await sealCursor(this.sealer, 'friends', { filter: query.filterKey }, next) } : {}) };
  }
}
