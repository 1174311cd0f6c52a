/** The disaster-mail bridge's settings: one item of the single table (keys: functions/disaster-mail/keys.ts). */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bridgeSettingsKey } from '../../disaster-mail/keys';
import type { BridgeSettingsRepository, StoredBridgeSettings } from '../../disaster-mail/ports';
import { documentClient, isConditionFailure, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoBridgeSettingsStore implements BridgeSettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async get(): Promise<StoredBridgeSettings | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: bridgeSettingsKey(), ConsistentRead: true }));
    return Item ? entityOf<StoredBridgeSettings>(Item) : null;
  }

  async save(next: StoredBridgeSettings, expectedVersion: number): Promise<'saved' | 'conflict'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...bridgeSettingsKey(), type: 'DisasterMailSettings', ...next },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }
}
