/**
 * Writes of the audience index (functions/friends/audience-index.ts) on the single table.
 * Friend writes use `revisedFriendWrite`: read the friend item and the item holding its line (its
 * bucket, or the bucket's page once the bucket split), build the transaction from what was read,
 * and let the friend's and that item's revision conditions refuse it if either changed in between
 * (then read both again). A write that would overfill its bucket or page splits it first, in a
 * transaction of its own that only moves lines (guarded by the revisions it read), and then reads
 * again.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  AUDIENCE_BUCKETS,
  AUDIENCE_BUCKET_MAX_BYTES,
  AUDIENCE_PAGE_MAX_BYTES,
  AUDIENCE_SPLIT_TARGET,
  audienceBucketOf,
  audienceEntryOf,
  audienceLeafHolds,
  audienceLeafOf,
  audiencePageHash,
  encodeAudienceDirectory,
  indexableUserId,
  packAudienceLines,
  parseAudienceDirectory,
  setAudienceLines,
  splitAudienceLines,
  unpackAudienceBucket,
  type AudienceEntry,
  type AudienceLines,
} from '../../friends/audience-index';
import { logger } from '../../shared/powertools';
import { cancellationReasons } from './dynamo-client';
import { FRIENDS_LIST_PK, audienceBucketKey, audienceIndexMarkerKey, audiencePageKey, friendKey } from '../../friends/keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The friend item's condition for "unchanged since read" (items written before `rev` existed included). */
export function unchangedSince(item: Record<string, unknown> | undefined): { expression: string; values: Record<string, unknown> } {
  if (!item) return { expression: 'attribute_not_exists(PK)', values: {} };
  if (typeof item.rev !== 'number') return { expression: 'attribute_exists(PK) AND attribute_not_exists(rev)', values: {} };
  return { expression: 'rev = :readRev', values: { ':readRev': item.rev } };
}

/** When a bucket item and a page split (bytes of `e` + `n`). Tests and benchmarks lower them per table to split with a few friends. */
export interface AudienceLimits {
  bucketBytes: number;
  pageBytes: number;
}
const DEFAULT_LIMITS: AudienceLimits = { bucketBytes: AUDIENCE_BUCKET_MAX_BYTES, pageBytes: AUDIENCE_PAGE_MAX_BYTES };
const limitsByTable = new Map<string, AudienceLimits>();

/** Lower split limits for one table (tests, benchmarks; never in production code). */
export function setAudienceLimits(table: string, limits: AudienceLimits | undefined): void {
  if (limits) limitsByTable.set(table, limits);
  else limitsByTable.delete(table);
}
const limitsOf = (table: string) => limitsByTable.get(table) ?? DEFAULT_LIMITS;

/**
 * The item that holds a friend's line, as read (consistent): the bucket item itself (`leaf` '')
 * or, in a split bucket, the page `leaf`; its lines and numeric revision (none yet: no item or
 * never packed). `split`: the bucket's directory and its (string) revision.
 */
export type AudienceLeaf = AudienceLines & {
  Key: Record<string, string>;
  rev: number | undefined;
  bucket: number;
  leaf: string;
  split?: { leaves: string[]; rev: string };
  db: DynamoDBDocumentClient;
};

const dropped = (bucket: number, leaf: string) => (line: string) =>
  logger.error('Audience bucket line dropped (malformed)', { bucket, leaf, line: line.slice(0, 200) });

/** A bucket item as it is now (consistent): its lines, or (split) its directory. */
export async function readAudienceBucket(db: DynamoDBDocumentClient, table: string, bucket: number): Promise<AudienceLeaf> {
  const Key = audienceBucketKey(bucket);
  const { Item } = await db.send(new GetCommand({ TableName: table, Key, ConsistentRead: true, ProjectionExpression: 'e, n, rev' }));
  const directory = typeof Item?.e === 'string' ? parseAudienceDirectory(Item.e) : null;
  if (directory)
    return { Key, bucket, leaf: '', rev: undefined, split: { leaves: directory.leaves, rev: String(Item!.rev) }, entries: new Map(), names: new Map(), db };
  return {
    Key,
    bucket,
    leaf: '',
    rev: typeof Item?.rev === 'number' ? Item.rev : undefined,
    entries: unpackAudienceBucket(Item?.e, dropped(bucket, '')),
    names: unpackAudienceBucket(Item?.n, dropped(bucket, '')),
    db,
  };
}

/** Page `bits` of a split bucket (`base`: its bucket item as read), as it is now (consistent); undefined when it is gone (split meanwhile). */
async function readAudiencePage(db: DynamoDBDocumentClient, table: string, base: AudienceLeaf, bits: string): Promise<AudienceLeaf | undefined> {
  const Key = audiencePageKey(base.bucket, bits);
  const { Item } = await db.send(new GetCommand({ TableName: table, Key, ConsistentRead: true, ProjectionExpression: 'e, n, rev' }));
  if (!Item) return undefined;
  return {
    ...base,
    Key,
    leaf: bits,
    rev: typeof Item.rev === 'number' ? Item.rev : undefined,
    entries: unpackAudienceBucket(Item.e, dropped(base.bucket, bits)),
    names: unpackAudienceBucket(Item.n, dropped(base.bucket, bits)),
  };
}

/**
 * The item that holds the line of the friend with this page hash in `bucket`, as it is now
 * (consistent): the bucket item, or its page. A page that vanished between reading the directory
 * and the page (it split meanwhile) sends it back to the directory.
 */
export async function readAudienceLeaf(db: DynamoDBDocumentClient, table: string, bucket: number, pageHash: number): Promise<AudienceLeaf> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    const base = await readAudienceBucket(db, table, bucket);
    if (!base.split) return base;
    const leaf = audienceLeafOf(new Set(base.split.leaves), pageHash);
    if (leaf === undefined) throw new Error(`audience bucket ${bucket} has a directory that misses a page`);
    const page = await readAudiencePage(db, table, base, leaf);
    if (page) return page;
  }
  throw new Error(`audience bucket ${bucket}: its page kept splitting while read`);
}

/**
 * The bucket or page is too full for this write: split it (splitAudienceLeaf), then read and
 * write again. Thrown before anything is written; `revisedFriendWrite` does both.
 */
export class AudienceSplitNeeded extends Error {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly table: string,
    readonly bucket: number,
    readonly leaf: string,
  ) {
    super(`audience bucket ${bucket}${leaf ? ` page ${leaf}` : ''} is full: it splits`);
    this.name = 'AudienceSplitNeeded';
  }
}

/**
 * The new packed lines of the bucket or page, conditional on its revision as read. `users` also
 * lose any attribute of format version 1 (one attribute per friend, on the bucket item), so a
 * rebuilt table sheds them. Past its split limit: AudienceSplitNeeded.
 */
function leafWrite(table: string, leaf: AudienceLeaf, users: string[]): TransactItem {
  const packed = packAudienceLines(leaf);
  const limits = limitsOf(table);
  if (packed.bytes > (leaf.leaf === '' ? limits.bucketBytes : limits.pageBytes)) throw new AudienceSplitNeeded(leaf.db, table, leaf.bucket, leaf.leaf);
  const names: Record<string, string> = { '#e': 'e', '#n': 'n', '#rev': 'rev' };
  const v1 = leaf.leaf === '' ? users : [];
  v1.forEach((u, j) => (names[`#u${j}`] = u));
  return {
    Update: {
      TableName: table,
      Key: leaf.Key,
      // A page always has a revision: one not found as read was split away (the condition then fails).
      ConditionExpression: leaf.rev === undefined && leaf.leaf === '' ? 'attribute_not_exists(#rev)' : '#rev = :rev',
      UpdateExpression: `SET #e = :e, #n = :n, #rev = :next${v1.length ? ` REMOVE ${v1.map((_, j) => `#u${j}`).join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':e': packed.e,
        ':n': packed.n,
        ':next': (leaf.rev ?? 0) + 1,
        ...(leaf.rev === undefined && leaf.leaf === '' ? {} : { ':rev': leaf.rev ?? -1 }),
      },
    },
  };
}

/**
 * Sets (entry) or removes (null) the friend's lines in its bucket or page as read: the conditional
 * write of that item. When the item would pass its limit the lines stay as read and
 * AudienceSplitNeeded is thrown.
 */
export function audienceEntryWrite(table: string, leaf: AudienceLeaf, userId: string, entry: AudienceEntry | null): TransactItem {
  const before = { entry: leaf.entries.get(userId), name: leaf.names.get(userId) };
  setAudienceLines(leaf, userId, entry);
  try {
    return leafWrite(table, leaf, [userId]);
  } catch (error) {
    for (const [map, value] of [
      [leaf.entries, before.entry],
      [leaf.names, before.name],
    ] as const) {
      if (value === undefined) map.delete(userId);
      else map.set(userId, value);
    }
    throw error;
  }
}

/** The friend item and the item holding its line, read at once (consistent): what a friend write builds its transaction from. */
export async function readFriendAndBucket(
  db: DynamoDBDocumentClient,
  table: string,
  userId: string,
): Promise<{ item: Record<string, unknown> | undefined; bucket: AudienceLeaf }> {
  const [{ Item }, bucket] = await Promise.all([
    db.send(new GetCommand({ TableName: table, Key: friendKey(userId), ConsistentRead: true })),
    readAudienceLeaf(db, table, audienceBucketOf(userId), audiencePageHash(userId)),
  ]);
  return { item: Item, bucket };
}

/**
 * Splits a full bucket item or page: its lines as they are now go to pages one bit (or more) deeper
 * (splitAudienceLines), the bucket item's directory lists them instead, the old page is deleted.
 * One transaction, conditional on the revisions read: the bucket item's (its lines, or its
 * directory) and the old page's; the new pages must not exist. A split that lost a race (a
 * friend write or another split came first) does nothing: the caller reads again. The first
 * split turns the bucket item's `e` into the directory and its `rev` into a string, so the first
 * release (which reads `e` as lines and guards writes with a numeric `rev`) refuses the bucket.
 */
export async function splitAudienceLeaf(db: DynamoDBDocumentClient, table: string, bucket: number, leafBits: string): Promise<void> {
  const base = await readAudienceBucket(db, table, bucket);
  let leaf: AudienceLeaf | undefined = base;
  if (leafBits !== '') {
    if (!base.split?.leaves.includes(leafBits)) return; // split meanwhile
    leaf = await readAudiencePage(db, table, base, leafBits);
    if (!leaf) return;
  } else if (base.split) {
    return; // split meanwhile
  }
  const pages = splitAudienceLines(leaf, leafBits, limitsOf(table).pageBytes * AUDIENCE_SPLIT_TARGET);
  if (pages.size + 2 > 100) throw new Error(`audience bucket ${bucket}: a split into ${pages.size} pages does not fit one transaction`);
  const leaves = [...(base.split?.leaves ?? []).filter((l) => l !== leafBits), ...pages.keys()];
  const directory = encodeAudienceDirectory(bucket, leaves);
  if (Buffer.byteLength(directory) > AUDIENCE_BUCKET_MAX_BYTES) throw new Error(`audience bucket ${bucket}: its directory is full`);
  const splitRev = base.split ? Number(base.split.rev.slice('split-'.length)) || 0 : 0;
  const items: TransactItem[] = [
    {
      Update: {
        TableName: table,
        Key: base.Key,
        ConditionExpression: base.split || base.rev !== undefined ? '#rev = :rev' : 'attribute_not_exists(#rev)',
        UpdateExpression: 'SET #e = :directory, #rev = :next REMOVE #n',
        ExpressionAttributeNames: { '#e': 'e', '#n': 'n', '#rev': 'rev' },
        ExpressionAttributeValues: {
          ':directory': directory,
          ':next': `split-${splitRev + 1}`,
          ...(base.split ? { ':rev': base.split.rev } : base.rev !== undefined ? { ':rev': base.rev } : {}),
        },
      },
    },
  ];
  if (leafBits !== '') {
    items.push({
      Delete: {
        TableName: table,
        Key: leaf.Key,
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: { ':rev': leaf.rev ?? -1 },
      },
    });
  }
  for (const [bits, lines] of pages) {
    const packed = packAudienceLines(lines);
    if (packed.bytes > AUDIENCE_BUCKET_MAX_BYTES) throw new Error(`audience bucket ${bucket}: page ${bits} is full at the deepest level`);
    items.push({
      Put: {
        TableName: table,
        Item: { ...audiencePageKey(bucket, bits), type: 'AudiencePage', e: packed.e, n: packed.n, rev: 1 },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  }
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    // The first split of a bucket is the point from which the first release can no longer serve this table.
    logger.info(leafBits === '' ? 'Audience bucket split into pages' : 'Audience page split', {
      bucket,
      leaf: leafBits,
      pages: [...pages.keys()],
      directory: leaves.length,
    });
  } catch (error) {
    if (!lostRace(cancellationReasons(error))) throw error;
  }
}

// Concurrent writes to ONE friend are rare (a follow and a form answer at the same moment); a
// burst of them still gets through: each round one writer wins, the others back off with jitter.
const REVISION_ATTEMPTS = 12;

/** Splits one write may go through before it is written (each makes the pages it aims at smaller). */
const SPLITS_PER_WRITE = 8;

type Reasons = { Code?: string }[];

/** Lost to another writer: a transaction conflict, or an item's condition (its revision as read) failed. */
const lostRace = (reasons: Reasons | null) => reasons !== null && reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ConditionalCheckFailed');

/**
 * Runs `attempt` (read → transact; `n` counts from 1) again while its transaction lost a race
 * (`lost` says so from the cancellation reasons), at most REVISION_ATTEMPTS times, with a short
 * jittered pause between tries; and after splitting the bucket or page it found too full.
 */
async function retryLostRaces<T>(attempt: (n: number) => Promise<T>, lost: (reasons: Reasons) => boolean): Promise<T> {
  let splits = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (error instanceof AudienceSplitNeeded && splits++ < SPLITS_PER_WRITE) {
        await splitAudienceLeaf(error.db, error.table, error.bucket, error.leaf);
        n--;
        continue;
      }
      const reasons = cancellationReasons(error);
      if (n >= REVISION_ATTEMPTS || !reasons || !lost(reasons)) throw error;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 10 * Math.min(n, 8)));
    }
  }
}

/**
 * A friend write (read → transact) retried while it loses a race: another transaction touched one
 * of its items at the same time (TransactionConflict), or the friend item or the item holding its
 * line — at `at.friend` / `at.bucket` in the transaction — changed after it was read (a split
 * deletes a page: its condition fails the same way). A refusal of any other item (e.g. a duplicate
 * history entry) is not a race and is thrown at once. A write that would overfill its bucket or
 * page splits it first (AudienceSplitNeeded).
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
 * for repairs. Safe while friends follow, block and answer: a bucket (or, split, one of its
 * pages) is rewritten for at most 98 of its friends at a time in a transaction conditional on its
 * revision as read and, per friend, on the friend being unchanged since read (their `rev`); a
 * group that lost a race reads the item and its friends again and retries; one that would overfill
 * it splits it first. A bucket's groups go one after another. Two rebuilds at once are safe too.
 * Writes the built marker; returns the entries set and removed.
 */
export async function rebuildAudienceIndex(
  db: DynamoDBDocumentClient,
  table: string,
  options: { recheckAfter?: number } = {},
): Promise<{ set: number; removed: number }> {
  const buckets = new Map<number, Record<string, unknown>[]>();
  const pages = paginateQuery(
    { client: db },
    {
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': FRIENDS_LIST_PK },
      // Only what an entry and the "unchanged since read" check need: 100,000 friends stay small in memory.
      ProjectionExpression: 'userId, #status, followedAt, displayName, #language, attributes, rev',
      ExpressionAttributeNames: { '#status': 'status', '#language': 'language' },
    },
  );
  for await (const page of pages) {
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
  }

  const work = [...buckets];
  let set = 0;
  let removed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < work.length) {
        const [bucket, friends] = work[next++]!;
        // In page-hash order, the friends of one page are neighbours (a page is a range of hashes).
        const pending = friends.map((item) => ({ item, hash: audiencePageHash(item.userId as string) })).sort((a, b) => a.hash - b.hash);
        for (let i = 0; i < pending.length;) {
          const result = await writeGroup(db, table, bucket, pending.slice(i, i + 98));
          set += result.set;
          removed += result.removed;
          i += result.written;
        }
      }
    }),
  );
  const recheck = options.recheckAfter !== undefined && set + removed > 0 ? { recheckAfter: options.recheckAfter } : {};
  logger.info('Audience index rebuilt', { set, removed, version: AUDIENCE_INDEX_VERSION, ...recheck });
  await db.send(
    new PutCommand({
      TableName: table,
      Item: { ...audienceIndexMarkerKey, type: 'AudienceIndex', version: AUDIENCE_INDEX_VERSION, builtAt: new Date().toISOString(), set, removed, ...recheck },
    }),
  );
  return { set, removed };
}

/**
 * One rewrite of the bucket item or page that holds the first of `candidates` (≤ 98, in page-hash
 * order), for the leading candidates it also holds, conditional on the item's revision and on each
 * of those friends being unchanged since read; a lost race reads them again from the table
 * (someone wrote one, or the GSI copy was behind). `written`: how many candidates it took.
 */
async function writeGroup(
  db: DynamoDBDocumentClient,
  table: string,
  bucket: number,
  candidates: { item: Record<string, unknown>; hash: number }[],
): Promise<{ set: number; removed: number; written: number }> {
  const first = candidates[0]!;
  return retryLostRaces(async (n) => {
    const leaf = await readAudienceLeaf(db, table, bucket, first.hash);
    const holds = (hash: number) => audienceLeafHolds(leaf.leaf, hash);
    let end = 1;
    while (end < candidates.length && holds(candidates[end]!.hash)) end++;
    let friends = candidates.slice(0, end).map((c) => c.item);
    if (n > 1) {
      const { Responses } = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: friends.map((f) => friendKey(f.userId as string)), ConsistentRead: true } } }),
      );
      const fresh = new Map((Responses?.[table] ?? []).map((item) => [item.userId as string, item]));
      friends = friends.map((f) => fresh.get(f.userId as string) ?? f);
    }
    let set = 0;
    let removed = 0;
    const checks: TransactItem[] = friends.map((item) => {
      const userId = item.userId as string;
      const entry = audienceEntryOf(item);
      setAudienceLines(leaf, userId, entry);
      if (entry) set++;
      else removed++;
      const unchanged = unchangedSince(item);
      return {
        ConditionCheck: {
          TableName: table,
          Key: friendKey(userId),
          ConditionExpression: unchanged.expression,
          ...(Object.keys(unchanged.values).length ? { ExpressionAttributeValues: unchanged.values } : {}),
        },
      };
    });
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          leafWrite(
            table,
            leaf,
            friends.map((f) => f.userId as string),
          ),
          ...checks,
        ],
      }),
    );
    return { set, removed, written: end };
  }, lostRace);
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
