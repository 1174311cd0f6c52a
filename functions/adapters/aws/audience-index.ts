/**
 * Writes of the audience index (functions/friends/audience-index.ts) on the single table.
 * Friend writes use `revisedFriendWrite`: read the friend item and its bucket, build the
 * transaction from what was read, and let the friend's and the bucket's revision conditions
 * refuse it if either changed in between (then read both again).
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { AUDIENCE_BUCKETS, audienceBucketOf, audienceEntryOf, indexableUserId, packAudienceBucket, setAudienceLines, unpackAudienceBucket, type AudienceEntry, type AudienceLines } from '../../friends/audience-index';
import { logger } from '../../shared/powertools';
import { FRIENDS_LIST_PK, audienceBucketKey, audienceIndexMarkerKey, friendKey } from '../../friends/keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The friend item's condition for "unchanged since read" (items written before `rev` existed included). */
export function unchangedSince(item: Record<string, unknown> | undefined): { expression: string; values: Record<string, unknown> } {
  if (!item) return { expression: 'attribute_not_exists(PK)', values: {} };
  if (typeof item.rev !== 'number') return { expression: 'attribute_exists(PK) AND attribute_not_exists(rev)', values: {} };
  return { expression: 'rev = :readRev', values: { ':readRev': item.rev } };
}

type Bucket = AudienceLines & { Key: Record<string, string>; rev: number | undefined };

/** A bucket as it is now (consistent): its lines and revision (none yet: no item or never packed). */
export async function readAudienceBucket(db: DynamoDBDocumentClient, table: string, bucket: number): Promise<Bucket> {
  const Key = audienceBucketKey(bucket);
  const { Item } = await db.send(new GetCommand({ TableName: table, Key, ConsistentRead: true, ProjectionExpression: 'e, n, rev' }));
  const dropped = (line: string) => logger.error('Audience bucket line dropped (malformed)', { bucket, line: line.slice(0, 200) });
  return { Key, rev: typeof Item?.rev === 'number' ? Item.rev : undefined, entries: unpackAudienceBucket(Item?.e, dropped), names: unpackAudienceBucket(Item?.n, dropped) };
}

/**
 * The bucket's new packed lines, conditional on its revision as read. `users` also lose any
 * attribute of format version 1 (one attribute per friend), so a rebuilt table sheds them.
 */
function bucketWrite(table: string, bucket: Bucket, users: string[]): TransactItem {
  const names: Record<string, string> = { '#e': 'e', '#n': 'n', '#rev': 'rev' };
  users.forEach((u, j) => (names[`#u${j}`] = u));
  const packed = packAudienceBucket(bucket);
  return {
    Update: {
      TableName: table,
      Key: bucket.Key,
      ConditionExpression: bucket.rev === undefined ? 'attribute_not_exists(#rev)' : '#rev = :rev',
      UpdateExpression: `SET #e = :e, #n = :n, #rev = :next${users.length ? ` REMOVE ${users.map((_, j) => `#u${j}`).join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':e': packed.e, ':n': packed.n, ':next': (bucket.rev ?? 0) + 1, ...(bucket.rev === undefined ? {} : { ':rev': bucket.rev }) },
    },
  };
}

/** Sets (entry) or removes (null) the friend's lines in the bucket as read: the conditional write of the bucket. */
export function audienceEntryWrite(table: string, bucket: Bucket, userId: string, entry: AudienceEntry | null): TransactItem {
  setAudienceLines(bucket, userId, entry);
  return bucketWrite(table, bucket, [userId]);
}

/** The friend item and its audience bucket, read at once (consistent): what a friend write builds its transaction from. */
export async function readFriendAndBucket(db: DynamoDBDocumentClient, table: string, userId: string): Promise<{ item: Record<string, unknown> | undefined; bucket: Bucket }> {
  const [{ Item }, bucket] = await Promise.all([
    db.send(new GetCommand({ TableName: table, Key: friendKey(userId), ConsistentRead: true })),
    readAudienceBucket(db, table, audienceBucketOf(userId)),
  ]);
  return { item: Item, bucket };
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
 * of its items at the same time (TransactionConflict), or the friend item or its audience bucket —
 * at `at.friend` / `at.bucket` in the transaction — changed after it was read. A refusal of any
 * other item (e.g. a duplicate history entry) is not a race and is thrown at once.
 */
export function revisedFriendWrite<T>(at: { friend: number; bucket: number }, attempt: () => Promise<T>): Promise<T> {
  return retryLostRaces(
    attempt,
    (reasons) =>
      reasons.some((r) => r.Code === 'TransactionConflict') ||
      reasons[at.friend]?.Code === 'ConditionalCheckFailed' ||
      reasons[at.bucket]?.Code === 'ConditionalCheckFailed',
  );
}

/**
 * Rebuilds every entry from the friend items (GSI1 FRIENDS): sets active friends' entries and
 * removes blocked ones — for data written before the index existed or in format version 1, and
 * for repairs. Safe while friends follow, block and answer: a bucket is rewritten for at most 98
 * friends at a time in a transaction conditional on the bucket's revision as read and, per
 * friend, on the friend being unchanged since read (their `rev`); a group that lost a race reads
 * the bucket and its friends again and retries. A bucket's groups go one after another. Two
 * rebuilds at once are safe too. Writes the built marker; returns the entries set and removed.
 */
export async function rebuildAudienceIndex(db: DynamoDBDocumentClient, table: string, options: { recheckAfter?: number } = {}): Promise<{ set: number; removed: number }> {
  const buckets = new Map<number, Record<string, unknown>[]>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': FRIENDS_LIST_PK },
        // Only what an entry and the "unchanged since read" check need: 100,000 friends stay small in memory.
        ProjectionExpression: 'userId, #status, followedAt, displayName, #language, attributes, rev',
        ExpressionAttributeNames: { '#status': 'status', '#language': 'language' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.userId !== 'string') continue;
      if (!indexableUserId(item.userId)) {
        logger.error('Friend left out of the audience index: its user ID has a tab or newline', { userId: JSON.stringify(item.userId).slice(0, 80) });
        continue;
      }
      const b = audienceBucketOf(item.userId);
      let bucket = buckets.get(b);
      if (!bucket) buckets.set(b, (bucket = []));
      bucket.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);

  const work = [...buckets];
  let set = 0;
  let removed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < work.length) {
        const [bucket, friends] = work[next++]!;
        for (let i = 0; i < friends.length; i += 98) {
          const result = await writeGroup(db, table, { bucket, friends: friends.slice(i, i + 98) });
          set += result.set;
          removed += result.removed;
        }
      }
    }),
  );
  const recheck = options.recheckAfter !== undefined && set + removed > 0 ? { recheckAfter: options.recheckAfter } : {};
  logger.info('Audience index rebuilt', { set, removed, version: AUDIENCE_INDEX_VERSION, ...recheck });
  await db.send(new PutCommand({ TableName: table, Item: { ...audienceIndexMarkerKey, type: 'AudienceIndex', version: AUDIENCE_INDEX_VERSION, builtAt: new Date().toISOString(), set, removed, ...recheck } }));
  return { set, removed };
}

/**
 * One bucket rewrite for ≤ 98 friends, conditional on the bucket's revision and on each friend
 * being unchanged since read; a lost race reads them again from the table (someone wrote one, or
 * the GSI copy was behind).
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
      const bucket = await readAudienceBucket(db, table, group.bucket);
      let set = 0;
      let removed = 0;
      const checks: TransactItem[] = friends.map((item) => {
        const userId = item.userId as string;
        const entry = audienceEntryOf(item);
        setAudienceLines(bucket, userId, entry);
        if (entry) set++;
        else removed++;
        const unchanged = unchangedSince(item);
        return { ConditionCheck: { TableName: table, Key: friendKey(userId), ConditionExpression: unchanged.expression, ...(Object.keys(unchanged.values).length ? { ExpressionAttributeValues: unchanged.values } : {}) } };
      });
      await db.send(new TransactWriteCommand({ TransactItems: [bucketWrite(table, bucket, friends.map((f) => f.userId as string)), ...checks] }));
      return { set, removed };
    },
    (reasons) => reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ConditionalCheckFailed'),
  );
}

/**
 * 3: tab-separated lines, names apart (2: JSON per entry, still readable; 1: one attribute per
 * friend). An index of an earlier version is rebuilt on first use.
 */
export const AUDIENCE_INDEX_VERSION = 3;

/** The oldest version this code reads (format 2 lines are still decoded). */
export const AUDIENCE_INDEX_READABLE_VERSION = 2;

/**
 * Builds the index for a table whose friends were written before it existed, or whose index this
 * code cannot read (format 1): a marker item records that it was built (a fresh table costs one
 * GetItem and an empty query). Readers call it and wait for that build only.
 *
 * With `upgrade` (the scheduled job, never a delivery): also rewrites a readable index of an
 * earlier format, and repeats a build that found friends once, MIGRATION_RECHECK_MS later —
 * instances of the previous version may still have written the old way during the deploy.
 */
export async function ensureAudienceIndex(db: DynamoDBDocumentClient, table: string, options: { now?: number; upgrade?: boolean } = {}): Promise<void> {
  const now = options.now ?? Date.now();
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: audienceIndexMarkerKey }));
  const version = typeof Item?.version === 'number' ? Item.version : 0;
  if (version < AUDIENCE_INDEX_READABLE_VERSION || (options.upgrade && version < AUDIENCE_INDEX_VERSION)) {
    await rebuildAudienceIndex(db, table, { recheckAfter: now + MIGRATION_RECHECK_MS });
  } else if (options.upgrade && typeof Item!.recheckAfter === 'number' && now >= Item!.recheckAfter) {
    await rebuildAudienceIndex(db, table);
  }
}

/** How long after a first build or a migration the index is rebuilt once more (deploys take minutes). */
export const MIGRATION_RECHECK_MS = 15 * 60 * 1000;

/** Every bucket key, for readers. */
export const audienceBucketKeys = () => Array.from({ length: AUDIENCE_BUCKETS }, (_, b) => audienceBucketKey(b));
