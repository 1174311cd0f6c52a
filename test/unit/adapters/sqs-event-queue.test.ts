import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsEventQueue } from '../../../functions/adapters/aws/sqs-event-queue';

const sqs = mockClient(SQSClient);

describe('SqsEventQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends in batches of 10 to the configured queue', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsEventQueue('https://sqs.ap-northeast-1.amazonaws.com/1/q', new SQSClient({}));
    await queue.sendAll(Array.from({ length: 23 }, (_, i) => `m${i}`));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length).sort()).toEqual([10, 10, 3]);
    expect(calls[0].args[0].input.QueueUrl).toBe('https://sqs.ap-northeast-1.amazonaws.com/1/q');
  });

  it('retries the entries SQS reported as failed, then gives up loudly', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });
    const queue = new SqsEventQueue('q', new SQSClient({}));
    await queue.sendAll(['a', 'b']);
    const retried = sqs.commandCalls(SendMessageBatchCommand)[1].args[0].input.Entries;
    expect(retried).toEqual([{ Id: '1', MessageBody: 'b' }]);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }] });
    await expect(queue.sendAll(['c'])).rejects.toThrow('SQS refused 1 message');
  });
});
