/** Helpers for integration tests running against the local runtime started by global-setup.ts. */
import { createHmac } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export const it_env = () => ({
  platformUrl: must('IT_PLATFORM_URL'),
  webhookUrl: must('IT_WEBHOOK_URL'),
  simulatorUrl: must('IT_SIMULATOR_URL'),
  dynamodbEndpoint: must('IT_DYNAMODB_ENDPOINT'),
  tableName: must('IT_TABLE_NAME'),
  channelSecret: must('IT_CHANNEL_SECRET'),
});

function must(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: integration tests run through jest's integration project (global-setup.ts)`);
  return v;
}

let db: DynamoDBDocumentClient | undefined;
export function testDb(): DynamoDBDocumentClient {
  db ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: it_env().dynamodbEndpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  return db;
}

export async function getItem(PK: string, SK: string): Promise<Record<string, unknown> | undefined> {
  return (await testDb().send(new GetCommand({ TableName: it_env().tableName, Key: { PK, SK } }))).Item;
}

export async function partition(PK: string): Promise<Record<string, unknown>[]> {
  return (
    (await testDb().send(new QueryCommand({ TableName: it_env().tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': PK } })))
      .Items ?? []
  );
}

export async function countItems(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await testDb().send(new ScanCommand({ TableName: it_env().tableName, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export const signBody = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('base64');

/** Polls until check returns a truthy value (never a fixed sleep). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the platform's webhook queue is empty and idle. */
export async function queueIdle(): Promise<void> {
  await eventually(
    async () => {
      const status = (await (await fetch(`${it_env().platformUrl}/__local/status`)).json()) as {
        queues: { webhook: { visible: number; inFlight: number; delayed: number } };
      };
      const q = status.queues.webhook;
      return q.visible === 0 && q.inFlight === 0 && q.delayed === 0;
    },
    15_000,
    'webhook queue idle',
  );
}
