/**
 * Writes of the audience index (functions/friends/audience-index.ts) on the single table.
 * Friend writes use `revisedFriendWrite`: read the friend item, build the transaction from what
 * was read, and let the friend item's revision condition refuse it if anything changed in
 * between (then read again). The bucket update rides in the same transaction.
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { AUDIENCE_BUCKETS, audienceBucketOf, audienceEntryOf, encodeAudienceEntry, type AudienceEntry } from '../../friends/audience-index';
import { FRIENDS_LIST_PK, audienceBucketKey, audienceIndexMarkerKey, friendKey } from '../../friends/keys';

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

type Reasons = { Code?: string }[];

/**
 * Runs `attempt` (read → transact; `n` counts from 1) again while its transaction lost a race
 * (`lost` says so from the cancellation reasons), at most REVISION_ATTEMPTS times, with a short
 * jittered pause between tries.
 */
async function retryLostRaces<T>(attempt: (n: number) => Promise<T>, lost: (reasons: Reasons) => boolean): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const cancelled = (error as { name?: string }).name === 'TransactionCanceledException';
      if (n >= REVISION_ATTEMPTS || !cancelled || !lost((error as { CancellationReasons?: Reasons }).CancellationReasons ?? [])) throw error;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 10 * Math.min(n, 8)));
    }
  }
}

/**
 * A friend write (read → transact) retried while it loses a race: another transaction touched one
 * of its items at the same time (TransactionConflict), or the friend item — at `friendIndex` in
 * the transaction — changed after it was read.
 */
export function revisedFriendWrite<T>(friendIndex: number, attempt: () => Promise<T>): Promise<T> {
  return retryLostRaces(attempt, (reasons) => reasons.some((r) => r.Code === 'TransactionConflict') || reasons[friendIndex]?.Code === 'ConditionalCheckFailed');
}

/**
 * Rebuilds every entry from the friend items (GSI1 FRIENDS): sets active friends' entries and
 * removes blocked ones — for data written before the index existed, and for repairs. Safe while
 * friends follow, block and answer: each write covers at most 99 friends of one bucket in a
 * transaction whose condition checks say none of them changed since it was read (their `rev`);
 * a group that lost a race is read again from the table and retried. Two rebuilds at once are
 * safe too. Writes the built marker; returns the entries set and removed.
 */
export async function rebuildAudienceIndex(db: DynamoDBDocumentClient, table: string): Promise<{ set: number; removed: number }> {
  const buckets = new Map<number, Record<string, unknown>[]>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': FRIENDS_LIST_PK },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.userId !== 'string') continue;
      const b = audienceBucketOf(item.userId);
      let bucket = buckets.get(b);
      if (!bucket) buckets.set(b, (bucket = []));
      bucket.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);

  const groups: { bucket: number; friends: Record<string, unknown>[] }[] = [];
  for (const [bucket, friends] of buckets) for (let i = 0; i < friends.length; i += 99) groups.push({ bucket, friends: friends.slice(i, i + 99) });
  let set = 0;
  let removed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < groups.length) {
        const result = await writeGroup(db, table, groups[next++]!);
        set += result.set;
        removed += result.removed;
      }
    }),
  );
  await db.send(new PutCommand({ TableName: table, Item: { ...audienceIndexMarkerKey, type: 'AudienceIndex', version: AUDIENCE_INDEX_VERSION, builtAt: new Date().toISOString(), set, removed } }));
  return { set, removed };
}

/**
 * One bucket update for ≤ 99 friends, conditional on each friend being unchanged since read; a
 * lost race reads them again from the table (someone wrote one, or the GSI copy was behind).
 */
async function writeGroup(db: DynamoDBDocumentClient, table: string, group: { bucket: number; friends: Record<string, unknown>[] }): Promise<{ set: number; removed: number }> {
  let friends = group.friends;
  return retryLostRaces(
    async (n) => {
      if (n > 1) {
        const { Responses } = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: friends.map((f) => friendKey(f.userId as string)), ConsistentRead: true } } }));
        const fresh = new Map((Responses?.[table] ?? []).map((item) => [item.userId as string, item]));
        friends = friends.map((f) => fresh.get(f.userId as string) ?? f);
      }
      const sets: string[] = [];
      const removes: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const checks: TransactItem[] = friends.map((item, j) => {
        const entry = audienceEntryOf(item);
        names[`#u${j}`] = item.userId as string;
        if (entry) {
          sets.push(`#u${j} = :e${j}`);
          values[`:e${j}`] = encodeAudienceEntry(entry);
        } else removes.push(`#u${j}`);
        const unchanged = unchangedSince(item);
        return { ConditionCheck: { TableName: table, Key: friendKey(item.userId as string), ConditionExpression: unchanged.expression, ...(Object.keys(unchanged.values).length ? { ExpressionAttributeValues: unchanged.values } : {}) } };
      });
      const update = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: table, Key: audienceBucketKey(group.bucket), UpdateExpression: update, ExpressionAttributeNames: names, ...(sets.length ? { ExpressionAttributeValues: values } : {}) } },
            ...checks,
          ],
        }),
      );
      return { set: sets.length, removed: removes.length };
    },
    (reasons) => reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ConditionalCheckFailed'),
  );
}

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

/** Every bucket key, for readers. */
export const audienceBucketKeys = () => Array.from({ length: AUDIENCE_BUCKETS }, (_, b) => audienceBucketKey(b));
