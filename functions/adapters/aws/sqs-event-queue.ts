/** EventQueue on Amazon SQS: SendMessageBatch in groups of 10, failed entries retried once. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { EventQueue } from '../../ports/event-queue';
import { tracer } from '../../shared/powertools';

export class SqsEventQueue implements EventQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = tracer.captureAWSv3Client(new SQSClient({})),
  ) {}

  async sendAll(bodies: string[]): Promise<void> {
    const groups: string[][] = [];
    for (let i = 0; i < bodies.length; i += 10) groups.push(bodies.slice(i, i + 10));
    await Promise.all(groups.map((group) => this.sendGroup(group)));
  }

  private async sendGroup(bodies: string[]): Promise<void> {
    let entries = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
    for (let attempt = 0; attempt < 2 && entries.length > 0; attempt++) {
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = new Set((result.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
    }
    if (entries.length > 0) throw new Error(`SQS refused ${entries.length} message(s)`);
  }
}
