/**
 * Answers to forms on the single table: each citizen's latest response (in the console's
 * newest-first list, GSI1) and its history, written with the friend's profile attributes and
 * audience line when the form is the profile form (keys: functions/forms/keys.ts).
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { audienceEntryOf } from '../../friends/audience-index';
import { friendKey } from '../../friends/keys';
import type { FormResponse } from '../../forms/form';
import {
  FORMS_LIST_PK,
  HISTORY_PREFIX,
  RESPONSE_PREFIX,
  formPartition,
  historyKey,
  responseKey,
  responseListKey,
  responseListMarkerKey,
  responseListPartition,
} from '../../forms/keys';
import type { ResponsePage, ResponseRepository, SubmitWrite } from '../../forms/ports';
import type { Sealer } from '../../shared/sealed';
import { logger } from '../../shared/powertools';
import { appSealer } from './app-secret';
import { audienceEntryWrite, readFriendAndBucket, revisedFriendWrite, unchangedSince } from './audience-index';
import { InvalidCursorError, openCursor, sealCursor } from './cursor';
import { documentClient, isConditionFailure, queryAll, tableName } from './dynamo-client';
import { entityOf } from './items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const fromResponseItem = (item: Record<string, unknown>) => entityOf<FormResponse>(item);

/** Response item as stored (latest and history share the shape). */
export function responseItem(r: FormResponse, key: { PK: string; SK: string }, type: string): Record<string, unknown> {
  return { ...key, type, ...r };
}

/**
 * Sort-key ranges covering every `RESPONSE#<userId>` (LINE ids are `U` + 32 hex digits, so the
 * first hex digit splits them evenly), read in parallel.
 */
const HEX = '0123456789abcdef';
const SCAN_SEGMENT_CHOICES = [1, 2, 4, 8, 16];
/**
 * FORM_EXPORT_SEGMENTS: 1, 2, 4, 8 or 16 concurrent queries. Default 8 × 500-item pages: 100,000
 * rows in 4.1 s with a 63 MB heap peak (16 × 1,000: 6.9 s, 87 MB; measured by `npm run bench`).
 */
const SCAN_SEGMENTS = SCAN_SEGMENT_CHOICES.includes(Number(process.env.FORM_EXPORT_SEGMENTS)) ? Number(process.env.FORM_EXPORT_SEGMENTS) : 8;
/** Items per page of the export's queries (FORM_EXPORT_PAGE_ITEMS, default below): bounds memory with SCAN_SEGMENTS. */
const PAGE_ITEMS = Math.min(Math.max(Number(process.env.FORM_EXPORT_PAGE_ITEMS) || 500, 100), 5000);
const SCAN_RANGES: [string, string][] = Array.from({ length: SCAN_SEGMENTS }, (_, i) => {
  const per = HEX.length / SCAN_SEGMENTS;
  const from = i === 0 ? RESPONSE_PREFIX : `${RESPONSE_PREFIX}U${HEX[i * per]}`;
  const to = i === SCAN_SEGMENTS - 1 ? `${RESPONSE_PREFIX}~` : `${RESPONSE_PREFIX}U${HEX[(i + 1) * per - 1]}~`;
  return [from, to];
});

/** The last key of a page of the responses list (GSI1), sealed for that form. */
const responsesCursor = z.object({ PK: z.string(), SK: z.string().startsWith(RESPONSE_PREFIX), GSI1PK: z.string(), GSI1SK: z.string() }).strict();
/** The same, listed by citizen (before the list's migration ran). */
const byCitizenCursor = z.object({ PK: z.string(), SK: z.string().startsWith(RESPONSE_PREFIX) }).strict();

export class DynamoResponseStore implements ResponseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient = documentClient(),
    private readonly table: string = tableName(),
    private readonly sealer: Sealer = appSealer,
  ) {}

  async count(formId: string): Promise<number> {
    let count = 0;
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': formPartition(formId), ':prefix': RESPONSE_PREFIX },
        Select: 'COUNT',
      },
    );
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  }

  async latest(formId: string, userId: string): Promise<FormResponse | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: responseKey(formId, userId), ConsistentRead: true }));
    return Item ? fromResponseItem(Item) : null;
  }

  /**
   * Latest response + history entry, and (profile answers) the friend's attributes with their
   * audience entry, in one transaction guarded by the friend's revision (read first; a race
   * with a follow/block makes it read again: functions/adapters/aws/audience-index.ts).
   */
  async submit(write: SubmitWrite): Promise<void> {
    const r = write.response;
    const answers: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...responseItem(r, responseKey(r.formId, r.userId), 'FormResponse'), ...responseListKey(r.formId, r.submittedAt, r.userId) },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: responseItem(r, historyKey(r.formId, r.userId, r.submittedAt), 'FormResponseHistory'),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    const attributes = write.attributes;
    if (!attributes) {
      await this.db.send(new TransactWriteCommand({ TransactItems: answers }));
      return;
    }
    await revisedFriendWrite({ friend: 2, bucket: 3 }, async () => {
      const { item: friend, bucket } = await readFriendAndBucket(this.db, this.table, r.userId);
      // Not (or no longer) a friend item: the answers are still kept, without attributes.
      if (!friend) {
        await this.db.send(new TransactWriteCommand({ TransactItems: answers }));
        return;
      }
      const unchanged = unchangedSince(friend);
      const entry = audienceEntryOf({ ...friend, attributes });
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...answers,
            {
              Update: {
                TableName: this.table,
                Key: friendKey(r.userId),
                ConditionExpression: unchanged.expression,
                UpdateExpression: 'SET attributes = :attributes, attributesUpdatedAt = :at ADD rev :one',
                ExpressionAttributeValues: { ...unchanged.values, ':attributes': attributes, ':at': r.submittedAt, ':one': 1 },
              },
            },
            // A blocked friend keeps no entry; the attributes count again when they follow back.
            ...(entry ? [audienceEntryWrite(this.table, bucket, r.userId, entry)] : []),
          ],
        }),
      );
    });
  }

  /** Latest responses, newest first (GSI1 FORM_RESPONSES#<formId>); the cursor is sealed for this form. */
  async page(formId: string, cursor: string | undefined, limit: number): Promise<ResponsePage> {
    // Until responses written before the newest-first list have joined it (the scheduled job, once
    // after a deploy), list them by citizen instead: every answer shows, none is missing.
    if (!(await this.responseListReady())) return this.pageByCitizen(formId, cursor, limit);
    const scope = { formId };
    const start = cursor ? await openCursor(this.sealer, 'responses', scope, cursor, responsesCursor) : undefined;
    if (start && (start.PK !== formPartition(formId) || start.GSI1PK !== responseListPartition(formId))) throw new InvalidCursorError();
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': responseListPartition(formId) },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const last = page.LastEvaluatedKey;
    return {
      items: (page.Items ?? []).map(fromResponseItem),
      ...(last
        ? { nextCursor: await sealCursor(this.sealer, 'responses', scope, { PK: last.PK, SK: last.SK, GSI1PK: last.GSI1PK, GSI1SK: last.GSI1SK }) }
        : {}),
    };
  }

  private listReady = false;

  /** Whether the newest-first list holds every response (its migration marker exists); remembered once true. */
  private async responseListReady(): Promise<boolean> {
    if (this.listReady) return true;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: responseListMarkerKey }));
    this.listReady = Item !== undefined;
    return this.listReady;
  }

  /** Latest responses by citizen (the table's sort key): the list before its migration ran. */
  private async pageByCitizen(formId: string, cursor: string | undefined, limit: number): Promise<ResponsePage> {
    const scope = { formId, order: 'citizen' };
    const start = cursor ? await openCursor(this.sealer, 'responses', scope, cursor, byCitizenCursor) : undefined;
    if (start && start.PK !== formPartition(formId)) throw new InvalidCursorError();
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': formPartition(formId), ':prefix': RESPONSE_PREFIX },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const last = page.LastEvaluatedKey;
    return {
      items: (page.Items ?? []).map(fromResponseItem),
      ...(last ? { nextCursor: await sealCursor(this.sealer, 'responses', scope, { PK: last.PK, SK: last.SK }) } : {}),
    };
  }

  /**
   * Every latest response in pages of up to 1 MB. LINE user ids are `U` + 32 hex digits, so the
   * partition's `RESPONSE#` range splits into SCAN_SEGMENTS sort-key ranges read concurrently;
   * at most SCAN_SEGMENTS pages wait for the consumer at a time, so memory stays flat.
   */
  async *scan(formId: string): AsyncIterable<FormResponse[]> {
    const query = (range: [string, string], start?: Record<string, unknown>): Promise<QueryCommandOutput> =>
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': formPartition(formId), ':from': range[0], ':to': range[1] },
          ExclusiveStartKey: start,
          Limit: PAGE_ITEMS,
        }),
      );
    // Each segment keeps one query in flight; the consumer takes whichever page is ready first.
    const inFlight = new Map<number, Promise<{ segment: number; page: QueryCommandOutput }>>();
    const launch = (segment: number, start?: Record<string, unknown>) =>
      inFlight.set(
        segment,
        query(SCAN_RANGES[segment], start).then((page) => ({ segment, page })),
      );
    SCAN_RANGES.forEach((_, segment) => launch(segment));
    while (inFlight.size > 0) {
      const { segment, page } = await Promise.race(inFlight.values());
      inFlight.delete(segment);
      if (page.LastEvaluatedKey) launch(segment, page.LastEvaluatedKey);
      yield (page.Items ?? []).map(fromResponseItem);
    }
  }

  async history(formId: string, userId: string): Promise<FormResponse[]> {
    return queryAll(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': formPartition(formId), ':prefix': `${HISTORY_PREFIX}${userId}#` },
      },
      fromResponseItem,
    );
  }
}

/** How long after the backfill it runs once more (instances of the previous version may still write during a deploy). */
export const RESPONSE_LIST_RECHECK_MS = 15 * 60 * 1000;

/**
 * Puts latest responses written before the console's newest-first list existed (no GSI1 keys) into
 * that list: a marker item records it, and the console lists by citizen until then. Each item is
 * updated only while it still lacks the keys, so a citizen answering meanwhile (whose new answer
 * carries them) is never overwritten. It runs once more at least 15 minutes later, for answers the
 * previous version still wrote during the deploy. Run by the scheduled job and at the local
 * runtime's start; returns the items updated.
 */
export async function ensureResponseListIndex(db: DynamoDBDocumentClient = documentClient(), table: string = tableName(), now = Date.now()): Promise<number> {
  const { Item: marker } = await db.send(new GetCommand({ TableName: table, Key: responseListMarkerKey }));
  if (marker && (typeof marker.recheckAfter !== 'number' || now < marker.recheckAfter)) return 0;
  const formIds = await queryAll(
    db,
    {
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': FORMS_LIST_PK },
      ProjectionExpression: 'formId',
    },
    (i) => i.formId as string,
  );
  let updated = 0;
  for (const formId of formIds) {
    const pages = paginateQuery(
      { client: db },
      {
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: 'attribute_not_exists(GSI1PK)',
        ExpressionAttributeValues: { ':pk': formPartition(formId), ':prefix': RESPONSE_PREFIX },
        ProjectionExpression: 'PK, SK, userId, submittedAt',
      },
    );
    for await (const page of pages) {
      const items = page.Items ?? [];
      for (let i = 0; i < items.length; i += 8) {
        await Promise.all(
          items.slice(i, i + 8).map(async (item) => {
            const keys = responseListKey(formId, item.submittedAt as string, item.userId as string);
            try {
              await db.send(
                new UpdateCommand({
                  TableName: table,
                  Key: { PK: item.PK, SK: item.SK },
                  ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(GSI1PK)',
                  UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
                  ExpressionAttributeValues: { ':pk': keys.GSI1PK, ':sk': keys.GSI1SK },
                }),
              );
              updated += 1;
            } catch (error) {
              if (!isConditionFailure(error)) throw error;
            }
          }),
        );
      }
    }
  }
  await db.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...responseListMarkerKey,
        type: 'Migration',
        doneAt: new Date(now).toISOString(),
        updated,
        ...(marker ? { rechecked: true } : { recheckAfter: now + RESPONSE_LIST_RECHECK_MS }),
      },
    }),
  );
  if (updated) logger.info('Form responses put into the newest-first list', { updated, forms: formIds.length });
  return updated;
}
