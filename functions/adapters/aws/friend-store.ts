/** FriendRepository on the single table (keys: functions/friends/keys.ts). */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tokyoDate } from '../../ports/clock';
import { friendKey, friendListKey, friendStatsKey } from '../../friends/keys';
import type { FollowInput, Friend, FriendRepository } from '../../friends/friend';
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

  /** Upserts the friend as active and counts the day's additions, in one transaction. */
  async recordFollow(input: FollowInput): Promise<'applied' | 'already' | 'stale'> {
    const iso = new Date(input.eventAt).toISOString();
    const now = input.at.toISOString();
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: friendKey(input.userId),
                ConditionExpression: 'attribute_not_exists(statusEventAt) OR statusEventAt < :eventAt',
                UpdateExpression:
                  'SET userId = :userId, displayName = :name, pictureUrl = :picture, #language = :language, #status = :active, ' +
                  'followedAt = if_not_exists(followedAt, :iso), lastFollowedAt = :iso, statusEventAt = :eventAt, updatedAt = :now, ' +
                  'GSI1PK = :gsi1pk, GSI1SK = if_not_exists(GSI1SK, :gsi1sk) REMOVE blockedAt',
                ExpressionAttributeNames: { '#status': 'status', '#language': 'language' },
                ExpressionAttributeValues: {
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
                },
              },
            },
            this.countDay(new Date(input.eventAt), 'added'),
          ],
        }),
      );
      return 'applied';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.get(input.userId);
      return current?.statusEventAt === input.eventAt && current.status === 'active' ? 'already' : 'stale';
    }
  }

  async recordUnfollow(userId: string, eventAt: number, at: Date): Promise<'applied' | 'stale' | 'unknown'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: friendKey(userId),
                ConditionExpression: 'attribute_exists(PK) AND statusEventAt < :eventAt',
                UpdateExpression: 'SET #status = :blocked, blockedAt = :iso, statusEventAt = :eventAt, updatedAt = :now',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':blocked': 'blocked',
                  ':iso': new Date(eventAt).toISOString(),
                  ':eventAt': eventAt,
                  ':now': at.toISOString(),
                },
              },
            },
            this.countDay(new Date(eventAt), 'blocked'),
          ],
        }),
      );
      return 'applied';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(userId)) ? 'stale' : 'unknown';
    }
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
