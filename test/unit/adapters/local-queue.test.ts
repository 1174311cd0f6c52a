import type { SQSEvent } from 'aws-lambda';
import { LocalQueue } from '../../../functions/adapters/local/local-queue';

describe('LocalQueue (SQS semantics for the local runtime)', () => {
  it('delivers in batches of at most 10 with bounded concurrency', async () => {
    const queue = new LocalQueue({ name: 'q', concurrency: 2 });
    const sizes: number[] = [];
    let active = 0;
    let maxActive = 0;
    queue.consume(async (event: SQSEvent) => {
      active++;
      maxActive = Math.max(maxActive, active);
      sizes.push(event.Records.length);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    });
    await queue.sendAll(Array.from({ length: 45 }, (_, i) => String(i)));
    await queue.drained();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(45);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(maxActive).toBeLessThanOrEqual(2);
    expect(queue.counters.deleted).toBe(45);
  });

  it('offers only the failed records again (partial batch failure) and counts receives', async () => {
    const queue = new LocalQueue({ name: 'q', visibilityTimeoutMs: 1 });
    const seen = new Map<string, number[]>();
    queue.consume(async (event) => {
      const failures = [];
      for (const r of event.Records) {
        seen.set(r.body, [...(seen.get(r.body) ?? []), Number(r.attributes.ApproximateReceiveCount)]);
        if (r.body === 'flaky' && Number(r.attributes.ApproximateReceiveCount) < 3) failures.push({ itemIdentifier: r.messageId });
      }
      return { batchItemFailures: failures };
    });
    await queue.sendAll(['ok', 'flaky']);
    await queue.drained();
    expect(seen.get('ok')).toEqual([1]);
    expect(seen.get('flaky')).toEqual([1, 2, 3]);
    expect(queue.deadLetters).toHaveLength(0);
  });

  it('moves a message to the dead-letter list after maxReceiveCount, also when the handler throws', async () => {
    const queue = new LocalQueue({ name: 'q', visibilityTimeoutMs: 1, maxReceiveCount: 3 });
    let calls = 0;
    queue.consume(async () => {
      calls++;
      throw new Error('boom');
    });
    await queue.sendAll(['poison']);
    await queue.drained();
    expect(calls).toBe(3);
    expect(queue.deadLetters).toEqual([expect.objectContaining({ body: 'poison', receiveCount: 3 })]);
  });
});
