/**
 * EventLedger on the single table with conditional writes (keys: functions/webhook/keys.ts).
 * A claim is a lease: if a worker dies mid-way, the claim expires and a retry takes it.
 */
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, EventLedger, Refusal } from '../../webhook/event-ledger';
import { eventLedgerKey, refusalListKey } from '../../webhook/keys';
import { documentClient, isConditionFailure, tableName } from './dynamo-client';

const LEASE_MS = 60_000;
const KEEP_SECONDS = 7 * 24 * 3600;
/** Refused events stay longer: staff look into them. */
const REFUSED_KEEP_SECONDS = 90 * 24 * 3600;

export class DynamoEventLedger implements EventLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async claim(webhookEventId: string, now: Date): Promise<ClaimResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...eventLedgerKey(webhookEventId),
            type: 'WebhookEvent',
            status: 'in_progress',
            leaseUntil: now.getTime() + LEASE_MS,
            expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :inProgress AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': now.getTime() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Record<string, { S?: string }> }).Item;
      return old?.status?.S === 'completed' ? 'done' : 'busy';
    }
  }

  async complete(webhookEventId: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: eventLedgerKey(webhookEventId),
        UpdateExpression: 'SET #status = :completed, completedAt = :now REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':now': now.toISOString() },
      }),
    );
  }

  async refuse(webhookEventId: string, now: Date, refusal: Refusal): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...eventLedgerKey(webhookEventId),
            ...refusalListKey(now.toISOString(), webhookEventId),
            type: 'WebhookEvent',
            status: 'completed',
            outcome: 'refused',
            reason: refusal.reason,
            ...(refusal.eventType ? { eventType: refusal.eventType } : {}),
            completedAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + REFUSED_KEEP_SECONDS,
          },
          // Ours to write: not recorded yet, or our own claim (a refusal found while processing).
          ConditionExpression: 'attribute_not_exists(PK) OR #status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // already completed: recorded once
    }
  }

  async release(webhookEventId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: eventLedgerKey(webhookEventId),
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
