/** Reads the friends' daily counters (keys: functions/friends/keys.ts) for the console's dashboard. */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FriendDay, FriendStatsReader } from '../../friends/friend-stats';
import { friendStatsKey } from '../../friends/keys';
import { documentClient, tableName } from './dynamo-client';

export class DynamoFriendStatsReader implements FriendStatsReader {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  /** Every day item (a few hundred per year), oldest first. */
  async allDays(): Promise<FriendDay[]> {
    const { PK } = friendStatsKey('');
    const days: FriendDay[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :day)',
          ExpressionAttributeValues: { ':pk': PK, ':day': 'DAY#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        days.push({ date: String(item.SK).slice(4), added: Number(item.added ?? 0), blocked: Number(item.blocked ?? 0) });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return days;
  }
}
