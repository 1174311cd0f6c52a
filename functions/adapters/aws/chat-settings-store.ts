/** Chat settings and canned answers, one item each (keys: functions/chat/keys.ts), written with a revision guard. */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cannedKey, chatSettingsKey } from '../../chat/keys';
import { DEFAULT_CHAT_SETTINGS, type CannedAnswers, type ChatSettings } from '../../chat/model';
import type { ChatSettingsStore } from '../../chat/ports';
import { documentClient, putOnRev, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoChatSettings implements ChatSettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async settings(): Promise<ChatSettings> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: chatSettingsKey(), ConsistentRead: true }));
    return Item ? entityOf<ChatSettings>(Item) : DEFAULT_CHAT_SETTINGS;
  }

  saveSettings(next: ChatSettings, expectedRev: number): Promise<boolean> {
    return this.put(chatSettingsKey(), 'ChatSettings', next, expectedRev);
  }

  async canned(): Promise<CannedAnswers> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: cannedKey(), ConsistentRead: true }));
    return Item ? entityOf<CannedAnswers>(Item) : { items: [], rev: 0 };
  }

  saveCanned(next: CannedAnswers, expectedRev: number): Promise<boolean> {
    return this.put(cannedKey(), 'ChatCanned', next, expectedRev);
  }

  private put(key: { PK: string; SK: string }, type: string, value: object, expectedRev: number): Promise<boolean> {
    return putOnRev(this.db, this.table, { ...key, type, ...value }, expectedRev);
  }
}
