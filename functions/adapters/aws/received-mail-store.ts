/**
 * Received alert mails, their held markers and their duplicate keys on the single table (keys:
 * functions/disaster-mail/keys.ts; docs/data-model.md "Disaster mail"). A mail is recorded once
 * (conditional put); duplicate keys are claimed in one transaction, so of two copies processed at
 * once exactly one wins.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { HELD_PARTITION, MAIL_LOG_PARTITION, duplicateKey, heldMarkerKey, receivedMailKey, receivedMailListKey } from '../../disaster-mail/keys';
import type { ClaimResult, MailKeyClaim, ReceivedMail, ReceivedMailRepository } from '../../disaster-mail/ports';
import type { Sealer } from '../../shared/sealed';
import { appSealer } from './app-secret';
import { openCursor, sealCursor } from './cursor';
import { cancellationReasons, documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

const listCursor = z
  .object({ PK: z.string().startsWith('DMAIL#'), SK: z.literal('MAIL'), GSI1PK: z.literal(MAIL_LOG_PARTITION), GSI1SK: z.string().max(80) })
  .strict();

export class DynamoReceivedMailStore implements ReceivedMailRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async get(mailId: string): Promise<ReceivedMail | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: receivedMailKey(mailId), ConsistentRead: true }));
    return Item ? entityOf<ReceivedMail>(Item) : null;
  }

  async record(mail: ReceivedMail, options: { held?: boolean } = {}): Promise<boolean> {
    const Item = { ...receivedMailKey(mail.mailId), ...receivedMailListKey(mail.receivedAt, mail.mailId), type: 'DisasterMail', ...mail };
    try {
      if (options.held) {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(PK)' } },
              { Put: { TableName: this.table, Item: { ...heldMarkerKey(mail.mailId), type: 'DisasterMailHeld', receivedAt: mail.receivedAt } } },
            ],
          }),
        );
      } else {
        await this.db.send(new PutCommand({ TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(PK)' }));
      }
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimKeys(mailId: string, receivedAt: string, keys: MailKeyClaim[], nowSec: number): Promise<ClaimResult> {
    // A lost race whose winner's key expired before we read it, or two copies' transactions
    // colliding (DynamoDB cancels both with TransactionConflict): try again (bounded, jittered).
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: keys.map((k) => ({
              Put: {
                TableName: this.table,
                Item: { ...duplicateKey(k.kind, k.value), type: 'DisasterMailKey', kind: k.kind, mailId, receivedAt, expiresAt: k.expiresAtSec },
                ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now OR mailId = :self',
                ExpressionAttributeValues: { ':now': nowSec, ':self': mailId },
              },
            })),
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (cancellationReasons(error)?.some((r) => r.Code === 'TransactionConflict')) {
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * (attempt + 1)));
          continue;
        }
        if (!isConditionFailure(error)) throw error;
      }
      const held = await this.peekKeys(keys, nowSec, mailId);
      if (!held.claimed) return held;
    }
    throw new Error('Duplicate keys kept changing while they were claimed');
  }

  async peekKeys(keys: MailKeyClaim[], nowSec: number, self?: string): Promise<ClaimResult> {
    for (const k of keys) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: duplicateKey(k.kind, k.value), ConsistentRead: true }));
      if (Item && Number(Item.expiresAt) >= nowSec && Item.mailId !== self) {
        return { claimed: false, holder: { mailId: String(Item.mailId), receivedAt: String(Item.receivedAt), by: k.kind } };
      }
    }
    return { claimed: true };
  }

  async list(query: { limit: number; cursor?: string }): Promise<{ items: ReceivedMail[]; cursor?: string }> {
    const start = query.cursor ? await openCursor(this.sealer, 'disaster-mails', {}, query.cursor, listCursor) : undefined;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': MAIL_LOG_PARTITION },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: start,
      }),
    );
    const items = (page.Items ?? []).map((item) => entityOf<ReceivedMail>(item));
    const last = page.LastEvaluatedKey;
    return { items, ...(last ? { cursor: await sealCursor(this.sealer, 'disaster-mails', {}, last) } : {}) };
  }

  async heldIds(): Promise<string[]> {
    return queryAll(
      this.db,
      { TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': HELD_PARTITION }, ConsistentRead: true },
      (item) => String(item.SK),
    );
  }

  async resolveHold(mailId: string, fields: Pick<ReceivedMail, 'decision' | 'reason' | 'hold'> & { content?: ReceivedMail['content'] }): Promise<boolean> {
    const names: Record<string, string> = { '#decision': 'decision', '#reason': 'reason', '#hold': 'hold' };
    const values: Record<string, unknown> = { ':decision': fields.decision, ':reason': fields.reason, ':hold': fields.hold ?? {}, ':held': 'held' };
    let set = 'SET #decision = :decision, #reason = :reason, #hold = :hold';
    if (fields.content) {
      names['#content'] = 'content';
      values[':content'] = fields.content;
      set += ', #content = :content';
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: receivedMailKey(mailId),
                UpdateExpression: set,
                ConditionExpression: '#decision = :held',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            { Delete: { TableName: this.table, Key: heldMarkerKey(mailId) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async dropHeldMarker(mailId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: heldMarkerKey(mailId) }));
  }
}
