import { ChunkBuilder, pushRetryKey } from '../../../functions/deliveries/chunking';
import { handleDeadLetter } from '../../../functions/deliveries/dead-letter';
import { LineRateLimitError, LineRejectedError, LineTransientError } from '../../../functions/deliveries/ports';
import { InstanceCache, sendChunk, type SenderDeps } from '../../../functions/deliveries/sender';
import { FakeClock } from '../../support/fakes';
import type { Chunk } from '../../../functions/deliveries/model';
import { MemoryDeliveries, ScriptedLine, delivery, friend } from '../../support/pipeline-fakes';

const carried = (c: Chunk) => ({ lang: c.lang, mode: c.mode as 'multicast', retryKey: c.retryKey, to: c.recipients.join('\n') });

async function setup(options: { friends?: number; text?: string; link?: boolean } = {}) {
  const deliveries = new MemoryDeliveries();
  const line = new ScriptedLine();
  const sleeps: number[] = [];
  const d = delivery({
    status: 'sending',
    variants: [
      {
        lang: 'ja',
        bubbles: [
          { type: 'text', text: options.text ?? 'お知らせです' },
          ...(options.link ? [{ type: 'link' as const, text: '詳しくは', label: '開く', url: 'https://www.city.arao.lg.jp/news' }] : []),
        ],
      },
    ],
  });
  await deliveries.create(d);
  const builder = new ChunkBuilder({ deliveryId: d.deliveryId, mode: options.text?.includes('{name}') ? 'push' : 'multicast' });
  const chunks = [...Array.from({ length: options.friends ?? 1_200 }, (_, i) => builder.add(friend(i), 'ja')).flat(), ...builder.flush()];
  await deliveries.putChunks(chunks);
  await deliveries.completePlanning(d.deliveryId, 'none', { recipients: 0, chunksTotal: 0 }); // no lease held: ignored
  deliveries.deliveries.get(d.deliveryId)!.chunksTotal = chunks.length;
  deliveries.deliveries.get(d.deliveryId)!.recipients = options.friends ?? 1_200;
  const deps: SenderDeps = {
    deliveries,
    line,
    clock: new FakeClock(),
    publicBaseUrl: 'https://civic.example.jp',
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  };
  return { deps, deliveries, line, sleeps, d, chunks };
}

describe('sendChunk', () => {
  test('one multicast with the chunk retry key and the delivery aggregation unit; links go through the redirect', async () => {
    const { deps, deliveries, line, d, chunks } = await setup({ link: true });
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).toBe('sent');
    expect(line.calls).toHaveLength(1);
    expect(line.calls[0]).toMatchObject({ kind: 'multicast', to: chunks[0]!.recipients, retryKey: chunks[0]!.retryKey, unit: d.aggregationUnit });
    expect(JSON.stringify(line.calls[0]!.messages)).toContain(`https://civic.example.jp/r/${d.deliveryId}/0`);
    expect(JSON.stringify(line.calls[0]!.messages)).not.toContain('city.arao.lg.jp');
    expect((await deliveries.getChunk(d.deliveryId, 0))!).toMatchObject({ status: 'sent' });
    expect((await deliveries.get(d.deliveryId))!.firstSentAt).toBeDefined();
  });

  test('a redelivered message of a final chunk sends nothing', async () => {
    const { deps, line, d } = await setup();
    await sendChunk(deps, { deliveryId: d.deliveryId, index: 0 });
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).toBe('already_final');
    expect(line.calls).toHaveLength(1);
  });

  test('409 (retry key already accepted, e.g. after a lost answer) counts as sent', async () => {
    const { deps, deliveries, line, d, chunks } = await setup();
    line.accepted.add(chunks[1]!.retryKey);
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 1 })).toBe('sent');
    expect((await deliveries.getChunk(d.deliveryId, 1))!.status).toBe('sent');
    expect(line.deliveredTo.size).toBe(0);
  });

  test('429: waits Retry-After, else exponential back-off with full jitter, then succeeds in the same invocation', async () => {
    const { deps, line, sleeps, d } = await setup();
    line.script = [new LineRateLimitError(1_000), new LineRateLimitError(), new LineRateLimitError(), 'accepted'];
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).toBe('sent');
    // The n-th 429 (counting from 0) without Retry-After waits random × min(cap, 100 ms × 2^n).
    expect(sleeps).toEqual([1_000, 0.5 * 200, 0.5 * 400]);
    expect(line.calls).toHaveLength(4);
  });

  test('5xx after delivery: retried with the SAME retry key; LINE does not deliver twice', async () => {
    const { deps, line, d, chunks } = await setup();
    line.script = ['deliver_then_fail'];
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).toBe('sent');
    expect(line.calls.map((c) => c.retryKey)).toEqual([chunks[0]!.retryKey, chunks[0]!.retryKey]);
    expect(Math.max(...line.deliveredTo.values())).toBe(1);
  });

  test('5xx that persist: the message goes back to the queue (throws) with the error recorded; the DLQ then fails the chunk', async () => {
    const { deps, deliveries, line, d } = await setup();
    line.script = Array.from({ length: 4 }, () => new LineTransientError('LINE answered 503', 503));
    await expect(sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).rejects.toBeInstanceOf(LineTransientError);
    expect((await deliveries.getChunk(d.deliveryId, 0))!).toMatchObject({ status: 'pending', attempts: 4, lastError: expect.stringContaining('503') });

    expect(await handleDeadLetter(deps, { deliveryId: d.deliveryId, index: 0 })).toBe('failed');
    expect((await deliveries.getChunk(d.deliveryId, 0))!).toMatchObject({ status: 'failed', lastError: expect.stringContaining('503') });
  });

  test('a refusal (400) fails the chunk at once, without retrying', async () => {
    const { deps, deliveries, line, d } = await setup();
    line.script = [new LineRejectedError('LINE refused the request (400): bad', 400)];
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 2 })).toBe('failed');
    expect(line.calls).toHaveLength(1);
    expect((await deliveries.getChunk(d.deliveryId, 2))!).toMatchObject({ status: 'failed', lastError: expect.stringContaining('400') });
  });

  test('concurrent senders, redeliveries included: the delivery finishes exactly once with the sums', async () => {
    const { deps, deliveries, d, chunks } = await setup({ friends: 1_200 });
    const transitions = jest.spyOn(deliveries, 'transition');
    deps.line = new ScriptedLine();
    (deps.line as ScriptedLine).refuseKeys.add(chunks[1]!.retryKey); // LINE refuses this chunk every time
    const messages = chunks.flatMap((c) => [
      { deliveryId: d.deliveryId, index: c.index },
      { deliveryId: d.deliveryId, index: c.index },
    ]);
    await Promise.all(messages.map((m) => sendChunk(deps, m, new InstanceCache())));
    const stored = (await deliveries.get(d.deliveryId))!;
    const failedChunk = (await deliveries.listChunks(d.deliveryId)).find((c) => c.status === 'failed')!;
    expect(stored).toMatchObject({ status: 'partly_failed', failed: failedChunk.recipients.length, succeeded: 1_200 - failedChunk.recipients.length });
    // Several may try the final move (each counts idempotently); exactly one makes it.
    const finals = transitions.mock.calls
      .map((call, i) => ({ to: call[2], moved: transitions.mock.results[i] }))
      .filter((t) => t.to === 'partly_failed' || t.to === 'sent');
    expect((await Promise.all(finals.map((t) => t.moved.value))).filter(Boolean)).toHaveLength(1);
    expect(stored.chunksDone).toBe(chunks.length);
  });

  test('a sender that died after marking the last chunk sent but before finishing: the redelivered message finishes', async () => {
    const { deps, deliveries, d, chunks } = await setup({ friends: 1_200 });
    for (const c of chunks.slice(1)) expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: c.index })).toBe('sent');
    // The crash: chunk 0 is sent and counted (one write), then the process dies while finishing.
    const transition = jest.spyOn(deliveries, 'transition').mockImplementationOnce(async () => {
      throw new Error('process died');
    });
    await expect(sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).rejects.toThrow('process died');
    expect((await deliveries.get(d.deliveryId))!.status).toBe('sending');
    transition.mockRestore();
    const calls = (deps.line as ScriptedLine).calls.length;
    // SQS offers the message again (its second receive: the chunk is read): nothing is sent twice, and the delivery finishes.
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 0, chunk: carried(chunks[0]!) }, new InstanceCache(), 2)).toBe('already_final');
    expect((deps.line as ScriptedLine).calls).toHaveLength(calls);
    expect((await deliveries.get(d.deliveryId))!).toMatchObject({ status: 'sent', chunksDone: chunks.length, succeeded: 1_200 });
  });

  test('a first-received message carries its chunk: sent without reading the chunk item', async () => {
    const { deps, deliveries, line, d, chunks } = await setup({ friends: 600 });
    const getChunk = jest.spyOn(deliveries, 'getChunk');
    for (const c of chunks) expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: c.index, chunk: carried(c) }, new InstanceCache(), 1)).toBe('sent');
    expect(getChunk).not.toHaveBeenCalled();
    expect(line.calls.map((c) => [c.to, c.retryKey])).toEqual(chunks.map((c) => [c.recipients, c.retryKey]));
    expect((await deliveries.get(d.deliveryId))!).toMatchObject({ status: 'sent', succeeded: 600 });
  });

  test.each([
    ['received again', 2, undefined],
    ['in a message older than an hour (LINE forgets retry keys after 24 h)', 1, -2 * 60 * 60 * 1000],
  ])('a carried chunk %s is read first: a final chunk is not sent again', async (_, receiveCount, age) => {
    const { deps, deliveries, line, d, chunks } = await setup({ friends: 600 });
    const message = { deliveryId: d.deliveryId, index: 0, chunk: carried(chunks[0]!) };
    expect(await sendChunk(deps, message, new InstanceCache(), 1, Date.now())).toBe('sent');
    const getChunk = jest.spyOn(deliveries, 'getChunk');
    expect(await sendChunk(deps, message, new InstanceCache(), receiveCount, age === undefined ? undefined : Date.now() + age)).toBe('already_final');
    expect(getChunk).toHaveBeenCalledTimes(1);
    expect(line.calls).toHaveLength(1);
  });

  test('a carried chunk that another sender finished meanwhile goes out again with its retry key: LINE answers 409, counted once', async () => {
    const { deps, deliveries, line, d, chunks } = await setup({ friends: 600 });
    const message = { deliveryId: d.deliveryId, index: 0, chunk: carried(chunks[0]!) };
    expect(await sendChunk(deps, message, new InstanceCache(), 1)).toBe('sent');
    // A re-enqueued copy, first received after the chunk was sent (a planner resume racing a sender).
    expect(await sendChunk(deps, message, new InstanceCache(), 1)).toBe('already_final');
    expect(line.calls).toHaveLength(2);
    expect(line.calls[1]!.retryKey).toBe(chunks[0]!.retryKey);
    expect([...line.deliveredTo.values()].every((n) => n === 1)).toBe(true);
    expect((await deliveries.get(d.deliveryId))!.chunksDone).toBe(1);
  });

  test('the instance cache reads a delivery once and forgets it after its time', async () => {
    const { deps, deliveries, d, chunks } = await setup({ friends: 2_000 }); // 4 chunks: none of these is the last
    let now = 0;
    const cache = new InstanceCache(60_000, 64, () => now);
    const get = jest.spyOn(deliveries, 'get');
    await sendChunk(deps, { deliveryId: d.deliveryId, index: 0, chunk: carried(chunks[0]!) }, cache);
    await sendChunk(deps, { deliveryId: d.deliveryId, index: 1, chunk: carried(chunks[1]!) }, cache);
    expect(get.mock.calls.filter(([id]) => id === d.deliveryId)).toHaveLength(1);
    now = 61_000;
    await sendChunk(deps, { deliveryId: d.deliveryId, index: 2, chunk: carried(chunks[2]!) }, cache);
    expect(get.mock.calls.filter(([id]) => id === d.deliveryId)).toHaveLength(2);
  });

  test('a missing delivery is not kept in the instance cache', async () => {
    const cache = new InstanceCache();
    let reads = 0;
    const load = async () => (reads++ === 0 ? null : ({ deliveryId: 'D' } as never));
    expect(await cache.delivery('D', load).delivery).toBeNull();
    await new Promise((r) => setImmediate(r));
    expect(await cache.delivery('D', load).delivery).toEqual({ deliveryId: 'D' });
    expect(reads).toBe(2);
  });

  test('push mode ({name}): one push per friend with its own retry key, resumes after pushedUpTo', async () => {
    const { deps, deliveries, line, d } = await setup({ friends: 120, text: '{name}さん、お知らせです' });
    line.script = [
      ...Array.from({ length: 60 }, () => 'accepted' as const),
      new LineTransientError('timeout'),
      new LineTransientError('timeout'),
      new LineTransientError('timeout'),
      new LineTransientError('timeout'),
    ];
    await expect(sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).rejects.toBeInstanceOf(LineTransientError);
    expect((await deliveries.getChunk(d.deliveryId, 0))!.pushedUpTo).toBe(60);

    line.calls = [];
    expect(await sendChunk(deps, { deliveryId: d.deliveryId, index: 0 })).toBe('sent');
    expect(line.calls[0]!.to).toEqual([friend(60).userId]);
    expect(line.calls[0]!.retryKey).toBe(pushRetryKey(d.deliveryId, 0, friend(60).userId));
    expect(JSON.stringify(line.calls[0]!.messages)).toContain('市民60さん');
    expect(line.deliveredTo.size).toBe(120);
    expect(Math.max(...line.deliveredTo.values())).toBe(1);
  });
});
