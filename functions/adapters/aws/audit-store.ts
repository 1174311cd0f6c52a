/**
 * AuditLog on the single table (keys: functions/audit/keys.ts): one partition per Tokyo month,
 * searched newest first; actor and action are filters. The cursor names the month and the last
 * key read, so paging continues across months.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { tokyoDate } from '../../ports/clock';
import { tokyoMonthsDescending, tokyoRangeToUtc, type AuditEntry, type AuditLog, type AuditPage, type AuditQuery } from '../../audit/audit';
import { auditKey, auditPartition } from '../../audit/keys';
import { ValidationError } from '../../shared/errors';
import { documentClient, tableName } from './dynamo-client';

const cursorSchema = z.object({ m: z.string().regex(/^\d{4}-\d{2}$/), k: z.object({ PK: z.string(), SK: z.string() }).optional() });
type Cursor = z.infer<typeof cursorSchema>;

export class InvalidCursorError extends ValidationError {}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(raw: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError('ページ位置（cursor）が正しくありません。');
  }
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const month = tokyoDate(new Date(entry.at)).slice(0, 7);
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...auditKey(month, entry.at, entry.id), type: 'AuditEntry', ...entry } }));
  }

  async search(query: AuditQuery): Promise<AuditPage> {
    const { startIso, endIso } = tokyoRangeToUtc(query.from, query.to);
    const months = tokyoMonthsDescending(query.from, query.to);
    const cursor = query.cursor ? decode(query.cursor) : undefined;
    let monthIndex = cursor ? months.indexOf(cursor.m) : 0;
    if (monthIndex < 0) throw new InvalidCursorError('ページ位置（cursor）が検索条件と一致しません。');
    let startKey: Record<string, unknown> | undefined = cursor?.k;
    const items: AuditEntry[] = [];

    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':start': `${startIso}#`, ':end': `${endIso}#~` };
    if (query.actor) {
      filters.push('#actor = :actor');
      names['#actor'] = 'actor';
      values[':actor'] = query.actor;
    }
    if (query.action) {
      filters.push('#action = :action');
      names['#action'] = 'action';
      values[':action'] = query.action;
    }

    while (monthIndex < months.length) {
      const month = months[monthIndex];
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :start AND :end',
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: filters.length ? names : undefined,
          ExpressionAttributeValues: { ...values, ':pk': auditPartition(month) },
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
          Limit: Math.max(query.limit - items.length, 25),
        }),
      );
      for (const item of page.Items ?? []) {
        if (items.length === query.limit) {
          // More matched than fit: continue after the last item returned.
          const last = items[items.length - 1];
          return { items, nextCursor: encode({ m: month, k: auditKey(month, last.at, last.id) }) };
        }
        const { PK: _pk, SK: _sk, type: _type, ...entry } = item;
        items.push(entry as AuditEntry);
      }
      if (page.LastEvaluatedKey) {
        startKey = page.LastEvaluatedKey;
        if (items.length === query.limit) return { items, nextCursor: encode({ m: month, k: startKey as Cursor['k'] }) };
        continue;
      }
      startKey = undefined;
      monthIndex += 1;
      if (items.length === query.limit) {
        return monthIndex < months.length ? { items, nextCursor: encode({ m: months[monthIndex] }) } : { items };
      }
    }
    return { items };
  }
}
