/** FriendRepository on the single table (keys: functions/friends/keys.ts). */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { jstDay } from '../../shared/japan-time';
import { friendKey, friendListKey, friendStatsKey } from '../../friends/keys';
import {
  decideStatus,
  type DayCount,
  type FollowInput,
  type Friend,
  type FriendRepository,
  type StatusDecision,
  type StatusOutcome,
  type StatusState,
} from '../../friends/friend';
import { audienceEntryOf } from '../../friends/audience-index';
import { audienceEntryWrite, readFriendAndBucket, revisedFriendWrite, unchangedSince } from './audience-index';
import { documentClient, isConditionFailure, tableName } from './dynamo-client';

/**
 * Adds the decision's markers (an uncounted block, a stand-in follow) to the update's SET list
 * and returns the attributes to REMOVE.
 */
function markers(decision: StatusDecision, set: string[], values: Record<string, unknown>): string[] {
  const remove: string[] = [];
  for (const [attribute, value] of [
    ['uncountedBlockAt', decision.uncountedBlockAt],
    ['standInFollowAt', decision.standInFollowAt],
  ] as const) {
    if (value === undefined) remove.push(attribute);
    else {
      set.push(`${attribute} = :${attribute}`);
      values[`:${attribute}`] = value;
    }
  }
  return remove;
}

/** What decideStatus needs of a friend item. */
function statusState(item: Record<string, unknown> | undefined): StatusState | undefined {
  if (!item) return undefined;
  return {
    status: item.status as StatusState['status'],
    statusEventAt: typeof item.statusEventAt === 'number' ? item.statusEventAt : undefined,
    followedAt: typeof item.followedAt === 'string' ? item.followedAt : undefined,
    seenEvents: Array.isArray(item.seenEvents) ? (item.seenEvents as unknown[]).filter((t): t is number => typeof t === 'number') : undefined,
    uncountedBlockAt: typeof item.uncountedBlockAt === 'number' ? item.uncountedBlockAt : undefined,
    standInFollowAt: typeof item.standInFollowAt === 'number' ? item.standInFollowAt : undefined,
  };
}

const isAdding = (v: unknown): v is { reportId: string; until: string } =>
  !!v && typeof (v as { reportId?: unknown }).reportId === 'string' && typeof (v as { until?: unknown }).until === 'string';

export function fromFriendItem(item: Record<string, unknown>): Friend {
  return {
    userId: item.userId as string,
    displayName: (item.displayName as string | undefined) ?? '',
    pictureUrl: item.pictureUrl as string | undefined,
    language: item.language as string | undefined,
    status: item.status as Friend['status'],
    followedAt: item.followedAt as string | undefined,
    lastFollowedAt: item.lastFollowedAt as string | undefined,
    blockedAt: item.blockedAt as string | undefined,
    statusEventAt: item.statusEventAt as number,
    lastMessageAt: item.lastMessageAt as string | undefined,
    updatedAt: item.updatedAt as string,
    ...(item.chatOpen === true ? { chatOpen: true } : {}),
    ...(isAdding(item.reportAdding) ? { reportAdding: item.reportAdding } : {}),
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
   * A follow, in any order with the friend's other status events (decideStatus): a newer one makes
   * the friend active (profile, first follow, audience entry); an older one only moves the first
   * follow earlier. Either way the day's "added" counts it once. One transaction, guarded by the
   * friend's and its audience bucket's revisions (functions/adapters/aws/audience-index.ts).
   */
  async recordFollow(input: FollowInput): Promise<StatusOutcome> {
    const now = input.at.toISOString();
    return revisedFriendWrite({ friend: 0, bucket: 2 }, async () => {
      const { item, bucket } = await readFriendAndBucket(this.db, this.table, input.userId);
      const decision = decideStatus(statusState(item), { kind: 'follow', eventAt: input.eventAt, standIn: input.standIn });
      if (decision.outcome === 'already') return decision.outcome;
      const applied = decision.outcome === 'applied';
      const iso = new Date(input.eventAt).toISOString();
      const followedAt = decision.followedAt!;
      const unchanged = unchangedSince(item);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {
        ...unchanged.values,
        ':userId': input.userId,
        ':followedAt': followedAt,
        ':seen': decision.seenEvents,
        ':now': now,
        ':gsi1pk': friendListKey(followedAt, input.userId).GSI1PK,
        ':gsi1sk': friendListKey(followedAt, input.userId).GSI1SK,
        ':one': 1,
      };
      const set = ['userId = :userId', 'followedAt = :followedAt', 'seenEvents = :seen', 'updatedAt = :now', 'GSI1PK = :gsi1pk', 'GSI1SK = :gsi1sk'];
      const removed = markers(decision, set, values);
      // The newest event carries the current profile; a stale follow only fills a profile still unknown.
      if (applied || !item?.displayName) {
        set.push('displayName = :name', 'pictureUrl = :picture', '#language = :language');
        names['#language'] = 'language';
        Object.assign(values, { ':name': input.displayName, ':picture': input.pictureUrl ?? null, ':language': input.language ?? null });
      }
      if (applied) {
        set.push('#status = :active', 'lastFollowedAt = :iso', 'statusEventAt = :eventAt');
        removed.push('blockedAt');
        names['#status'] = 'status';
        Object.assign(values, { ':active': 'active', ':iso': iso, ':eventAt': input.eventAt });
      }
      const after = {
        ...item,
        userId: input.userId,
        followedAt,
        status: decision.status,
        ...(applied || !item?.displayName ? { displayName: input.displayName, language: input.language } : {}),
      };
      // The audience index changes when the friend is (still) active: its entry holds the first follow.
      const audienceChanged = decision.status === 'active' && (applied || followedAt !== item?.followedAt);
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: friendKey(input.userId),
                ConditionExpression: unchanged.expression,
                UpdateExpression: `SET ${set.join(', ')}${removed.length ? ` REMOVE ${removed.join(', ')}` : ''} ADD rev :one`,
                ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
                ExpressionAttributeValues: values,
              },
            },
            ...this.countDays(decision.counts),
            ...(audienceChanged ? [audienceEntryWrite(this.table, bucket, input.userId, audienceEntryOf(after))] : []),
          ],
        }),
      );
      return decision.outcome;
    });
  }

  /**
   * An unfollow (block), in any order: a newer one marks the friend blocked and removes its audience
   * entry; for someone not known yet it records a blocked friend (no profile, not listed), so the
   * older follow processed after it cannot make them active. The day's "blocked" counts it once.
   */
  async recordUnfollow(userId: string, eventAt: number, at: Date): Promise<StatusOutcome> {
    return revisedFriendWrite({ friend: 0, bucket: 2 }, async () => {
      const { item, bucket } = await readFriendAndBucket(this.db, this.table, userId);
      const decision = decideStatus(statusState(item), { kind: 'unfollow', eventAt });
      if (decision.outcome === 'already') return decision.outcome;
      const applied = decision.outcome === 'applied';
      const unchanged = unchangedSince(item);
      const set = ['userId = :userId', 'seenEvents = :seen', 'updatedAt = :now'];
      const values: Record<string, unknown> = { ...unchanged.values, ':userId': userId, ':seen': decision.seenEvents, ':now': at.toISOString(), ':one': 1 };
      const remove = markers(decision, set, values);
      if (applied) {
        set.push('#status = :blocked', 'blockedAt = :iso', 'statusEventAt = :eventAt');
        Object.assign(values, { ':blocked': 'blocked', ':iso': new Date(eventAt).toISOString(), ':eventAt': eventAt });
      }
      // Only an active friend has an audience entry to remove.
      const hadEntry = applied && item?.status === 'active';
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: friendKey(userId),
                ConditionExpression: unchanged.expression,
                UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''} ADD rev :one`,
                ...(applied ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
                ExpressionAttributeValues: values,
              },
            },
            ...this.countDays(decision.counts),
            ...(hadEntry ? [audienceEntryWrite(this.table, bucket, userId, null)] : []),
          ],
        }),
      );
      return decision.outcome;
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

  /** The day figures a status event adds to: one update per Japan day (a transaction names an item once). */
  private countDays(counts: DayCount[]) {
    const byDay = new Map<string, Partial<Record<DayCount['counter'], number>>>();
    for (const c of counts) {
      const day = jstDay(new Date(c.at));
      const d = byDay.get(day) ?? {};
      d[c.counter] = (d[c.counter] ?? 0) + 1;
      byDay.set(day, d);
    }
    return [...byDay].map(([day, add]) => {
      const counters = Object.entries(add);
      return {
        Update: {
          TableName: this.table,
          Key: friendStatsKey(day),
          UpdateExpression: `ADD ${counters.map((_, i) => `#c${i} :n${i}`).join(', ')} SET #date = :date`,
          ExpressionAttributeNames: { '#date': 'date', ...Object.fromEntries(counters.map(([c], i) => [`#c${i}`, c])) },
          ExpressionAttributeValues: { ':date': day, ...Object.fromEntries(counters.map(([, n], i) => [`:n${i}`, n])) },
        },
      };
    });
  }
}
