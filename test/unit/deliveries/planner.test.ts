import { MAX_CHUNKS_PER_WRITE, chunkRetryKey } from '../../../functions/deliveries/chunking';
import type { SendMessage } from '../../../functions/deliveries/model';
import type { DeliveryReceipts } from '../../../functions/deliveries/ports';
import { audienceBucketOf } from '../../../functions/friends/audience-index';
import { isBroadcast } from '../../../functions/deliveries/compose';
import { PlannerBusyError, PlannerLeaseLostError, planDelivery, type PlannerDeps } from '../../../functions/deliveries/planner';
import { sendChunk } from '../../../functions/deliveries/sender';
import { ScriptedLine } from '../../support/pipeline-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryAudience, MemoryDeliveries, MemoryJsonQueue, delivery, friend } from '../../support/pipeline-fakes';

function setup(friends = Array.from({ length: 1_234 }, (_, i) => friend(i, { language: i % 4 === 0 ? 'en' : 'ja' }))) {
  const deliveries = new MemoryDeliveries();
  const send = new MemoryJsonQueue<SendMessage>();
  const clock = new FakeClock();
  const deps: PlannerDeps = { deliveries, audience: new MemoryAudience(friends), send, clock, leaseMs: 60_000 };
  return { deps, deliveries, send, clock, friends };
}

const allRecipients = async (deliveries: MemoryDeliveries, id: string) => (await deliveries.listChunks(id)).flatMap((c) => c.recipients);

/** Receipts as the planner records them (the last record per delivery wins, as a put of the same keys does). */
class MemoryReceipts implements DeliveryReceipts {
  records = new Map<string, { plannedAt: string; recipients: Map<number, string[]> | 'everyone' }>();
  calls = 0;
  async record(deliveryId: string, plannedAt: string, recipients: Map<number, string[]> | 'everyone') {
    this.calls++;
    this.records.set(deliveryId, { plannedAt, recipients: recipients === 'everyone' ? recipients : new Map(recipients) });
  }
}

describe('receipts: who got a delivery, per audience bucket, for the friends’ pages', () => {
  test('every recipient once, in their bucket, keyed by the time the delivery was queued; a resumed planner records the same set', async () => {
    // Arrange: the first planner dies after writing 2 chunks
    const { deps, deliveries, clock, friends } = setup();
    friends[3]!.status = 'blocked';
    const receipts = new MemoryReceipts();
    deps.receipts = receipts;
    const d = { ...delivery(), queuedAt: '2026-12-07T01:02:03.000Z' };
    await deliveries.create(d);
    deliveries.beforePutChunk = (c) => {
      if (c.index === 2) throw new Error('Lambda instance died');
    };
    await expect(planDelivery(deps, d.deliveryId)).rejects.toThrow('died');
    expect(receipts.calls).toBe(0);
    deliveries.beforePutChunk = undefined;
    clock.current = new Date(clock.current.getTime() + 61_000);

    // Act
    await planDelivery(deps, d.deliveryId);

    // Assert
    const got = receipts.records.get(d.deliveryId)!;
    expect(got.plannedAt).toBe('2026-12-07T01:02:03.000Z');
    const byBucket = got.recipients as Map<number, string[]>;
    const all = [...byBucket.values()].flat();
    expect(new Set(all)).toEqual(new Set(await allRecipients(deliveries, d.deliveryId)));
    expect(all).toHaveLength(friends.length - 1);
    for (const [bucket, users] of byBucket) for (const u of users) expect(audienceBucketOf(u)).toBe(bucket);
  });

  test('a broadcast is one receipt for everyone', async () => {
    const { deps, deliveries } = setup(Array.from({ length: 20 }, (_, i) => friend(i)));
    const receipts = new MemoryReceipts();
    deps.receipts = receipts;
    const d = delivery({ variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '避難所を開設しました' }] }] });
    await deliveries.create(d);
    expect(isBroadcast(d)).toBe(true);
    await planDelivery(deps, d.deliveryId);
    expect(receipts.records.get(d.deliveryId)!.recipients).toBe('everyone');
  });
});

describe('planDelivery', () => {
  test('chunks of ≤ 500 per language, each written before its send message, every matching active friend once', async () => {
    // Arrange: 1,234 friends, a quarter English, some blocked.
    const { deps, deliveries, send, friends } = setup();
    friends[5]!.status = 'blocked';
    friends[8]!.status = 'blocked';
    const d = delivery();
    await deliveries.create(d);
    const chunkCountAtSend: number[] = [];
    const originalSend = send.send.bind(send);
    send.send = async (m) => {
      chunkCountAtSend.push(deliveries.chunks.size);
      for (const x of m) expect(deliveries.chunks.has(`${x.deliveryId}#${String(x.index).padStart(5, '0')}`)).toBe(true);
      return originalSend(m);
    };

    // Act
    const outcome = await planDelivery(deps, d.deliveryId);

    // Assert
    const chunks = await deliveries.listChunks(d.deliveryId);
    const activeJa = friends.filter((f) => f.status === 'active' && f.language === 'ja').length;
    const activeEn = friends.filter((f) => f.status === 'active' && f.language === 'en').length;
    expect(outcome).toMatchObject({
      kind: 'planned',
      recipients: activeJa + activeEn,
      chunks: Math.ceil(activeJa / 500) + Math.ceil(activeEn / 500),
      resumed: false,
    });
    for (const c of chunks) {
      expect(c.recipients.length).toBeLessThanOrEqual(500);
      expect(c.retryKey).toBe(chunkRetryKey(d.deliveryId, c.index));
      expect(c.mode).toBe('multicast');
      const langs = new Set(c.recipients.map((u) => friends.find((f) => f.userId === u)!.language));
      expect(langs).toEqual(new Set([c.lang]));
    }
    const recipients = await allRecipients(deliveries, d.deliveryId);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients).not.toContain(friends[5]!.userId);
    expect(send.messages.map((m) => m.index).sort((a, b) => a - b)).toEqual(chunks.map((c) => c.index));
    // Each message carries its chunk exactly as written (the sender's first receive reads nothing).
    for (const m of send.messages) {
      const c = chunks.find((x) => x.index === m.index)!;
      expect(m.chunk).toEqual({ lang: c.lang, mode: 'multicast', retryKey: c.retryKey, to: c.recipients.join('\n') });
    }
    expect(chunkCountAtSend[0]).toBeLessThan(chunks.length); // the first message left before the last chunk existed
    const stored = (await deliveries.get(d.deliveryId))!;
    expect(stored).toMatchObject({ status: 'sending', recipients: activeJa + activeEn, chunksTotal: chunks.length });
  });

  test('a segment and a form condition: only matching friends', async () => {
    const { deps, deliveries } = setup(Array.from({ length: 30 }, (_, i) => friend(i, { attributes: { district: i % 3 === 0 ? 'a' : 'b' } })));
    (deps.audience as MemoryAudience).answered.set('F1', new Set([friend(0).userId, friend(3).userId, friend(4).userId]));
    const d = delivery({
      audience: {
        segmentId: null,
        label: 'a かつ回答済み',
        rule: {
          match: 'all',
          conditions: [
            { kind: 'attribute', attribute: 'district', op: 'in', values: ['a'] },
            { kind: 'answeredForm', formId: 'F1', answered: true },
          ],
        },
      },
    });
    await deliveries.create(d);
    await planDelivery(deps, d.deliveryId);
    expect((await allRecipients(deliveries, d.deliveryId)).sort()).toEqual([friend(0).userId, friend(3).userId].sort());
  });

  test('{name} in the text: push mode with display names', async () => {
    const { deps, deliveries } = setup(Array.from({ length: 3 }, (_, i) => friend(i)));
    const d = delivery({ variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '{name}さん、こんにちは' }] }] });
    await deliveries.create(d);
    await planDelivery(deps, d.deliveryId);
    const [chunk] = await deliveries.listChunks(d.deliveryId);
    expect(chunk).toMatchObject({ mode: 'push', names: ['市民0', '市民1', '市民2'] });
  });

  test('a cancelled (or draft) delivery is never planned', async () => {
    const { deps, deliveries, send } = setup();
    await deliveries.create(delivery({ status: 'cancelled' }));
    expect(await planDelivery(deps, delivery().deliveryId)).toEqual({ kind: 'skipped', reason: 'not_plannable' });
    expect(deliveries.chunks.size).toBe(0);
    expect(send.messages).toEqual([]);
  });

  test('a second planner while the first holds the lease is refused (busy → retried later by the queue)', async () => {
    const { deps, deliveries } = setup();
    const d = delivery();
    await deliveries.create(d);
    let second: Promise<unknown> | undefined;
    deliveries.beforePutChunk = () => {
      second ??= planDelivery(deps, d.deliveryId).catch((e) => e);
    };
    await planDelivery(deps, d.deliveryId);
    expect(await second).toBeInstanceOf(PlannerBusyError);
  });

  test('a crashed planner is resumed after its lease: no friend twice, no index twice, pending chunks re-enqueued', async () => {
    // Arrange: the first planner dies after writing 2 chunks (before enqueuing the second).
    const { deps, deliveries, send, clock, friends } = setup();
    const d = delivery();
    await deliveries.create(d);
    deliveries.beforePutChunk = (c) => {
      if (c.index === 2) throw new Error('Lambda instance died');
    };
    // One chunk per write here (groups: the next test).
    await expect(planDelivery({ ...deps, emitGroup: 1 }, d.deliveryId)).rejects.toThrow('died');
    const firstRun = await deliveries.listChunks(d.deliveryId);
    expect(firstRun.map((c) => c.index)).toEqual([0, 1]);
    deliveries.beforePutChunk = undefined;

    // A retry while the lease is live is refused; after it expired the new planner takes over.
    await expect(planDelivery(deps, d.deliveryId)).rejects.toBeInstanceOf(PlannerBusyError);
    clock.current = new Date(clock.current.getTime() + 61_000);
    send.messages = [];
    const outcome = await planDelivery(deps, d.deliveryId);

    // Assert
    expect(outcome).toMatchObject({ kind: 'planned', resumed: true, reEnqueued: 2 });
    const chunks = await deliveries.listChunks(d.deliveryId);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    const recipients = await allRecipients(deliveries, d.deliveryId);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients.length).toBe(friends.length);
    expect(send.messages.slice(0, 2).map((m) => m.index)).toEqual([0, 1]);
    // Re-enqueued chunks may be in flight elsewhere: their messages carry no chunk, so the sender reads its state first.
    expect(send.messages.slice(0, 2).map((m) => m.chunk)).toEqual([undefined, undefined]);
    expect((await deliveries.get(d.deliveryId))!).toMatchObject({ recipients: friends.length, chunksTotal: chunks.length });
  });

  test('nobody matches: the delivery finishes as sent with 0 recipients', async () => {
    const { deps, deliveries } = setup([friend(1, { status: 'blocked' })]);
    const d = delivery();
    await deliveries.create(d);
    await planDelivery(deps, d.deliveryId);
    expect((await deliveries.get(d.deliveryId))!).toMatchObject({ status: 'sent', recipients: 0, chunksTotal: 0, succeeded: 0, failed: 0 });
  });

  test('everyone, one language, no name: one broadcast chunk sent at once, friends counted after; the sender broadcasts once and the delivery finishes with the count', async () => {
    const { deps, deliveries, send, friends } = setup();
    friends[3]!.status = 'blocked';
    const d = delivery({ variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '避難所を開設しました' }] }] });
    await deliveries.create(d);
    let chunksAtSend = -1;
    const originalSend = send.send.bind(send);
    send.send = async (m) => {
      chunksAtSend = (await deliveries.listChunks(d.deliveryId)).length;
      return originalSend(m);
    };

    const outcome = await planDelivery(deps, d.deliveryId);

    const active = friends.filter((f) => f.status === 'active').length;
    expect(outcome).toMatchObject({ kind: 'planned', recipients: active, chunks: 1 });
    expect(chunksAtSend).toBe(1);
    expect(send.messages).toEqual([
      { deliveryId: d.deliveryId, index: 0, chunk: { lang: 'ja', mode: 'broadcast', retryKey: chunkRetryKey(d.deliveryId, 0), to: '' } },
    ]);
    expect(await deliveries.listChunks(d.deliveryId)).toEqual([
      expect.objectContaining({ mode: 'broadcast', recipients: [], retryKey: chunkRetryKey(d.deliveryId, 0), status: 'pending' }),
    ]);
    expect(await deliveries.get(d.deliveryId)).toMatchObject({ broadcast: true, recipients: active, chunksTotal: 1 });

    // The sender: one broadcast with the chunk's key; a redelivery sends nothing more.
    const line = new ScriptedLine();
    const senderDeps = { deliveries, line, clock: deps.clock, publicBaseUrl: 'https://civic.example.jp', sleep: async () => undefined };
    expect(await sendChunk(senderDeps, { deliveryId: d.deliveryId, index: 0 })).toBe('sent');
    expect(await sendChunk(senderDeps, { deliveryId: d.deliveryId, index: 0 })).toBe('already_final');
    expect(line.calls).toEqual([expect.objectContaining({ kind: 'broadcast', retryKey: chunkRetryKey(d.deliveryId, 0) })]);
    expect(await deliveries.get(d.deliveryId)).toMatchObject({
      status: 'sent',
      succeeded: active,
      failed: 0,
      lineRequestId: `req-${chunkRetryKey(d.deliveryId, 0)}`,
    });
  });

  test('broadcast only for everyone in one language without the name', () => {
    const one = [{ lang: 'ja' as const, bubbles: [{ type: 'text' as const, text: 'お知らせ' }] }];
    const everyone = { segmentId: null, rule: { match: 'all' as const, conditions: [] }, label: '全員' };
    expect(isBroadcast({ audience: everyone, variants: one })).toBe(true);
    expect(isBroadcast({ audience: everyone, variants: [...one, { lang: 'en', bubbles: [{ type: 'text', text: 'News' }] }] })).toBe(false);
    expect(isBroadcast({ audience: everyone, variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: '{name}さん、お知らせです' }] }] })).toBe(false);
    expect(isBroadcast({ audience: { ...everyone, rule: { match: 'all', conditions: [{ kind: 'language', values: ['ja'] }] } }, variants: one })).toBe(false);
  });

  test('chunks are written in groups (the first alone, then ≤ 25 a request); a crash inside a group writes none of it and the next planner covers everyone once', async () => {
    // Arrange: 30,000 friends in one language → 60 chunks, a store slower than the reading; the first planner dies on chunk 40.
    const { deps, deliveries, send, clock, friends } = setup(Array.from({ length: 30_000 }, (_, i) => friend(i)));
    const d = delivery();
    await deliveries.create(d);
    deliveries.writeGate = () => new Promise((r) => setTimeout(r, 5));
    deliveries.beforePutChunk = (c) => {
      if (c.index === 40) throw new Error('Lambda instance died');
    };

    // Act: the crash, then the next planner after the lease
    await expect(planDelivery(deps, d.deliveryId)).rejects.toThrow('died');
    const written = (await deliveries.listChunks(d.deliveryId)).map((c) => c.index);
    const firstRunWrites = [...deliveries.chunkWrites];
    deliveries.beforePutChunk = undefined;
    clock.current = new Date(clock.current.getTime() + 61_000);
    const outcome = await planDelivery(deps, d.deliveryId);

    // Assert: the first chunk left alone, later ones in groups; the crashed group left no chunk behind
    expect(firstRunWrites[0]).toBe(1);
    expect(Math.max(...firstRunWrites)).toBeGreaterThan(1);
    expect(Math.max(...deliveries.chunkWrites)).toBeLessThanOrEqual(MAX_CHUNKS_PER_WRITE);
    expect(written).not.toContain(40);
    expect(outcome).toMatchObject({ kind: 'planned', recipients: 30_000, chunks: 60 });
    const recipients = await allRecipients(deliveries, d.deliveryId);
    expect(recipients).toHaveLength(friends.length);
    expect(new Set(recipients).size).toBe(friends.length);
    // Every chunk item was enqueued (the crashed group's friends in new chunks numbered after the highest).
    const items = (await deliveries.listChunks(d.deliveryId)).map((c) => c.index);
    expect(items).toHaveLength(60);
    expect(new Set(send.messages.map((m) => m.index))).toEqual(new Set(items));
    expect(deliveries.chunkWrites.length).toBeLessThan(60);
  });

  test('a chunk index another planner already wrote (this one lost its lease): stop, enqueue nothing under that number', async () => {
    const { deps, deliveries, send } = setup();
    const d = delivery();
    await deliveries.create(d);
    deliveries.beforePutChunk = (c) => {
      // The planner that took over wrote index 1 first, with its own recipients.
      if (c.index === 1 && !deliveries.chunks.has(`${d.deliveryId}#00001`)) deliveries.chunks.set(`${d.deliveryId}#00001`, { ...c, recipients: ['Uother'] });
    };
    await expect(planDelivery({ ...deps, emitConcurrency: 1 }, d.deliveryId)).rejects.toBeInstanceOf(PlannerLeaseLostError);
    expect(send.messages.map((m) => m.index)).not.toContain(1);
    expect((await deliveries.getChunk(d.deliveryId, 1))!.recipients).toEqual(['Uother']);
  });

  test('a broadcast delivery resumed from multicast chunks stays multicast (nothing is counted as sent that was not)', async () => {
    const { deps, deliveries } = setup(Array.from({ length: 700 }, (_, i) => friend(i)));
    const d = delivery({ variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'お知らせ' }] }] });
    await deliveries.create(d);
    // A planner of an earlier version made one multicast chunk and crashed.
    await deliveries.putChunks([
      {
        deliveryId: d.deliveryId,
        index: 0,
        lang: 'ja',
        mode: 'multicast',
        recipients: [friend(0).userId],
        retryKey: chunkRetryKey(d.deliveryId, 0),
        status: 'pending',
        attempts: 0,
      },
    ]);
    const outcome = await planDelivery(deps, d.deliveryId);
    expect(outcome).toMatchObject({ kind: 'planned', recipients: 700 });
    const chunks = await deliveries.listChunks(d.deliveryId);
    expect(chunks.every((c) => c.mode === 'multicast')).toBe(true);
    expect(new Set(chunks.flatMap((c) => c.recipients)).size).toBe(700);
    expect((await deliveries.get(d.deliveryId))!.broadcast).toBeUndefined();
  });
});
