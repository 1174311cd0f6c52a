/**
 * An in-process queue with the SQS semantics the product relies on, for the
 * local runtime: batches of up to 10, a bounded number of concurrent consumer
 * invocations (like Lambda concurrency), partial batch failures, a delay before
 * a failed message is offered again (visibility timeout), and a dead-letter
 * queue after maxReceiveCount receives. Messages live in memory: stopping the
 * local runtime drops what is still queued (SQS keeps them; see docs/ARCHITECTURE.md).
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventQueue } from '../../ports/event-queue';
import { localContext } from './lambda-context';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface LocalQueueOptions {
  name: string;
  batchSize?: number;
  concurrency?: number;
  /** How long a failed message stays invisible before it is offered again. */
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  consumerTimeoutMs?: number;
  /** Called for each message moved to the dead-letter queue (the DLQ's consumer in AWS). */
  onDeadLetter?: (deadLetter: DeadLetter) => void | Promise<void>;
}

interface QueuedMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  visibleAt: number;
}

export interface DeadLetter {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: string;
  failedAt: string;
}

export class LocalQueue implements EventQueue {
  private ready: QueuedMessage[] = [];
  private head = 0;
  private delayed: QueuedMessage[] = [];
  private inFlight = 0;
  private scheduled = false;
  private delayTimer?: NodeJS.Timeout;
  private idleWaiters: (() => void)[] = [];
  private handler?: SqsHandler;
  private stopped = false;
  readonly deadLetters: DeadLetter[] = [];
  readonly counters = { sent: 0, deleted: 0, failedReceives: 0, deadLettered: 0 };

  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceiveCount: number;
  private readonly consumerTimeoutMs: number;

  constructor(private readonly options: LocalQueueOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.concurrency = options.concurrency ?? 4;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.consumerTimeoutMs = options.consumerTimeoutMs ?? 30_000;
  }

  /** Attaches the consumer (an SQS-triggered Lambda handler). */
  consume(handler: SqsHandler): void {
    this.handler = handler;
    this.schedule();
  }

  async sendAll(bodies: string[]): Promise<void> {
    if (this.stopped) throw new Error(`Queue ${this.options.name} is stopped`);
    const now = Date.now();
    for (const body of bodies) {
      this.ready.push({ messageId: randomUUID(), body, receiveCount: 0, sentAt: now, visibleAt: now });
    }
    this.counters.sent += bodies.length;
    this.schedule();
  }

  /** Messages waiting, being processed, or waiting to be retried. */
  depth(): { visible: number; inFlight: number; delayed: number; deadLetters: number } {
    return { visible: this.ready.length - this.head, inFlight: this.inFlight, delayed: this.delayed.length, deadLetters: this.deadLetters.length };
  }

  /** Resolves when nothing is queued, delayed or in flight. */
  drained(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops offering messages; resolves when in-flight batches finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.delayTimer);
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.ready.length === this.head && this.delayed.length === 0;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped || !this.handler) return;
    this.scheduled = true;
    // Coalesce the sends of one tick into full batches, as SQS long polling would.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.handler && this.inFlight < this.concurrency && this.head < this.ready.length) {
      const batch = this.ready.slice(this.head, this.head + this.batchSize);
      this.head += batch.length;
      if (this.head > 1024 && this.head * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.head);
        this.head = 0;
      }
      this.inFlight++;
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.pump();
        this.notifyIdle();
      });
    }
    this.notifyIdle();
  }

  private async deliver(batch: QueuedMessage[]): Promise<void> {
    for (const m of batch) m.receiveCount++;
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(m)) };
    let failedIds: Set<string>;
    try {
      const response = await this.handler!(event, localContext(`${this.options.name}-consumer`, this.consumerTimeoutMs));
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failedIds = new Set(batch.map((m) => m.messageId));
    }
    const now = Date.now();
    for (const m of batch) {
      if (!failedIds.has(m.messageId)) {
        this.counters.deleted++;
        continue;
      }
      this.counters.failedReceives++;
      if (m.receiveCount >= this.maxReceiveCount) {
        this.counters.deadLettered++;
        const deadLetter = {
          messageId: m.messageId,
          body: m.body,
          receiveCount: m.receiveCount,
          sentAt: new Date(m.sentAt).toISOString(),
          failedAt: new Date(now).toISOString(),
        };
        this.deadLetters.push(deadLetter);
        if (this.options.onDeadLetter) {
          Promise.resolve()
            .then(() => this.options.onDeadLetter!(deadLetter))
            .catch((error) => console.error(`[local] dead-letter consumer of ${this.options.name} failed`, error));
        }
      } else {
        m.visibleAt = now + this.visibilityTimeoutMs;
        this.delayed.push(m);
      }
    }
    this.armDelayTimer();
  }

  private armDelayTimer(): void {
    if (this.delayTimer || this.delayed.length === 0 || this.stopped) return;
    const next = Math.min(...this.delayed.map((m) => m.visibleAt));
    this.delayTimer = setTimeout(
      () => {
        this.delayTimer = undefined;
        const now = Date.now();
        const due = this.delayed.filter((m) => m.visibleAt <= now);
        this.delayed = this.delayed.filter((m) => m.visibleAt > now);
        this.ready.push(...due);
        this.armDelayTimer();
        this.pump();
      },
      Math.max(0, next - Date.now()),
    );
    this.delayTimer.unref?.();
  }

  private notifyIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private toRecord(m: QueuedMessage): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:ap-northeast-1:000000000000:${this.options.name}`,
      awsRegion: 'ap-northeast-1',
    };
  }
}
