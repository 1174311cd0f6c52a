import { randomBytes } from 'node:crypto';
import { BatchGetItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AUDIENCE_INDEX_VERSION, revisedFriendWrite } from '../../../functions/adapters/aws/audience-index';
import { DynamoAudienceSource } from '../../../functions/adapters/aws/audience-source';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import {
  AUDIENCE_BUCKETS,
  audienceBucketOf,
  audienceEntryOf,
  decodeAudienceBucket,
  decodeAudienceEntry,
  encodeAudienceEntry,
  packAudienceBucket,
  setAudienceLines,
  unpackAudienceBucket,
  type AudienceEntry,
  type AudienceLines,
} from '../../../functions/friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, friendKey } from '../../../functions/friends/keys';

describe('audience entries', () => {
  const T = '2026-01-01T00:00:00.000Z';
  const lines = (): AudienceLines => ({ entries: new Map(), names: new Map() });
  /** A friend through the writers' lines and back, names read. */
  const roundTrip = (userId: string, entry: AudienceEntry) => {
    const bucket = lines();
    setAudienceLines(bucket, userId, entry);
    const packed = packAudienceBucket(bucket);
    return decodeAudienceBucket(packed.e, { names: unpackAudienceBucket(packed.n) })[0];
  };

  it('round-trips the fields segments and sending read', () => {
    const entry = { displayName: '荒尾 "花子"', followedAt: T, language: 'zh-Hant', attributes: { district: 'arao', categories: ['disaster', 'events'] } };
    expect(roundTrip('U1', entry)).toEqual({
      userId: 'U1',
      status: 'active',
      displayName: entry.displayName,
      followedAtMs: Date.parse(T),
      language: 'zh-Hant',
      attributes: entry.attributes,
    });
    expect(roundTrip('U2', { displayName: '', followedAt: T })).toEqual({ userId: 'U2', status: 'active', displayName: '', followedAtMs: Date.parse(T) });
    // An unreadable first follow stays unknown (no "followed" condition holds for it).
    expect(roundTrip('U3', { displayName: 'a', followedAt: 'x' })!.followedAtMs).toBeNaN();
    // The separators and the escape character itself, in the text fields.
    const odd = { displayName: 'a\\tb\\\\c\t\n[', followedAt: T, language: 'x\\y\t' };
    expect(roundTrip('U4', odd)).toMatchObject({ displayName: odd.displayName, language: odd.language });
  });

  it('is format 3: `e` has followed (ms, base 36), language and attributes; the name is in `n`', () => {
    const bucket = lines();
    setAudienceLines(bucket, 'U1', { displayName: '花子', followedAt: T, language: 'ja', attributes: { district: 'a' } });
    setAudienceLines(bucket, 'U2', { displayName: '', followedAt: T, attributes: {} });
    expect(packAudienceBucket(bucket)).toEqual({
      e: `U1\t${Date.parse(T).toString(36)}\tja\t{"district":"a"}\nU2\t${Date.parse(T).toString(36)}\t\t`,
      n: 'U1\t花子',
    });
    // Without names (most readers), the name is empty.
    expect(decodeAudienceBucket(packAudienceBucket(bucket).e)[0]!.displayName).toBe('');
    // Removed: both lines go.
    setAudienceLines(bucket, 'U1', null);
    expect(packAudienceBucket(bucket)).toEqual({ e: `U2\t${Date.parse(T).toString(36)}\t\t`, n: '' });
  });

  it('still reads format 2 lines (a bucket half-way through its migration), each with its own name', () => {
    const packed = `U1\t${JSON.stringify([1, T, '太郎', 'en', { district: 'b' }])}\nU2\t${encodeAudienceEntry({ displayName: '花子', followedAt: T })}`;
    // U1's `n` line is older than its format 2 line (a writer of the previous version renamed it): the line's name wins.
    expect(
      decodeAudienceBucket(packed, {
        names: new Map([
          ['U1', '古い名前'],
          ['U2', '花子'],
        ]),
      }),
    ).toEqual([
      { userId: 'U1', status: 'active', displayName: '太郎', followedAtMs: Date.parse(T), language: 'en', attributes: { district: 'b' } },
      { userId: 'U2', status: 'active', displayName: '花子', followedAtMs: Date.parse(T) },
    ]);
  });

  it('parses each distinct attribute value once per read and shares it', () => {
    const entry = (district: string) => encodeAudienceEntry({ displayName: 'x', followedAt: T, attributes: { district } });
    const memo = new Map();
    const first = decodeAudienceBucket(`U1\t${entry('a')}\nU2\t${entry('b')}`, { memo });
    const second = decodeAudienceBucket(`U3\t${entry('a')}`, { memo });
    expect(memo.size).toBe(2);
    expect(second[0]!.attributes).toBe(first[0]!.attributes);
    expect(first[1]!.attributes).toEqual({ district: 'b' });
  });

  it('refuses an entry of an unknown format instead of guessing', () => {
    expect(() => decodeAudienceEntry('U1', '[2,"x","y",null,null]')).toThrow(/unknown format/);
    expect(() => decodeAudienceEntry('U1', '{"a":1}')).toThrow(/unknown format/);
    expect(() => decodeAudienceEntry('U1', 'x\tja')).toThrow(/unknown format/);
    expect(() => decodeAudienceEntry('U1', 'x\tja\t[1]')).toThrow(/unknown format/);
  });

  it('packs a bucket as one line per friend and reads it back, names with tabs and newlines included', () => {
    const bucket = lines();
    setAudienceLines(bucket, 'U1', { displayName: 'a\tb\nc', followedAt: T, language: 'ja' });
    setAudienceLines(bucket, 'U2', { displayName: '花子', followedAt: T, attributes: { district: 'arao' } });
    const packed = packAudienceBucket(bucket);
    expect(packed.e.split('\n')).toHaveLength(2);
    expect(packed.n.split('\n')).toHaveLength(2);
    expect(unpackAudienceBucket(packed.e)).toEqual(bucket.entries);
    expect(unpackAudienceBucket(packed.n)).toEqual(bucket.names);
    expect(decodeAudienceBucket(packed.e, { names: unpackAudienceBucket(packed.n) })).toEqual([
      { userId: 'U1', status: 'active', displayName: 'a\tb\nc', followedAtMs: Date.parse(T), language: 'ja' },
      { userId: 'U2', status: 'active', displayName: '花子', followedAtMs: Date.parse(T), attributes: { district: 'arao' } },
    ]);
    expect(packAudienceBucket(lines())).toEqual({ e: '', n: '' });
    expect(decodeAudienceBucket('')).toEqual([]);
    expect(unpackAudienceBucket(undefined).size).toBe(0);
  });

  it('refuses what it cannot pack or read: a user ID with a tab, a full bucket, a line without a user', () => {
    const tabbed = lines();
    setAudienceLines(tabbed, 'U\t1', { displayName: 'x', followedAt: T });
    expect(() => packAudienceBucket(tabbed)).toThrow(/cannot be indexed/);
    const big = lines();
    for (let i = 0; i < 2_000; i++) setAudienceLines(big, `U${i}`, { displayName: 'x'.repeat(200), followedAt: T });
    expect(() => packAudienceBucket(big)).toThrow(/item full/);
    expect(() => decodeAudienceBucket('no tab here')).toThrow(/unknown format/);
    expect(() => unpackAudienceBucket('\t[1]')).toThrow(/unknown format/);
    // Writers and the rebuild drop such a line (and say so) instead of failing on the bucket for ever.
    const dropped: string[] = [];
    expect([...unpackAudienceBucket('garbage\nU1\t[1,"x","",null,null]', (line) => dropped.push(line)).keys()]).toEqual(['U1']);
    expect(dropped).toEqual(['garbage']);
  });

  it('gives blocked friends no entry', () => {
    const item = { userId: 'U1', displayName: 'a', followedAt: 'x', status: 'blocked', attributes: { district: 'arao' } };
    expect(audienceEntryOf(item)).toBeNull();
    expect(audienceEntryOf({ ...item, status: 'active' })).toEqual({ displayName: 'a', followedAt: 'x', attributes: { district: 'arao' } });
  });

  it('spreads LINE user IDs evenly over the buckets', () => {
    const counts = new Array<number>(AUDIENCE_BUCKETS).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[audienceBucketOf(`U${randomBytes(16).toString('hex')}`)]!++;
    const mean = n / AUDIENCE_BUCKETS;
    // Binomial spread: σ ≈ √mean ≈ 20; ±35 % is > 6σ.
    expect(Math.min(...counts)).toBeGreaterThan(mean * 0.65);
    expect(Math.max(...counts)).toBeLessThan(mean * 1.35);
    expect(audienceBucketOf('Uabc')).toBe(audienceBucketOf('Uabc'));
  });
});

describe('DynamoFriendRepository with the audience index (aws-sdk-client-mock)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' }));
  const repo = new DynamoFriendRepository(db, 't');
  const at = new Date('2026-11-24T00:00:00Z');
  beforeEach(() => ddb.reset());

  const conflict = (codes: string[]) =>
    new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

  const bucketOf = (userId: string) => audienceBucketKey(audienceBucketOf(userId));
  const Z = '2024-05-05T00:00:00.000Z';
  const other = encodeAudienceEntry({ displayName: '隣人', followedAt: Z });

  it('writes the friend, the day count and its bucket in one transaction guarded by both revisions read', async () => {
    const blockedAt = Date.parse('2026-01-01T00:00:00.000Z');
    ddb.on(GetCommand, { Key: friendKey('U1') }).resolves({
      Item: {
        ...friendKey('U1'),
        userId: 'U1',
        status: 'blocked',
        followedAt: '2025-01-01T00:00:00.000Z',
        statusEventAt: blockedAt,
        rev: 7,
        attributes: { district: 'manda' },
      },
    });
    ddb.on(GetCommand, { Key: bucketOf('U1') }).resolves({ Item: { e: `Uother\t${other}`, n: 'Uother\t隣人', rev: 41 } });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo.recordFollow({ userId: 'U1', displayName: '花子', language: 'en', eventAt: at.getTime(), at })).toBe('applied');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(3);
    expect(items[0]!.Update!.ConditionExpression).toContain('rev = :readRev');
    expect(items[0]!.Update!.ExpressionAttributeValues![':readRev']).toBe(7);
    expect(items[0]!.Update!.UpdateExpression).toContain('ADD rev :one');
    const bucket = items[2]!.Update!;
    expect(bucket.Key).toEqual(bucketOf('U1'));
    expect(bucket.ConditionExpression).toBe('#rev = :rev');
    expect(bucket.ExpressionAttributeValues).toMatchObject({ ':rev': 41, ':next': 42 });
    // The other friend's line stays; the first follow date and the earlier answers stay; name and language are the new ones.
    const lines = decodeAudienceBucket(bucket.ExpressionAttributeValues![':e'] as string, {
      names: unpackAudienceBucket(bucket.ExpressionAttributeValues![':n']),
    });
    expect(lines).toEqual([
      { userId: 'Uother', status: 'active', displayName: '隣人', followedAtMs: Date.parse(Z) },
      {
        userId: 'U1',
        status: 'active',
        displayName: '花子',
        language: 'en',
        followedAtMs: Date.parse('2025-01-01T00:00:00.000Z'),
        attributes: { district: 'manda' },
      },
    ]);
    // A version-1 attribute of this friend is dropped on the way.
    expect(bucket.UpdateExpression).toBe('SET #e = :e, #n = :n, #rev = :next REMOVE #u0');
    expect(bucket.ExpressionAttributeNames).toMatchObject({ '#u0': 'U1' });
  });

  it('reads again and retries when the friend or its bucket changed in between or another transaction collided', async () => {
    ddb
      .on(GetCommand, { Key: friendKey('U1') })
      .resolvesOnce({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 5, rev: 1 } })
      .resolvesOnce({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 6, rev: 2 } })
      .resolvesOnce({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 6, rev: 3 } })
      .resolves({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 6, rev: 3 } });
    ddb
      .on(GetCommand, { Key: bucketOf('U1') })
      .resolvesOnce({ Item: { e: `U1\t${other}`, rev: 10 } })
      .resolvesOnce({ Item: { e: `U1\t${other}`, rev: 10 } })
      .resolvesOnce({ Item: { e: `U1\t${other}`, rev: 11 } })
      .resolves({ Item: { e: `U1\t${other}\nUnew\t${other}`, rev: 12 } });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(conflict(['ConditionalCheckFailed', 'None', 'None']))
      .rejectsOnce(conflict(['None', 'TransactionConflict', 'None']))
      .rejectsOnce(conflict(['None', 'None', 'ConditionalCheckFailed'])) // the bucket: another friend of it was written
      .resolves({});
    expect(await repo.recordUnfollow('U1', 9, at)).toBe('applied');
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(4);
    expect(calls.map((c) => c.args[0].input.TransactItems![0]!.Update!.ExpressionAttributeValues![':readRev'])).toEqual([1, 2, 3, 3]);
    const last = calls[3]!.args[0].input.TransactItems![2]!.Update!;
    expect(last.ExpressionAttributeValues).toMatchObject({ ':rev': 12, ':next': 13 });
    // Blocked: U1's line is gone, the friend written meanwhile stays.
    expect(decodeAudienceBucket(last.ExpressionAttributeValues![':e'] as string).map((f) => f.userId)).toEqual(['Unew']);
  });

  it('does not retry a refusal that is not a race, and gives up after repeated races', async () => {
    ddb.on(GetCommand).resolves({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 5, rev: 1 } });
    ddb.on(TransactWriteCommand).rejects(conflict(['None', 'ValidationError', 'None']));
    await expect(repo.recordUnfollow('U1', 9, at)).rejects.toThrow('cancelled');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);

    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 5, rev: 1 } });
    ddb.on(TransactWriteCommand).rejects(conflict(['None', 'TransactionConflict', 'None']));
    await expect(repo.recordUnfollow('U1', 9, at)).rejects.toThrow('cancelled');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(12);
  });

  it('answers already from what it read without writing; records a stale event (its day count) without touching the status or the bucket', async () => {
    const followedAt = '2026-11-01T00:00:00.000Z';
    ddb
      .on(GetCommand)
      .resolves({ Item: { userId: 'U1', displayName: 'a', status: 'active', followedAt, statusEventAt: 10_000, seenEvents: [10_000], rev: 1 } });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo.recordFollow({ userId: 'U1', displayName: 'a', eventAt: 10_000, at })).toBe('already');
    expect(await repo.recordUnfollow('U1', 10_000, at)).toBe('already');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);

    // An older unfollow: counted once in its day, the friend stays active and keeps its audience line.
    expect(await repo.recordUnfollow('U1', 9_000, at)).toBe('stale');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2);
    expect(items[0]!.Update!.UpdateExpression).not.toContain('#status');
    expect(items[0]!.Update!.ExpressionAttributeValues![':seen']).toEqual([9_000, 10_000]);
    expect(items[1]!.Update!.UpdateExpression).toContain('ADD #c0 :n0');
    expect(items[1]!.Update!.ExpressionAttributeNames!['#c0']).toBe('blocked');
    expect(items[1]!.Update!.ExpressionAttributeValues![':n0']).toBe(1);
  });
});

describe('revisedFriendWrite: which refusals are lost races', () => {
  const cancelled = (codes: string[]) =>
    new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

  it('retries when the friend, its bucket or a colliding transaction refused, until it gets through', async () => {
    const refusals = [
      ['ConditionalCheckFailed', 'None', 'None', 'None'],
      ['None', 'None', 'None', 'ConditionalCheckFailed'],
      ['None', 'TransactionConflict', 'None', 'None'],
    ];
    let calls = 0;
    const result = await revisedFriendWrite({ friend: 0, bucket: 3 }, async () => {
      const codes = refusals[calls++];
      if (codes) throw cancelled(codes);
      return 'written';
    });
    expect(result).toBe('written');
    expect(calls).toBe(4);
  });

  it('throws at once when another item refused (e.g. a duplicate history entry): not a race, retrying cannot help', async () => {
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw cancelled(['None', 'ConditionalCheckFailed', 'None', 'None']);
    };
    await expect(revisedFriendWrite({ friend: 0, bucket: 3 }, attempt)).rejects.toThrow(TransactionCanceledException);
    expect(calls).toBe(1);
    // Anything else than a cancelled transaction is not retried either.
    calls = 0;
    await expect(
      revisedFriendWrite({ friend: 0, bucket: 3 }, async () => {
        calls++;
        throw new Error('network');
      }),
    ).rejects.toThrow('network');
    expect(calls).toBe(1);
  });
});

describe('DynamoAudienceSource (aws-sdk-client-mock)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' }));
  beforeEach(() => ddb.reset());

  it('reads every bucket once (its packed entries only), asks again for unprocessed keys, and decodes each friend', async () => {
    ddb.on(GetCommand, { Key: audienceIndexMarkerKey }).resolves({ Item: { ...audienceIndexMarkerKey, version: AUDIENCE_INDEX_VERSION } });
    let leftOnce = false;
    ddb.on(BatchGetItemCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: { PK: { S: string }; SK: { S: string } }[] }> }) => {
      const keys = input.RequestItems.t!.Keys;
      // The first request leaves its last key unprocessed, as DynamoDB may when throttled.
      const unprocessed = !leftOnce && keys.length > 1 ? [keys.at(-1)!] : [];
      leftOnce ||= unprocessed.length > 0;
      const served = keys.slice(0, keys.length - unprocessed.length);
      return {
        Responses: { t: served.map((k) => ({ e: { S: `U${k.PK.S}\t${encodeAudienceEntry({ displayName: k.PK.S, followedAt: 'x' })}` } })) },
        ...(unprocessed.length ? { UnprocessedKeys: { t: { Keys: unprocessed } } } : {}),
      };
    });
    const source = new DynamoAudienceSource(db, 't', 10, 3);
    const seen: string[] = [];
    for await (const page of source.pages()) seen.push(...page.friends.map((f) => f.userId));
    expect(seen).toHaveLength(AUDIENCE_BUCKETS);
    expect(new Set(seen).size).toBe(AUDIENCE_BUCKETS);
    expect(seen).toContain(`U${audienceBucketKey(AUDIENCE_BUCKETS - 1).PK}`);
    expect(ddb.commandCalls(BatchGetItemCommand)).toHaveLength(Math.ceil(AUDIENCE_BUCKETS / 10) + 1);
    expect(ddb.commandCalls(BatchGetItemCommand)[0]!.args[0].input.RequestItems!.t!.ProjectionExpression).toBe('#e');
  });

  it('reads names (`n`) only when asked, and drops a malformed name line instead of failing the read', async () => {
    ddb.on(GetCommand, { Key: audienceIndexMarkerKey }).resolves({ Item: { ...audienceIndexMarkerKey, version: AUDIENCE_INDEX_VERSION } });
    ddb.on(BatchGetItemCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: { PK: { S: string } }[] }> }) => ({
      Responses: {
        t: input.RequestItems.t!.Keys.map((k) => ({
          e: { S: `U${k.PK.S}\t${encodeAudienceEntry({ displayName: 'x', followedAt: 'x' })}` },
          n: { S: `garbage\nU${k.PK.S}\t名前\\t${k.PK.S}` },
        })),
      },
    }));
    const named: string[] = [];
    for await (const page of new DynamoAudienceSource(db, 't', 100, 2).pages({ names: true })) named.push(...page.friends.map((f) => f.displayName));
    expect(named).toHaveLength(AUDIENCE_BUCKETS);
    expect(named).toContain(`名前\t${audienceBucketKey(0).PK}`);
    const request = ddb.commandCalls(BatchGetItemCommand)[0]!.args[0].input.RequestItems!.t!;
    expect(request.ProjectionExpression).toBe('#e, #n');
    expect(request.ExpressionAttributeNames).toEqual({ '#e': 'e', '#n': 'n' });
  });
});
