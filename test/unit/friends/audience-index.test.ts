import { randomBytes } from 'node:crypto';
import { BatchGetItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoAudienceSource } from '../../../functions/adapters/aws/audience-source';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import { AUDIENCE_BUCKETS, audienceBucketOf, audienceEntryOf, decodeAudienceBucket, decodeAudienceEntry, encodeAudienceEntry, packAudienceBucket, unpackAudienceBucket } from '../../../functions/friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, friendKey } from '../../../functions/friends/keys';

describe('audience entries', () => {
  it('round-trips the fields segments and sending read', () => {
    const entry = { displayName: '荒尾 "花子"', followedAt: '2026-01-01T00:00:00.000Z', language: 'zh-Hant', attributes: { district: 'arao', categories: ['disaster', 'events'] } };
    expect(decodeAudienceEntry('U1', encodeAudienceEntry(entry))).toEqual({ userId: 'U1', status: 'active', ...entry });
    expect(decodeAudienceEntry('U2', encodeAudienceEntry({ displayName: '', followedAt: 'x' }))).toEqual({ userId: 'U2', status: 'active', displayName: '', followedAt: 'x' });
  });

  it('refuses an entry of an unknown format instead of guessing', () => {
    expect(() => decodeAudienceEntry('U1', '[2,"x","y",null,null]')).toThrow(/unknown format/);
    expect(() => decodeAudienceEntry('U1', '{"a":1}')).toThrow(/unknown format/);
  });

  it('packs a bucket as one line per friend and reads it back, names with tabs and newlines included', () => {
    const entries = new Map([
      ['U1', encodeAudienceEntry({ displayName: 'a\tb\nc', followedAt: 'x', language: 'ja' })],
      ['U2', encodeAudienceEntry({ displayName: '花子', followedAt: 'y', attributes: { district: 'arao' } })],
    ]);
    const packed = packAudienceBucket(entries);
    expect(packed.split('\n')).toHaveLength(2);
    expect(unpackAudienceBucket(packed)).toEqual(entries);
    expect(decodeAudienceBucket(packed)).toEqual([
      { userId: 'U1', status: 'active', displayName: 'a\tb\nc', followedAt: 'x', language: 'ja' },
      { userId: 'U2', status: 'active', displayName: '花子', followedAt: 'y', attributes: { district: 'arao' } },
    ]);
    expect(packAudienceBucket(new Map())).toBe('');
    expect(decodeAudienceBucket('')).toEqual([]);
    expect(unpackAudienceBucket(undefined).size).toBe(0);
  });

  it('refuses what it cannot pack or read: a user ID with a tab, a full bucket, a line without a user', () => {
    expect(() => packAudienceBucket(new Map([['U\t1', '[1,"x","",null,null]']]))).toThrow(/cannot be indexed/);
    const big = new Map(Array.from({ length: 2_000 }, (_, i) => [`U${i}`, encodeAudienceEntry({ displayName: 'x'.repeat(200), followedAt: 'x' })] as [string, string]));
    expect(() => packAudienceBucket(big)).toThrow(/bucket full/);
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
  const other = encodeAudienceEntry({ displayName: '隣人', followedAt: 'z' });

  it('writes the friend, the day count and its bucket in one transaction guarded by both revisions read', async () => {
    ddb.on(GetCommand, { Key: friendKey('U1') }).resolves({ Item: { ...friendKey('U1'), userId: 'U1', status: 'blocked', followedAt: '2025-01-01T00:00:00.000Z', statusEventAt: 5, rev: 7, attributes: { district: 'manda' } } });
    ddb.on(GetCommand, { Key: bucketOf('U1') }).resolves({ Item: { e: `Uother\t${other}`, rev: 41 } });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo.recordFollow({ userId: 'U1', displayName: '花子', language: 'en', eventAt: 10, at })).toBe('applied');
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
    const lines = decodeAudienceBucket(bucket.ExpressionAttributeValues![':e'] as string);
    expect(lines).toEqual([
      { userId: 'Uother', status: 'active', displayName: '隣人', followedAt: 'z' },
      { userId: 'U1', status: 'active', displayName: '花子', language: 'en', followedAt: '2025-01-01T00:00:00.000Z', attributes: { district: 'manda' } },
    ]);
    // A version-1 attribute of this friend is dropped on the way.
    expect(bucket.UpdateExpression).toBe('SET #e = :e, #rev = :next REMOVE #u0');
    expect(bucket.ExpressionAttributeNames).toMatchObject({ '#u0': 'U1' });
  });

  it('reads again and retries when the friend or its bucket changed in between or another transaction collided', async () => {
    ddb.on(GetCommand, { Key: friendKey('U1') })
      .resolvesOnce({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 5, rev: 1 } })
      .resolvesOnce({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 6, rev: 2 } })
      .resolvesOnce({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 6, rev: 3 } })
      .resolves({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 6, rev: 3 } });
    ddb.on(GetCommand, { Key: bucketOf('U1') })
      .resolvesOnce({ Item: { e: `U1\t${other}`, rev: 10 } })
      .resolvesOnce({ Item: { e: `U1\t${other}`, rev: 10 } })
      .resolvesOnce({ Item: { e: `U1\t${other}`, rev: 11 } })
      .resolves({ Item: { e: `U1\t${other}\nUnew\t${other}`, rev: 12 } });
    ddb.on(TransactWriteCommand)
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

  it('answers stale or already from what it read, without writing', async () => {
    ddb.on(GetCommand).resolves({ Item: { userId: 'U1', status: 'active', followedAt: 'x', statusEventAt: 10, rev: 1 } });
    expect(await repo.recordFollow({ userId: 'U1', displayName: 'a', eventAt: 10, at })).toBe('already');
    expect(await repo.recordFollow({ userId: 'U1', displayName: 'a', eventAt: 9, at })).toBe('stale');
    expect(await repo.recordUnfollow('U1', 8, at)).toBe('stale');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('DynamoAudienceSource (aws-sdk-client-mock)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' }));
  beforeEach(() => ddb.reset());

  it('reads every bucket once (its packed entries only), asks again for unprocessed keys, and decodes each friend', async () => {
    ddb.on(GetCommand, { Key: audienceIndexMarkerKey }).resolves({ Item: { ...audienceIndexMarkerKey, version: 2 } });
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
});
