/** Reads the friends' daily counters (keys: functions/friends/keys.ts) for the console's dashboard. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FriendDay, FriendStatsReader } from '../../friends/friend-stats';
import { friendStatsKey } from '../../friends/keys';
import { documentClient, queryAll, tableName } from './dynamo-client';

export class DynamoFriendStatsReader implements FriendStatsReader {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  /** Every day item (a few hundred per year), oldest first. */
  async allDays(): Promise<FriendDay[]> {
    const { PK } = friendStatsKey('');
    return queryAll(
      this.db,
      { TableName: this.table, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :day)', ExpressionAttributeValues: { ':pk': PK, ':day': 'DAY#' } },
      (item): FriendDay => ({ date: String(item.SK).slice(4), added: Number(item.added ?? 0), blocked: Number(item.blocked ?? 0) }),
    );
  }
}
