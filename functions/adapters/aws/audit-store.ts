/**
 * AuditLog on the single table (keys: functions/audit/keys.ts): one partition per Tokyo month,
 * searched newest first; actor and action are filters. The cursor names the month and the last
 * key read, so paging continues across months.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { jstDay, jstDayRange } from '../../shared/japan-time';
import { tokyoMonthsDescending, type AuditEntry, type AuditLog, type AuditPage, type AuditQuery } from '../../audit/audit';
import { auditKey, auditPartition } from '../../audit/keys';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { InvalidCursorError, openCursor, sealCursor } from './cursor';
import { documentClient, tableName } from './dynamo-client';

const cursorSchema = z.object({ m: z.string().regex(/^\d{4}-\d{2}$/), k: z.object({ PK: z.string(), SK: z.string() }).strict().optional() }).strict();
type Cursor = z.infer<typeof cursorSchema>;

export { InvalidCursorError };

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const month = jstDay(new Date(entry.at)).slice(0, 7);
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...auditKey(month, entry.at, entry.id), type: 'AuditEntry', ...entry } }));
  }

  async search(query: AuditQuery): Promise<AuditPage> {
    const { startIso, endIso } = jstDayRange(query.from, query.to);
    const months = tokyoMonthsDescending(query.from, query.to);
    // The cursor is sealed for exactly this search (range and filters), so its month and key are ours.
    const scope = { from: query.from, to: query.to, actor: query.actor, action: query.action };
    const encode = (c: Cursor) => sealCursor(this.sealer, 'audit', scope, c);
    const cursor = query.cursor ? await openCursor(this.sealer, 'audit', scope, query.cursor, cursorSchema) : undefined;
    let monthIndex = cursor ? months.indexOf(cursor.m) : 0;
    if (monthIndex < 0 || (cursor?.k && cursor.k.PK !== auditPartition(cursor.m))) throw new InvalidCursorError();
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
          return { items, nextCursor: await encode({ m: month, k: auditKey(month, last.at, last.id) }) };
        }
        const { PK: _pk, SK: _sk, type: _type, ...entry } = item;
        items.push(entry as AuditEntry);
      }
      if (page.LastEvaluatedKey) {
        startKey = page.LastEvaluatedKey;
        if (items.length === query.limit) return { items, nextCursor: await encode({ m: month, k: startKey as Cursor['k'] }) };
        continue;
      }
      startKey = undefined;
      monthIndex += 1;
      if (items.length === query.limit) {
        return monthIndex < months.length ? { items, nextCursor: await encode({ m: months[monthIndex] }) } : { items };
      }
    }
    return { items };
  }
}
