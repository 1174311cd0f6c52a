/** Report settings, one item (keys: functions/reports/keys.ts), written with a revision guard. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_REPORT_SETTINGS } from '../../reports/defaults';
import { reportSettingsKey } from '../../reports/keys';
import type { ReportSettings } from '../../reports/model';
import type { ReportSettingsStore } from '../../reports/ports';
import { documentClient, isConditionFailure, putOnRev, tableName } from './dynamo-client';
import { entityOf } from './items';

export class DynamoReportSettings implements ReportSettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async settings(): Promise<ReportSettings> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: reportSettingsKey(), ConsistentRead: true }));
    return Item ? entityOf<ReportSettings>(Item) : DEFAULT_REPORT_SETTINGS;
  }

  /** The starter scenario's marker: claimed once (true), released when creating it failed. */
  starterMarker(): { claim(): Promise<boolean>; release(): Promise<void> } {
    const Key = { PK: reportSettingsKey().PK, SK: '#STARTER' };
    return {
      claim: async () => {
        try {
          await this.db.send(
            new PutCommand({ TableName: this.table, Item: { ...Key, type: 'ReportStarter' }, ConditionExpression: 'attribute_not_exists(PK)' }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },
      release: async () => {
        await this.db.send(new DeleteCommand({ TableName: this.table, Key }));
      },
    };
  }

  save(next: ReportSettings, expectedRev: number): Promise<boolean> {
    return putOnRev(this.db, this.table, { ...reportSettingsKey(), type: 'ReportSettings', ...next }, expectedRev);
  }
}
