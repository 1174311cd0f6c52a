/** Keyword rules and their set marker (keys: functions/keywords/keys.ts). */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEYWORDS_PARTITION, RULE_SK_PREFIX, ruleKey, ruleSetKey } from '../../keywords/keys';
import type { KeywordRule } from '../../keywords/model';
import type { KeywordRuleRepository, RuleSetMarker, RuleWrite } from '../../keywords/ports';
import { batchWrite, cancellationReasons, documentClient, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

const bump = (by: number) => ({
  UpdateExpression: 'ADD #version :one, #count :by',
  ExpressionAttributeNames: { '#version': 'version', '#count': 'count' },
  ExpressionAttributeValues: { ':one': 1, ':by': by },
});

export class DynamoKeywordRuleStore implements KeywordRuleRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async marker(): Promise<RuleSetMarker | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: ruleSetKey(), ConsistentRead: true }));
    return Item ? { version: Number(Item.version ?? 0), count: Number(Item.count ?? 0), starterVersion: Item.starterVersion as number | undefined } : undefined;
  }

  list(): Promise<KeywordRule[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :rule)',
        ExpressionAttributeValues: { ':pk': KEYWORDS_PARTITION, ':rule': RULE_SK_PREFIX },
        ConsistentRead: true,
      },
      (item) => entityOf<KeywordRule>(item),
    );
  }

  async get(ruleId: string): Promise<KeywordRule | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: ruleKey(ruleId), ConsistentRead: true }));
    return Item ? entityOf<KeywordRule>(Item) : undefined;
  }

  async create(rule: KeywordRule, maxRules: number): Promise<'done' | 'full'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: this.item(rule), ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Update: {
                TableName: this.table,
                Key: ruleSetKey(),
                ...bump(1),
                ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
                ExpressionAttributeValues: { ':one': 1, ':by': 1, ':max': maxRules },
              },
            },
          ],
        }),
      );
      return 'done';
    } catch (error) {
      if (cancellationReasons(error)?.[1]?.Code === 'ConditionalCheckFailed') return 'full';
      throw error;
    }
  }

  async update(next: KeywordRule): Promise<Exclude<RuleWrite, 'full'>> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: this.item(next),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': next.version - 1 },
              },
            },
            { Update: { TableName: this.table, Key: ruleSetKey(), ...bump(0) } },
          ],
        }),
      );
      return 'done';
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return (await this.get(next.ruleId)) ? 'conflict' : 'missing';
      throw error;
    }
  }

  async remove(ruleId: string, expectedVersion: number): Promise<Exclude<RuleWrite, 'full'>> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: ruleKey(ruleId),
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            { Update: { TableName: this.table, Key: ruleSetKey(), ...bump(-1) } },
          ],
        }),
      );
      return 'done';
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return (await this.get(ruleId)) ? 'conflict' : 'missing';
      throw error;
    }
  }

  async addMany(rules: KeywordRule[], maxRules: number): Promise<'done' | 'full'> {
    for (let i = 0; i < rules.length; i += 99) {
      const part = rules.slice(i, i + 99);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              ...part.map((r) => ({ Put: { TableName: this.table, Item: this.item(r), ConditionExpression: 'attribute_not_exists(PK)' } })),
              {
                Update: {
                  TableName: this.table,
                  Key: ruleSetKey(),
                  UpdateExpression: 'ADD #version :one, #count :n',
                  ConditionExpression: 'attribute_not_exists(#count) OR #count <= :room',
                  ExpressionAttributeNames: { '#version': 'version', '#count': 'count' },
                  ExpressionAttributeValues: { ':one': 1, ':n': part.length, ':room': maxRules - part.length },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (cancellationReasons(error)?.at(-1)?.Code === 'ConditionalCheckFailed') return 'full';
        throw error;
      }
    }
    return 'done';
  }

  async replaceAll(rules: KeywordRule[]): Promise<void> {
    try {
      const old = await this.list();
      const keep = new Set(rules.map((r) => r.ruleId));
      await this.batchWrite([
        ...rules.map((r) => ({ PutRequest: { Item: this.item(r) } })),
        ...old.filter((r) => !keep.has(r.ruleId)).map((r) => ({ DeleteRequest: { Key: ruleKey(r.ruleId) } })),
      ]);
    } finally {
      // Last, whatever happened: the marker's new version makes every cached set read the table as
      // it is, and the count is what is there (a rule created meanwhile included).
      const count = (await this.list()).length;
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ruleSetKey(),
          UpdateExpression: 'ADD #version :one SET #count = :count',
          ExpressionAttributeNames: { '#version': 'version', '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':count': count },
        }),
      );
    }
  }

  async seed(rules: KeywordRule[], starterVersion: number): Promise<'seeded' | 'exists'> {
    if (rules.length > 99) throw new Error('the starter set is seeded in one transaction: at most 99 rules');
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...ruleSetKey(), type: 'KeywordRuleSet', version: 1, count: rules.length, starterVersion },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...rules.map((r) => ({ Put: { TableName: this.table, Item: this.item(r) } })),
          ],
        }),
      );
      return 'seeded';
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  }

  private item(rule: KeywordRule): Record<string, unknown> {
    return { ...ruleKey(rule.ruleId), type: 'KeywordRule', ...rule };
  }

  private batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    return batchWrite(this.db, this.table, requests, 'keyword rules');
  }
}
