/** One friend as segment rules see them (their item's status, first follow, language, attributes) and whether they answered a form: a single relink's reads. */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AudienceFriend } from '../../deliveries/model';
import { responseKey } from '../../forms/keys';
import { audienceEntryOf } from '../../friends/audience-index';
import { friendKey } from '../../friends/keys';
import type { FriendSegmentSource } from '../../richmenus/ports';
import { documentClient, tableName } from './dynamo-client';

export class DynamoFriendSegmentSource implements FriendSegmentSource {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
  ) {}

  async friend(userId: string): Promise<AudienceFriend | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: friendKey(userId), ConsistentRead: true }));
    const entry = Item ? audienceEntryOf(Item) : null;
    if (!entry) return null;
    return {
      userId,
      displayName: '',
      status: 'active',
      followedAtMs: Date.parse(entry.followedAt),
      ...(entry.language ? { language: entry.language } : {}),
      ...(entry.attributes ? { attributes: entry.attributes } : {}),
    };
  }

  async answered(formId: string, userId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: responseKey(formId, userId), ConsistentRead: true, ProjectionExpression: 'PK' }),
    );
    return Item !== undefined;
  }
}
