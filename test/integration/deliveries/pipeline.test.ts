/**
 * The send pipeline end to end on one machine: DynamoDB Local, the local planner and send queues,
 * the sender Lambda entry in worker threads, the LINE simulator. Friends are written straight
 * into the table (BatchWrite) for citizens created in bulk in the simulator.
 * Every test checks from the simulator's side: each matching active friend got exactly one
 * message, nobody else got any.
 */
import { chunkRetryKey } from '../../../functions/deliveries/chunking';
import { audit, queueDelivery, seedFriends, send, startPipelineRuntime, waitFinished, type PipelineEnv, type SeedFriend } from './pipeline-support';

jest.setTimeout(120_000);

let env: PipelineEnv;
let friends: SeedFriend[];
const active = () => new Set(friends.filter((f) => f.status === 'active').map((f) => f.userId));

beforeAll(async () => {
  env = await startPipelineRuntime({
    dynamodbEndpoint: process.env.IT_DYNAMODB_ENDPOINT,
    sendRetryDelayMs: 300,
    retryDelayMs: 500,
    // A short LINE timeout so the timeout case is quick (the simulator answers 1.5 s late).
    env: { LINE_SEND_TIMEOUT_MS: '500' },
  });
  // 1,400 friends: 2/3 Japanese, 1/3 English (→ 4 chunks), every 10th blocked, districts a/b.
  friends = await seedFriends(env, 1_400, (i) => ({
    language: i % 3 === 0 ? 'en' : 'ja',
    status: i % 10 === 9 ? 'blocked' : 'active',
    district: i % 2 === 0 ? 'a' : 'b',
  }));
});

afterAll(async () => {
  await env?.stop();
});

afterEach(async () => {
  await env.sim.clearFaults();
});

test('everyone: each active friend gets exactly one message in their language, blocked friends none', async () => {
  const delivery = await queueDelivery(env);
  await send(env, delivery.deliveryId);
  const done = await waitFinished(env, delivery.deliveryId);

  const expected = active();
  expect(done.status).toBe('sent');
  expect(done.recipients).toBe(expected.size);
  expect(done.succeeded).toBe(expected.size);
  expect(done.failed).toBe(0);
  // Chunks are per language and ≤ 500: the fewest multicasts possible.
  const perLang = (lang: string) => friends.filter((f) => f.status === 'active' && f.language === lang).length;
  const minimum = Math.ceil(perLang('ja') / 500) + Math.ceil(perLang('en') / 500);
  expect(done.chunksTotal).toBe(minimum);
  expect(done.firstSentAt).toBeDefined();
  const result = await audit(env, done, expected, friends);
  expect(result).toMatchObject({ duplicates: 0, misses: 0, unexpected: 0, requests: minimum });

  const en = friends.find((f) => f.language === 'en' && f.status === 'active')!;
  const ja = friends.find((f) => f.language === 'ja' && f.status === 'active')!;
  const [enMsg] = await env.sim.received(en.userId);
  const [jaMsg] = await env.sim.received(ja.userId);
  expect(enMsg!.message).toMatchObject({ type: 'text', text: 'News from Arao City.' });
  expect(jaMsg!.message).toMatchObject({ type: 'text', text: '荒尾市からのお知らせです。' });
  expect(enMsg!.aggregationUnit).toBe(delivery.aggregationUnit);
});

test('a segment (district a): only matching active friends', async () => {
  const delivery = await queueDelivery(env, { rule: { match: 'all', conditions: [{ kind: 'attribute', attribute: 'district', op: 'in', values: ['a'] }] } });
  await send(env, delivery.deliveryId);
  const done = await waitFinished(env, delivery.deliveryId);
  const expected = new Set(friends.filter((f) => f.status === 'active' && f.district === 'a').map((f) => f.userId));
  expect(done.status).toBe('sent');
  expect(done.recipients).toBe(expected.size);
  expect(await audit(env, done, expected, friends)).toMatchObject({ duplicates: 0, misses: 0, unexpected: 0 });
});

test('everyone in one language: one broadcast, answered 500 after delivering and retried with the same key (409): each active friend once, blocked none; statistics by request ID', async () => {
  await env.sim.setFaults({ endpoint: 'broadcast', status: 500, when: 'after', count: 1 });
  const since = Date.now();
  const delivery = await queueDelivery(env, { variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '避難所を開設しました。' }] }] });
  await send(env, delivery.deliveryId);
  const done = await waitFinished(env, delivery.deliveryId);

  const expected = active();
  expect(done).toMatchObject({ status: 'sent', broadcast: true, recipients: expected.size, succeeded: expected.size, failed: 0, chunksTotal: 1 });
  const requests = await env.sim.requests({ since, endpoint: 'broadcast' });
  expect(requests.map((r) => r.status)).toEqual([500, 409]);
  expect(new Set(requests.map((r) => r.retryKey))).toEqual(new Set([chunkRetryKey(delivery.deliveryId, 0)]));
  expect(await audit(env, done, expected, friends, since)).toMatchObject({ duplicates: 0, misses: 0, unexpected: 0, requests: 1 });
  // The 409's x-line-accepted-request-id names the broadcast that got through.
  expect(done.lineRequestId).toBe(requests.find((r) => r.status === 500)!.requestId);
});

test('429 bursts, 500 after delivery and timeouts: 0 duplicates, 0 misses', async () => {
  await env.sim.setFaults([
    { endpoint: 'multicast', status: 429, count: 3 },
    { endpoint: 'multicast', status: 500, when: 'after', count: 2 },
    { endpoint: 'multicast', delayMs: 1_500, count: 1 },
  ]);
  const before = await env.sim.stats();
  const delivery = await queueDelivery(env);
  await send(env, delivery.deliveryId);
  const done = await waitFinished(env, delivery.deliveryId);
  const after = await env.sim.stats();

  expect(done.status).toBe('sent');
  expect(await audit(env, done, active(), friends)).toMatchObject({ duplicates: 0, misses: 0, unexpected: 0 });
  // The faults did happen: 429s waited out, 500s after delivery answered by 409 on the retry.
  const byStatus = (s: typeof before, code: string) => s.requests.multicast?.byStatus[code] ?? 0;
  expect(byStatus(after, '429') - byStatus(before, '429')).toBe(3);
  expect(byStatus(after, '500') - byStatus(before, '500')).toBeGreaterThanOrEqual(1);
  expect(after.retryKeyConflicts - before.retryKeyConflicts).toBeGreaterThanOrEqual(1);
});

test('a sender instance dies mid-batch: the queue redelivers, still 0 duplicates, 0 misses', async () => {
  // Slow answers keep invocations in flight long enough to kill one.
  await env.sim.setFaults({ endpoint: 'multicast', delayMs: 700, count: 4 });
  const delivery = await queueDelivery(env);
  await send(env, delivery.deliveryId);
  await pollUntil(async () => env.rt.queues.send.depth().inFlight > 0);
  const dropped = await env.rt.workers.sender.crash();
  const done = await waitFinished(env, delivery.deliveryId);

  expect(dropped).toBeGreaterThan(0);
  expect(done.status).toBe('sent');
  expect(await audit(env, done, active(), friends)).toMatchObject({ duplicates: 0, misses: 0, unexpected: 0 });
  expect(env.rt.queues.send.counters.failedReceives).toBeGreaterThan(0);
});

test('a chunk that always fails: DLQ → partly_failed → resend the failed part → sent, nobody twice', async () => {
  const delivery = await queueDelivery(env);
  // Chunk 1 only (its retry key): 500 before processing, every time.
  await env.sim.setFaults({ endpoint: 'multicast', status: 500, retryKey: chunkRetryKey(delivery.deliveryId, 1) });
  const deadBefore = env.rt.queues.send.counters.deadLettered;
  await send(env, delivery.deliveryId);
  const partly = await waitFinished(env, delivery.deliveryId);

  expect(partly.status).toBe('partly_failed');
  expect(env.rt.queues.send.counters.deadLettered - deadBefore).toBe(1);
  const failedChunk = await env.store.getChunk(delivery.deliveryId, 1);
  expect(failedChunk).toMatchObject({ status: 'failed', lastError: expect.stringContaining('500') });
  expect(partly.failed).toBe(failedChunk!.recipients.length);
  expect(partly.succeeded! + partly.failed!).toBe(partly.recipients);
  const missing = await audit(env, partly, active(), friends);
  expect(missing).toMatchObject({ duplicates: 0, misses: failedChunk!.recipients.length });

  // What the admin route "resend-failed" does (staff-deliveries.ts resendFailed): failed chunks
  // reset while the delivery is still partly_failed (a redelivered message for a final chunk
  // now counts it again, and must not find everything final in between), then → sending, then
  // every pending chunk re-enqueued.
  await env.sim.clearFaults();
  const reset = await env.store.resetFailedChunks(delivery.deliveryId);
  expect(reset.map((c) => c.index)).toEqual([1]);
  await env.rt.queues.send.sendAll([JSON.stringify({ deliveryId: delivery.deliveryId, index: 0 })]); // a stray redelivery
  expect(await env.store.transition(delivery.deliveryId, ['partly_failed', 'failed'], 'sending', {})).toBe(true);
  const pending = (await env.store.chunkStates(delivery.deliveryId)).filter((c) => c.status === 'pending');
  expect(pending.map((c) => c.index)).toEqual([1]);
  await env.rt.queues.send.sendAll(pending.map((c) => JSON.stringify({ deliveryId: delivery.deliveryId, index: c.index })));
  const done = await waitFinished(env, delivery.deliveryId);

  expect(done.status).toBe('sent');
  expect(done).toMatchObject({ succeeded: done.recipients, failed: 0 });
  expect(await audit(env, done, active(), friends)).toMatchObject({ duplicates: 0, misses: 0, unexpected: 0 });
});

test('a cancelled delivery is never planned, even when its planner message arrives', async () => {
  const delivery = await queueDelivery(env);
  expect(await env.store.transition(delivery.deliveryId, ['queued'], 'cancelled', {})).toBe(true);
  const processedBefore = env.rt.queues.planner.counters.deleted;
  await send(env, delivery.deliveryId);
  await pollUntil(async () => env.rt.queues.planner.counters.deleted > processedBefore);
  expect((await env.store.get(delivery.deliveryId, true))!.status).toBe('cancelled');
  expect(await env.store.listChunks(delivery.deliveryId)).toEqual([]);
  expect((await env.sim.unitRecipients(delivery.aggregationUnit)).requests).toBe(0);
});

async function pollUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
