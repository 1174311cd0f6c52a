/** Rich menus on the single table (keys: functions/richmenus/keys.ts). */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MENU_SK_PREFIX, RICHMENUS_PARTITION, richMenuKey } from '../../richmenus/keys';
import type { RichMenu } from '../../richmenus/model';
import type { MenuWrite, RichMenuRepository } from '../../richmenus/ports';
import { documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoRichMenuStore implements RichMenuRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async get(menuId: string): Promise<RichMenu | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: richMenuKey(menuId), ConsistentRead: true }));
    return Item ? entityOf<RichMenu>(Item) : null;
  }

  list(): Promise<RichMenu[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :menu)',
        ExpressionAttributeValues: { ':pk': RICHMENUS_PARTITION, ':menu': MENU_SK_PREFIX },
        ConsistentRead: true,
      },
      (item) => entityOf<RichMenu>(item),
    );
  }

  async create(menu: RichMenu): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...richMenuKey(menu.menuId), type: 'RichMenu', ...menu },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async replace(next: RichMenu): Promise<MenuWrite> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...richMenuKey(next.menuId), type: 'RichMenu', ...next },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': next.version - 1 },
        }),
      );
      return 'done';
    } catch (error) {
      if (isConditionFailure(error)) return (await this.get(next.menuId)) ? 'conflict' : 'missing';
      throw error;
    }
  }

  async remove(menuId: string, expectedVersion: number): Promise<MenuWrite> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: richMenuKey(menuId),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return 'done';
    } catch (error) {
      if (isConditionFailure(error)) return (await this.get(menuId)) ? 'conflict' : 'missing';
      throw error;
    }
  }
}
