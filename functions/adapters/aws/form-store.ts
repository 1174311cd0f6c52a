/** Forms on the single table: the current definition, its versions and the profile form's pointer (keys: functions/forms/keys.ts). */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Form } from '../../forms/form';
import { FORMS_LIST_PK, formKey, formListKey, formVersionKey, profilePointerKey } from '../../forms/keys';
import type { FormRepository } from '../../forms/ports';
import { documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export class DynamoFormStore implements FormRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  private formPut(form: Form): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.table,
          Item: { ...formKey(form.formId), ...formListKey(form.createdAt, form.formId), type: 'Form', ...form },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: this.table, Item: { ...formVersionKey(form.formId, form.version), type: 'FormVersion', ...form } } },
    ];
  }

  async get(formId: string): Promise<Form | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: formKey(formId), ConsistentRead: true }));
    return Item ? entityOf<Form>(Item) : null;
  }

  async list(): Promise<Form[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': FORMS_LIST_PK },
        ScanIndexForward: false,
      },
      (item) => entityOf<Form>(item),
    );
  }

  async create(form: Form): Promise<'created' | 'exists'> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: this.formPut(form) }));
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async save(form: Form, expectedVersion: number): Promise<'saved' | 'conflict'> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...formKey(form.formId), ...formListKey(form.createdAt, form.formId), type: 'Form', ...form },
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ];
    if (form.version !== expectedVersion)
      items.push({ Put: { TableName: this.table, Item: { ...formVersionKey(form.formId, form.version), type: 'FormVersion', ...form } } });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async profileFormId(): Promise<string | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: profilePointerKey() }));
    return (Item?.formId as string | undefined) ?? null;
  }

  async createProfile(form: Form): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...profilePointerKey(), type: 'ProfileFormPointer', formId: form.formId },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...this.formPut(form),
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }
}
