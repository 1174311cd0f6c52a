/**
 * Measures what DynamoDB Local itself sustains on this machine (conditional
 * puts, 16 concurrent), so the end-to-end figures can be read against the
 * local engine's ceiling rather than against DynamoDB in AWS.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, freePort, localDynamoClient, startDynamoDbLocal } from '../local/dynamodb-local';

export async function measureDynamoDbLocalCeiling(writes = 3000, concurrency = 16): Promise<number> {
  const ddb = await startDynamoDbLocal({ port: await freePort() });
  try {
    await ensureTable(ddb.endpoint, 'bench-ceiling');
    const db = DynamoDBDocumentClient.from(localDynamoClient(ddb.endpoint));
    const put = (i: number) =>
      db.send(new PutCommand({ TableName: 'bench-ceiling', Item: { PK: `X#${i}`, SK: 'A', v: i }, ConditionExpression: 'attribute_not_exists(PK)' }));
    for (let i = 0; i < 300; i++) await put(-i - 1); // warm the JVM
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < writes) await put(next++);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    db.destroy();
    return writes / seconds;
  } finally {
    await ddb.stop();
  }
}
