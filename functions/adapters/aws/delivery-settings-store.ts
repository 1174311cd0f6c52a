/** The city's delivery settings (approval on or off): one item of the single table. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deliverySettingsKey } from '../../deliveries/keys';
import type { DeliverySettings } from '../../deliveries/model';
import type { SettingsRepository } from '../../deliveries/ports';
import { documentClient, tableName } from './dynamo-client';

/** Approval is off until an administrator turns it on (a small city office starts simple). */
export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = { approvalRequired: false };

export class DynamoDeliverySettingsStore implements SettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}
  async get(): Promise<DeliverySettings> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: deliverySettingsKey(), ConsistentRead: true }));
    return Item ? { approvalRequired: Item.approvalRequired === true } : { ...DEFAULT_DELIVERY_SETTINGS };
  }
  async put(settings: DeliverySettings): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...deliverySettingsKey(), type: 'DeliverySettings', approvalRequired: settings.approvalRequired } }),
    );
  }
}
