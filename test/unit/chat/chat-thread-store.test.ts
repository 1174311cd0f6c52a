/**
 * DynamoChatThreads' requests and answer handling with aws-sdk-client-mock: the outcomes the use
 * cases (and test/support/chat-fakes.ts) rely on — opening with the friend's mark in one
 * transaction, 'no-friend' and 'already' told apart by the cancellation reasons, a staff reopen
 * of an open thread writing nothing, the single-use reply token, closing with the mark removed.
 */
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoChatThreads } from '../../../functions/adapters/aws/chat-thread-store';
import type { OpenInput } from '../../../functions/chat/ports';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoChatThreads(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1' })), 't');
const USER = 'U0123456789abcdef0123456789abcdef';
const failed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const input = (over: Partial<OpenInput> = {}): OpenInput => ({
  eventId: 'evt-1',
  at: '2026-12-07T01:00:00.000Z',
  via: 'postback',
  outsideHours: false,
  language: 'ja',
  name: '荒尾 花子',
  ...over,
});
const openItem = { PK: `FRIEND#${USER}`, SK: 'CHAT', type: 'ChatThread', userId: USER, status: 'open', via: 'postback', seq: 2 };

beforeEach(() => ddb.reset());

describe('open', () => {
  it('opens a new thread and marks the friend in one transaction (the friend must exist)', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.open(USER, input())).toBe('opened');
    const [thread, friend] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(thread!.Update!.ConditionExpression).toBe('attribute_not_exists(PK) OR #status = :closed');
    expect(thread!.Update!.ExpressionAttributeValues).toMatchObject({ ':open': 'open', ':via': 'postback', ':gpk': 'CHATS#open', ':name': '荒尾 花子' });
    expect(friend!.Update).toMatchObject({
      Key: { PK: `FRIEND#${USER}` },
      ConditionExpression: 'attribute_exists(PK)',
      UpdateExpression: 'SET chatOpen = :true',
    });
  });

  it("tells an unknown friend ('no-friend') from a thread opened meanwhile ('already') by the cancellation reasons", async () => {
    ddb.on(GetCommand).resolves({});
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']))
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await store.open(USER, input())).toBe('no-friend');
    expect(await store.open(USER, input())).toBe('already');
  });

  it("a citizen's request on an open thread updates its request; a staff reopen of it writes nothing", async () => {
    ddb.on(GetCommand).resolves({ Item: openItem });
    ddb.on(UpdateCommand).resolves({});
    expect(await store.open(USER, input({ via: 'keyword' }))).toBe('already');
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':via': 'keyword' });
    expect(await store.open(USER, input({ via: 'staff' }))).toBe('already');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a retry of the event that opened the thread is answered as opened, writing nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...openItem, openEventId: 'evt-1' } });
    expect(await store.open(USER, input())).toBe('opened');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a request on a thread closed since it was read opens it again (the update is conditional on open)', async () => {
    ddb.on(GetCommand).resolves({ Item: openItem });
    ddb.on(UpdateCommand).rejects(failed());
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.open(USER, input({ via: 'keyword', eventId: 'evt-2', preview: '職員と話したい' }))).toBe('opened');
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe('#status = :open');
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!.ExpressionAttributeValues).toMatchObject({
      ':eid': 'evt-2',
      ':preview': '職員と話したい',
    });
  });
});

describe('the reply token', () => {
  it('is taken once, only while it is worth trying', async () => {
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { replyToken: 'reply-1', replyUntil: 2_000 } })
      .rejectsOnce(failed());
    expect(await store.claimReplyToken(USER, 1_000)).toBe('reply-1');
    expect(await store.claimReplyToken(USER, 1_000)).toBeNull();
    const claim = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(claim).toMatchObject({
      ConditionExpression: 'attribute_exists(replyToken) AND replyUntil > :now',
      UpdateExpression: 'REMOVE replyToken, replyUntil',
      ExpressionAttributeValues: { ':now': 1_000 },
      ReturnValues: 'UPDATED_OLD',
    });
  });
});

describe('close', () => {
  it("closes an open thread and removes the friend's mark in one transaction; 'not-open' otherwise", async () => {
    ddb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await store.close(USER, '2026-12-07T02:00:00.000Z', 'soudan01')).toBe('closed');
    expect(await store.close(USER, '2026-12-07T02:00:00.000Z', 'soudan01')).toBe('not-open');
    const [thread, friend] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(thread!.Update!.ConditionExpression).toBe('#status = :open');
    expect(thread!.Update!.ExpressionAttributeValues).toMatchObject({ ':gpk': 'CHATS#closed', ':by': 'soudan01' });
    expect(friend!.Update!.UpdateExpression).toBe('REMOVE chatOpen');
  });
});

describe('noteInbound', () => {
  it("answers 'older' when a newer message is recorded, 'closed' when the thread is not open, 'opener' for the event that opened it", async () => {
    ddb.on(UpdateCommand).rejects(failed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: openItem })
      .resolvesOnce({ Item: { ...openItem, status: 'closed' } })
      .resolvesOnce({ Item: { ...openItem, openEventId: 'm-1' } });
    const note = { eventId: 'm-1', at: '2026-12-07T01:00:00.000Z', preview: 'こんにちは' };
    expect(await store.noteInbound(USER, note)).toBe('older');
    expect(await store.noteInbound(USER, note)).toBe('closed');
    expect(await store.noteInbound(USER, note)).toBe('opener');
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe(
      '#status = :open AND (attribute_not_exists(lastInboundAt) OR lastInboundAt <= :at) AND (attribute_not_exists(openEventId) OR openEventId <> :eid)',
    );
  });
});
