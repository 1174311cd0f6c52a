/**
 * EventQueue on Amazon SQS, for every queue of the platform (webhook events, planner, send):
 * SendMessageBatch in groups of at most 10 entries and 256 KiB (a send message carries up to 500
 * user IDs), sent concurrently. Entries SQS fails in a batch (partial failures) are retried with
 * back-off; a sender fault (a message SQS will never take) fails at once; what is still refused
 * after the attempts makes the call throw — the caller's own retry (LINE's redelivery of a webhook,
 * the planner's SQS redelivery) takes over.
 *
 * No tracer here: the webhook receiver uses it untraced (its bundle stays small); consumers pass
 * `traced` (adapters/aws/tracer.ts) through `capture`.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { EventQueue } from '../../ports/event-queue';

const ATTEMPTS = 4;
/** SQS's limit on one SendMessageBatch request's payload (the sum of its bodies). */
export const BATCH_BYTES = 256 * 1024;
const BATCH_ENTRIES = 10;

type Sender = Pick<SQSClient, 'send'>;

export interface SqsQueueOptions {
  /** The SQS client (default: one created here). */
  client?: Sender;
  /** Wraps the client, e.g. with X-Ray tracing. */
  capture?: (client: SQSClient) => Sender;
  /** Between attempts (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

export class SqsQueue implements EventQueue {
  private readonly client: Sender;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly queueUrl: string,
    options: SqsQueueOptions = {},
  ) {
    this.client = options.client ?? (options.capture ?? ((c) => c))(new SQSClient({}));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async sendAll(bodies: string[]): Promise<void> {
    const groups: string[][] = [];
    let group: string[] = [];
    let bytes = 0;
    for (const body of bodies) {
      const size = Buffer.byteLength(body);
      if (group.length === BATCH_ENTRIES || (group.length > 0 && bytes + size > BATCH_BYTES)) {
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
