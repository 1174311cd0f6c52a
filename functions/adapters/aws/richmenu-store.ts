/** Rich menus on the single table (keys: functions/richmenus/keys.ts). */
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MENU_SK_PREFIX, RICHMENUS_PARTITION, richMenuDefaultKey, richMenuKey } from '../../richmenus/keys';
import type { RichMenu } from '../../richmenus/model';
import type { DefaultPointer, MenuWrite, RichMenuRepository } from '../../richmenus/ports';
import { cancellationReasons, documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoRichMenuStore implements RichMenuRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async defaultPointer(): Promise<DefaultPointer | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: richMenuDefaultKey(), ConsistentRead: true }));
    return Item ? { menuId: String(Item.menuId), lineRichMenuId: String(Item.lineRichMenuId), version: Number(Item.version) } : null;
  }

  private menuPut(menu: RichMenu) {
    return {
      Put: {
        TableName: this.table,
        Item: { ...richMenuKey(menu.menuId), type: 'RichMenu', ...menu },
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': menu.version - 1 },
      },
    };
  }

  private async transact(items: unknown[]): Promise<'done' | 'conflict'> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return 'done';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons && reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  commitPublish(next: RichMenu, lineRichMenuId: string, expectedPointerVersion: number | null, demoted: RichMenu[]): Promise<'done' | 'conflict'> {
    const version = (expectedPointerVersion ?? 0) + 1;
    return this.transact([
      this.menuPut(next),
      {
        Put: {
          TableName: this.table,
          Item: { ...richMenuDefaultKey(), type: 'RichMenuDefault', menuId: next.menuId, lineRichMenuId, version },
          ...(expectedPointerVersion === null
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedPointerVersion },
              }),
        },
      },
      ...demoted.map((m) => this.menuPut(m)),
    ]);
  }

  commitUnpublish(next: RichMenu, expectedPointerVersion: number): Promise<'done' | 'conflict'> {
    return this.transact([
      this.menuPut(next),
      {
        Delete: {
          TableName: this.table,
          Key: richMenuDefaultKey(),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedPointerVersion },
        },
      },
    ]);
  }

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
