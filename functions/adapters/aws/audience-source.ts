/**
 * AudienceSource on the single table: active friends from the audience index (bucket items
 * `AUDIENCE#<nnn>`, functions/friends/audience-index.ts) read with BatchGetItem, several
 * requests in flight, each answered batch handed to the caller as soon as it arrives; form
 * answerers from `FORM#<formId>` / `RESPONSE#<userId>` (keys only).
 */
import { BatchGetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { logger } from '../../shared/powertools';
import { decodeAudienceBucket, unpackAudienceBucket, type AttributesMemo } from '../../friends/audience-index';
import { RESPONSE_PREFIX, formPartition } from '../../forms/keys';
import type { AudienceFriend } from '../../deliveries/model';
import type { AudienceSource } from '../../deliveries/ports';
import { audienceBucketKeys, ensureAudienceIndex } from './audience-index';
import { documentClient, tableName } from './dynamo-client';

/** Sort-key ranges over `RESPONSE#U<hex…>` read in parallel (LINE user IDs: U + 32 hex digits). */
const HEX = '0123456789abcdef';
const ANSWER_SEGMENTS = 4;

type Key = { PK: string; SK: string };

export class DynamoAudienceSource implements AudienceSource {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    /** Bucket items per BatchGetItem (≤ 100). Small batches reach the first chunk sooner. */
    private readonly batchSize = 8,
    /** BatchGetItem requests in flight at once; at most this many batches wait in memory. */
    private readonly concurrency = 8,
  ) {}

  async *pages(options: { names?: boolean } = {}): AsyncIterable<{ friends: AudienceFriend[] }> {
    const waiting: Key[] = audienceBucketKeys();
    const inFlight = new Map<number, Promise<{ id: number; items: Record<string, AttributeValue>[]; unprocessed: Key[] }>>();
    let ids = 0;
    let retries = 0;
    const request = (keys: Key[], pauseMs = 0) => {
      const id = ids++;
      const read = async () => {
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
        // The low-level command: a bucket's packed entries are one string, read as it comes.
        const out = await this.db.send(
          new BatchGetItemCommand({
            RequestItems: { [this.table]: { Keys: keys.map((k) => ({ PK: { S: k.PK }, SK: { S: k.SK } })), ...projection } },
          }),
        );
        const unprocessed = (out.UnprocessedKeys?.[this.table]?.Keys ?? []).map((k) => ({ PK: k.PK!.S!, SK: k.SK!.S! }));
        return { id, items: out.Responses?.[this.table] ?? [], unprocessed };
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
      while (inFlight.size < limit && waiting.length > 0) request(waiting.splice(0, this.batchSize));
    };
    // Names (`n`) only when asked for: most deliveries and every count do without them.
    const projection: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } = options.names
      ? { ProjectionExpression: '#e, #n', ExpressionAttributeNames: { '#e': 'e', '#n': 'n' } }
      : { ProjectionExpression: '#e', ExpressionAttributeNames: { '#e': 'e' } };
    // Friends share a few attribute combinations: each distinct one is parsed once per read.
    const memo: AttributesMemo = new Map();
    await this.ensureIndex();
    fill();
    try {
      while (inFlight.size > 0) {
        const done = await Promise.race(inFlight.values());
        inFlight.delete(done.id);
        answered++;
        // Keys DynamoDB did not get to (throttling, 16 MB) are asked for again after a growing pause.
        if (done.unprocessed.length > 0) {
          if (++retries > 10) throw new Error('audience index: DynamoDB left keys unprocessed 10 times');
          request(done.unprocessed, Math.min(1000, 25 * 2 ** retries));
        }
        fill();
        const friends: AudienceFriend[] = [];
        for (const item of done.items) {
          const packed = item.e?.S;
          if (!packed) continue;
          // A malformed name line costs that friend's name, not the delivery.
          const names = options.names ? unpackAudienceBucket(item.n?.S, (line) => logger.error('Audience name line dropped (malformed)', { line: line.slice(0, 200) })) : undefined;
          for (const friend of decodeAudienceBucket(packed, { memo, ...(names ? { names } : {}) })) friends.push(friend);
        }
        if (friends.length > 0) yield { friends };
      }
    } finally {
      // Stopped early (an error, or the caller left the loop): the reads still running must not
      // surface later as unhandled rejections.
      for (const pending of inFlight.values()) pending.catch(() => undefined);
    }
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
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':pk': formPartition(formId), ':from': from, ':to': to },
              ProjectionExpression: 'SK',
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) users.add((item.SK as string).slice(RESPONSE_PREFIX.length));
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    return users;
  }
}
