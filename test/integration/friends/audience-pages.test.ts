/**
 * Buckets that split into pages, against DynamoDB Local (a fresh table of its own, with split
 * limits lowered so that a hundred friends fill a bucket): friend writes, rebuilds and readers keep
 * the index equal to the friend items across splits — also while they race each other — and the
 * first release, which knows no pages, refuses a split bucket instead of reading or writing it
 * wrongly.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../../local/dynamodb-local';
import {
  ensureAudienceIndex,
  readAudienceBucket,
  readAudienceLeaf,
  rebuildAudienceIndex,
  setAudienceLimits,
} from '../../../functions/adapters/aws/audience-index';
import { DynamoAudienceSource } from '../../../functions/adapters/aws/audience-source';
import { DynamoResponseStore } from '../../../functions/adapters/aws/response-store';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import {
  audienceBucketOf,
  audienceEntryOf,
  audienceLeafHolds,
  audiencePageHash,
  decodeAudienceBucket,
  decodeAudienceEntry,
  packAudienceLines,
  parseAudienceDirectory,
  unpackAudienceBucket,
  type AudienceEntry,
} from '../../../functions/friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, friendKey, friendListKey } from '../../../functions/friends/keys';
import type { AudienceFriend } from '../../../functions/deliveries/model';
import { it_env, testDb } from '../../support/integration';

jest.setTimeout(120_000);

const LIMITS = { bucketBytes: 4_000, pageBytes: 2_000 };
const db = testDb();
const at = new Date('2026-11-24T01:00:00Z');
const base = Date.parse('2026-11-24T00:00:00Z');
const newUser = () => `U${randomBytes(16).toString('hex')}`;
/** Random LINE-like user IDs that fall into `bucket`. */
const usersIn = (bucket: number, count: number) => {
  const users: string[] = [];
  while (users.length < count) {
    const u = newUser();
    if (audienceBucketOf(u) === bucket) users.push(u);
  }
  return users;
};

async function freshTable(): Promise<string> {
  const table = `audience-pages-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, table);
  setAudienceLimits(table, LIMITS);
  return table;
}

/**
 * `n` at a time. Writers of one bucket (or page) contend for one item: each round one wins and the
 * others read again (12 tries). The races below keep 4 in flight on one bucket — far more than a
 * city's follows put on one of 512 buckets at once; setting up, 2.
 */
async function inParallel<T>(items: T[], n: number, work: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

const friendItem = async (table: string, userId: string) =>
  (await db.send(new GetCommand({ TableName: table, Key: friendKey(userId), ConsistentRead: true }))).Item!;

async function entryOf(table: string, userId: string): Promise<AudienceFriend | null> {
  const leaf = await readAudienceLeaf(db, table, audienceBucketOf(userId), audiencePageHash(userId));
  const value = leaf.entries.get(userId);
  return value === undefined ? null : decodeAudienceEntry(userId, value, leaf.names.get(userId));
}

function friendOf(userId: string, entry: AudienceEntry): AudienceFriend {
  const { followedAt, ...rest } = entry;
  return { userId, status: 'active', followedAtMs: Date.parse(followedAt), ...rest };
}

/** Every friend the reader gives (names too), each at most once. */
async function readAll(table: string): Promise<Map<string, AudienceFriend>> {
  const all = new Map<string, AudienceFriend>();
  for await (const page of new DynamoAudienceSource(db, table).pages({ names: true })) {
    for (const f of page.friends) {
      if (all.has(f.userId)) throw new Error(`read twice: ${f.userId}`);
      all.set(f.userId, f);
    }
  }
  return all;
}

/**
 * The index equals the friend items: every active friend of `users` once, as its item says, and
 * none of the others; with `everyone`, no one else is in the table's index either.
 */
async function expectIndexEqualsFriends(table: string, users: string[], everyone = false) {
  const all = await readAll(table);
  const active: string[] = [];
  for (const userId of users) {
    const expected = audienceEntryOf(await friendItem(table, userId));
    if (expected) {
      active.push(userId);
      expect(all.get(userId)).toEqual(friendOf(userId, expected));
      expect(await entryOf(table, userId)).toEqual(friendOf(userId, expected));
    } else {
      expect(all.has(userId)).toBe(false);
    }
  }
  if (everyone) expect(all.size).toBe(active.length);
}

/** A split bucket's items: the directory, and pages that are exactly its leaves, each within the page limit and holding only its hashes. */
async function expectWellFormedSplit(table: string, bucket: number) {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: audienceBucketKey(bucket), ConsistentRead: true }));
  const directory = parseAudienceDirectory(Item!.e as string)!;
  expect(directory.bucket).toBe(bucket);
  expect(Item!.rev).toMatch(/^split-\d+$/);
  expect(Item).not.toHaveProperty('n');
  const { Items } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :page)',
      ExpressionAttributeValues: { ':pk': audienceBucketKey(bucket).PK, ':page': 'PAGE#' },
      ConsistentRead: true,
    }),
  );
  expect(Items!.map((p) => (p.SK as string).slice(5)).sort()).toEqual([...directory.leaves].sort());
  for (const page of Items!) {
    const leaf = (page.SK as string).slice(5);
    expect(packAudienceLines({ entries: unpackAudienceBucket(page.e), names: unpackAudienceBucket(page.n) }).bytes).toBeLessThanOrEqual(LIMITS.pageBytes);
    for (const f of decodeAudienceBucket(page.e as string)) expect(audienceLeafHolds(leaf, audiencePageHash(f.userId))).toBe(true);
    expect(typeof page.rev).toBe('number');
  }
  return { directory, pages: Items! };
}

describe('audience buckets that split into pages', () => {
  let table: string;
  let friends: DynamoFriendRepository;
  let forms: DynamoResponseStore;
  beforeAll(async () => {
    table = await freshTable();
    friends = new DynamoFriendRepository(db, table);
    forms = new DynamoResponseStore(db, table);
    await ensureAudienceIndex(db, table);
  });
  afterAll(() => setAudienceLimits(table, undefined));

  const submit = (userId: string, attributes: Record<string, string | string[]>, n: number) =>
    forms.submit({
      response: {
        responseId: randomUUID(),
        formId: 'profile-test',
        version: 1,
        userId,
        displayName: 'x',
        answers: {},
        lang: 'ja',
        submittedAt: new Date(base + n).toISOString(),
      },
      attributes,
    });

  it('follows, answers and blocks fill a bucket past its limit: it splits, and every friend stays in the index once, as its item says', async () => {
    const crowded = usersIn(7, 130);
    const elsewhere = Array.from({ length: 20 }, newUser).filter((u) => audienceBucketOf(u) !== 7);
    const users = [...crowded, ...elsewhere];
    await inParallel(users, 2, (userId, i) =>
      friends.recordFollow({ userId, displayName: `市民${i}\t名`, language: i % 3 ? 'ja' : 'en', eventAt: base + i, at }),
    );
    await inParallel(
      crowded.filter((_, i) => i % 3 === 0),
      2,
      (userId, i) => submit(userId, { district: `d${i % 4}`, categories: ['disaster', 'events'] }, 1_000 + i),
    );
    await inParallel(
      crowded.filter((_, i) => i % 10 === 1),
      2,
      (userId, i) => friends.recordUnfollow(userId, base + 2_000 + i, at),
    );

    const { directory, pages } = await expectWellFormedSplit(table, 7);
    // ~130 friends × ~120 bytes ≈ 15 KB over pages of ≤ 2 KB.
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(directory.leaves.length).toBe(pages.length);
    // The other buckets never filled: the first release's layout, a numeric revision and no pages.
    for (const userId of elsewhere) {
      const bucket = await readAudienceBucket(db, table, audienceBucketOf(userId));
      expect(bucket.split).toBeUndefined();
      expect(typeof bucket.rev).toBe('number');
    }
    await expectIndexEqualsFriends(table, users);
  });

  it('racing follows, blocks and answers across splits, read while they happen: no read misses or repeats a friend, and the index ends equal to the friend items', async () => {
    const stable = usersIn(9, 40);
    await inParallel(stable, 2, (userId, i) => friends.recordFollow({ userId, displayName: `安定${i}`, eventAt: base + i, at }));
    const newcomers = usersIn(9, 160);
    let writing = true;
    const reads: number[] = [];
    const reader = (async () => {
      while (writing) {
        const all = await readAll(table);
        for (const u of stable) if (!all.has(u)) throw new Error(`a read missed ${u}`);
        reads.push(all.size);
      }
    })();
    await inParallel(newcomers, 4, async (userId, i) => {
      await friends.recordFollow({ userId, displayName: `新${i}`, language: 'ko', eventAt: base + 10 + i, at });
      if (i % 4 === 0) await submit(userId, { district: `r${i}` }, 3_000 + i);
      if (i % 5 === 0) await friends.recordUnfollow(userId, base + 5_000 + i, at);
      // The stable friends answer too (their lines move with the splits, they never leave).
      if (i % 8 === 0) await submit(stable[i % stable.length]!, { district: `s${i}` }, 4_000 + i);
    });
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    await expectWellFormedSplit(table, 9);
    await expectIndexEqualsFriends(table, [...stable, ...newcomers]);
  });

  it('the rebuild rewrites a split bucket page by page while friends write, and never leaves an entry that disagrees with its friend item', async () => {
    const users = usersIn(11, 120);
    await inParallel(users, 2, (userId, i) => friends.recordFollow({ userId, displayName: `市民${i}`, eventAt: base + 1_000 + i, at }));
    const { pages } = await expectWellFormedSplit(table, 11);
    // Half the lines lost (as after a bug), then rebuild while writing.
    for (const page of pages) {
      const entries = unpackAudienceBucket(page.e);
      const names = unpackAudienceBucket(page.n);
      for (const [k] of [...entries].filter((_, i) => i % 2 === 0)) {
        entries.delete(k);
        names.delete(k);
      }
      const packed = packAudienceLines({ entries, names });
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { PK: page.PK, SK: page.SK },
          UpdateExpression: 'SET e = :e, n = :n ADD rev :one',
          ExpressionAttributeValues: { ':e': packed.e, ':n': packed.n, ':one': 1 },
        }),
      );
    }
    const writes = inParallel(
      users.filter((_, i) => i % 4 === 0),
      4,
      (userId, k) =>
        k % 3 === 0
          ? friends.recordUnfollow(userId, base + 6_000 + k, at)
          : k % 3 === 1
            ? submit(userId, { district: `q${k}` }, 6_000 + k)
            : friends.recordFollow({ userId, displayName: `改名${k}`, language: 'en', eventAt: base + 6_000 + k, at }),
    );
    const [rebuilt] = await Promise.all([rebuildAudienceIndex(db, table), writes]);
    expect(rebuilt.set + rebuilt.removed).toBeGreaterThanOrEqual(users.length);
    await expectWellFormedSplit(table, 11);
    await expectIndexEqualsFriends(table, users);
  });
});

it('a table written before the index existed is built with its buckets split where they need it', async () => {
  const table = await freshTable();
  const users = [...usersIn(13, 110), ...Array.from({ length: 10 }, newUser)];
  for (let i = 0; i < users.length; i += 25) {
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: users.slice(i, i + 25).map((userId, j) => {
            const followedAt = new Date(base + (i + j) * 1000).toISOString();
            return {
              PutRequest: {
                Item: {
                  ...friendKey(userId),
                  ...friendListKey(followedAt, userId),
                  type: 'Friend',
                  userId,
                  displayName: `市民${i + j}`,
                  status: (i + j) % 9 === 0 ? 'blocked' : 'active',
                  followedAt,
                  statusEventAt: base,
                  attributes: { district: 'arao' },
                },
              },
            };
          }),
        },
      }),
    );
  }
  await ensureAudienceIndex(db, table);
  expect((await db.send(new GetCommand({ TableName: table, Key: audienceIndexMarkerKey }))).Item).toMatchObject({
    set: users.filter((_, i) => i % 9 !== 0).length,
  });
  await expectWellFormedSplit(table, 13);
  await expectIndexEqualsFriends(table, users, true);
  setAudienceLimits(table, undefined);
});

it("the first release refuses a split bucket: its reader throws on the directory, its writer's revision condition fails", async () => {
  const table = await freshTable();
  const friends = new DynamoFriendRepository(db, table);
  await ensureAudienceIndex(db, table);
  const users = usersIn(21, 60);
  await inParallel(users, 2, (userId, i) => friends.recordFollow({ userId, displayName: `市民${i}`, eventAt: base + i, at }));
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: audienceBucketKey(21), ConsistentRead: true, ProjectionExpression: 'e, n, rev' }));
  expect(parseAudienceDirectory(Item!.e as string)).not.toBeNull();

  // The first release's reader (decodeAudienceBucket is unchanged since) on the bucket's `e`:
  expect(() => decodeAudienceBucket(Item!.e as string)).toThrow(/unknown format/);

  // The first release's writer: its bucket read (`rev` only as a number) and its conditional
  // write, exactly as it builds them (functions/adapters/aws/audience-index.ts, bucketWrite).
  const rev = typeof Item!.rev === 'number' ? Item!.rev : undefined;
  const lines = { entries: unpackAudienceBucket(Item!.e, () => undefined), names: unpackAudienceBucket(Item!.n, () => undefined) };
  const late = usersIn(21, 1)[0]!;
  lines.entries.set(late, '1\tja\t');
  const packed = packAudienceLines(lines);
  const firstRelease = db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: audienceBucketKey(21),
            ConditionExpression: rev === undefined ? 'attribute_not_exists(#rev)' : '#rev = :rev',
            UpdateExpression: 'SET #e = :e, #n = :n, #rev = :next REMOVE #u0',
            ExpressionAttributeNames: { '#e': 'e', '#n': 'n', '#rev': 'rev', '#u0': late },
            ExpressionAttributeValues: { ':e': packed.e, ':n': packed.n, ':next': (rev ?? 0) + 1, ...(rev === undefined ? {} : { ':rev': rev }) },
          },
        },
      ],
    }),
  );
  await expect(firstRelease).rejects.toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
  // The directory is intact: every friend still read.
  expect((await readAll(table)).size).toBe(users.length);
  setAudienceLimits(table, undefined);
});
