/**
 * Writes of the audience index (functions/friends/audience-index.ts) on the single table.
 * Friend writes use `revisedFriendWrite`: read the friend item, build the transaction from what
 * was read, and let the friend item's revision condition refuse it if anything changed in
 * between (then read again). The bucket update rides in the same transaction.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { AUDIENCE_BUCKETS, audienceBucketOf, audienceEntryOf, encodeAudienceEntry, type AudienceEntry } from '../../friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, friendKey, friendListKey } from '../../friends/keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The friend item's condition for "unchanged since read" (items written before `rev` existed included). */
export function unchangedSince(item: Record<string, unknown> | undefined): { expression: string; values: Record<string, unknown> } {
  if (!item) return { expression: 'attribute_not_exists(PK)', values: {} };
  if (typeof item.rev !== 'number') return { expression: 'attribute_exists(PK) AND attribute_not_exists(rev)', values: {} };
  return { expression: 'rev = :readRev', values: { ':readRev': item.rev } };
}

/** Sets (entry) or removes (null) the friend's attribute in its bucket. */
export function audienceEntryWrite(table: string, userId: string, entry: AudienceEntry | null): TransactItem {
  const Key = audienceBucketKey(audienceBucketOf(userId));
  return entry
    ? { Update: { TableName: table, Key, UpdateExpression: 'SET #user = :entry', ExpressionAttributeNames: { '#user': userId }, ExpressionAttributeValues: { ':entry': encodeAudienceEntry(entry) } } }
    : { Update: { TableName: table, Key, UpdateExpression: 'REMOVE #user', ExpressionAttributeNames: { '#user': userId } } };
}

export async function readFriendItem(db: DynamoDBDocumentClient, table: string, userId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: friendKey(userId), ConsistentRead: true }));
  return Item;
}

// Concurrent writes to ONE friend are rare (a follow and a form answer at the same moment); a
// burst of them still gets through: each round one writer wins, the others back off with jitter.
const REVISION_ATTEMPTS = 12;

/**
 * True when a transaction lost a race: another transaction touched one of its items at the same
 * time (TransactionConflict), or the friend item (at `friendIndex`) changed after it was read.
 */
function lostRace(error: unknown, friendIndex: number): boolean {
  if ((error as { name?: string }).name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'TransactionConflict') || reasons[friendIndex]?.Code === 'ConditionalCheckFailed';
}

/**
 * Runs `attempt` (read → transact) until it does not lose a race, at most REVISION_ATTEMPTS
 * times, with a short jittered pause between tries. `friendIndex` is the friend item's position
 * in the transaction.
 */
export async function revisedFriendWrite<T>(friendIndex: number, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= REVISION_ATTEMPTS || !lostRace(error, friendIndex)) throw error;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 10 * Math.min(n, 8)));
    }
  }
}

/**
 * Rebuilds every entry from the friend items (GSI1 FRIENDS): sets active friends' entries and
 * removes blocked ones. For data written before the index existed, and for repairs; a friend
 * write racing the rebuild can be overwritten by the older value read here, so run it while the
 * account is quiet (or run it twice). Writes the built marker; returns the entries set and removed.
 */
export async function rebuildAudienceIndex(db: DynamoDBDocumentClient, table: string): Promise<{ set: number; removed: number }> {
  const buckets = new Map<number, { set: Map<string, string>; remove: string[] }>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': friendListKey('', '').GSI1PK },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.userId !== 'string') continue;
      const b = audienceBucketOf(item.userId);
      let bucket = buckets.get(b);
      if (!bucket) buckets.set(b, (bucket = { set: new Map(), remove: [] }));
      const entry = audienceEntryOf(item);
      if (entry) bucket.set.set(item.userId, encodeAudienceEntry(entry));
      else bucket.remove.push(item.userId);
    }
    start = page.LastEvaluatedKey;
  } while (start);

  // Up to 100 attributes per UpdateItem (the update expression stays far below its 4 KB limit).
  let set = 0;
  let removed = 0;
  const updates: UpdateCommand[] = [];
  for (const [b, bucket] of buckets) {
    const sets = [...bucket.set];
    for (let i = 0; i < sets.length; i += 100) {
      const part = sets.slice(i, i + 100);
      updates.push(
        new UpdateCommand({
          TableName: table,
          Key: audienceBucketKey(b),
          UpdateExpression: `SET ${part.map((_, j) => `#u${j} = :e${j}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(part.map(([u], j) => [`#u${j}`, u])),
          ExpressionAttributeValues: Object.fromEntries(part.map(([, e], j) => [`:e${j}`, e])),
        }),
      );
      set += part.length;
    }
    for (let i = 0; i < bucket.remove.length; i += 100) {
      const part = bucket.remove.slice(i, i + 100);
      updates.push(
        new UpdateCommand({
          TableName: table,
          Key: audienceBucketKey(b),
          UpdateExpression: `REMOVE ${part.map((_, j) => `#u${j}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(part.map((u, j) => [`#u${j}`, u])),
        }),
      );
      removed += part.length;
    }
  }
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < updates.length) await db.send(updates[next++]!); }));
  await db.send(new PutCommand({ TableName: table, Item: { ...audienceIndexMarkerKey, type: 'AudienceIndex', version: AUDIENCE_INDEX_VERSION, builtAt: new Date().toISOString(), set, removed } }));
  return { set, removed };
}

/** Every bucket key, for readers. */
export const audienceBucketKeys = () => Array.from({ length: AUDIENCE_BUCKETS }, (_, b) => audienceBucketKey(b));

export const AUDIENCE_INDEX_VERSION = 1;

/**
 * Builds the index once for a table whose friends were written before it existed: a marker item
 * records that it was built (a fresh table costs one GetItem and an empty query).
 */
export async function ensureAudienceIndex(db: DynamoDBDocumentClient, table: string): Promise<void> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: audienceIndexMarkerKey }));
  if (typeof Item?.version === 'number' && Item.version >= AUDIENCE_INDEX_VERSION) return;
  await rebuildAudienceIndex(db, table);
}
