/**
 * Splitting buckets into pages, as the adapters do it (aws-sdk-client-mock): a friend write that
 * would overfill its bucket splits it first, in a transaction of its own, and is then written to
 * its page guarded by the page's revision; a reader follows a bucket's directory to its pages, and
 * to their successors when a page split under it.
 */
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AUDIENCE_INDEX_VERSION,
  AudienceSplitNeeded,
  audienceEntryWrite,
  readAudienceBucket,
  setAudienceLimits,
} from '../../../functions/adapters/aws/audience-index';
import { DynamoAudienceSource } from '../../../functions/adapters/aws/audience-source';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import {
  AUDIENCE_BUCKETS,
  audienceBucketOf,
  audienceLeafHolds,
  audiencePageHash,
  decodeAudienceBucket,
  encodeAudienceDirectory,
  encodeAudienceEntry,
  parseAudienceDirectory,
  unpackAudienceBucket,
} from '../../../functions/friends/audience-index';
import { audienceBucketKey, audienceIndexMarkerKey, audiencePageKey, friendKey } from '../../../functions/friends/keys';

const T = '2026-01-01T00:00:00.000Z';
const line = (userId: string) => `${userId}\t${encodeAudienceEntry({ displayName: '', followedAt: T, language: 'ja', attributes: { district: 'a' } })}`;

/** User IDs of one bucket (FNV-1a), so a handful of friends fills it. */
function idsInBucket(bucket: number, count: number, prefix = 'U'): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) {
    const id = `${prefix}${i.toString(16).padStart(32, '0')}`;
    if (audienceBucketOf(id) === bucket) ids.push(id);
  }
  return ids;
}

describe('a friend write that would overfill its bucket (aws-sdk-client-mock)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' }));
  const repo = new DynamoFriendRepository(db, 'split');
  beforeAll(() => setAudienceLimits('split', { bucketBytes: 900, pageBytes: 600 }));
  afterAll(() => setAudienceLimits('split', undefined));
  beforeEach(() => ddb.reset());

  /** The audience items as a table holds them: writes are applied (conditions are DynamoDB Local's to check: test/integration). */
  function fakeTable(initial: Record<string, Record<string, unknown>>) {
    const items = new Map(Object.entries(initial));
    const k = (key: Record<string, unknown>) => `${key.PK}|${key.SK}`;
    ddb.on(GetCommand).callsFake(async (input: { Key: Record<string, unknown> }) => ({ Item: items.get(k(input.Key)) }));
    ddb.on(TransactWriteCommand).callsFake(async (input: { TransactItems: Record<string, any>[] }) => {
      for (const t of input.TransactItems) {
        if (t.Put) items.set(k(t.Put.Item), { ...t.Put.Item });
        if (t.Delete) items.delete(k(t.Delete.Key));
        if (t.Update && String(t.Update.Key.PK).startsWith('AUDIENCE#')) {
          const v = t.Update.ExpressionAttributeValues;
          const item = { ...(items.get(k(t.Update.Key)) ?? t.Update.Key), e: v[':e'] ?? v[':directory'], rev: v[':next'] } as Record<string, unknown>;
          if (v[':n'] !== undefined) item.n = v[':n'];
          if (/REMOVE #n\b/.test(t.Update.UpdateExpression)) delete item.n;
          items.set(k(t.Update.Key), item);
        }
      }
      return {};
    });
    return items;
  }

  it('splits the bucket first (its own transaction, guarded by the revision read), then writes the friend to its page', async () => {
    const bucket = 17;
    const [newcomer, ...candidates] = idsInBucket(bucket, 20);
    // As many friends as the bucket holds: one more does not fit.
    const others = candidates.filter(
      (_, i) =>
        Buffer.byteLength(
          candidates
            .slice(0, i + 1)
            .map(line)
            .join('\n'),
        ) <= 900,
    );
    const full = others.map(line).join('\n');
    expect(Buffer.byteLength(full)).toBeLessThanOrEqual(900);
    const items = fakeTable({ [`AUDIENCE#017|FRIENDS`]: { ...audienceBucketKey(bucket), e: full, n: '', rev: 41 } });

    expect(await repo.recordFollow({ userId: newcomer!, displayName: '花子', language: 'en', eventAt: Date.parse(T), at: new Date(T) })).toBe('applied');
    const [split, write] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);

    // 1. The split: the bucket item becomes the directory (string revision, no names), the pages are new items.
    const base = split![0]!.Update!;
    expect(base.Key).toEqual(audienceBucketKey(bucket));
    expect(base.ConditionExpression).toBe('#rev = :rev');
    expect(base.UpdateExpression).toBe('SET #e = :directory, #rev = :next REMOVE #n');
    expect(base.ExpressionAttributeValues).toMatchObject({ ':rev': 41, ':next': 'split-1' });
    const { leaves } = parseAudienceDirectory(base.ExpressionAttributeValues![':directory'] as string)!;
    const puts = split!.slice(1).map((t) => t.Put!);
    expect(puts.map((p) => p.Item!.SK).sort()).toEqual(leaves.map((l) => audiencePageKey(bucket, l).SK).sort());
    expect(puts.every((p) => p.ConditionExpression === 'attribute_not_exists(PK)' && p.Item!.rev === 1)).toBe(true);
    // Only the lines read moved (the newcomer is written with its friend item, not by the split).
    expect(puts.flatMap((p) => decodeAudienceBucket(p.Item!.e as string).map((f) => f.userId)).sort()).toEqual([...others].sort());
    for (const p of puts)
      for (const f of decodeAudienceBucket(p.Item!.e as string))
        expect(audienceLeafHolds((p.Item!.SK as string).slice(5), audiencePageHash(f.userId))).toBe(true);

    // 2. The friend write: friend, day count and the newcomer's page, guarded by the page's revision; no per-friend attribute to drop on a page.
    expect(write).toHaveLength(3);
    const page = write![2]!.Update!;
    const leaf = (page.Key!.SK as string).slice('PAGE#'.length);
    expect(audienceLeafHolds(leaf, audiencePageHash(newcomer!))).toBe(true);
    expect(page.ConditionExpression).toBe('#rev = :rev');
    expect(page.ExpressionAttributeValues).toMatchObject({ ':rev': 1, ':next': 2 });
    expect(page.UpdateExpression).toBe('SET #e = :e, #n = :n, #rev = :next');
    expect(unpackAudienceBucket(page.ExpressionAttributeValues![':n'])).toEqual(new Map([[newcomer!, '花子']]));

    // The bucket reads as split; every friend is in exactly one item.
    const read = await readAudienceBucket(db, 'split', bucket);
    expect(read.split).toEqual({ leaves, rev: 'split-1' });
    const lines = [...items.values()].filter((i) => String(i.SK).startsWith('PAGE#')).flatMap((i) => decodeAudienceBucket(i.e as string).map((f) => f.userId));
    expect(lines.sort()).toEqual([newcomer!, ...others].sort());
  });

  it('leaves the lines as read when it asks for a split (nothing of the write is split along)', () => {
    const [u, ...candidates] = idsInBucket(3, 20);
    const others = candidates.filter(
      (_, i) =>
        Buffer.byteLength(
          candidates
            .slice(0, i + 1)
            .map(line)
            .join('\n'),
        ) <= 900,
    );
    const leaf = {
      Key: audienceBucketKey(3),
      bucket: 3,
      leaf: '',
      rev: 5,
      entries: unpackAudienceBucket(others.map(line).join('\n')),
      names: new Map<string, string>(),
      db,
    };
    const before = new Map(leaf.entries);
    expect(() => audienceEntryWrite('split', leaf, u!, { displayName: 'x', followedAt: T })).toThrow(AudienceSplitNeeded);
    expect(leaf.entries).toEqual(before);
    expect(leaf.names.size).toBe(0);
    // Removing never splits.
    expect(audienceEntryWrite('split', leaf, others[0]!, null).Update!.Key).toEqual(audienceBucketKey(3));
  });
});

describe('DynamoAudienceSource over split buckets (aws-sdk-client-mock)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' }));
  beforeEach(() => ddb.reset());

  it("reads a split bucket's pages (naming their keys), and the pages that took over one that split under it (consistently)", async () => {
    ddb.on(GetCommand, { Key: audienceIndexMarkerKey }).resolves({ Item: { ...audienceIndexMarkerKey, version: AUDIENCE_INDEX_VERSION } });
    // Bucket 5 split into pages 0 and 1; page 1 split again (into 10 and 11) after the reader read the directory.
    ddb.on(GetCommand, { Key: audienceBucketKey(5) }).resolves({ Item: { e: encodeAudienceDirectory(5, ['0', '10', '11']) } });
    const pageLines: Record<string, string> = { 'PAGE#0': 'Up0a\t\tja\t\nUp0b\t\tja\t', 'PAGE#10': 'Up10\t\ten\t', 'PAGE#11': 'Up11\t\tja\t' };
    ddb
      .on(BatchGetItemCommand)
      .callsFake(async (input: { RequestItems: Record<string, { Keys: { PK: { S: string }; SK: { S: string } }[]; ConsistentRead?: boolean }> }) => {
        const served = input.RequestItems.t!.Keys.flatMap((k) => {
          if (k.SK.S === 'FRIENDS') return [{ e: { S: k.PK.S === 'AUDIENCE#005' ? encodeAudienceDirectory(5, ['0', '1']) : `U${k.PK.S}\t\tja\t` } }];
          const e = pageLines[k.SK.S];
          return e ? [{ PK: k.PK, SK: k.SK, e: { S: e } }] : [];
        });
        return { Responses: { t: served } };
      });
    const seen: string[] = [];
    for await (const page of new DynamoAudienceSource(db, 't', 8, 4).pages()) seen.push(...page.friends.map((f) => f.userId));
    expect(seen.sort()).toEqual(
      [
        ...Array.from({ length: AUDIENCE_BUCKETS }, (_, b) => `U${audienceBucketKey(b).PK}`).filter((u) => u !== 'UAUDIENCE#005'),
        'Up0a',
        'Up0b',
        'Up10',
        'Up11',
      ].sort(),
    );
    const calls = ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input.RequestItems!.t!);
    const pageCalls = calls.filter((c) => c.Keys!.some((k) => k.SK!.S!.startsWith('PAGE#')));
    expect(pageCalls[0]!.ProjectionExpression).toBe('PK, SK, #e');
    expect(pageCalls[0]!.ConsistentRead).toBeUndefined();
    // The directory read again (consistent) named 10 and 11 for the vanished 1; read consistently.
    const again = pageCalls.find((c) => c.ConsistentRead)!;
    expect(again.Keys!.map((k) => k.SK!.S).sort()).toEqual(['PAGE#10', 'PAGE#11']);
    expect(ddb.commandCalls(GetCommand, { Key: audienceBucketKey(5), ConsistentRead: true })).toHaveLength(1);
    // Bucket items are still read with `e` only: an account that never split reads exactly as before.
    expect(calls.filter((c) => c.Keys!.every((k) => k.SK!.S === 'FRIENDS')).every((c) => c.ProjectionExpression === '#e')).toBe(true);
  });

  it('gives up on a page that keeps vanishing instead of reading for ever', async () => {
    ddb.on(GetCommand, { Key: audienceIndexMarkerKey }).resolves({ Item: { ...audienceIndexMarkerKey, version: AUDIENCE_INDEX_VERSION } });
    ddb.on(GetCommand, { Key: audienceBucketKey(0) }).resolves({ Item: { e: encodeAudienceDirectory(0, ['0', '1']) } });
    ddb.on(BatchGetItemCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: { PK: { S: string }; SK: { S: string } }[] }> }) => ({
      Responses: {
        t: input.RequestItems.t!.Keys.flatMap((k) =>
          k.SK.S === 'FRIENDS' && k.PK.S === 'AUDIENCE#000' ? [{ e: { S: encodeAudienceDirectory(0, ['0', '1']) } }] : [],
        ),
      },
    }));
    const read = async () => {
      for await (const _ of new DynamoAudienceSource(db, 't').pages()) void _;
    };
    await expect(read()).rejects.toThrow(/kept vanishing/);
  });
});

describe('friend keys of pages', () => {
  it("keeps pages in their bucket's partition", () => {
    expect(audiencePageKey(7, '0110')).toEqual({ PK: 'AUDIENCE#007', SK: 'PAGE#0110' });
    expect(friendKey('U1').PK).toBe('FRIEND#U1');
  });
});
