/** Keyword rules' hits per Japan date (keys: functions/keywords/keys.ts). */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HITS_DAYS, hitKey, hitMarkerKey, hitsPartition } from '../../keywords/keys';
import type { KeywordHits } from '../../keywords/model';
import type { KeywordHitCounter } from '../../keywords/ports';
import { documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';

export class DynamoKeywordHitStore implements KeywordHitCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  /**
   * The message's marker first (a conditional put: it exists → this message was counted, a retried
   * event), then the day's count. Not one transaction: at a popular keyword many messages count on
   * one item at once, and transactions on a hot item conflict; a crash between the two loses one
   * count, never adds one.
   */
  async record(ruleId: string, date: string, messageId: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(`${date}T00:00:00+09:00`) / 1000) + HITS_DAYS * 86_400;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...hitMarkerKey(messageId), type: 'KeywordHitMarker', ruleId, date, expiresAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw error;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: hitKey(date, ruleId),
        UpdateExpression: 'ADD #count :one SET #type = :type, #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count', '#type': 'type', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'KeywordHits', ':expiresAt': expiresAt },
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
