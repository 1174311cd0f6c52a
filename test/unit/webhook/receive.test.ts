import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { localContext } from '../../../functions/adapters/local/lambda-context';
import { lineSignatureValid } from '../../../functions/adapters/line/signature';
import { createReceiveHandler } from '../../../functions/webhook/receive';
import { FakeClock, MemoryQueue } from '../../support/fakes';
import followEvent from '../../events/webhook-follow.json';

const SECRET = 'test-channel-secret';
const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

function httpEvent(body: string, headers: Record<string, string>, isBase64Encoded = false): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhook',
    rawPath: '/webhook',
    rawQueryString: '',
    headers,
    requestContext: { http: { method: 'POST', path: '/webhook', sourceIp: '127.0.0.1' } } as never,
    body: isBase64Encoded ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded,
  };
}

describe('POST /webhook (receive handler)', () => {
  let queue: MemoryQueue;
  let handler: ReturnType<typeof createReceiveHandler>;
  const invoke = async (event: APIGatewayProxyEventV2) => (await handler(event, localContext('webhook-receive', 10_000))) as APIGatewayProxyStructuredResultV2;

  beforeEach(() => {
    queue = new MemoryQueue();
    handler = createReceiveHandler({ channelSecret: async () => SECRET, signatureValid: lineSignatureValid, queue, clock: new FakeClock() });
  });

  it('queues one message per event when the signature is valid', async () => {
    // Arrange
    const body = JSON.stringify({
      ...followEvent,
      events: [followEvent.events[0], { ...followEvent.events[0], webhookEventId: '01J000000000000000000000B2' }],
    });
    // Act
    const res = await invoke(httpEvent(body, { 'x-line-signature': sign(body) }));
    // Assert
    expect(res.statusCode).toBe(200);
    expect(queue.bodies).toHaveLength(2);
    const first = JSON.parse(queue.bodies[0]);
    expect(first.destination).toBe(followEvent.destination);
    expect(first.event.webhookEventId).toBe(followEvent.events[0].webhookEventId);
    expect(first.receivedAt).toBe('2026-11-24T01:00:00.000Z');
  });

  it('reads the signature header case-insensitively and accepts base64 bodies', async () => {
    const body = JSON.stringify(followEvent);
    const res = await invoke(httpEvent(body, { 'X-Line-Signature': sign(body) }, true));
    expect(res.statusCode).toBe(200);
    expect(queue.bodies).toHaveLength(1);
  });

  it.each([
    ['missing', {}],
    ['signed with another secret', { 'x-line-signature': 'x' }],
  ])('refuses a %s signature with 401 and queues nothing', async (_label, headers) => {
    const body = JSON.stringify(followEvent);
    const res = await invoke(httpEvent(body, headers as Record<string, string>));
    expect(res.statusCode).toBe(401);
    expect(queue.bodies).toHaveLength(0);
  });

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify(followEvent);
    const tampered = body.replace(followEvent.events[0].source.userId, 'Uattacker0000000000000000000000000');
    const res = await invoke(httpEvent(tampered, { 'x-line-signature': sign(body) }));
    expect(res.statusCode).toBe(401);
    expect(queue.bodies).toHaveLength(0);
  });

  it('answers 200 to LINE’s URL verification (no events) without queueing', async () => {
    const body = JSON.stringify({ destination: 'Ubot', events: [] });
    const res = await invoke(httpEvent(body, { 'x-line-signature': sign(body) }));
    expect(res.statusCode).toBe(200);
    expect(queue.bodies).toHaveLength(0);
  });

  // A signed body LINE would redeliver for ever if refused with an error: acknowledged, and handed
  // over as a refusal the consumer records once (defect: it answered 400/500 and LINE kept retrying).
  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['no events array', JSON.stringify({ destination: 'Ubot' }), /envelope/],
    ['nested 100,000 levels deep', `{"destination":"Ubot","events":[{"type":"message","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`, /nested deeper/],
  ])('acknowledges a signed body that is %s and queues one refusal, no event', async (_label, body, reason) => {
    const res = await invoke(httpEvent(body, { 'x-line-signature': sign(body) }));
    expect(res.statusCode).toBe(200);
    expect(queue.bodies).toHaveLength(1);
    const refusal = JSON.parse(queue.bodies[0]);
    expect(refusal.event).toBeUndefined();
    expect(refusal.refused).toMatchObject({ id: expect.stringMatching(/^body-[0-9a-f]{32}$/), reason: expect.stringMatching(reason) });
  });

  it('queues the valid events of a body and a refusal for each event outside the schema', async () => {
    const base = {
      mode: 'active',
      timestamp: 1_795_914_000_000,
      source: { type: 'user', userId: 'U0123456789abcdef0123456789abcdef' },
      deliveryContext: { isRedelivery: false },
    };
    const body = JSON.stringify({
      destination: 'Ubot',
      events: [
        { ...base, type: 'follow', webhookEventId: '01JGOOD0000000000000000000', replyToken: 'r' },
        { ...base, type: 'follow', timestamp: 8.64e15, webhookEventId: '01JTIME0000000000000000000' },
        { type: 'follow', timestamp: 1, deliveryContext: { isRedelivery: false } },
      ],
    });
    const res = await invoke(httpEvent(body, { 'x-line-signature': sign(body) }));
    expect(res.statusCode).toBe(200);
    const queued = queue.bodies.map((b) => JSON.parse(b));
    expect(queued.filter((q) => q.event).map((q) => q.event.webhookEventId)).toEqual(['01JGOOD0000000000000000000']);
    expect(queued.filter((q) => q.refused).map((q) => q.refused)).toEqual([
      expect.objectContaining({ id: '01JTIME0000000000000000000', eventType: 'follow', reason: expect.stringContaining('timestamp') }),
      expect.objectContaining({ id: expect.stringMatching(/^event-/), eventType: 'follow', reason: expect.stringContaining('webhookEventId') }),
    ]);
  });

  it('accepts event types it does not know (LINE adds new ones)', async () => {
    const body = JSON.stringify({
      destination: 'Ubot',
      events: [{ type: 'somethingNew', mode: 'active', timestamp: 1, webhookEventId: '01JNEW', deliveryContext: { isRedelivery: false }, extra: { a: 1 } }],
    });
    const res = await invoke(httpEvent(body, { 'x-line-signature': sign(body) }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(queue.bodies[0]).event.extra).toEqual({ a: 1 });
  });

  it('answers 500 when the queue refuses, so LINE can redeliver', async () => {
    handler = createReceiveHandler({
      channelSecret: async () => SECRET,
      signatureValid: lineSignatureValid,
      queue: { sendAll: async () => Promise.reject(new Error('SQS down')) },
      clock: new FakeClock(),
    });
    const body = JSON.stringify(followEvent);
    const res = await invoke(httpEvent(body, { 'x-line-signature': sign(body) }));
    expect(res.statusCode).toBe(500);
  });
});
