/**
 * The DynamoDB document client, created once per process. Locally DYNAMODB_ENDPOINT
 * points at DynamoDB Local (AWS's own engine) with throwaway credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, paginateQuery, type NativeAttributeValue, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../../shared/env';
import { traced } from './tracer';

let cached: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  if (cached) return cached;
  const endpoint = process.env[ENV.DYNAMODB_ENDPOINT];
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'ap-northeast-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 5,
        }
      : { maxAttempts: 5 },
  );
  cached = DynamoDBDocumentClient.from(traced(client), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return cached;
}

/**
 * Every item a query matches, page after page in the query's order (the SDK's paginator), each
 * mapped as it is read. For a page handed to the caller with a cursor, query one page instead.
 */
export async function queryAll<T>(db: DynamoDBDocumentClient, input: QueryCommandInput, map: (item: Record<string, NativeAttributeValue>) => T): Promise<T[]> {
  const out: T[] = [];
  // A copy: the paginator writes each page's ExclusiveStartKey (and Limit) into the input it is given.
  for await (const page of paginateQuery({ client: db }, { ...input })) for (const item of page.Items ?? []) out.push(map(item));
  return out;
}

export function tableName(): string {
  return requireEnv(ENV.TABLE_NAME);
}

/** Why DynamoDB cancelled a transaction, one reason per item (Code 'None' for the items that were fine); null for any other error. */
export function cancellationReasons(error: unknown): { Code?: string }[] | null {
  if ((error as { name?: string } | undefined)?.name !== 'TransactionCanceledException') return null;
  return (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
}

/** True when DynamoDB refused a write because its condition failed (a domain outcome, not a crash). */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'ConditionalCheckFailedException') return true;
  const reasons = cancellationReasons(error);
  if (reasons) {
    return (
      reasons.some((r) => r.Code === 'ConditionalCheckFailed') && reasons.every((r) => !r.Code || r.Code === 'None' || r.Code === 'ConditionalCheckFailed')
    );
  }
  return false;
}

/**
 * Writes a settings-like item (one per capability, `rev` bumped by every save) only if it still has
 * `expectedRev` (0: not written yet, or written at rev 0); false when someone saved in between.
 */
export async function putOnRev(db: DynamoDBDocumentClient, table: string, item: Record<string, unknown>, expectedRev: number): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: expectedRev === 0 ? 'attribute_not_exists(PK) OR rev = :rev' : 'rev = :rev',
        ExpressionAttributeValues: { ':rev': expectedRev },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * BatchWriteItem of every request, 25 a call, `inFlight` calls at once; keys DynamoDB left
 * unprocessed are sent again after a growing pause (50 ms doubling, ≤ 2 s), at most 8 times.
 */
export async function batchWrite(db: DynamoDBDocumentClient, table: string, requests: Record<string, unknown>[], what: string, inFlight = 1): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: Record<string, unknown>[] | undefined = batches[next++];
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2_000)));
        if (attempt > 8) throw new Error(`DynamoDB left ${what} unwritten after 8 retries`);
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, batches.length) }, worker));
}

/** A random pause growing with the attempt (≤ 200 ms): writers that lost a conditional write spread out before they read again. */
export const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * attempt)));
