/**
 * Chat threads on the single table (keys: functions/chat/keys.ts): one item per friend in their
 * partition, listed by GSI1 (`CHATS#open` / `CHATS#closed`, latest activity first). Opening and
 * closing also set and remove the friend's `chatOpen` mark, in the same transaction: the webhook
 * reads it with the friend it already reads for every message.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { inboxPartition, inboxSortKey, threadKey } from '../../chat/keys';
import { CHAT_LIMITS, type ChatAssignee, type ChatThread } from '../../chat/model';
import type { ChatThreads, InboundNote, OpenInput } from '../../chat/ports';
import { friendKey } from '../../friends/keys';
import type { Sealer } from '../../shared/sealed';
import { openCursor, sealCursor } from './cursor';
import { cancellationReasons, documentClient, isConditionFailure, tableName } from './dynamo-client';
import { entityOf } from './items';

const keyShape = z.object({ PK: z.string().max(200), SK: z.string().max(300), GSI1PK: z.string().max(200), GSI1SK: z.string().max(300) }).strict();
const OPEN_PREVIEW = '［職員との会話を希望しています］';

export class DynamoChatThreads implements ChatThreads {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    /** The closed list's cursors (the admin API's; the webhook consumer never pages and stays without the secret's client). */
    private readonly sealer?: Sealer,
  ) {}

  async get(userId: string): Promise<ChatThread | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: threadKey(userId), ConsistentRead: true }));
    return Item ? entityOf<ChatThread>(Item) : null;
  }

  async open(userId: string, input: OpenInput): Promise<'opened' | 'already' | 'no-friend'> {
    const current = await this.get(userId);
    const byCitizen = input.via !== 'staff';
    if (current?.status === 'open' && current.openEventId === input.eventId) return 'opened';
    const profile = { ...(input.name ? { ':name': input.name } : {}), ...(input.pictureUrl ? { ':pic': input.pictureUrl } : {}) };
    const profileSet = `${input.name ? ', #name = :name' : ''}${input.pictureUrl ? ', pictureUrl = :pic' : ''}`;
    const names = { '#status': 'status', ...(input.name ? { '#name': 'name' } : {}) };
    // The citizen asking counts as their message: unread, first in the inbox.
    const asked = byCitizen
      ? {
          set: ', lastInboundAt = :at, preview = :preview, lastAt = :at, GSI1SK = :gsk',
          values: { ':preview': input.preview || OPEN_PREVIEW, ':gsk': inboxSortKey(input.at, userId) },
        }
      : { set: '', values: {} };
    if (current?.status === 'open') {
      // Staff reopening an open chat changes nothing (the citizen's request stays as they made it).
      if (!byCitizen) return 'already';
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: threadKey(userId),
            ConditionExpression: '#status = :open',
            UpdateExpression: `SET requestedAt = :at, via = :via, outsideHours = :outside, seq = seq + :one${profileSet}${asked.set}${input.readToken ? ', readToken = :read' : ''}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':open': 'open',
              ':at': input.at,
              ':via': input.via,
              ':outside': input.outsideHours,
              ':one': 1,
              ...profile,
              ...asked.values,
              ...(input.readToken ? { ':read': input.readToken } : {}),
            },
          }),
        );
        return 'already';
      } catch (error) {
        // Closed in the meantime: it opens again below.
        if (!isConditionFailure(error)) throw error;
      }
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: threadKey(userId),
                ConditionExpression: 'attribute_not_exists(PK) OR #status = :closed',
                UpdateExpression:
                  'SET #type = :type, userId = :u, #status = :open, openedAt = :at, requestedAt = :at, via = :via, outsideHours = :outside, openEventId = :eid, ' +
                  `lastAt = :at, GSI1PK = :gpk, GSI1SK = :gsk, #lang = :lang, seq = if_not_exists(seq, :zero) + :one${profileSet}` +
                  (byCitizen ? ', lastInboundAt = :at, preview = :preview' : '') +
                  (input.readToken ? ', readToken = :read REMOVE closedAt, closedBy' : ' REMOVE closedAt, closedBy, readToken'),
                ExpressionAttributeNames: { '#type': 'type', '#lang': 'language', ...names },
                ExpressionAttributeValues: {
                  ':type': 'ChatThread',
                  ':u': userId,
                  ':open': 'open',
                  ':closed': 'closed',
                  ':at': input.at,
                  ':via': input.via,
                  ':outside': input.outsideHours,
                  ':eid': input.eventId,
                  ':gpk': inboxPartition('open'),
                  ':gsk': inboxSortKey(input.at, userId),
                  ':lang': input.language,
                  ':zero': 0,
                  ':one': 1,
                  ...(byCitizen ? { ':preview': input.preview || OPEN_PREVIEW } : {}),
                  ...(input.readToken ? { ':read': input.readToken } : {}),
                  ...profile,
                },
              },
            },
            this.friendMark(userId, true),
          ],
        }),
      );
      return 'opened';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons || !isConditionFailure(error)) throw error;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'no-friend';
      return 'already';
    }
  }

  /** The friend's `chatOpen` mark, set or removed in the thread's transaction (the friend must exist). */
  private friendMark(userId: string, open: boolean) {
    return {
      Update: {
        TableName: this.table,
        Key: friendKey(userId),
        ConditionExpression: 'attribute_exists(PK)',
        ...(open ? { UpdateExpression: 'SET chatOpen = :true', ExpressionAttributeValues: { ':true': true } } : { UpdateExpression: 'REMOVE chatOpen' }),
      },
    };
  }

  async noteInbound(userId: string, note: InboundNote): Promise<'recorded' | 'older' | 'closed' | 'opener'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: threadKey(userId),
          ConditionExpression:
            '#status = :open AND (attribute_not_exists(lastInboundAt) OR lastInboundAt <= :at) AND (attribute_not_exists(openEventId) OR openEventId <> :eid)',
          // A message without a reply token (none comes with some kinds) leaves none behind: the older one is spent or stale.
          UpdateExpression:
            'SET lastInboundAt = :at, preview = :preview, lastAt = :at, GSI1SK = :gsk, seq = seq + :one' +
            (note.readToken ? ', readToken = :read' : '') +
            (note.replyToken ? ', replyToken = :rt, replyUntil = :ru' : ' REMOVE replyToken, replyUntil'),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':open': 'open',
            ':eid': note.eventId,
            ':at': note.at,
            ':preview': note.preview,
            ':gsk': inboxSortKey(note.at, userId),
            ':one': 1,
            ...(note.replyToken ? { ':rt': note.replyToken, ':ru': note.replyUntil ?? 0 } : {}),
            ...(note.readToken ? { ':read': note.readToken } : {}),
          },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const t = await this.get(userId);
      if (t?.status !== 'open') return 'closed';
      return t.openEventId === note.eventId ? 'opener' : 'older';
    }
  }

  async staffSent(userId: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: threadKey(userId),
          ConditionExpression: 'attribute_exists(PK) AND lastAt <= :at',
          UpdateExpression: 'SET lastAt = :at, GSI1SK = :gsk, seq = seq + :one',
          ExpressionAttributeValues: { ':at': at, ':gsk': inboxSortKey(at, userId), ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A newer activity is already the thread's latest: only the poll needs to hear of this one.
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: threadKey(userId),
          ConditionExpression: 'attribute_exists(PK)',
          UpdateExpression: 'SET seq = seq + :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    }
  }

  async claimReplyToken(userId: string, nowMs: number): Promise<string | null> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: threadKey(userId),
          ConditionExpression: 'attribute_exists(replyToken) AND replyUntil > :now',
          UpdateExpression: 'REMOVE replyToken, replyUntil',
          ExpressionAttributeValues: { ':now': nowMs },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return (Attributes?.replyToken as string | undefined) ?? null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  async markRead(userId: string, upTo: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: threadKey(userId),
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(readUpTo) OR readUpTo < :u)',
          UpdateExpression: 'SET readUpTo = :u, seq = seq + :one',
          ExpressionAttributeValues: { ':u': upTo, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async assign(userId: string, assignee: ChatAssignee | null): Promise<'done' | 'missing'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: threadKey(userId),
          ConditionExpression: 'attribute_exists(PK)',
          UpdateExpression: assignee ? 'SET assignee = :a, seq = seq + :one' : 'REMOVE assignee SET seq = seq + :one',
          ExpressionAttributeValues: { ':one': 1, ...(assignee ? { ':a': assignee } : {}) },
        }),
      );
      return 'done';
    } catch (error) {
      if (isConditionFailure(error)) return 'missing';
      throw error;
    }
  }

  async close(userId: string, at: string, by: string): Promise<'closed' | 'not-open'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: threadKey(userId),
                ConditionExpression: '#status = :open',
                UpdateExpression:
                  'SET #status = :closed, closedAt = :at, closedBy = :by, GSI1PK = :gpk, seq = seq + :one REMOVE replyToken, replyUntil, readToken',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':open': 'open', ':closed': 'closed', ':at': at, ':by': by, ':gpk': inboxPartition('closed'), ':one': 1 },
              },
            },
            this.friendMark(userId, false),
          ],
        }),
      );
      return 'closed';
    } catch (error) {
      if (isConditionFailure(error)) return 'not-open';
      throw error;
    }
  }

  async openThreads(): Promise<ChatThread[]> {
    const out: ChatThread[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.query('open', CHAT_LIMITS.openThreads - out.length, start);
      out.push(...page.items);
      start = page.last;
    } while (start && out.length < CHAT_LIMITS.openThreads);
    return out;
  }

  async closedPage(query: { limit: number; cursor?: string }): Promise<{ items: ChatThread[]; cursor?: string }> {
    if (!this.sealer) throw new Error('DynamoChatThreads needs a sealer to page');
    const start = query.cursor ? await openCursor(this.sealer, 'chat-closed', {}, query.cursor, keyShape) : undefined;
    const { items, last } = await this.query('closed', query.limit, start);
    return { items, ...(last ? { cursor: await sealCursor(this.sealer, 'chat-closed', {}, last) } : {}) };
  }

  private async query(status: 'open' | 'closed', limit: number, start?: Record<string, unknown>) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': inboxPartition(status) },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => entityOf<ChatThread>(i)).filter((t) => t.status === status),
      last: out.LastEvaluatedKey,
    };
  }
}
