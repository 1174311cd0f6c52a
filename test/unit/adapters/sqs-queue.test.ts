import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { BATCH_BYTES, SqsQueue } from '../../../functions/adapters/aws/sqs-queue';
import { jsonQueue } from '../../../functions/ports/event-queue';

const sqs = mockClient(SQSClient);
const noWait = async () => undefined;

describe('SqsQueue (every queue of the platform)', () => {
  beforeEach(() => sqs.reset());

  it('sends in batches of at most 10 to the configured queue', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsQueue('https://sqs.ap-northeast-1.amazonaws.com/1/q', { client: new SQSClient({}), sleep: noWait });
    await queue.sendAll(Array.from({ length: 23 }, (_, i) => `m${i}`));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length).sort()).toEqual([10, 10, 3]);
    expect(calls[0]!.args[0].input.QueueUrl).toBe('https://sqs.ap-northeast-1.amazonaws.com/1/q');
  });

  it('keeps each batch within 256 KiB: ten chunks of 500 long user IDs do not fit one request', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = jsonQueue<{ index: number; to: string }>(new SqsQueue('q', { client: new SQSClient({}), sleep: noWait }));
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

  it('sends typed messages as JSON bodies', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await jsonQueue<{ n: number }>(new SqsQueue('q', { client: new SQSClient({}), sleep: noWait })).send([{ n: 1 }, { n: 2 }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([
      { Id: '0', MessageBody: '{"n":1}' },
      { Id: '1', MessageBody: '{"n":2}' },
    ]);
  });

  it('retries the entries SQS failed, stops at a sender fault, and gives up loudly', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });
    const queue = new SqsQueue('q', { client: new SQSClient({}), sleep: noWait });
    await queue.sendAll(['a', 'b']);
    expect(sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries).toEqual([{ Id: '1', MessageBody: 'b' }]);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }] });
    await expect(queue.sendAll(['c'])).rejects.toThrow('SQS refused a message: InvalidMessageContents');

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }] });
    await expect(queue.sendAll(['d'])).rejects.toThrow('SQS refused 1 message(s) after 4 attempts (InternalError)');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(4);
  });

  it('wraps its own client with `capture` (X-Ray for the consumers)', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    const captured: unknown[] = [];
    const queue = new SqsQueue('q', { capture: (client) => (captured.push(client), client), sleep: noWait });
    await queue.sendAll(['x']);
    expect(captured).toHaveLength(1);
    expect(captured[0]).toBeInstanceOf(SQSClient);
  });
});
