/**
 * AudienceSource on the single table: friends from GSI1 `FRIENDS` (followedAt#userId order) with
 * only the attributes segment evaluation reads, the next page requested while the caller works
 * on the current one; form answerers from `FORM#<formId>` / `RESPONSE#<userId>` (keys only).
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { friendListKey } from '../../friends/keys';
import { RESPONSE_PREFIX, formPartition } from '../../forms/keys';
import type { AudienceFriend } from '../../deliveries/model';
import type { AudienceSource } from '../../deliveries/ports';
import { documentClient, tableName } from './dynamo-client';

const FRIENDS_PK = friendListKey('', '').GSI1PK;
/** Sort-key ranges over `RESPONSE#U<hex…>` read in parallel (LINE user IDs: U + 32 hex digits). */
const HEX = '0123456789abcdef';
const ANSWER_SEGMENTS = 4;

function toFriend(item: Record<string, unknown>): AudienceFriend {
  return {
    userId: item.userId as string,
    displayName: (item.displayName as string) ?? '',
    status: item.status as AudienceFriend['status'],
    followedAt: item.followedAt as string,
    ...(typeof item.language === 'string' ? { language: item.language } : {}),
    ...(item.attributes ? { attributes: item.attributes as AudienceFriend['attributes'] } : {}),
  };
}

/** Position = the page's LastEvaluatedKey (an opaque string for the port). */
const encodePosition = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodePosition = (position: string) => JSON.parse(Buffer.from(position, 'base64url').toString('utf8')) as Record<string, unknown>;

export class DynamoAudienceSource implements AudienceSource {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    /** Items per page (DynamoDB also stops at 1 MB read). Smaller pages reach the first chunk sooner. */
    private readonly pageSize = 2000,
  ) {}

  async *pages(after?: string): AsyncIterable<{ friends: AudienceFriend[]; position: string }> {
    const query = (start: Record<string, unknown> | undefined, limit: number) =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': FRIENDS_PK },
          ProjectionExpression: 'PK, SK, GSI1PK, GSI1SK, userId, displayName, #status, followedAt, #language, #attributes',
          ExpressionAttributeNames: { '#status': 'status', '#language': 'language', '#attributes': 'attributes' },
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      );
    // The first page is small so the first chunk (and its multicast) leaves early.
    let next: Promise<QueryCommandOutput> | undefined = query(after ? decodePosition(after) : undefined, Math.min(this.pageSize, 500));
    while (next) {
      const page: QueryCommandOutput = await next;
      // Prefetch: the next page is on its way while the caller evaluates this one.
      next = page.LastEvaluatedKey ? query(page.LastEvaluatedKey, this.pageSize) : undefined;
      const friends = (page.Items ?? []).filter((i) => typeof i.userId === 'string').map(toFriend);
      yield { friends, position: page.LastEvaluatedKey ? encodePosition(page.LastEvaluatedKey) : '' };
    }
  }

  async answeredUsers(formId: string): Promise<Set<string>> {
    const per = HEX.length / ANSWER_SEGMENTS;
    const ranges = Array.from({ length: ANSWER_SEGMENTS }, (_, i): [string, string] => [
      i === 0 ? RESPONSE_PREFIX : `${RESPONSE_PREFIX}U${HEX[i * per]}`,
      i === ANSWER_SEGMENTS - 1 ? `${RESPONSE_PREFIX}~` : `${RESPONSE_PREFIX}U${HEX[(i + 1) * per - 1]}~`,
    ]);
    const users = new Set<string>();
    await Promise.all(
      ranges.map(async ([from, to]) => {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':pk': formPartition(formId), ':from': from, ':to': to },
              ProjectionExpression: 'SK',
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) users.add((item.SK as string).slice(RESPONSE_PREFIX.length));
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    return users;
  }
}
