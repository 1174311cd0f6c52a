/**
 * The foundation's acceptance, end to end on the local runtime: the LINE
 * simulator sends signed webhooks to POST /webhook, the same Lambda handlers
 * run, DynamoDB Local stores, and answers go back through the simulator.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { countItems, eventually, getItem, it_env, partition, queueIdle, signBody } from '../../support/integration';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
/** The greeting's bubbles: a text and the invitation to register (profile form button). */
const GREETING = 2;

describe('LINE webhook on the local runtime', () => {
  it('registers a new citizen as a friend and greets them', async () => {
    // Act
    const { citizen, webhook } = await sim.createCitizen({ displayName: '荒尾 太郎', language: 'ja' });

    // Assert
    expect(webhook?.status).toBe(200);
    const friend = await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend item');
    expect(friend).toMatchObject({ userId: citizen.userId, displayName: '荒尾 太郎', language: 'ja', status: 'active' });
    // The greeting: a text, and an invitation with a button to the profile form (a LIFF address).
    const received = await sim.waitForReceived(citizen.userId, (m) => m.length > 1, 10_000);
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.source)).toEqual(['reply', 'reply']);
    expect(received[0].message).toMatchObject({ type: 'text' });
    expect(String(received[0].message.text)).toContain('荒尾 太郎さん');
    expect(received[1].message).toMatchObject({
      type: 'template',
      template: {
        actions: [{ type: 'uri', label: '登録する', uri: expect.stringMatching(/^https:\/\/liff\.line\.me\/\d{10}-[A-Za-z0-9]{8}\/forms\/profile$/) }],
      },
    });
  });

  it('greets in the citizen’s LINE language', async () => {
    const { citizen } = await sim.createCitizen({ displayName: 'Kim', language: 'ko' });
    const received = await sim.waitForReceived(citizen.userId, (m) => m.length === GREETING, 10_000);
    expect(String(received[0].message.text)).toContain('Kim님');
    expect(received[1].message).toMatchObject({ template: { actions: [{ label: '등록하기' }] } });
  });

  it('refuses a tampered webhook with 401 and stores nothing', async () => {
    // Arrange: a correctly signed body, then changed after signing.
    await queueIdle();
    const before = await countItems();
    const userId = 'U' + 'f'.repeat(32);
    const body = JSON.stringify({
      destination: 'Ubot',
      events: [
        {
          type: 'follow',
          mode: 'active',
          timestamp: Date.now(),
          source: { type: 'user', userId },
          webhookEventId: '01JTAMPERED0000000000000000',
          deliveryContext: { isRedelivery: false },
          replyToken: 'x',
        },
      ],
    });
    const signature = signBody(body, env.channelSecret);
    const tampered = body.replace('"follow"', '"unfollow"');

    // Act
    const responses = await Promise.all([
      fetch(env.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body: tampered }),
      fetch(env.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      fetch(env.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signBody(body, 'not-the-secret') }, body }),
    ]);

    // Assert
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401]);
    await queueIdle();
    expect(await countItems()).toBe(before);
    expect(await getItem('WEBHOOK_EVENT#01JTAMPERED0000000000000000', 'LEDGER')).toBeUndefined();
  });

  it('processes a redelivered event once', async () => {
    // Arrange
    const { citizen } = await sim.createCitizen({ displayName: '再送 確認' });
    await sim.waitForReceived(citizen.userId, (m) => m.length === GREETING, 10_000);
    const { event, webhook } = await sim.sendText(citizen.userId, 'こんにちは');
    expect(webhook.status).toBe(200);
    await sim.waitForReceived(citizen.userId, (m) => m.length === GREETING + 1, 10_000);

    // Act: LINE resends the identical event (same webhookEventId and reply token).
    const again = await sim.redeliver(event.webhookEventId);
    expect(again.status).toBe(200);
    await queueIdle();

    // Assert: one stored message, one answer, the ledger completed.
    const items = await partition(`FRIEND#${citizen.userId}`);
    const inbound = items.filter((i) => i.type === 'ConversationEntry' && i.direction === 'in' && i.kind !== 'follow');
    expect(items.filter((i) => i.type === 'ConversationEntry' && i.kind === 'follow')).toHaveLength(1); // the status history
    const answers = items.filter((i) => i.type === 'ConversationEntry' && i.direction === 'out' && i.webhookEventId === event.webhookEventId);
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ kind: 'text', text: 'こんにちは' });
    expect(answers).toHaveLength(1);
    expect(await sim.received(citizen.userId)).toHaveLength(GREETING + 1);
    expect(await getItem(`WEBHOOK_EVENT#${event.webhookEventId}`, 'LEDGER')).toMatchObject({ status: 'completed' });
  });

  it('marks a friend blocked when they block the account, keeps their history, and reactivates on unblock', async () => {
    const { citizen } = await sim.createCitizen({ displayName: 'ブロック 確認' });
    await sim.waitForReceived(citizen.userId, (m) => m.length === GREETING, 10_000);

    await sim.block(citizen.userId);
    const blocked = await eventually(
      async () => {
        const f = await getItem(`FRIEND#${citizen.userId}`, 'PROFILE');
        return f?.status === 'blocked' ? f : undefined;
      },
      10_000,
      'friend blocked',
    );
    expect(blocked.blockedAt).toEqual(expect.any(String));
    const history = (await partition(`FRIEND#${citizen.userId}`)).filter((i) => i.type === 'ConversationEntry');
    expect(history.length).toBeGreaterThan(0);

    await sim.unblock(citizen.userId);
    const back = await eventually(
      async () => {
        const f = await getItem(`FRIEND#${citizen.userId}`, 'PROFILE');
        return f?.status === 'active' ? f : undefined;
      },
      10_000,
      'friend active again',
    );
    expect(back.blockedAt).toBeUndefined();
    expect(back.followedAt).toBe(blocked.followedAt);
  });

  it('stores postbacks, images and locations and answers each', async () => {
    const { citizen } = await sim.createCitizen({ displayName: '各種 送信' });
    await sim.waitForReceived(citizen.userId, (m) => m.length === GREETING, 10_000);
    await sim.sendPostback(citizen.userId, 'action=menu');
    await sim.sendLocation(citizen.userId, { address: '熊本県荒尾市宮内出目390', latitude: 32.9868, longitude: 130.4331 });
    await sim.sendImage(citizen.userId, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), 'image/jpeg');
    await sim.waitForReceived(citizen.userId, (m) => m.length === GREETING + 3, 10_000);
    await queueIdle();
    const inbound = (await partition(`FRIEND#${citizen.userId}`)).filter((i) => i.type === 'ConversationEntry' && i.direction === 'in');
    expect(inbound.map((i) => i.kind).sort()).toEqual(['follow', 'image', 'location', 'postback']);
  });

  it('acknowledges LINE’s URL verification and unknown event types', async () => {
    const empty = await sim.postWebhookEvents([]);
    expect(empty.status).toBe(200);
    const unknown = await sim.postWebhookEvents([
      {
        type: 'membership',
        mode: 'active',
        timestamp: Date.now(),
        source: { type: 'user', userId: 'U' + 'a'.repeat(32) },
        webhookEventId: '01JUNKNOWNTYPE000000000000',
        deliveryContext: { isRedelivery: false },
        membership: { type: 'joined' },
      },
    ]);
    expect(unknown.status).toBe(200);
    await eventually(
      async () => (await getItem('WEBHOOK_EVENT#01JUNKNOWNTYPE000000000000', 'LEDGER'))?.status === 'completed',
      10_000,
      'unknown event acknowledged',
    );
  });
});
