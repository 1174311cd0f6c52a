/** Keyword rules' hits per Japan date (keys: functions/keywords/keys.ts). */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HITS_DAYS, hitKey, hitsPartition } from '../../keywords/keys';
import type { KeywordHits } from '../../keywords/model';
import type { KeywordHitCounter } from '../../keywords/ports';
import { documentClient, queryAll, tableName } from './dynamo-client';

export class DynamoKeywordHitStore implements KeywordHitCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async record(ruleId: string, date: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: hitKey(date, ruleId),
        UpdateExpression: 'ADD #count :one SET #type = :type, #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':type': 'KeywordHits',
          ':expiresAt': Math.floor(Date.parse(`${date}T00:00:00+09:00`) / 1000) + HITS_DAYS * 86_400,
        },
      }),
    );
  }

  async list(dates: string[]): Promise<KeywordHits[]> {
    const days = await Promise.all(
      dates.map((date) =>
        queryAll(this.db, { TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': hitsPartition(date) } }, (item) => ({
          ruleId: String(item.SK),
          date,
          count: Number(item.count ?? 0),
        })),
      ),
    );
    return days.flat();
  }
}
