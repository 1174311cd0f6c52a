/** FriendRepository on the single table (keys: functions/friends/keys.ts). */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tokyoDate } from '../../ports/clock';
import { friendKey, friendListKey, friendStatsKey } from '../../friends/keys';
import type { FollowInput, Friend, FriendRepository } from '../../friends/friend';
import { audienceEntryOf } from '../../friends/audience-index';
import { audienceEntryWrite, readFriendAndBucket, revisedFriendWrite, unchangedSince } from './audience-index';
import { documentClient, isConditionFailure, tableName } from './dynamo-client';

export function fromFriendItem(item: Record<string, unknown>): Friend {
  return {
    userId: item.userId as string,
    displayName: item.displayName as string,
    pictureUrl: item.pictureUrl as string | undefined,
    language: item.language as string | undefined,
    status: item.status as Friend['status'],
    followedAt: item.followedAt as string,
    lastFollowedAt: item.lastFollowedAt as string,
    blockedAt: item.blockedAt as string | undefined,
    statusEventAt: item.statusEventAt as number,
    lastMessageAt: item.lastMessageAt as string | undefined,
    updatedAt: item.updatedAt as string,
  };
}

export class DynamoFriendRepository implements FriendRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async get(userId: string): Promise<Friend | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: friendKey(userId) }));
    return Item ? fromFriendItem(Item) : null;
  }

  /**
   * Upserts the friend as active, counts the day's additions and sets the friend's audience
   * entry, in one transaction guarded by the friend's revision (functions/adapters/aws/audience-index.ts).
   */
  async recordFollow(input: FollowInput): Promise<'applied' | 'already' | 'stale'> {
    const iso = new Date(input.eventAt).toISOString();
    const now = input.at.toISOString();
    return revisedFriendWrite({ friend: 0, bucket: 2 }, async () => {
      const { item, bucket } = await readFriendAndBucket(this.db, this.table, input.userId);
      if (item && typeof item.statusEventAt === 'number' && item.statusEventAt >= input.eventAt) {
        return item.statusEventAt === input.eventAt && item.status === 'active' ? 'already' : 'stale';
      }
      const unchanged = unchangedSince(item);
      const entry = audienceEntryOf({ ...item, userId: input.userId, displayName: input.displayName, language: input.language, status: 'active', followedAt: item?.followedAt ?? iso });
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: friendKey(input.userId),
                ConditionExpression: `(${unchanged.expression}) AND (attribute_not_exists(statusEventAt) OR statusEventAt < :eventAt)`,
                UpdateExpression:
                  'SET userId = :userId, displayName = :name, pictureUrl = :picture, #language = :language, #status = :active, ' +
                  'followedAt = if_not_exists(followedAt, :iso), lastFollowedAt = :iso, statusEventAt = :eventAt, updatedAt = :now, ' +
                  'GSI1PK = :gsi1pk, GSI1SK = if_not_exists(GSI1SK, :gsi1sk) REMOVE blockedAt ADD rev :one',
                ExpressionAttributeNames: { '#status': 'status', '#language': 'language' },
                ExpressionAttributeValues: {
                  ...unchanged.values,
                  ':userId': input.userId,
                  ':name': input.displayName,
                  ':picture': input.pictureUrl ?? null,
                  ':language': input.language ?? null,
                  ':active': 'active',
                  ':iso': iso,
                  ':eventAt': input.eventAt,
                  ':now': now,
                  ':gsi1pk': friendListKey(iso, input.userId).GSI1PK,
                  ':gsi1sk': friendListKey(iso, input.userId).GSI1SK,
                  ':one': 1,
                },
              },
            },
            this.countDay(new Date(input.eventAt), 'added'),
            audienceEntryWrite(this.table, bucket, input.userId, entry),
          ],
        }),
      );
      return 'applied' as const;
    });
  }

  /** Marks the friend blocked, counts it and removes the audience entry, in one transaction. */
  async recordUnfollow(userId: string, eventAt: number, at: Date): Promise<'applied' | 'stale' | 'unknown'> {
    return revisedFriendWrite({ friend: 0, bucket: 2 }, async () => {
      const { item, bucket } = await readFriendAndBucket(this.db, this.table, userId);
      if (!item) return 'unknown' as const;
      if (typeof item.statusEventAt === 'number' && item.statusEventAt >= eventAt) return 'stale' as const;
      const unchanged = unchangedSince(item);
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: friendKey(userId),
                ConditionExpression: `(${unchanged.expression}) AND statusEventAt < :eventAt`,
                UpdateExpression: 'SET #status = :blocked, blockedAt = :iso, statusEventAt = :eventAt, updatedAt = :now ADD rev :one',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ...unchanged.values,
                  ':blocked': 'blocked',
                  ':iso': new Date(eventAt).toISOString(),
                  ':eventAt': eventAt,
                  ':now': at.toISOString(),
                  ':one': 1,
                },
              },
            },
            this.countDay(new Date(eventAt), 'blocked'),
            audienceEntryWrite(this.table, bucket, userId, null),
          ],
        }),
      );
      return 'applied' as const;
    });
  }

  async touchLastMessage(userId: string, at: Date): Promise<Friend | null> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: friendKey(userId),
          ConditionExpression: 'attribute_exists(PK)',
          UpdateExpression: 'SET lastMessageAt = :at',
          ExpressionAttributeValues: { ':at': at.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromFriendItem(Attributes) : null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  private countDay(day: Date, counter: 'added' | 'blocked') {
    return {
      Update: {
        TableName: this.table,
        Key: friendStatsKey(tokyoDate(day)),
        UpdateExpression: 'ADD #counter :one SET #date = :date',
        ExpressionAttributeNames: { '#counter': counter, '#date': 'date' },
        ExpressionAttributeValues: { ':one': 1, ':date': tokyoDate(day) },
      },
    };
  }
}
