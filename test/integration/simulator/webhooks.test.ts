import { validateSignature } from '@line/bot-sdk';
import { ACCESS_TOKEN, CHANNEL_SECRET, startHarness, waitFor, type Harness } from './helpers';

describe('simulator webhooks', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends a signed follow event when a citizen is created', async () => {
    const { citizen, webhook } = await h.client.createCitizen({ displayName: '荒尾 花子', language: 'en' });
    expect(citizen.userId).toMatch(/^U[0-9a-f]{32}$/);
    expect(webhook?.status).toBe(200);
    const got = await waitFor(() => h.webhook.received[0], 3000, 'follow webhook');
    expect(got.contentType).toBe('application/json');
    expect(got.signature).toBeDefined();
    expect(validateSignature(got.rawBody, CHANNEL_SECRET, got.signature!)).toBe(true);
    expect(validateSignature(got.rawBody, 'wrong-secret', got.signature!)).toBe(false);
    const info = await h.api('GET', '/v2/bot/info');
    expect(got.body.destination).toBe(info.body.userId);
    const [event] = got.body.events;
    expect(event).toEqual({
      type: 'follow',
      mode: 'active',
      timestamp: expect.any(Number),
      source: { type: 'user', userId: citizen.userId },
      webhookEventId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      deliveryContext: { isRedelivery: false },
      replyToken: expect.any(String),
      follow: { isUnblocked: false },
    });
  });

  it('sends message events for text, image, location and sticker, and postback events', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'A' });
    const u = citizen.userId;
    const t = await h.client.sendText(u, 'ごみの日はいつ？');
    expect(t.webhook.status).toBe(200);
    expect(t.event).toMatchObject({
      type: 'message',
      replyToken: expect.any(String),
      message: { type: 'text', text: 'ごみの日はいつ？', id: expect.any(String), quoteToken: expect.any(String), markAsReadToken: expect.any(String) },
    });

    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const img = await h.client.sendImage(u, png, 'image/png');
    expect(img.event.message).toEqual({
      id: expect.any(String),
      type: 'image',
      quoteToken: expect.any(String),
      markAsReadToken: expect.any(String),
      contentProvider: { type: 'line' },
    });
    const content = await fetch(`${h.sim.url}/v2/bot/message/${(img.event.message as { id: string }).id}/content`, {
      headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer())).toEqual(png);

    const loc = await h.client.sendLocation(u, { title: '荒尾市役所', address: '熊本県荒尾市宮内出目390', latitude: 32.98687, longitude: 130.43337 });
    expect(loc.event.message).toEqual({
      id: expect.any(String),
      type: 'location',
      markAsReadToken: expect.any(String),
      title: '荒尾市役所',
      address: '熊本県荒尾市宮内出目390',
      latitude: 32.98687,
      longitude: 130.43337,
    });

    const st = await h.client.sendSticker(u, '446', '1988');
    expect(st.event.message).toMatchObject({ type: 'sticker', packageId: '446', stickerId: '1988', markAsReadToken: expect.any(String) });

    const pb = await h.client.sendPostback(u, 'action=reserve&slot=3', { displayText: '予約する', params: { date: '2026-12-01' } });
    expect(pb.event).toMatchObject({
      type: 'postback',
      postback: { data: 'action=reserve&slot=3', params: { date: '2026-12-01' } },
      replyToken: expect.any(String),
    });

    const types = (await waitFor(() => h.webhook.events().length >= 6 && h.webhook.events(), 3000)).map((e) => e.type);
    expect(types).toEqual(['follow', 'message', 'message', 'message', 'message', 'postback']);
    for (const r of h.webhook.received) expect(validateSignature(r.rawBody, CHANNEL_SECRET, r.signature!)).toBe(true);
  });

  it('sends unfollow on block and follow{isUnblocked:true} on unblock; blocked citizens are not friends', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'B' });
    const blocked = await h.client.block(citizen.userId);
    expect(blocked.event).toMatchObject({ type: 'unfollow', source: { userId: citizen.userId } });
    expect(blocked.event.replyToken).toBeUndefined();
    expect((await h.api('GET', `/v2/bot/profile/${citizen.userId}`)).status).toBe(404);
    expect((await h.api('GET', '/v2/bot/followers/ids')).body.userIds).toEqual([]);
    const un = await h.client.unblock(citizen.userId);
    expect(un.event).toMatchObject({ type: 'follow', follow: { isUnblocked: true } });
    expect((await h.api('GET', '/v2/bot/followers/ids')).body.userIds).toEqual([citizen.userId]);
  });

  it('records failed deliveries and redelivers the identical event on request', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'C' });
    h.webhook.status = 500;
    const sent = await h.client.sendText(citizen.userId, 'hello');
    expect(sent.webhook).toMatchObject({ status: 500, ok: false });
    h.webhook.status = 200;
    const r = await h.client.redeliver(sent.event.webhookEventId);
    expect(r.status).toBe(200);
    const events = h.webhook.events().filter((e) => e.webhookEventId === sent.event.webhookEventId);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({ ...events[0], deliveryContext: { isRedelivery: true } });
    expect((await h.client.stats()).webhooks).toEqual({ sent: 3, failed: 1 });
    // the redelivered token is still usable once
    const reply = await h.api('POST', '/v2/bot/message/reply', { replyToken: sent.event.replyToken, messages: [{ type: 'text', text: 'ok' }] });
    expect(reply.status).toBe(200);
  });

  it('times out slow webhooks after 2 s', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'D' });
    h.webhook.delayMs = 2500;
    const sent = await h.client.sendText(citizen.userId, 'slow');
    expect(sent.webhook).toMatchObject({ status: null, ok: false, error: 'request_timeout' });
  });

  it('posts raw events, signed or not, for tamper tests', async () => {
    const events = [{ type: 'someFutureEvent', mode: 'active', timestamp: Date.now(), webhookEventId: '01J00000000000000000000000' }];
    await h.client.postWebhookEvents(events);
    await h.client.postWebhookEvents(events, { sign: false });
    await h.client.postWebhookEvents(events, { signature: 'bogus' });
    await h.client.postWebhookEvents([]);
    const got = await waitFor(() => h.webhook.received.length >= 4 && h.webhook.received, 3000);
    expect(validateSignature(got[0]!.rawBody, CHANNEL_SECRET, got[0]!.signature!)).toBe(true);
    expect(got[1]!.signature).toBeUndefined();
    expect(got[2]!.signature).toBe('bogus');
    expect(got[3]!.body.events).toEqual([]);
  });
});

describe('automatic webhook redelivery', () => {
  it('resends a failed event with isRedelivery=true, same webhookEventId and replyToken', async () => {
    const h = await startHarness({ webhookRedelivery: true });
    try {
      const { citizen } = await h.client.createCitizen({ displayName: 'E' });
      h.webhook.status = 503;
      const sent = await h.client.sendText(citizen.userId, 'retry me');
      h.webhook.status = 200;
      const again = await waitFor(
        () => h.webhook.events().find((e) => e.webhookEventId === sent.event.webhookEventId && e.deliveryContext.isRedelivery),
        5000,
        'redelivery',
      );
      expect(again.replyToken).toBe(sent.event.replyToken);
      expect(again.message).toEqual(sent.event.message);
    } finally {
      await h.close();
    }
  });
});
