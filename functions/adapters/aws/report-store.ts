/**
 * Citizen reports, one item each (keys: functions/reports/keys.ts), listed per category by GSI1
 * newest first; the list's filters (status, district, department) are DynamoDB filters on those
 * pages, the period is the key range. Writes are whole-item puts guarded by `rev`.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { friendKey } from '../../friends/keys';
import { categoryPartition, listSortKey, receiptCounterKey, receiptKey, reportKey } from '../../reports/keys';
import type { Report } from '../../reports/model';
import type { ListQuery, ReportPoint, ReportStore } from '../../reports/ports';
import { cancellationReasons, documentClient, isConditionFailure, tableName } from './dynamo-client';
import { entityOf } from './items';

const POINT_FIELDS = ['reportId', 'receiptNo', 'category', '#status', 'place', 'createdAt', 'district', 'department', 'description'];

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async get(reportId: string): Promise<Report | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: reportKey(reportId), ConsistentRead: true }));
    return Item ? entityOf<Report>(Item) : null;
  }

  async findByReceipt(receiptNo: string): Promise<Report | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: receiptKey(receiptNo) }));
    return typeof Item?.reportId === 'string' ? this.get(Item.reportId) : null;
  }

  private item(report: Report) {
    return {
      ...reportKey(report.reportId),
      type: 'Report',
      GSI1PK: categoryPartition(report.category),
      GSI1SK: listSortKey(report.createdAt, report.reportId),
      ...report,
    };
  }

  async create(report: Report): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: this.item(report), ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.table, Item: { ...receiptKey(report.receiptNo), type: 'ReportReceipt', reportId: report.reportId } } },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  }

  async save(report: Report, expectedRev: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(report),
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': expectedRev },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async nextReceiptNo(year: number): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: receiptCounterKey(year),
        UpdateExpression: 'ADD #n :one SET #type = :type',
        ExpressionAttributeNames: { '#n': 'n', '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'ReportCounter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.n);
  }

  async markAdding(userId: string, adding: { reportId: string; until: string } | null): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: friendKey(userId),
          ConditionExpression: 'attribute_exists(PK)',
          ...(adding
            ? { UpdateExpression: 'SET reportAdding = :a', ExpressionAttributeValues: { ':a': adding } }
            : { UpdateExpression: 'REMOVE reportAdding' }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The key condition and filters of a query. */
  private query(q: Omit<ListQuery, 'limit'>): QueryCommandInput {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': categoryPartition(q.category) };
    let key = 'GSI1PK = :pk';
    const low = q.from ? `${q.from}#` : undefined;
    const high = q.before ?? (q.to ? `${q.to}#~` : undefined);
    if (low && high) {
      key += ' AND GSI1SK BETWEEN :low AND :high';
      Object.assign(values, { ':low': low, ':high': high });
    } else if (low) {
      key += ' AND GSI1SK >= :low';
      values[':low'] = low;
    } else if (high) {
      key += ' AND GSI1SK <= :high';
      values[':high'] = high;
    }
    const filters: string[] = [];
    if (q.statuses?.length) {
      names['#status'] = 'status';
      filters.push(`#status IN (${q.statuses.map((_, i) => `:s${i}`).join(', ')})`);
      q.statuses.forEach((s, i) => (values[`:s${i}`] = s));
    }
    if (q.district) {
      filters.push('district = :district');
      values[':district'] = q.district;
    }
    if (q.department) {
      filters.push('department = :department');
      values[':department'] = q.department;
    }
    return {
      TableName: this.table,
      IndexName: 'GSI1',
      KeyConditionExpression: key,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    };
  }

  async list(q: ListQuery): Promise<{ items: Report[]; more: boolean }> {
    const input = this.query(q);
    const items: Report[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // Read a little more than asked: filters drop items after the read.
      const page = await this.db.send(new QueryCommand({ ...input, Limit: Math.max(q.limit + 1, 50), ...(start ? { ExclusiveStartKey: start } : {}) }));
      // The range is inclusive: the cursor's own item (the previous page's last) is not listed twice.
      for (const item of page.Items ?? []) if (item.GSI1SK !== q.before) items.push(entityOf<Report>(item));
      start = page.LastEvaluatedKey;
    } while (start && items.length <= q.limit);
    return { items: items.slice(0, q.limit), more: items.length > q.limit || !!start };
  }

  async points(q: Omit<ListQuery, 'before' | 'limit'> & { max: number }): Promise<ReportPoint[]> {
    const input = this.query(q);
    const names = { ...input.ExpressionAttributeNames, '#status': 'status' };
    const points: ReportPoint[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          ...input,
          ProjectionExpression: POINT_FIELDS.join(', '),
          ExpressionAttributeNames: names,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) points.push(item as ReportPoint);
      start = page.LastEvaluatedKey;
    } while (start && points.length < q.max);
    return points.slice(0, q.max);
  }
}
