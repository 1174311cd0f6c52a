/**
 * "Resend the failed part" (staff-deliveries.ts resendFailed) on the in-memory ports: only chunks
 * still failed go back on the queue, with their retry keys; when none is left (a "failed" chunk got
 * through after all) the delivery finishes at once instead of waiting for the next reconcile.
 */
import type { AuditEntry } from '../../../functions/audit/audit';
import type { SignedIn } from '../../../functions/staff/context';
import { chunkRetryKey } from '../../../functions/deliveries/chunking';
import type { Chunk, SendMessage } from '../../../functions/deliveries/model';
import { resendFailed, type StaffDeliveriesDeps } from '../../../functions/deliveries/staff-deliveries';
import { MemoryDeliveries, MemoryJsonQueue, delivery } from '../../support/pipeline-fakes';

const NOW = new Date('2026-11-24T02:00:00.000Z');
const admin = { account: { loginId: 'admin1', role: 'admin' }, ip: '127.0.0.1' } as unknown as SignedIn;

function setup() {
  const deliveries = new MemoryDeliveries();
  const send = new MemoryJsonQueue<SendMessage>();
  const audit: AuditEntry[] = [];
  const deps = {
    deliveries,
    send,
    clock: { now: () => NOW },
    audit: { append: async (e: AuditEntry) => void audit.push(e), search: async () => ({ items: [] }) },
    settings: { get: async () => ({ approvalRequired: false }) },
  } as unknown as StaffDeliveriesDeps;
  return { deliveries, send, audit, deps };
}

/** A partly failed delivery of three chunks: 0 and 2 sent, 1 failed after its retries. */
async function partlyFailed(deliveries: MemoryDeliveries) {
  const d = delivery({ status: 'sending', queuedAt: '2026-11-24T01:30:00.000Z', recipients: 3, chunksTotal: 3 });
  await deliveries.create(d);
  const chunk = (index: number): Chunk => ({
    deliveryId: d.deliveryId,
    index,
    lang: 'ja',
    mode: 'multicast',
    recipients: [`U${index}`],
    retryKey: chunkRetryKey(d.deliveryId, index),
    status: 'pending',
    attempts: 0,
  });
  await deliveries.putChunks([chunk(0), chunk(1), chunk(2)]);
  await deliveries.chunkSent(d.deliveryId, 0);
  await deliveries.chunkSent(d.deliveryId, 2);
  await deliveries.failChunk(d.deliveryId, 1, { at: NOW.toISOString(), attempts: 5, lastError: 'LINE 500' });
  await deliveries.countChunkDone(d.deliveryId, 1);
  expect(await deliveries.transition(d.deliveryId, ['sending'], 'partly_failed', { succeeded: 2, failed: 1 })).toBe(true);
  return d.deliveryId;
}

it('puts only the still-failed chunk back on the queue, moves the delivery to sending and records who did it', async () => {
  const { deliveries, send, audit, deps } = setup();
  const id = await partlyFailed(deliveries);
  const after = await resendFailed(deps, admin, id);
  expect(after.status).toBe('sending');
  expect(send.messages).toEqual([{ deliveryId: id, index: 1 }]);
  expect((await deliveries.getChunk(id, 1))!.status).toBe('pending');
  expect(audit).toEqual([expect.objectContaining({ actor: 'admin1', action: 'delivery.resent', summary: '配信の失敗分の再送（1人）' })]);
});

it('finishes the delivery at once when the failed chunk got through after all (nothing to resend)', async () => {
  const { deliveries, send, deps } = setup();
  const id = await partlyFailed(deliveries);
  // A late "sent" for chunk 1 (LINE had accepted it; the answer was lost): sent wins over failed.
  await deliveries.chunkSent(id, 1);
  const after = await resendFailed(deps, admin, id);
  expect(send.messages).toEqual([]);
  expect(after).toMatchObject({ status: 'sent', succeeded: 3, failed: 0 });
});

it('refuses a delivery that is not partly failed or failed, and one older than LINE keeps retry keys', async () => {
  const { deliveries, send, deps } = setup();
  const id = await partlyFailed(deliveries);
  await expect(resendFailed({ ...deps, clock: { now: () => new Date(NOW.getTime() + 25 * 3600_000) } }, admin, id)).rejects.toThrow(/24時間/);
  expect(await resendFailed(deps, admin, id)).toMatchObject({ status: 'sending' });
  await expect(resendFailed(deps, admin, id)).rejects.toThrow(/一部失敗または失敗/);
  expect(send.messages).toHaveLength(1);
});
