/**
 * Deliveries with their chunks, links and LIFF clicks (one aggregate under PK DELIVERY#<id>) on the
 * single table (keys: functions/deliveries/keys.ts; docs/data-model.md, "Deliveries").
 *
 * Write amplification of a send stays low: one conditional put per chunk (planner) and one ADD on
 * the delivery per sent chunk (sender: the chunk's index joins the number sets `chunksSent` and
 * `chunksFinal`; the chunk item is not written again). A chunk's status is its item's status
 * (pending, or failed by the dead-letter handler or a refusal) unless its index is in `chunksSent`.
 * No transaction touches the delivery item while senders are running (no hot-item conflicts).
 */
import { jstDayRange } from '../../shared/japan-time';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { MAX_CHUNKS_PER_WRITE } from '../../deliveries/chunking';
import { CHUNK_PREFIX, LINK_PREFIX, chunkKey, deliveryKey, deliveryListKey, linkKey, linkClickKey } from '../../deliveries/keys';
import * as z from 'zod';
import type { Chunk, Delivery, DeliveryStatus } from '../../deliveries/model';
import type { ChunkState, DeliveryListQuery, DeliveryRepository, PlanningClaim } from '../../deliveries/ports';
import { ConflictError } from '../../shared/errors';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { openCursor, sealCursor } from './cursor';
import { cancellationReasons, documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';

/** Attributes that exist only in the table (keys, entity name, the planner's lease). */
const INTERNAL = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'type', 'plannerToken', 'plannerLeaseUntil', 'recipientCount']);
function strip<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) out[k] = v;
  // Final chunks are kept as a number set (idempotent counting); the model sees how many.
  if (item.chunksFinal instanceof Set) {
    delete out.chunksFinal;
    out.chunksDone = item.chunksFinal.size;
  }
  delete out.chunksSent;
  return out as T;
}

/** A number set attribute (absent until its first ADD). */
const numberSet = (value: unknown): Set<number> => (value instanceof Set ? (value as Set<number>) : new Set());

/** History order: the scheduled time, else the creation time. */
const sortAtOf = (d: Delivery) => (d.timing.kind === 'at' ? d.timing.at : d.createdAt);
const deliveryItem = (d: Delivery) => ({ ...deliveryKey(d.deliveryId), ...deliveryListKey(sortAtOf(d), d.deliveryId), type: 'Delivery', ...d });
/**
 * A chunk as stored: recipients (and push mode's names) packed into one string attribute each —
 * one value instead of a list of 500 is far cheaper to write and read (LINE user IDs never
 * contain a newline; names are JSON).
 */
const chunkItem = ({ recipients, names, ...c }: Chunk) => ({
  ...chunkKey(c.deliveryId, c.index),
  type: 'DeliveryChunk',
  ...c,
  recipientCount: recipients.length,
  recipientsPacked: recipients.join('\n'),
  ...(names ? { namesPacked: JSON.stringify(names) } : {}),
});

/** A chunk's status: sent when the delivery's `chunksSent` has its index, else its item's. */
const statusOf = (item: Record<string, unknown>, sent: Set<number>): Chunk['status'] =>
  sent.has(item.index as number) ? 'sent' : (item.status as Chunk['status']);

function fromChunkItem(item: Record<string, unknown>, sent: Set<number>): Chunk {
  const { recipientsPacked, namesPacked, recipientCount: _count, ...rest } = item;
  const chunk = strip<Chunk>(rest);
  chunk.status = statusOf(item, sent);
  // Chunks written before packing (local data of earlier versions) keep their list.
  chunk.recipients =
    typeof recipientsPacked === 'string' ? (recipientsPacked === '' ? [] : recipientsPacked.split('\n')) : ((item.recipients as string[]) ?? []);
  if (typeof namesPacked === 'string') chunk.names = JSON.parse(namesPacked) as string[];
  return chunk;
}

/** The last key of a history page (GSI1 DELIVERIES), sealed for the query's filters. */
const historyCursor = z.object({ PK: z.string().startsWith('DELIVERY#'), SK: z.string(), GSI1PK: z.literal('DELIVERIES'), GSI1SK: z.string() }).strict();
const historyScope = (q: DeliveryListQuery) => ({
  from: q.from,
  to: q.to,
  q: q.q,
  status: q.status?.join(','),
  category: q.category,
  recurringId: q.recurringId,
});

/** Start and end of a JST calendar day as UTC ISO (GSI1SK sorts by UTC ISO timestamps). */
const jstDayStart = (day: string) => jstDayRange(day, day).startIso;
const jstDayEnd = (day: string) => jstDayRange(day, day).endIso;

export class DynamoDeliveryStore implements DeliveryRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  // ---- deliveries ---------------------------------------------------------------------------

  async get(deliveryId: string, consistent = false): Promise<Delivery | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: deliveryKey(deliveryId), ConsistentRead: consistent }));
    return Item ? strip<Delivery>(Item) : null;
  }

  async create(delivery: Delivery): Promise<void> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError('同じIDの配信がすでにあります。');
      throw error;
    }
  }

  async replace(next: Delivery, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: deliveryItem(next),
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError('ほかの職員が先に変更しました。');
      throw error;
    }
  }

  /** Status moves bump `version`, so an edit based on an older read (replace) cannot undo them. */
  async transition(deliveryId: string, from: DeliveryStatus[], to: DeliveryStatus, fields: Partial<Delivery> = {}): Promise<boolean> {
    if (from.length === 0) return false;
    const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
    const values: Record<string, unknown> = { ':to': to, ':one': 1 };
    const sets = ['#status = :to'];
    const removes: string[] = [];
    let i = 0;
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'status' || key === 'version' || key === 'deliveryId') continue;
      names[`#f${i}`] = key;
      if (value === undefined) removes.push(`#f${i}`);
      else {
        values[`:f${i}`] = value;
        sets.push(`#f${i} = :f${i}`);
      }
      i++;
    }
    from.forEach((s, j) => (values[`:from${j}`] = s));
    // The history index follows the scheduled time when a transition changes the timing.
    if (fields.timing || fields.createdAt) {
      const current = await this.get(deliveryId, true);
      if (current) {
        const sortAt = sortAtOf({ ...current, ...fields } as Delivery);
        values[':gsi1sk'] = deliveryListKey(sortAt, deliveryId).GSI1SK;
        sets.push('GSI1SK = :gsi1sk');
      }
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: deliveryKey(deliveryId),
          ConditionExpression: `attribute_exists(PK) AND #status IN (${from.map((_, j) => `:from${j}`).join(', ')})`,
          UpdateExpression: `SET ${sets.join(', ')} ADD #version :one${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async list(query: DeliveryListQuery): Promise<{ items: Delivery[]; cursor?: string }> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 100);
    const items: Delivery[] = [];
    let start: Record<string, unknown> | undefined = query.cursor
      ? await openCursor(this.sealer, 'deliveries', historyScope(query), query.cursor, historyCursor)
      : undefined;
    for (;;) {
      const page = await this.db.send(new QueryCommand({ ...this.listInput(query), ExclusiveStartKey: start }));
      const pageItems = page.Items ?? [];
      for (const item of pageItems) {
        const d = strip<Delivery>(item);
        if (!matchesQuery(d, query)) continue;
        items.push(d);
        if (items.length === limit) {
          const isLastOfAll = !page.LastEvaluatedKey && item === pageItems[pageItems.length - 1];
          if (isLastOfAll) return { items };
          return {
            items,
            cursor: await sealCursor(this.sealer, 'deliveries', historyScope(query), { PK: item.PK, SK: item.SK, GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK }),
          };
        }
      }
      start = page.LastEvaluatedKey;
      if (!start) return { items };
    }
  }

  async *iterate(query: Omit<DeliveryListQuery, 'limit' | 'cursor'>): AsyncIterable<Delivery> {
    for await (const page of paginateQuery({ client: this.db }, this.listInput(query))) {
      for (const item of page.Items ?? []) {
        const d = strip<Delivery>(item);
        if (matchesQuery(d, query)) yield d;
      }
    }
  }

  private listInput(query: Omit<DeliveryListQuery, 'limit' | 'cursor'>): QueryCommandInput {
    const values: Record<string, unknown> = { ':pk': 'DELIVERIES' };
    let condition = 'GSI1PK = :pk';
    if (query.from || query.to) {
      values[':from'] = query.from ? jstDayStart(query.from) : '0';
      values[':to'] = query.to ? `${jstDayEnd(query.to)}#~` : '~';
      condition += ' AND GSI1SK BETWEEN :from AND :to';
    }
    return { TableName: this.table, IndexName: 'GSI1', KeyConditionExpression: condition, ExpressionAttributeValues: values, ScanIndexForward: false };
  }

  // ---- chunks ---------------------------------------------------------------------------------

  async putChunks(chunks: Chunk[]): Promise<number[]> {
    if (chunks.length === 0) return [];
    const condition = 'attribute_not_exists(PK)';
    if (chunks.length === 1) {
      try {
        await this.db.send(new PutCommand({ TableName: this.table, Item: chunkItem(chunks[0]!), ConditionExpression: condition }));
        return [];
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return [chunks[0]!.index];
      }
    }
    // Several: one transaction (one request instead of one per chunk), all written or none.
    if (chunks.length > MAX_CHUNKS_PER_WRITE) throw new Error(`at most ${MAX_CHUNKS_PER_WRITE} chunks are written at once (${chunks.length})`);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: chunks.map((c) => ({ Put: { TableName: this.table, Item: chunkItem(c), ConditionExpression: condition } })),
        }),
      );
      return [];
    } catch (error) {
      const reasons = cancellationReasons(error);
      const existed = chunks.filter((_, i) => reasons?.[i]?.Code === 'ConditionalCheckFailed').map((c) => c.index);
      if (existed.length === 0) throw error;
      return existed;
    }
  }

  async getChunk(deliveryId: string, index: number): Promise<Chunk | null> {
    const [{ Item }, sent] = await Promise.all([
      this.db.send(new GetCommand({ TableName: this.table, Key: chunkKey(deliveryId, index), ConsistentRead: true })),
      this.sentChunks(deliveryId),
    ]);
    return Item ? fromChunkItem(Item, sent) : null;
  }

  async listChunks(deliveryId: string): Promise<Chunk[]> {
    const [items, sent] = await Promise.all([this.queryChunks(deliveryId), this.sentChunks(deliveryId)]);
    return items.map((i) => fromChunkItem(i, sent));
  }

  async chunkStates(deliveryId: string): Promise<ChunkState[]> {
    const [items, sent] = await Promise.all([
      this.queryChunks(deliveryId, {
        ProjectionExpression: '#index, #status, recipientCount, attempts, lastError',
        ExpressionAttributeNames: { '#index': 'index', '#status': 'status' },
      }),
      this.sentChunks(deliveryId),
    ]);
    return items.map((i) => ({
      index: i.index as number,
      status: statusOf(i, sent),
      recipients: i.recipientCount as number,
      attempts: (i.attempts as number) ?? 0,
      ...(i.lastError ? { lastError: i.lastError as string } : {}),
    }));
  }

  /** The delivery's `chunksSent` (consistent), read after or alongside the chunk items it qualifies. */
  private async sentChunks(deliveryId: string): Promise<Set<number>> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: deliveryKey(deliveryId), ProjectionExpression: 'chunksSent', ConsistentRead: true }),
    );
    return numberSet(Item?.chunksSent);
  }

  private async queryChunks(deliveryId: string, extra: Partial<QueryCommandInput> = {}): Promise<Record<string, unknown>[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...extra,
        ExpressionAttributeValues: { ':pk': deliveryKey(deliveryId).PK, ':prefix': CHUNK_PREFIX },
        ConsistentRead: true,
      },
      (item) => item,
    );
  }

  async failChunk(deliveryId: string, index: number, fields: { at: string; attempts: number; lastError?: string }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: chunkKey(deliveryId, index),
          ConditionExpression: '#status = :pending',
          UpdateExpression: `SET #status = :failed, attempts = :attempts, failedAt = :at${fields.lastError ? ', lastError = :error' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':failed': 'failed',
            ':attempts': fields.attempts,
            ':at': fields.at,
            ...(fields.lastError ? { ':error': fields.lastError.slice(0, 500) } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Each chunk still failed: its item back to `pending`, then its index out of `chunksFinal` —
   * unless a late "sent" listed it in `chunksSent` in between (LINE had accepted it after all):
   * then it stays final and is not reset.
   */
  async resetFailedChunks(deliveryId: string): Promise<Chunk[]> {
    const failed = (await this.listChunks(deliveryId)).filter((c) => c.status === 'failed');
    const reset: Chunk[] = [];
    await Promise.all(
      failed.map(async (c) => {
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.table,
              Key: chunkKey(deliveryId, c.index),
              ConditionExpression: '#status = :failed',
              UpdateExpression: 'SET #status = :pending REMOVE failedAt',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':failed': 'failed', ':pending': 'pending' },
            }),
          );
        } catch (error) {
          if (isConditionFailure(error)) return; // no longer failed
          throw error;
        }
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.table,
              Key: deliveryKey(deliveryId),
              ConditionExpression: 'attribute_exists(PK) AND NOT contains(chunksSent, :index)',
              UpdateExpression: 'DELETE chunksFinal :reset',
              ExpressionAttributeValues: { ':index': c.index, ':reset': new Set([c.index]) },
            }),
          );
        } catch (error) {
          if (isConditionFailure(error)) return; // sent in between: it stays final
          // Anything else: the item goes back to failed (as the console showed it) before the error surfaces.
          await this.failChunk(deliveryId, c.index, {
            at: new Date().toISOString(),
            attempts: c.attempts,
            ...(c.lastError ? { lastError: c.lastError } : {}),
          }).catch(() => undefined);
          throw error;
        }
        reset.push({ ...c, status: 'pending' });
      }),
    );
    return reset.sort((a, b) => a.index - b.index);
  }

  async recordPushProgress(deliveryId: string, index: number, pushedUpTo: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: chunkKey(deliveryId, index),
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(pushedUpTo) OR pushedUpTo < :n)',
          UpdateExpression: 'SET pushedUpTo = :n',
          ExpressionAttributeValues: { ':n': pushedUpTo },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  // ---- send pipeline --------------------------------------------------------------------------

  async claimPlanning(deliveryId: string, token: string, nowMs: number, leaseMs: number): Promise<PlanningClaim> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: deliveryKey(deliveryId),
          ConditionExpression:
            'attribute_exists(PK) AND (#status IN (:queued, :scheduled) OR ' +
            '(#status = :sending AND attribute_not_exists(chunksTotal) AND (attribute_not_exists(plannerLeaseUntil) OR plannerLeaseUntil < :now)))',
          UpdateExpression: 'SET #status = :sending, plannerToken = :token, plannerLeaseUntil = :until ADD #version :one',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':scheduled': 'scheduled',
            ':sending': 'sending',
            ':now': nowMs,
            ':token': token,
            ':until': nowMs + leaseMs,
            ':one': 1,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const before = strip<Delivery>(Attributes!);
      return { claimed: true, delivery: { ...before, status: 'sending', version: before.version + 1 }, resumed: before.status === 'sending' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: deliveryKey(deliveryId), ConsistentRead: true }));
    if (!Item) return { claimed: false, reason: 'not_found' };
    const delivery = strip<Delivery>(Item);
    if (delivery.status !== 'sending')
      return {
        claimed: false,
        reason: delivery.status === 'sent' || delivery.status === 'partly_failed' || delivery.status === 'failed' ? 'planned' : 'not_plannable',
        delivery,
      };
    if (delivery.chunksTotal !== undefined) return { claimed: false, reason: 'planned', delivery };
    return { claimed: false, reason: 'busy', delivery };
  }

  async renewPlanning(deliveryId: string, token: string, untilMs: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: deliveryKey(deliveryId),
      ConditionExpression: 'plannerToken = :token',
      UpdateExpression: 'SET plannerLeaseUntil = :until',
      ExpressionAttributeValues: { ':token': token, ':until': untilMs },
    });
  }

  async completePlanning(deliveryId: string, token: string, fields: { recipients: number; chunksTotal: number; broadcast?: boolean }): Promise<boolean> {
    return this.conditionalUpdate({
      Key: deliveryKey(deliveryId),
      ConditionExpression: 'plannerToken = :token',
      UpdateExpression: `SET recipients = :recipients, chunksTotal = :total${fields.broadcast ? ', broadcast = :true' : ''} REMOVE plannerToken, plannerLeaseUntil`,
      ExpressionAttributeValues: {
        ':token': token,
        ':recipients': fields.recipients,
        ':total': fields.chunksTotal,
        ...(fields.broadcast ? { ':true': true } : {}),
      },
    });
  }

  async recordLineRequestId(deliveryId: string, requestId: string): Promise<void> {
    await this.conditionalUpdate({
      Key: deliveryKey(deliveryId),
      ConditionExpression: 'attribute_exists(PK)',
      UpdateExpression: 'SET lineRequestId = :requestId',
      ExpressionAttributeValues: { ':requestId': requestId },
    });
  }

  async countChunkDone(deliveryId: string, index: number): Promise<{ done: number; total?: number }> {
    const { wasFinal: _, ...count } = await this.addChunkIndex(deliveryId, index, 'chunksFinal :index');
    return count;
  }

  async chunkSent(deliveryId: string, index: number): Promise<{ moved: boolean; done: number; total?: number }> {
    const { wasFinal, ...count } = await this.addChunkIndex(deliveryId, index, 'chunksSent :index, chunksFinal :index');
    return { moved: !wasFinal, ...count };
  }

  /**
   * `ADD <sets>` of the chunk index on the delivery. Number sets: a second write for the same chunk
   * changes nothing (a redelivered message). The old item says whether it was final already and,
   * with chunksTotal (never changed here), how many are final now. (`chunksSent` ⊆ `chunksFinal`.)
   */
  private async addChunkIndex(deliveryId: string, index: number, sets: string): Promise<{ wasFinal: boolean; done: number; total?: number }> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: deliveryKey(deliveryId),
        ConditionExpression: 'attribute_exists(PK)',
        UpdateExpression: `ADD ${sets}`,
        ExpressionAttributeValues: { ':index': new Set([index]) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const final = numberSet(Attributes?.chunksFinal);
    const wasFinal = final.has(index);
    const total = Attributes?.chunksTotal as number | undefined;
    return { wasFinal, done: final.size + (wasFinal ? 0 : 1), ...(total !== undefined ? { total } : {}) };
  }

  async recordChunkError(deliveryId: string, index: number, fields: { attempts: number; lastError: string }): Promise<void> {
    await this.conditionalUpdate({
      Key: chunkKey(deliveryId, index),
      ConditionExpression: '#status = :pending',
      UpdateExpression: 'SET attempts = :attempts, lastError = :error',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending', ':attempts': fields.attempts, ':error': fields.lastError.slice(0, 500) },
    });
  }

  async markFirstSent(deliveryId: string, at: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: deliveryKey(deliveryId),
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(firstSentAt)',
      UpdateExpression: 'SET firstSentAt = :at',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  private async conditionalUpdate(input: {
    Key: Record<string, string>;
    ConditionExpression: string;
    UpdateExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
    ExpressionAttributeNames?: Record<string, string>;
  }): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, ...input }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  // ---- links (click redirect) -----------------------------------------------------------------

  async click(deliveryId: string, linkIndex: number): Promise<string | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: linkKey(deliveryId, linkIndex),
          ConditionExpression: 'attribute_exists(PK)',
          UpdateExpression: 'ADD clicks :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes?.url as string | undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async clickOnce(deliveryId: string, linkIndex: number, userId: string, urlPrefix: string): Promise<'counted' | 'repeat' | 'unknown'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...linkClickKey(deliveryId, linkIndex, userId), type: 'DeliveryLinkClick', userId },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            // Only a link to the city's LIFF app is counted this way (the others count at /r/, per tap).
            {
              Update: {
                TableName: this.table,
                Key: linkKey(deliveryId, linkIndex),
                ConditionExpression: 'attribute_exists(PK) AND begins_with(#url, :prefix)',
                UpdateExpression: 'ADD clicks :one',
                ExpressionAttributeNames: { '#url': 'url' },
                ExpressionAttributeValues: { ':one': 1, ':prefix': urlPrefix },
              },
            },
          ],
        }),
      );
      return 'counted';
    } catch (error) {
      const reasons = (error as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if ((error as { name?: string }).name !== 'TransactionCanceledException' || !reasons) throw error;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'unknown';
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'repeat';
      throw error;
    }
  }

  async putLinks(deliveryId: string, urls: string[]): Promise<void> {
    await Promise.all(
      urls.map(async (url, i) => {
        try {
          await this.db.send(
            new PutCommand({
              TableName: this.table,
              Item: { ...linkKey(deliveryId, i), type: 'DeliveryLink', deliveryId, linkIndex: i, url, clicks: 0 },
              ConditionExpression: 'attribute_not_exists(PK)',
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }),
    );
  }

  async clicks(deliveryId: string): Promise<number> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': deliveryKey(deliveryId).PK, ':prefix': LINK_PREFIX },
        ProjectionExpression: 'clicks',
      }),
    );
    return (Items ?? []).reduce((n, i) => n + ((i.clicks as number) ?? 0), 0);
  }

  async linkClicks(deliveryId: string, urls: string[]): Promise<{ url: string; clicks: number }[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': deliveryKey(deliveryId).PK, ':prefix': LINK_PREFIX },
        ProjectionExpression: 'linkIndex, clicks',
      }),
    );
    const byIndex = new Map((Items ?? []).map((i) => [i.linkIndex as number, (i.clicks as number) ?? 0]));
    return urls.map((url, i) => ({ url, clicks: byIndex.get(i) ?? 0 }));
  }

  async deleteDraft(deliveryId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: deliveryKey(deliveryId),
          ConditionExpression: '#status = :draft',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':draft': 'draft' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function matchesQuery(d: Delivery, query: Omit<DeliveryListQuery, 'limit' | 'cursor'>): boolean {
  if (query.status?.length && !query.status.includes(d.status)) return false;
  if (query.category && d.category !== query.category) return false;
  if (query.recurringId && d.recurringId !== query.recurringId) return false;
  if (query.q) {
    const needle = query.q.toLowerCase();
    const hay = [d.title, d.category, d.audience?.label, d.sentBy, d.createdBy].filter(Boolean).join('\n').toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}
