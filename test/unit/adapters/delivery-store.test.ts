/**
 * DynamoDeliveryStore's requests and answer handling with aws-sdk-client-mock (the same store runs
 * against DynamoDB Local in the integration tests; these pin the conditions that make sending
 * "never doubled" and the stored shapes).
 */
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDeliveryStore } from '../../../functions/adapters/aws/delivery-store';
import type { Chunk } from '../../../functions/deliveries/model';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoDeliveryStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' })), 't');
const failed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const chunk = (over: Partial<Chunk> = {}): Chunk => ({
  deliveryId: 'D1',
  index: 3,
  lang: 'ja',
  mode: 'multicast',
  recipients: ['U1', 'U2', 'U3'],
  retryKey: '6f1c0c0e-0000-5000-8000-000000000000',
  status: 'pending',
  attempts: 0,
  ...over,
});

beforeEach(() => ddb.reset());

describe('chunks', () => {
  it('are written once (a resumed planner never overwrites) with the recipients packed into one value', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(failed());
    expect(await store.putChunks([chunk()])).toEqual([]);
    expect(await store.putChunks([chunk({ index: 4, mode: 'push', names: ['花子', '"太郎"'] })])).toEqual([4]);
    const [first, second] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(first!.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(first!.Item).toMatchObject({ PK: 'DELIVERY#D1', SK: 'CHUNK#00003', recipientsPacked: 'U1\nU2\nU3', recipientCount: 3 });
    expect(first!.Item).not.toHaveProperty('recipients');
    expect(second!.Item).toMatchObject({ namesPacked: '["花子","\\"太郎\\""]' });
  });

  it('several are one transaction of conditional puts, all or none: an index that exists is named and nothing is written', async () => {
    ddb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      );
    expect(await store.putChunks([chunk({ index: 5 }), chunk({ index: 6 })])).toEqual([]);
    expect(await store.putChunks([chunk({ index: 7 }), chunk({ index: 8 }), chunk({ index: 9 })])).toEqual([8]);
    const [written] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(written!.map((t) => [t.Put!.Item!.SK, t.Put!.ConditionExpression])).toEqual([
      ['CHUNK#00005', 'attribute_not_exists(PK)'],
      ['CHUNK#00006', 'attribute_not_exists(PK)'],
    ]);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    // A cancellation for another reason (a conflict, throttling) is an error: the planner's message is retried.
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );
    await expect(store.putChunks([chunk({ index: 10 }), chunk({ index: 11 })])).rejects.toThrow('Transaction cancelled');
    await expect(store.putChunks(Array.from({ length: 26 }, (_, i) => chunk({ index: 20 + i })))).rejects.toThrow('at most 25 chunks');
  });

  it('are read back with their recipients and names unpacked', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        PK: 'DELIVERY#D1',
        SK: 'CHUNK#00004',
        type: 'DeliveryChunk',
        ...chunk({ index: 4, mode: 'push' }),
        recipients: undefined,
        recipientsPacked: 'U1\nU2',
        namesPacked: '["a","b"]',
        recipientCount: 2,
      },
    });
    const got = await store.getChunk('D1', 4);
    expect(got).toMatchObject({ index: 4, recipients: ['U1', 'U2'], names: ['a', 'b'] });
    expect(got).not.toHaveProperty('recipientsPacked');
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
  });
});

describe('a sent chunk: one write on the delivery, the chunk item is not rewritten', () => {
  it('adds the index to chunksSent and chunksFinal; the old item says whether it is new and how many are final', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { chunksFinal: new Set([0, 1]), chunksSent: new Set([0]), chunksTotal: 4 } });
    expect(await store.chunkSent('D1', 3)).toEqual({ moved: true, done: 3, total: 4 });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ PK: 'DELIVERY#D1', SK: 'DELIVERY' });
    expect(input.UpdateExpression).toBe('ADD chunksSent :index, chunksFinal :index');
    expect(input.ExpressionAttributeValues![':index']).toEqual(new Set([3]));
    expect(input.ReturnValues).toBe('ALL_OLD');
  });

  it('a chunk already final (sent, or failed then got through) is not new; the count stays; no total while planning', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { chunksFinal: new Set([0, 3]), chunksSent: new Set([0]) } });
    expect(await store.chunkSent('D1', 3)).toEqual({ moved: false, done: 2 });
    ddb.on(UpdateCommand).resolves({ Attributes: {} });
    expect(await store.chunkSent('D1', 0)).toEqual({ moved: true, done: 1 });
  });

  it('status: sent when the delivery lists the index in chunksSent, whatever the item says; otherwise the item', async () => {
    const item = (index: number, status: string) => ({
      PK: 'DELIVERY#D1',
      SK: `CHUNK#0000${index}`,
      type: 'DeliveryChunk',
      ...chunk({ index }),
      recipients: undefined,
      status,
      recipientsPacked: 'U1',
      recipientCount: 1,
    });
    ddb.on(GetCommand, { Key: { PK: 'DELIVERY#D1', SK: 'DELIVERY' } }).resolves({ Item: { chunksSent: new Set([1, 2]) } });
    ddb.on(GetCommand, { Key: { PK: 'DELIVERY#D1', SK: 'CHUNK#00001' } }).resolves({ Item: item(1, 'pending') });
    expect((await store.getChunk('D1', 1))!.status).toBe('sent');
    const delivery = ddb.commandCalls(GetCommand).find((c) => c.args[0].input.Key!.SK === 'DELIVERY')!.args[0].input;
    expect(delivery).toMatchObject({ ProjectionExpression: 'chunksSent', ConsistentRead: true });

    ddb.on(QueryCommand).resolves({ Items: [item(0, 'pending'), item(1, 'pending'), item(2, 'failed'), item(3, 'failed')] });
    expect((await store.chunkStates('D1')).map((c) => c.status)).toEqual(['pending', 'sent', 'sent', 'failed']);
    expect((await store.listChunks('D1')).map((c) => c.status)).toEqual(['pending', 'sent', 'sent', 'failed']);
  });

  it('"resend the failed part" resets only chunks still failed: one that got through after all stays sent', async () => {
    const item = (index: number, status: string) => ({
      PK: 'DELIVERY#D1',
      SK: `CHUNK#0000${index}`,
      type: 'DeliveryChunk',
      ...chunk({ index }),
      recipients: undefined,
      status,
      recipientsPacked: 'U1',
      recipientCount: 1,
    });
    ddb.on(GetCommand).resolves({ Item: { chunksSent: new Set([2]) } });
    ddb.on(QueryCommand).resolves({ Items: [item(1, 'failed'), item(2, 'failed')] });
    ddb.on(UpdateCommand).resolves({});
    expect((await store.resetFailedChunks('D1')).map((c) => c.index)).toEqual([1]);
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates[0]!.Key).toEqual({ PK: 'DELIVERY#D1', SK: 'CHUNK#00001' });
    expect(updates[1]).toMatchObject({
      UpdateExpression: 'DELETE chunksFinal :reset',
      ConditionExpression: 'attribute_exists(PK) AND NOT contains(chunksSent, :index)',
      ExpressionAttributeValues: { ':index': 1, ':reset': new Set([1]) },
    });
  });

  it('leaves a chunk final when a late "sent" listed it between the read and the reset', async () => {
    const item = (index: number, status: string) => ({
      PK: 'DELIVERY#D1',
      SK: `CHUNK#0000${index}`,
      type: 'DeliveryChunk',
      ...chunk({ index }),
      recipients: undefined,
      status,
      recipientsPacked: 'U1',
      recipientCount: 1,
    });
    ddb.on(GetCommand).resolves({ Item: {} });
    ddb.on(QueryCommand).resolves({ Items: [item(1, 'failed'), item(2, 'failed')] });
    ddb.on(UpdateCommand).callsFake(async (input: { Key: { SK: string }; ExpressionAttributeValues: Record<string, unknown> }) => {
      // Chunk 2 was listed as sent after the read: the delivery's conditional DELETE is refused.
      if (input.Key.SK === 'DELIVERY' && input.ExpressionAttributeValues[':index'] === 2)
        throw new ConditionalCheckFailedException({ message: 'sent in between', $metadata: {} });
      return {};
    });
    expect((await store.resetFailedChunks('D1')).map((c) => c.index)).toEqual([1]);
    // Both chunk items were set pending, both DELETEs asked, nothing put back (chunk 2 reads as sent: it is in chunksSent).
    const inputs = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(
      inputs
        .filter((i) => i.Key!.SK === 'DELIVERY')
        .map((i) => i.ExpressionAttributeValues![':index'])
        .sort(),
    ).toEqual([1, 2]);
    expect(inputs.filter((i) => i.UpdateExpression!.startsWith('SET #status = :failed'))).toEqual([]);
  });

  it('puts the chunk back to failed and surfaces the error when the delivery update fails otherwise (throttling, network)', async () => {
    const item = (index: number, status: string) => ({
      PK: 'DELIVERY#D1',
      SK: `CHUNK#0000${index}`,
      type: 'DeliveryChunk',
      ...chunk({ index }),
      recipients: undefined,
      status,
      recipientsPacked: 'U1',
      recipientCount: 1,
    });
    ddb.on(GetCommand).resolves({ Item: {} });
    ddb.on(QueryCommand).resolves({ Items: [item(1, 'failed')] });
    ddb.on(UpdateCommand).callsFake(async (input: { Key: { SK: string } }) => {
      if (input.Key.SK === 'DELIVERY') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return {};
    });
    await expect(store.resetFailedChunks('D1')).rejects.toThrow('Rate exceeded');
    const back = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .find((i) => i.UpdateExpression!.startsWith('SET #status = :failed'));
    expect(back).toMatchObject({ Key: { PK: 'DELIVERY#D1', SK: 'CHUNK#00001' }, ConditionExpression: '#status = :pending' });
  });

  it('the delivery as the model sees it has neither number set', async () => {
    ddb.on(GetCommand).resolves({
      Item: { PK: 'DELIVERY#D1', SK: 'DELIVERY', deliveryId: 'D1', status: 'sending', chunksFinal: new Set([1]), chunksSent: new Set([1]), version: 3 },
    });
    const got = await store.get('D1');
    expect(got).not.toHaveProperty('chunksSent');
    expect(got).not.toHaveProperty('chunksFinal');
    expect(got).toMatchObject({ chunksDone: 1 });
  });
});

describe('counting final chunks', () => {
  it('adds the chunk index to a number set, so counting a chunk twice changes nothing', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { chunksFinal: new Set([0, 3]), chunksTotal: 5 } });
    expect(await store.countChunkDone('D1', 3)).toEqual({ done: 2, total: 5 });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toBe('ADD chunksFinal :index');
    expect(input.ExpressionAttributeValues![':index']).toEqual(new Set([3]));
  });

  it('shows the set as a number on the delivery', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'DELIVERY#D1', SK: 'DELIVERY', deliveryId: 'D1', status: 'sending', chunksFinal: new Set([1, 2]), version: 3 } });
    const d = await store.get('D1', true);
    expect(d).toMatchObject({ chunksDone: 2 });
    expect(d).not.toHaveProperty('chunksFinal');
  });
});

describe('planning claims', () => {
  it('only claims queued/scheduled deliveries, or a sending one whose planner lease expired and whose planning never completed', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { deliveryId: 'D1', status: 'queued', version: 4 } });
    const claim = await store.claimPlanning('D1', 'tok', 1_000, 60_000);
    expect(claim).toMatchObject({ claimed: true, resumed: false, delivery: { status: 'sending', version: 5 } });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('#status IN (:queued, :scheduled)');
    expect(input.ConditionExpression).toContain('attribute_not_exists(chunksTotal)');
    expect(input.ConditionExpression).toContain('plannerLeaseUntil < :now');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':now': 1_000, ':until': 61_000, ':token': 'tok' });
  });

  it('tells why it could not claim: cancelled → not plannable, planning done → planned, a live lease → busy', async () => {
    ddb.on(UpdateCommand).rejects(failed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { deliveryId: 'D1', status: 'cancelled', version: 2 } })
      .resolvesOnce({ Item: { deliveryId: 'D1', status: 'sending', chunksTotal: 3, version: 2 } })
      .resolvesOnce({ Item: { deliveryId: 'D1', status: 'sending', plannerLeaseUntil: 9_999_999, version: 2 } })
      .resolvesOnce({});
    expect(await store.claimPlanning('D1', 'tok', 1_000, 60_000)).toMatchObject({ claimed: false, reason: 'not_plannable' });
    expect(await store.claimPlanning('D1', 'tok', 1_000, 60_000)).toMatchObject({ claimed: false, reason: 'planned' });
    expect(await store.claimPlanning('D1', 'tok', 1_000, 60_000)).toMatchObject({ claimed: false, reason: 'busy' });
    expect(await store.claimPlanning('D1', 'tok', 1_000, 60_000)).toEqual({ claimed: false, reason: 'not_found' });
  });

  it('completes planning only while holding the lease, marking a broadcast', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(failed());
    expect(await store.completePlanning('D1', 'tok', { recipients: 95_000, chunksTotal: 1, broadcast: true })).toBe(true);
    expect(await store.completePlanning('D1', 'other', { recipients: 1, chunksTotal: 1 })).toBe(false);
    const [mine, theirs] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(mine!.ConditionExpression).toBe('plannerToken = :token');
    expect(mine!.UpdateExpression).toContain('broadcast = :true');
    expect(theirs!.UpdateExpression).not.toContain('broadcast');
  });
});
