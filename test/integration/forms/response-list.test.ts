/**
 * The console's newest-first list of responses after a deploy (a fresh table per file): answers
 * written by the previous version (no GSI1 keys) are listed by citizen until the one-time backfill
 * has run — none is ever missing — then newest first; the backfill runs once more 15 minutes later
 * for answers the previous version still wrote during the deploy.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../../local/dynamodb-local';
import { DynamoResponseStore, ensureResponseListIndex, RESPONSE_LIST_RECHECK_MS } from '../../../functions/adapters/aws/response-store';
import { newForm, type FormResponse } from '../../../functions/forms/form';
import { formListKey, responseKey, responseListMarkerKey } from '../../../functions/forms/keys';
import { it_env, testDb } from '../../support/integration';

const db = testDb();
const table = `responses-${randomUUID().slice(0, 8)}`;
const form = newForm({
  formId: 'F1',
  kind: 'survey',
  title: { ja: '確認' },
  items: [{ itemId: 'q', type: 'text', label: { ja: '質問' }, required: false }],
  by: 'tester',
  now: new Date('2026-11-01T00:00:00Z'),
});
const user = (n: number) => `U${String(n).padStart(32, '0')}`;
const response = (n: number, submittedAt: string): FormResponse => ({
  responseId: `r${n}`,
  formId: 'F1',
  version: 1,
  userId: user(n),
  displayName: `市民${n}`,
  answers: { q: `回答${n}` },
  lang: 'ja',
  submittedAt,
});

/** As the previous version wrote it: the latest answer without the list's GSI1 keys. */
const oldWrite = (r: FormResponse) => db.send(new PutCommand({ TableName: table, Item: { ...responseKey(r.formId, r.userId), type: 'FormResponse', ...r } }));

beforeAll(async () => {
  await ensureTable(it_env().dynamodbEndpoint, table);
  await db.send(new PutCommand({ TableName: table, Item: { PK: 'FORM#F1', SK: 'FORM', ...formListKey(form.createdAt, form.formId), type: 'Form', ...form } }));
});

it('lists every answer before the backfill, newest first after it, and backfills once more later', async () => {
  const t0 = Date.parse('2026-12-07T00:00:00Z');
  await oldWrite(response(3, '2026-12-01T00:00:00.000Z'));
  await oldWrite(response(1, '2026-12-03T00:00:00.000Z'));
  const store = new DynamoResponseStore(db, table);
  await store.submit({ response: response(2, '2026-12-02T00:00:00.000Z') }); // the new version's write

  // Before the backfill: by citizen, all three.
  expect((await store.page('F1', undefined, 10)).items.map((r) => r.userId)).toEqual([user(1), user(2), user(3)]);

  // The backfill: newest first from now on (a new store instance, as after the next cold start).
  expect(await ensureResponseListIndex(db, table, t0)).toBe(2);
  const marker = (await db.send(new GetCommand({ TableName: table, Key: responseListMarkerKey }))).Item;
  expect(marker).toMatchObject({ recheckAfter: t0 + RESPONSE_LIST_RECHECK_MS });
  const after = new DynamoResponseStore(db, table);
  expect((await after.page('F1', undefined, 10)).items.map((r) => r.submittedAt)).toEqual([
    '2026-12-03T00:00:00.000Z',
    '2026-12-02T00:00:00.000Z',
    '2026-12-01T00:00:00.000Z',
  ]);

  // An instance of the previous version writes once more during the deploy …
  await oldWrite(response(4, '2026-12-04T00:00:00.000Z'));
  expect(await ensureResponseListIndex(db, table, t0 + 60_000)).toBe(0); // not yet
  expect(await ensureResponseListIndex(db, table, t0 + RESPONSE_LIST_RECHECK_MS)).toBe(1); // … and the recheck picks it up
  expect(await ensureResponseListIndex(db, table, t0 + 2 * RESPONSE_LIST_RECHECK_MS)).toBe(0); // done for good
  expect((await after.page('F1', undefined, 10)).items.map((r) => r.submittedAt)).toEqual([
    '2026-12-04T00:00:00.000Z',
    '2026-12-03T00:00:00.000Z',
    '2026-12-02T00:00:00.000Z',
    '2026-12-01T00:00:00.000Z',
  ]);
});
