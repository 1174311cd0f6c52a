/**
 * AudienceSource on the single table: active friends from the audience index (bucket items
 * `AUDIENCE#<nnn>`, and the pages of a bucket that split; functions/friends/audience-index.ts)
 * read with BatchGetItem, several requests in flight, each answered batch handed to the caller as
 * soon as it arrives; form answerers from `FORM#<formId>` / `RESPONSE#<userId>` (keys only).
 */
import { BatchGetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { logger } from '../../shared/powertools';
import { decodeAudienceBucket, parseAudienceDirectory, unpackAudienceBucket, type AttributesMemo } from '../../friends/audience-index';
import { audienceBucketKey, audiencePageKey, parseAudiencePageKey } from '../../friends/keys';
import { RESPONSE_PREFIX, formPartition } from '../../forms/keys';
import type { AudienceFriend } from '../../deliveries/model';
import type { AudienceSource } from '../../deliveries/ports';
import { audienceBucketKeys, ensureAudienceIndex } from './audience-index';
import { documentClient, tableName } from './dynamo-client';

/** Sort-key ranges over `RESPONSE#U<hex…>` read in parallel (LINE user IDs: U + 32 hex digits). */
const HEX = '0123456789abcdef';
const ANSWER_SEGMENTS = 4;

/** Times a page may vanish under a reader (it split meanwhile) before the read gives up. */
const PAGE_RESOLVES = 8;

type Key = { PK: string; SK: string };

/** A BatchGetItem to make: bucket items, or pages (read consistently after one vanished under the reader). */
type Batch = { keys: Key[]; pages: boolean; consistent: boolean; pauseMs: number };
type Answer = { id: number; items: Record<string, AttributeValue>[]; retry: Batch[] };

export class DynamoAudienceSource implements AudienceSource {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    /** Items per BatchGetItem (≤ 100). Small batches reach the first chunk sooner. */
    private readonly batchSize = 8,
    /** BatchGetItem requests in flight at once; at most this many batches wait in memory. */
    private readonly concurrency = 8,
  ) {}

  /**
   * Every bucket item (its `e`, and `n` with names); a bucket item that is a directory (the bucket
   * split) adds its pages to the reads, which are read before further bucket items. A page that
   * is missing from an answer (neither returned nor left unprocessed) split after its directory
   * was read: the directory is read again (consistent) and the pages that took its friends are
   * read consistently. Pages never merge, so every friend is read once.
   */
  async *pages(options: { names?: boolean } = {}): AsyncIterable<{ friends: AudienceFriend[] }> {
    const waiting: Key[] = audienceBucketKeys();
    const again: Batch[] = [];
    const pageKeys: Key[] = [];
    const inFlight = new Map<number, Promise<Answer>>();
    let ids = 0;
    let retries = 0;
    const resolves = new Map<string, number>();
    // Names (`n`) only when asked for: most deliveries and every count do without them. Pages
    // also name their keys, so that one missing from an answer is noticed.
    const attributes = options.names ? '#e, #n' : '#e';
    const names: Record<string, string> = options.names ? { '#e': 'e', '#n': 'n' } : { '#e': 'e' };
    const request = (batch: Batch) => {
      const id = ids++;
      const read = async (): Promise<Answer> => {
        if (batch.pauseMs > 0) await new Promise((r) => setTimeout(r, batch.pauseMs));
        // The low-level command: a bucket's packed entries are one string, read as it comes.
        const out = await this.db.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.table]: {
                Keys: batch.keys.map((k) => ({ PK: { S: k.PK }, SK: { S: k.SK } })),
                ProjectionExpression: batch.pages ? `PK, SK, ${attributes}` : attributes,
                ExpressionAttributeNames: names,
                ...(batch.consistent ? { ConsistentRead: true } : {}),
              },
            },
          }),
        );
        const items = out.Responses?.[this.table] ?? [];
        const unprocessed = (out.UnprocessedKeys?.[this.table]?.Keys ?? []).map((k) => ({ PK: k.PK!.S!, SK: k.SK!.S! }));
        const retry: Batch[] = [];
        // Keys DynamoDB did not get to (throttling, 16 MB) are asked for again after a growing pause.
        if (unprocessed.length > 0) {
          if (++retries > 10) throw new Error('audience index: DynamoDB left keys unprocessed 10 times');
          retry.push({ ...batch, keys: unprocessed, pauseMs: Math.min(1000, 25 * 2 ** retries) });
        }
        if (batch.pages) {
          const got = new Set([...items.map((item) => `${item.PK?.S}|${item.SK?.S}`), ...unprocessed.map((k) => `${k.PK}|${k.SK}`)]);
          const vanished = batch.keys.filter((k) => !got.has(`${k.PK}|${k.SK}`));
          if (vanished.length > 0) retry.push(...(await this.pagesInstead(vanished, resolves)));
        }
        return { id, items, retry };
      };
      const pending = read();
      // Observed at once: a read may fail while the caller is still busy with an earlier page
      // (before the next race); the race below still sees the rejection.
      pending.catch(() => undefined);
      inFlight.set(id, pending);
    };
    // Slow start: 2 requests, one more per answer up to `concurrency`, so the first chunk's write
    // and send are not queued behind a full set of reads at DynamoDB.
    let answered = 0;
    const fill = () => {
      const limit = Math.min(this.concurrency, 2 + answered);
      while (inFlight.size < limit) {
        const next = again.shift();
        if (next) request(next);
        else if (pageKeys.length > 0) request({ keys: pageKeys.splice(0, this.batchSize), pages: true, consistent: false, pauseMs: 0 });
        else if (waiting.length > 0) request({ keys: waiting.splice(0, this.batchSize), pages: false, consistent: false, pauseMs: 0 });
        else break;
      }
    };
    // Friends share a few attribute combinations: each distinct one is parsed once per read.
    const memo: AttributesMemo = new Map();
    await this.ensureIndex();
    fill();
    try {
      while (inFlight.size > 0) {
        const done = await Promise.race(inFlight.values());
        inFlight.delete(done.id);
        answered++;
        again.push(...done.retry);
        fill();
        const friends: AudienceFriend[] = [];
        const known = pageKeys.length;
        for (const item of done.items) {
          const packed = item.e?.S;
          if (!packed) continue;
          // A split bucket: its directory names the pages to read.
          const directory = packed.charCodeAt(0) === 9 ? parseAudienceDirectory(packed) : null;
          if (directory) {
            for (const leaf of directory.leaves) pageKeys.push(audiencePageKey(directory.bucket, leaf));
            continue;
          }
          // A malformed name line costs that friend's name, not the delivery.
          const names = options.names
            ? unpackAudienceBucket(item.n?.S, (line) => logger.error('Audience name line dropped (malformed)', { line: line.slice(0, 200) }))
            : undefined;
          for (const friend of decodeAudienceBucket(packed, { memo, ...(names ? { names } : {}) })) friends.push(friend);
        }
        if (pageKeys.length > known) fill();
        if (friends.length > 0) yield { friends };
      }
    } finally {
      // Stopped early (an error, or the caller left the loop): the reads still running must not
      // surface later as unhandled rejections.
      for (const pending of inFlight.values()) pending.catch(() => undefined);
    }
  }

  /**
   * Pages that vanished under the reader (split after their directory was read): the pages now
   * holding their friends, from the bucket's directory read again, to be read consistently.
   */
  private async pagesInstead(vanished: Key[], resolves: Map<string, number>): Promise<Batch[]> {
    const keys: Key[] = [];
    const byBucket = new Map<number, string[]>();
    for (const key of vanished) {
      const page = parseAudiencePageKey(key);
      if (!page) throw new Error(`audience index: unexpected key ${key.PK}/${key.SK}`);
      const seen = (resolves.get(`${key.PK}|${key.SK}`) ?? 0) + 1;
      if (seen > PAGE_RESOLVES) throw new Error(`audience index: page ${key.PK}/${key.SK} kept vanishing`);
      resolves.set(`${key.PK}|${key.SK}`, seen);
      byBucket.set(page.bucket, [...(byBucket.get(page.bucket) ?? []), page.leaf]);
    }
    for (const [bucket, leaves] of byBucket) {
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.table, Key: audienceBucketKey(bucket), ConsistentRead: true, ProjectionExpression: 'e' }),
      );
      const directory = typeof Item?.e === 'string' ? parseAudienceDirectory(Item.e) : null;
      if (!directory) throw new Error(`audience index: bucket ${bucket} has pages but no directory`);
      // The vanished page itself when the directory still lists it (an eventually consistent read missed a new page).
      for (const leaf of directory.leaves) if (leaves.some((gone) => leaf.startsWith(gone))) keys.push(audiencePageKey(bucket, leaf));
    }
    const batches: Batch[] = [];
    for (let i = 0; i < keys.length; i += this.batchSize) batches.push({ keys: keys.slice(i, i + this.batchSize), pages: true, consistent: true, pauseMs: 0 });
    return batches;
  }

  private indexReady?: Promise<void>;
  private indexCheckedAt = 0;

  /**
   * Data written before the index existed, or in a format this code cannot read, gets its entries
   * first (see ensureAudienceIndex; upgrades of a readable index are the scheduled job's, never a
   * reader's). Checked at most once a minute per process: one GetItem of the marker.
   */
  private ensureIndex(): Promise<void> {
    if (!this.indexReady || Date.now() - this.indexCheckedAt > 60_000) {
      this.indexCheckedAt = Date.now();
      this.indexReady = ensureAudienceIndex(this.db, this.table).catch((error) => {
        this.indexReady = undefined;
        throw error;
      });
    }
    return this.indexReady;
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
        const pages = paginateQuery(
          { client: this.db },
          {
            TableName: this.table,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': formPartition(formId), ':from': from, ':to': to },
            ProjectionExpression: 'SK',
          },
        );
        for await (const page of pages) for (const item of page.Items ?? []) users.add((item.SK as string).slice(RESPONSE_PREFIX.length));
      }),
    );
    return users;
  }
}
