/**
 * The audience index against DynamoDB Local (a fresh table per file): every friend write keeps
 * the friend item and its entry in step — also when follows, blocks and profile answers for the
 * same friend race each other — and a table written before the index existed gets it built once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../../local/dynamodb-local';
import { AUDIENCE_INDEX_VERSION, ensureAudienceIndex, readAudienceBucket, rebuildAudienceIndex } from '../../../functions/adapters/aws/audience-index';
import { DynamoAudienceSource } from '../../../functions/adapters/aws/audience-source';
import { DynamoDeliveryStore } from '../../../functions/adapters/aws/delivery-store';
import { runScheduledJob } from '../../../functions/deliveries/scheduled-job';
import { scheduledJobDeps } from '../../../functions/deliveries/wiring';
import { DynamoResponseStore } from '../../../functions/adapters/aws/response-store';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import { audienceBucketOf, audienceEntryOf, decodeAudienceEntry, packAudienceBucket, type AudienceEntry } from '../../../functions/friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, friendKey, friendListKey } from '../../../functions/friends/keys';
import type { AudienceFriend } from '../../../functions/deliveries/model';
import { it_env, testDb } from '../../support/integration';

jest.setTimeout(60_000);

const table = `audience-${randomUUID().slice(0, 8)}`;
const db = testDb();
const friends = new DynamoFriendRepository(db, table);
const forms = new DynamoResponseStore(db, table);
const audience = new DynamoAudienceSource(db, table);
const newUser = () => `U${randomBytes(16).toString('hex')}`;
const at = new Date('2026-11-24T01:00:00Z');
const base = Date.parse('2026-11-24T00:00:00Z');

beforeAll(async () => {
  await ensureTable(it_env().dynamodbEndpoint, table);
  // A fresh table: the marker is written on the first read, so entries below come only from writes.
  await ensureAudienceIndex(db, table);
});

async function everyone(): Promise<Map<string, AudienceFriend>> {
  const all = new Map<string, AudienceFriend>();
  for await (const page of audience.pages())
    for (const f of page.friends) {
      expect(all.has(f.userId)).toBe(false);
      all.set(f.userId, f);
    }
  return all;
}

async function entryOf(userId: string): Promise<AudienceFriend | null> {
  const bucket = await readAudienceBucket(db, table, audienceBucketOf(userId));
  const value = bucket.entries.get(userId);
  return value === undefined ? null : decodeAudienceEntry(userId, value, bucket.names.get(userId));
}

/** The friend a reader should see for an entry built from the friend item. */
function friendOf(userId: string, entry: AudienceEntry): AudienceFriend {
  const { followedAt, ...rest } = entry;
  return { userId, status: 'active', followedAtMs: Date.parse(followedAt), ...rest };
}

async function friendItem(userId: string) {
  return (await db.send(new GetCommand({ TableName: table, Key: friendKey(userId), ConsistentRead: true }))).Item!;
}

function submit(userId: string, attributes: Record<string, string | string[]>, n: number) {
  const submittedAt = new Date(base + n).toISOString();
  return forms.submit({
    response: { responseId: randomUUID(), formId: 'profile-test', version: 1, userId, displayName: 'x', answers: {}, lang: 'ja', submittedAt },
    attributes,
  });
}

it('follow, profile answers and block keep the entry in step with the friend item', async () => {
  const a = newUser();
  const b = newUser();
  expect(await friends.recordFollow({ userId: a, displayName: '荒尾 花子', language: 'en', eventAt: base + 1, at })).toBe('applied');
  expect(await friends.recordFollow({ userId: b, displayName: '荒尾 太郎', eventAt: base + 2, at })).toBe('applied');
  expect(await entryOf(a)).toEqual({ userId: a, displayName: '荒尾 花子', status: 'active', followedAtMs: base + 1, language: 'en' });

  await submit(a, { district: 'arao', categories: ['disaster', 'events'] }, 10);
  expect((await entryOf(a))?.attributes).toEqual({ district: 'arao', categories: ['disaster', 'events'] });

  // A redelivered follow is recognised, a block removes the entry, a stale follow changes neither
  // the status nor the entry (it is only counted in its day's figures).
  expect(await friends.recordFollow({ userId: b, displayName: '荒尾 太郎', eventAt: base + 2, at })).toBe('already');
  expect(await friends.recordUnfollow(b, base + 20, at)).toBe('applied');
  expect(await entryOf(b)).toBeNull();
  expect(await friends.recordFollow({ userId: b, displayName: '荒尾 太郎', eventAt: base + 15, at })).toBe('stale');
  expect(await entryOf(b)).toBeNull();

  // Answers given while blocked are kept on the friend and come back with the follow-back,
  // which also keeps the first follow date.
  await submit(b, { district: 'manda' }, 30);
  expect(await entryOf(b)).toBeNull();
  expect(await friends.recordFollow({ userId: b, displayName: '荒尾 太郎', eventAt: base + 40, at })).toBe('applied');
  expect(await entryOf(b)).toEqual({ userId: b, displayName: '荒尾 太郎', status: 'active', followedAtMs: base + 2, attributes: { district: 'manda' } });

  const all = await everyone();
  expect(all.get(a)?.attributes?.district).toBe('arao');
  expect(all.get(b)?.attributes?.district).toBe('manda');
  // follow, block, the stale follow (counted), the answer, the follow-back: five writes.
  expect((await friendItem(b)).rev).toBe(5);
});

it('racing follows, blocks and answers for one friend leave the entry equal to the friend item', async () => {
  const u = newUser();
  await friends.recordFollow({ userId: u, displayName: '競合', eventAt: base, at });
  const writes: Promise<unknown>[] = [];
  for (let i = 1; i <= 9; i++) {
    if (i % 3 === 0) writes.push(friends.recordUnfollow(u, base + i, at));
    else if (i % 3 === 1) writes.push(friends.recordFollow({ userId: u, displayName: `競合${i}`, language: i % 2 ? 'ko' : 'ja', eventAt: base + i, at }));
    else writes.push(submit(u, { district: `d${i}` }, 100 + i));
  }
  const outcomes = await Promise.allSettled(writes);
  expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
  const item = await friendItem(u);
  const expected = audienceEntryOf(item);
  const entry = await entryOf(u);
  if (expected) expect(entry).toEqual(friendOf(u, expected));
  else expect(entry).toBeNull();
  // Every applied write counted one revision.
  expect(typeof item.rev).toBe('number');
});

it('builds the index once for friends written before it existed', async () => {
  const other = `audience-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, other);
  const users = Array.from({ length: 60 }, newUser);
  const items = users.map((userId, i) => {
    const followedAt = new Date(base + i * 1000).toISOString();
    return {
      PutRequest: {
        Item: {
          ...friendKey(userId),
          ...friendListKey(followedAt, userId),
          type: 'Friend',
          userId,
          displayName: `市民${i}`,
          status: i % 4 === 0 ? 'blocked' : 'active',
          followedAt,
          statusEventAt: base,
          ...(i % 2 ? { attributes: { district: 'arao' } } : {}),
        },
      },
    };
  });
  for (let i = 0; i < items.length; i += 25) await db.send(new BatchWriteCommand({ RequestItems: { [other]: items.slice(i, i + 25) } }));

  const source = new DynamoAudienceSource(db, other);
  const seen: AudienceFriend[] = [];
  for await (const page of source.pages()) seen.push(...page.friends);
  expect(seen.map((f) => f.userId).sort()).toEqual(users.filter((_, i) => i % 4 !== 0).sort());
  expect(seen.filter((f) => f.attributes?.district === 'arao')).toHaveLength(30);
  const marker = (await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item!;
  expect(marker).toMatchObject({ version: AUDIENCE_INDEX_VERSION, set: 45, removed: 15 });

  // Built once: a second process finds the marker and reads only the index.
  await ensureAudienceIndex(db, other);
  expect((await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item!.builtAt).toBe(marker.builtAt);
});

it('a rebuild racing with follows, blocks and answers never leaves an entry that disagrees with its friend item', async () => {
  const users = Array.from({ length: 300 }, newUser);
  for (const [i, userId] of users.entries()) await friends.recordFollow({ userId, displayName: `市民${i}`, eventAt: base + 1_000 + i, at });
  // Half the entries wrong (as in a table written before the index), then rebuild while writing.
  for (const userId of users.filter((_, i) => i % 2 === 0)) {
    const bucket = await readAudienceBucket(db, table, audienceBucketOf(userId));
    bucket.entries.delete(userId);
    bucket.names.delete(userId);
    const packed = packAudienceBucket(bucket);
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: bucket.Key,
        UpdateExpression: 'SET e = :e, n = :n ADD rev :one',
        ExpressionAttributeValues: { ':e': packed.e, ':n': packed.n, ':one': 1 },
      }),
    );
  }
  const writes = users
    .filter((_, i) => i % 5 === 0)
    .map((userId, k) =>
      k % 3 === 0
        ? friends.recordUnfollow(userId, base + 5_000 + k, at)
        : k % 3 === 1
          ? submit(userId, { district: `r${k}` }, 5_000 + k)
          : friends.recordFollow({ userId, displayName: `改名${k}`, language: 'en', eventAt: base + 5_000 + k, at }),
    );
  const [rebuilt] = await Promise.all([rebuildAudienceIndex(db, table), ...writes]);
  expect(rebuilt.set + rebuilt.removed).toBeGreaterThanOrEqual(users.length);
  for (const userId of users) {
    const expected = audienceEntryOf(await friendItem(userId));
    const entry = await entryOf(userId);
    if (expected) expect(entry).toEqual(friendOf(userId, expected));
    else expect(entry).toBeNull();
  }
});

it('an index of format version 1 (an attribute per friend) is rebuilt packed once, and its attributes are dropped', async () => {
  const other = `audience-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, other);
  const users = Array.from({ length: 40 }, newUser);
  for (const [i, userId] of users.entries()) {
    const followedAt = new Date(base + i * 1000).toISOString();
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [other]: [
            {
              PutRequest: {
                Item: {
                  ...friendKey(userId),
                  ...friendListKey(followedAt, userId),
                  type: 'Friend',
                  userId,
                  displayName: `市民${i}`,
                  status: 'active',
                  followedAt,
                  statusEventAt: base,
                },
              },
            },
          ],
        },
      }),
    );
    // As version 1 wrote it: one attribute named by the user ID.
    await db.send(
      new UpdateCommand({
        TableName: other,
        Key: audienceBucketKey(audienceBucketOf(userId)),
        UpdateExpression: 'SET #u = :e',
        ExpressionAttributeNames: { '#u': userId },
        ExpressionAttributeValues: { ':e': JSON.stringify([1, followedAt, `市民${i}`, null, null]) },
      }),
    );
  }
  await db.send(
    new UpdateCommand({ TableName: other, Key: audienceIndexMarkerKey, UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': 1 } }),
  );

  const seen: AudienceFriend[] = [];
  for await (const page of new DynamoAudienceSource(db, other).pages()) seen.push(...page.friends);
  expect(seen.map((f) => f.userId).sort()).toEqual([...users].sort());
  expect((await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item).toMatchObject({ version: AUDIENCE_INDEX_VERSION, set: 40 });
  for (const userId of users) {
    const { Item } = await db.send(new GetCommand({ TableName: other, Key: audienceBucketKey(audienceBucketOf(userId)), ConsistentRead: true }));
    expect(Item).not.toHaveProperty(userId);
    expect(typeof Item!.rev).toBe('number');
  }

  // An instance of the previous version still running (a deploy) follows someone the old way …
  const late = newUser();
  const followedAt = new Date(base + 99_000).toISOString();
  await db.send(
    new BatchWriteCommand({
      RequestItems: {
        [other]: [
          {
            PutRequest: {
              Item: {
                ...friendKey(late),
                ...friendListKey(followedAt, late),
                type: 'Friend',
                userId: late,
                displayName: '遅い',
                status: 'active',
                followedAt,
                statusEventAt: base,
              },
            },
          },
        ],
      },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: other,
      Key: audienceBucketKey(audienceBucketOf(late)),
      UpdateExpression: 'SET #u = :e',
      ExpressionAttributeNames: { '#u': late },
      ExpressionAttributeValues: { ':e': JSON.stringify([1, followedAt, '遅い', null, null]) },
    }),
  );
  // … so the scheduled job rebuilds the index once more after the recheck time, and then no more;
  // a reader (a delivery, a count) never does it.
  const marker = (await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item!;
  expect(typeof marker.recheckAfter).toBe('number');
  await ensureAudienceIndex(db, other, { now: marker.recheckAfter - 1, upgrade: true });
  await ensureAudienceIndex(db, other, { now: marker.recheckAfter + 1 });
  expect((await readAudienceBucket(db, other, audienceBucketOf(late))).entries.has(late)).toBe(false);
  await ensureAudienceIndex(db, other, { now: marker.recheckAfter + 1, upgrade: true });
  expect((await readAudienceBucket(db, other, audienceBucketOf(late))).entries.has(late)).toBe(true);
  const after = (await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item!;
  expect(after).not.toHaveProperty('recheckAfter');
  expect(after.set).toBe(41);
});

it('an index of format version 2 (JSON per entry) is read as it is, and rewritten in format 3 by the scheduled job', async () => {
  const other = `audience-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, other);
  const users = Array.from({ length: 30 }, newUser);
  const lines = new Map<number, string[]>();
  for (const [i, userId] of users.entries()) {
    const followedAt = new Date(base + i * 1000).toISOString();
    const attributes = { district: i % 2 ? 'a' : 'b' };
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [other]: [
            {
              PutRequest: {
                Item: {
                  ...friendKey(userId),
                  ...friendListKey(followedAt, userId),
                  type: 'Friend',
                  userId,
                  displayName: `市民${i}`,
                  language: 'en',
                  status: 'active',
                  followedAt,
                  statusEventAt: base,
                  attributes,
                },
              },
            },
          ],
        },
      }),
    );
    const b = audienceBucketOf(userId);
    lines.set(b, [...(lines.get(b) ?? []), `${userId}\t${JSON.stringify([1, followedAt, `市民${i}`, 'en', attributes])}`]);
  }
  for (const [b, bucketLines] of lines) {
    await db.send(
      new UpdateCommand({
        TableName: other,
        Key: audienceBucketKey(b),
        UpdateExpression: 'SET e = :e, rev = :one',
        ExpressionAttributeValues: { ':e': bucketLines.join('\n'), ':one': 1 },
      }),
    );
  }
  await db.send(
    new UpdateCommand({ TableName: other, Key: audienceIndexMarkerKey, UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': 2 } }),
  );

  const before = new Map<string, AudienceFriend>();
  for (const b of lines.keys())
    for (const [userId, value] of (await readAudienceBucket(db, other, b)).entries) before.set(userId, decodeAudienceEntry(userId, value));
  // A reader does not wait for a rewrite: it reads the format 2 lines as they are.
  const asIs: AudienceFriend[] = [];
  for await (const page of new DynamoAudienceSource(db, other).pages()) asIs.push(...page.friends);
  expect(asIs.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([...before.values()].sort((a, b) => a.userId.localeCompare(b.userId)));
  expect((await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item).toMatchObject({ version: 2 });
  // The scheduled job's upkeep rewrites it.
  await runScheduledJob(
    scheduledJobDeps({
      deliveries: new DynamoDeliveryStore(db, other),
      line: { unitStatistics: async () => null, requestStatistics: async () => null },
      queues: { planner: { send: async () => undefined }, send: { send: async () => undefined } },
      audienceIndex: () => ensureAudienceIndex(db, other, { upgrade: true }),
    }),
  );
  const seen: AudienceFriend[] = [];
  for await (const page of new DynamoAudienceSource(db, other).pages({ names: true })) seen.push(...page.friends);
  expect(seen.map((f) => f.userId).sort()).toEqual([...users].sort());
  // The same friends as format 2 said, now from format 3 lines (names from `n`).
  for (const friend of seen) expect(friend).toEqual(before.get(friend.userId));
  // Readers that do not ask for names (counts, multicast) do not read them.
  const nameless: AudienceFriend[] = [];
  for await (const page of new DynamoAudienceSource(db, other).pages()) nameless.push(...page.friends);
  expect(nameless).toHaveLength(users.length);
  expect(nameless.every((f) => f.displayName === '' && f.language === 'en')).toBe(true);
  expect((await db.send(new GetCommand({ TableName: other, Key: audienceIndexMarkerKey }))).Item).toMatchObject({ version: 3, set: 30 });
  for (const userId of users) {
    const value = (await readAudienceBucket(db, other, audienceBucketOf(userId))).entries.get(userId)!;
    expect(value.startsWith('[')).toBe(false);
    expect(value.split('\t')).toHaveLength(3);
  }
});
