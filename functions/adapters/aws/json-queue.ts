/**
 * JsonQueue (planner and send queues) on Amazon SQS: SendMessageBatch in groups of at most 10
 * entries and 256 KiB (a send message carries up to 500 user IDs), sent concurrently; entries SQS refuses in a batch (partial failures) are retried with back-off,
 * then the call throws naming how many were refused. `jsonQueueOver` adapts any EventQueue
 * (the local queue) to the same port.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { JsonQueue } from '../../deliveries/ports';
import type { EventQueue } from '../../ports/event-queue';
import { tracer } from '../../shared/powertools';

const ATTEMPTS = 4;
/** SQS's limit on one SendMessageBatch request's payload (the sum of its bodies). */
export const BATCH_BYTES = 256 * 1024;

export class SqsJsonQueue<T> implements JsonQueue<T> {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = tracer.captureAWSv3Client(new SQSClient({})),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async send(messages: T[]): Promise<void> {
    const groups: string[][] = [];
    let group: string[] = [];
    let bytes = 0;
    for (const m of messages) {
      const body = JSON.stringify(m);
      const size = Buffer.byteLength(body);
      if (group.length === 10 || (group.length > 0 && bytes + size > BATCH_BYTES)) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push(body);
      bytes += size;
    }
    if (group.length > 0) groups.push(group);
    await Promise.all(groups.map((g) => this.sendGroup(g)));
  }

  private async sendGroup(bodies: string[]): Promise<void> {
    let entries: SendMessageBatchRequestEntry[] = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
    let lastReason = '';
    for (let attempt = 0; attempt < ATTEMPTS && entries.length > 0; attempt++) {
      if (attempt > 0) await this.sleep(Math.random() * 50 * 2 ** attempt);
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = result.Failed ?? [];
      // A sender fault (bad message) will not succeed on retry.
      const permanent = failed.find((f) => f.SenderFault);
      if (permanent) throw new Error(`SQS refused a message: ${permanent.Code} ${permanent.Message ?? ''}`);
      lastReason = failed.map((f) => f.Code).join(', ');
      const ids = new Set(failed.map((f) => f.Id));
      entries = entries.filter((e) => ids.has(e.Id));
    }
    if (entries.length > 0) throw new Error(`SQS refused ${entries.length} message(s) after ${ATTEMPTS} attempts (${lastReason})`);
  }
}

/** The same port over an EventQueue of JSON bodies (the local runtime's in-process queue). */
export function jsonQueueOver<T>(queue: EventQueue): JsonQueue<T> {
  return { send: (messages) => queue.sendAll(messages.map((m) => JSON.stringify(m))) };
}
