import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { BATCH_BYTES, SqsJsonQueue } from '../../../functions/adapters/aws/json-queue';

const sqs = mockClient(SQSClient);

describe('SqsJsonQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends JSON bodies in batches of at most 10', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsJsonQueue<{ n: number }>('q', new SQSClient({}), async () => undefined);
    await queue.send(Array.from({ length: 23 }, (_, n) => ({ n })));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length).sort()).toEqual([10, 10, 3]);
    expect(calls.flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).n)).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, n) => n));
  });

  it('keeps each batch within 256 KiB: ten chunks of 500 long user IDs do not fit one request', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsJsonQueue<{ index: number; to: string }>('q', new SQSClient({}), async () => undefined);
    const to = Array.from({ length: 500 }, (_, i) => `U${String(i).padStart(63, '0')}`).join('\n'); // 32.5 KB
    await queue.send(Array.from({ length: 10 }, (_, index) => ({ index, to })));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.length).toBeGreaterThan(1);
    for (const c of calls) {
      const bytes = c.args[0].input.Entries!.reduce((n, e) => n + Buffer.byteLength(e.MessageBody!), 0);
      expect(bytes).toBeLessThanOrEqual(BATCH_BYTES);
    }
    expect(calls.reduce((n, c) => n + c.args[0].input.Entries!.length, 0)).toBe(10);
  });

  it('retries entries SQS failed, and stops at a sender fault', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });
    const queue = new SqsJsonQueue<string>('q', new SQSClient({}), async () => undefined);
    await queue.send(['a', 'b']);
    expect(sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries).toEqual([{ Id: '1', MessageBody: '"b"' }]);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }] });
    await expect(queue.send(['c'])).rejects.toThrow('SQS refused a message: InvalidMessageContents');
  });
});
