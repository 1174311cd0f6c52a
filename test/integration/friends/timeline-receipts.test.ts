/**
 * A friend's timeline with the deliveries they got, on DynamoDB Local: the planner's receipts (one
 * item per audience bucket) merged among the friend's messages by time, page after page with a
 * sealed cursor — every entry once, in order, also when hundreds of receipts of other friends of
 * the same bucket lie between (a page reads a bounded number of them and goes on from there), and
 * broadcasts from before the friend followed left out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoConversationLog } from '../../../functions/adapters/aws/conversation-store';
import { DynamoConversationPages } from '../../../functions/adapters/aws/conversation-pages';
import { DynamoDeliveryReceipts } from '../../../functions/adapters/aws/delivery-receipts';
import { DynamoFriendRepository } from '../../../functions/adapters/aws/friend-store';
import { audienceBucketOf } from '../../../functions/friends/audience-index';
import { hmacSealer } from '../../../functions/shared/sealed';
import { ensureTable } from '../../../local/dynamodb-local';
import { it_env, testDb } from '../../support/integration';

const db = testDb();
const sealer = hmacSealer(async () => 'timeline-test-secret-0123456789abcdef');
const newUser = () => `U${randomBytes(16).toString('hex')}`;
const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let table: string;
const hanako = newUser();
/** Another friend of Hanako's bucket, who gets deliveries she does not. */
let neighbour = newUser();
while (audienceBucketOf(neighbour) !== audienceBucketOf(hanako)) neighbour = newUser();
/** What her timeline must show, newest first: [id, position time]. */
const expected: { id: string; at: string }[] = [];

beforeAll(async () => {
  table = `timeline-${randomUUID().slice(0, 8)}`;
  await ensureTable(it_env().dynamodbEndpoint, table);
  const friends = new DynamoFriendRepository(db, table);
  await friends.recordFollow({ userId: hanako, displayName: '荒尾 花子', language: 'ja', eventAt: T0, at: new Date(T0) });
  const log = new DynamoConversationLog(db, table);
  // Her messages and the bot's answers, one a minute for 30 minutes.
  for (let m = 1; m <= 30; m++) {
    const id = `msg-${String(m).padStart(2, '0')}`;
    await log.append({
      userId: hanako,
      id,
      at: new Date(at(m)),
      direction: m % 2 ? 'in' : 'out',
      ...(m % 2 ? {} : { by: 'bot' }),
      kind: 'text',
      text: `メッセージ ${m}`,
    });
    expected.push({ id, at: at(m) });
  }
  const receipts = new DynamoDeliveryReceipts(db, table);
  const bucket = audienceBucketOf(hanako);
  // Deliveries she got (her bucket), between her messages.
  for (const m of [2.5, 7.5, 12.5, 29.5]) {
    const id = `01KD00000000000000000DL${String(m * 10).padStart(3, '0')}`;
    await receipts.record(id, at(m), new Map([[bucket, [neighbour, hanako]]]));
    expected.push({ id, at: at(m) });
  }
  // 260 deliveries to her neighbour only, between minutes 14 and 15: more than a page reads at once.
  for (let i = 0; i < 260; i++)
    await receipts.record(`01KD0000000000000000NB${String(i).padStart(4, '0')}`, at(14 + i / 300), new Map([[bucket, [neighbour]]]));
  // A delivery to another bucket only.
  let elsewhere = newUser();
  while (audienceBucketOf(elsewhere) === bucket) elsewhere = newUser();
  await receipts.record('01KD00000000000000000ELSE0', at(20.5), new Map([[audienceBucketOf(elsewhere), [elsewhere]]]));
  // Broadcasts: one after she followed (hers), one before (not hers).
  await receipts.record('01KD00000000000000000BC001', at(17.5), 'everyone');
  expected.push({ id: '01KD00000000000000000BC001', at: at(17.5) });
  await receipts.record('01KD00000000000000000BC000', at(-60), 'everyone');
  expected.sort((a, b) => (a.at < b.at ? 1 : -1));
});

it('pages through her messages and the deliveries she got, newest first, each once', async () => {
  const pages = new DynamoConversationPages(db, table, sealer, new DynamoDeliveryReceipts(db, table));
  const seen: { id: string; at: string; by?: string; deliveryId?: string }[] = [];
  let cursor: string | undefined;
  let requests = 0;
  do {
    const page = await pages.page(hanako, { limit: 7, cursor });
    expect(page.items.length).toBeLessThanOrEqual(7);
    seen.push(...page.items.map((e) => ({ id: e.id, at: e.at.toISOString(), by: e.by, deliveryId: e.deliveryId })));
    cursor = page.cursor;
    requests++;
  } while (cursor && requests < 40);
  expect(cursor).toBeUndefined();
  expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
  for (const e of seen.filter((s) => s.id.startsWith('01KD'))) expect(e).toMatchObject({ by: 'delivery', deliveryId: e.id });
});

it('a cursor of another friend is refused', async () => {
  const pages = new DynamoConversationPages(db, table, sealer, new DynamoDeliveryReceipts(db, table));
  const first = await pages.page(hanako, { limit: 3 });
  await expect(pages.page(neighbour, { limit: 3, cursor: first.cursor })).rejects.toThrow();
});

it('without receipts the timeline is her messages alone', async () => {
  const pages = new DynamoConversationPages(db, table, sealer);
  const all: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await pages.page(hanako, { limit: 10, cursor });
    all.push(...page.items.map((e) => e.id));
    cursor = page.cursor;
  } while (cursor);
  expect(all).toEqual(expected.filter((e) => e.id.startsWith('msg-')).map((e) => e.id));
});
