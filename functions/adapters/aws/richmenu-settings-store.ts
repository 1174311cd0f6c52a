/** Which menu each friend sees, disaster mode, the link job's status, creations and retired LINE menus (keys: functions/richmenus/keys.ts). */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  RETIRED_SK_PREFIX,
  RICHMENUS_PARTITION,
  richMenuCreationsKey,
  richMenuDisasterKey,
  richMenuRetiredKey,
  richMenuSettingsKey,
  richMenuSyncKey,
} from '../../richmenus/keys';
import { DEFAULT_RICH_MENU_SETTINGS, DISASTER_OFF, type DisasterState, type LinkSyncStatus, type RichMenuSettings } from '../../richmenus/model';
import type { RichMenuSettingsStore } from '../../richmenus/ports';
import { documentClient, isConditionFailure, pause, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

const HOUR_MS = 3_600_000;

export class DynamoRichMenuSettingsStore implements RichMenuSettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  private async read(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))).Item;
  }

  /** Puts the item if it is still at `version - 1` (absent counts as 0). */
  private async putVersioned(key: { PK: string; SK: string }, type: string, value: { version: number }): Promise<'done' | 'conflict'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, type, ...value },
          ConditionExpression: value.version === 1 ? 'attribute_not_exists(PK) OR #version = :expected' : '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': value.version - 1 },
        }),
      );
      return 'done';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async settings(): Promise<RichMenuSettings> {
    const item = await this.read(richMenuSettingsKey());
    return item ? entityOf<RichMenuSettings>(item) : structuredClone(DEFAULT_RICH_MENU_SETTINGS);
  }

  saveSettings(next: RichMenuSettings): Promise<'done' | 'conflict'> {
    return this.putVersioned(richMenuSettingsKey(), 'RichMenuSettings', next);
  }

  async disaster(): Promise<DisasterState> {
    const item = await this.read(richMenuDisasterKey());
    return item ? entityOf<DisasterState>(item) : { ...DISASTER_OFF, kinds: [] };
  }

  saveDisaster(next: DisasterState): Promise<'done' | 'conflict'> {
    return this.putVersioned(richMenuDisasterKey(), 'RichMenuDisaster', next);
  }

  async syncStatus(): Promise<LinkSyncStatus> {
    const item = await this.read(richMenuSyncKey());
    if (!item) return {};
    const { leaseOwner: _o, leaseUntil: _u, ...status } = entityOf<LinkSyncStatus & { leaseOwner?: string; leaseUntil?: number }>(item);
    return status;
  }

  async noteSync(fields: LinkSyncStatus): Promise<void> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: richMenuSyncKey(),
        UpdateExpression: `SET #type = :type, ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type', ...Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])) },
        ExpressionAttributeValues: { ':type': 'RichMenuSync', ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])) },
      }),
    );
  }

  async claimSync(owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: richMenuSyncKey(),
          UpdateExpression: 'SET #type = :type, #owner = :owner, #until = :until',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#type': 'type', '#owner': 'leaseOwner', '#until': 'leaseUntil' },
          ExpressionAttributeValues: { ':type': 'RichMenuSync', ':owner': owner, ':until': nowMs + leaseMs, ':now': nowMs },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseSync(owner: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: richMenuSyncKey(),
          UpdateExpression: 'REMOVE #owner, #until',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'leaseOwner', '#until': 'leaseUntil' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async takeCreation(nowMs: number, limit: number): Promise<{ ok: true } | { ok: false; freeAtMs: number }> {
    // Losers of a concurrent write read again after a short random pause (a burst of creations is rare: staff clicks).
    for (let attempt = 0; attempt < 60; attempt++) {
      if (attempt > 0) await pause(attempt);
      const item = await this.read(richMenuCreationsKey());
      const version = typeof item?.version === 'number' ? item.version : 0;
      const times = (Array.isArray(item?.times) ? (item.times as unknown[]) : []).filter((t): t is number => typeof t === 'number' && t > nowMs - HOUR_MS);
      times.sort((a, b) => a - b);
      if (times.length >= limit) return { ok: false, freeAtMs: times[times.length - limit]! + HOUR_MS };
      if (
        (await this.putVersioned(richMenuCreationsKey(), 'RichMenuCreations', { times: [...times, nowMs], version: version + 1 } as { version: number })) ===
        'done'
      )
        return { ok: true };
    }
    throw new Error('rich menu creations: too many concurrent writers');
  }

  async retire(lineRichMenuId: string, at: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...richMenuRetiredKey(lineRichMenuId), type: 'RichMenuRetired', lineRichMenuId, at } }));
  }

  retired(): Promise<{ lineRichMenuId: string; at: string }[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :retired)',
        ExpressionAttributeValues: { ':pk': RICHMENUS_PARTITION, ':retired': RETIRED_SK_PREFIX },
        ConsistentRead: true,
      },
      (item) => ({ lineRichMenuId: String(item.lineRichMenuId), at: String(item.at) }),
    );
  }

  async forget(lineRichMenuId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: richMenuRetiredKey(lineRichMenuId) }));
  }
}
