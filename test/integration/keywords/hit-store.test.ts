/**
 * Keyword hits on DynamoDB Local: a message is counted once however often its event is retried
 * (also when the retries run at the same time), each message once, per Japan date.
 */
import { randomUUID } from 'node:crypto';
import { DynamoKeywordHitStore } from '../../../functions/adapters/aws/keyword-hit-store';
import { ensureTable } from '../../../local/dynamodb-local';
import { it_env, testDb } from '../../support/integration';

let store: DynamoKeywordHitStore;

beforeAll(async () => {
  const table = `kwhits-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, table);
  store = new DynamoKeywordHitStore(testDb(), table);
});

it('counts each message once, also when its event is retried, at once or later', async () => {
  // Act: message 1 three times one after another, message 2 five times at once, message 3 on the next day
  for (let i = 0; i < 3; i++) await store.record('rule-a', '2026-12-07', '500000000000001');
  await Promise.all(Array.from({ length: 5 }, () => store.record('rule-a', '2026-12-07', '500000000000002')));
  await store.record('rule-a', '2026-12-08', '500000000000003');
  await store.record('rule-b', '2026-12-07', '500000000000004');

  // Assert
  const hits = await store.list(['2026-12-07', '2026-12-08']);
  expect(hits.sort((a, b) => (a.date + a.ruleId < b.date + b.ruleId ? -1 : 1))).toEqual([
    { ruleId: 'rule-a', date: '2026-12-07', count: 2 },
    { ruleId: 'rule-b', date: '2026-12-07', count: 1 },
    { ruleId: 'rule-a', date: '2026-12-08', count: 1 },
  ]);
});
