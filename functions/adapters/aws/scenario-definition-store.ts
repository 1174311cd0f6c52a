/**
 * Scenario headers, version headers, start words and settings (keys: functions/scenarios/keys.ts).
 * A version header never changes after its save, so an instance keeps the ones it read.
 */
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  HEADER_SK_PREFIX,
  SCENARIOS_PARTITION,
  STEP_SK_PREFIX,
  WORD_SK_PREFIX,
  WORDS_PARTITION,
  headerKey,
  settingsKey,
  stepsPartition,
  versionKey,
  wordKey,
  wordsMarkerKey,
} from '../../scenarios/keys';
import type { ScenarioHeader, ScenarioVersion, Step } from '../../scenarios/model';
import type { DefinitionWrite, ScenarioDefinitions, ScenarioSettings, StartWords } from '../../scenarios/ports';
import { cancellationReasons, documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

const bumpMarker = (table: string) => ({
  Update: {
    TableName: table,
    Key: wordsMarkerKey(),
    UpdateExpression: 'ADD #v :one',
    ExpressionAttributeNames: { '#v': 'version' },
    ExpressionAttributeValues: { ':one': 1 },
  },
});

export class DynamoScenarioDefinitions implements ScenarioDefinitions {
  private readonly versions = new Map<string, ScenarioVersion>();

  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  list(): Promise<ScenarioHeader[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
        ExpressionAttributeValues: { ':pk': SCENARIOS_PARTITION, ':h': HEADER_SK_PREFIX },
        ConsistentRead: true,
      },
      (item) => entityOf<ScenarioHeader>(item),
    );
  }

  async get(scenarioId: string): Promise<ScenarioHeader | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: headerKey(scenarioId), ConsistentRead: true }));
    return Item ? entityOf<ScenarioHeader>(Item) : null;
  }

  async create(header: ScenarioHeader): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: this.headerItem(header), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async saveVersion(next: ScenarioHeader, version: ScenarioVersion): Promise<DefinitionWrite> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...versionKey(version.scenarioId, version.version), type: 'ScenarioVersion', ...version },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            { Put: { TableName: this.table, Item: this.headerItem(next), ...this.onRev(next.rev - 1) } },
          ],
        }),
      );
      return 'done';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      return reasons[1]?.Code === 'ConditionalCheckFailed' ? await this.lost(next.scenarioId) : 'conflict';
    }
  }

  async publish(next: ScenarioHeader, words: { claim: string[]; release: string[] }): Promise<DefinitionWrite | { taken: string; by: string }> {
    const claim = [...new Set(words.claim)];
    const release = [...new Set(words.release)].filter((w) => !claim.includes(w));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: this.headerItem(next), ...this.onRev(next.rev - 1) } },
            ...claim.map((w) => ({
              Put: {
                TableName: this.table,
                Item: { ...wordKey(w), type: 'ScenarioWord', word: w, scenarioId: next.scenarioId },
                ConditionExpression: 'attribute_not_exists(PK) OR scenarioId = :me',
                ExpressionAttributeValues: { ':me': next.scenarioId },
              },
            })),
            ...release.map((w) => this.releaseWord(w, next.scenarioId)),
            ...(claim.length + release.length > 0 ? [bumpMarker(this.table)] : []),
          ],
        }),
      );
      return 'done';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return this.lost(next.scenarioId);
      const at = reasons.findIndex((r, i) => i > 0 && i <= claim.length && r.Code === 'ConditionalCheckFailed');
      if (at > 0) {
        const taken = claim[at - 1]!;
        const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: wordKey(taken), ConsistentRead: true }));
        return { taken, by: String(Item?.scenarioId ?? '') };
      }
      // A word released by another writer meanwhile, or a transaction conflict: the caller retries.
      return 'conflict';
    }
  }

  async remove(scenarioId: string, expectedRev: number, release: string[]): Promise<DefinitionWrite> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.table, Key: headerKey(scenarioId), ...this.onRev(expectedRev) } },
            ...[...new Set(release)].map((w) => this.releaseWord(w, scenarioId)),
            ...(release.length > 0 ? [bumpMarker(this.table)] : []),
          ],
        }),
      );
      return 'done';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      return reasons[0]?.Code === 'ConditionalCheckFailed' ? this.lost(scenarioId) : 'conflict';
    }
  }

  async version(scenarioId: string, version: number): Promise<ScenarioVersion | null> {
    const key = versionKey(scenarioId, version);
    const hit = this.versions.get(key.PK);
    if (hit) return hit;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    if (!Item) return null;
    const found = entityOf<ScenarioVersion>(Item);
    this.versions.set(key.PK, found);
    if (this.versions.size > 1_000) this.versions.delete(this.versions.keys().next().value!);
    return found;
  }

  async versionSteps(scenarioId: string, version: number): Promise<Step[]> {
    const head = await this.version(scenarioId, version);
    if (!head) return [];
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :s)',
        ExpressionAttributeValues: { ':pk': stepsPartition(scenarioId, version, head.stepsId), ':s': STEP_SK_PREFIX },
        ConsistentRead: true,
      },
      (item) => entityOf<Step>(item),
    );
  }

  async wordsVersion(): Promise<number> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: wordsMarkerKey(), ConsistentRead: true }));
    return Number(Item?.version ?? 0);
  }

  async startWords(): Promise<StartWords> {
    const version = await this.wordsVersion();
    const items = await queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :w)',
        ExpressionAttributeValues: { ':pk': WORDS_PARTITION, ':w': WORD_SK_PREFIX },
        ConsistentRead: true,
      },
      (item) => [String(item.word), String(item.scenarioId)] as const,
    );
    return { version, words: new Map(items) };
  }

  async settings(): Promise<ScenarioSettings> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: settingsKey(), ConsistentRead: true }));
    return Item ? entityOf<ScenarioSettings>(Item) : { rev: 0 };
  }

  async saveSettings(next: ScenarioSettings, expectedRev: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...settingsKey(), type: 'ScenarioSettings', ...next },
          ...(expectedRev === 0 ? { ConditionExpression: 'attribute_not_exists(PK)' } : this.onRev(expectedRev)),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private headerItem(header: ScenarioHeader) {
    return { ...headerKey(header.scenarioId), type: 'ScenarioHeader', ...header };
  }

  private onRev(rev: number) {
    return { ConditionExpression: '#rev = :rev', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':rev': rev } };
  }

  private releaseWord(word: string, scenarioId: string) {
    return {
      Delete: {
        TableName: this.table,
        Key: wordKey(word),
        ConditionExpression: 'attribute_not_exists(PK) OR scenarioId = :me',
        ExpressionAttributeValues: { ':me': scenarioId },
      },
    };
  }

  private async lost(scenarioId: string): Promise<'conflict' | 'missing'> {
    return (await this.get(scenarioId)) ? 'conflict' : 'missing';
  }
}
