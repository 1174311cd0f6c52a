/** Several images chosen at once (docs/line-simulator.md): one image message event per image, with LINE's imageSet. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLineSimulator, type LineSimulator } from '../../../simulator/index';
import { LineSimulatorClient, LineSimulatorError, type SimEvent } from '../../../simulator/client';
import type { ConversationItem } from '../../../simulator/views';

const ACCESS_TOKEN = 'unit-access-token';
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
type ImageMessage = { id: string; type: string; quoteToken?: string; markAsReadToken?: string; contentProvider?: unknown; imageSet?: unknown };
const messageOf = (e: SimEvent) => e.message as ImageMessage;

describe('simulator: several images at once (type images)', () => {
  let sim: LineSimulator;
  let client: LineSimulatorClient;
  let webhook: Server;
  /** The bodies the webhook received, in order. */
  let posts: { events: SimEvent[] }[];

  beforeEach(async () => {
    posts = [];
    webhook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: SimEvent[] });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhook`;
    sim = await startLineSimulator({ host: '127.0.0.1', port: 0, channelSecret: 's', channelAccessToken: ACCESS_TOKEN, loginChannelId: '1', webhookUrl });
    client = new LineSimulatorClient(sim.url);
  });
  afterEach(async () => {
    await sim.close();
    await new Promise((r) => webhook.close(r));
  });

  const friend = async (name: string) => {
    const { citizen } = await client.createCitizen({ displayName: name });
    posts = []; // the follow
    return citizen.userId;
  };
  const conversation = async (userId: string) =>
    ((await (await fetch(`${sim.url}/sim/citizens/${userId}/conversation`)).json()) as ConversationItem[]).filter((i) => i.from === 'citizen');
  const content = async (messageId: string) => {
    const res = await fetch(`${sim.url}/v2/bot/message/${messageId}/content`, { headers: { authorization: `Bearer ${ACCESS_TOKEN}` } });
    return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  it('sends one image message event per image, index 1..N of one set (same id and total), in one webhook request', async () => {
    const u = await friend('写真 三枚');
    const images = [
      { content: PNG, contentType: 'image/png' },
      { content: Buffer.from('ffd8ffe0', 'hex') },
      { content: Buffer.from('GIF89a'), contentType: 'image/gif' },
    ];
    const r = await client.sendImages(u, images);

    expect(r.webhook).toMatchObject({ status: 200, ok: true });
    expect(r.events).toHaveLength(3);
    expect(r.event).toEqual(r.events[0]);
    const messages = r.events.map(messageOf);
    const setId = (messages[0]!.imageSet as { id: string }).id;
    expect(setId).toMatch(/^[0-9A-F]{64}$/);
    expect(messages.map((m) => m.imageSet)).toEqual([
      { id: setId, index: 1, total: 3 },
      { id: setId, index: 2, total: 3 },
      { id: setId, index: 3, total: 3 },
    ]);
    for (const [i, e] of r.events.entries()) {
      expect(e).toMatchObject({ type: 'message', source: { type: 'user', userId: u }, replyToken: expect.any(String) });
      expect(messages[i]).toMatchObject({ type: 'image', contentProvider: { type: 'line' }, quoteToken: expect.any(String) });
      expect(messages[i]!.markAsReadToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
    // Each image its own message, event, reply token and read token.
    for (const pick of [
      (e: SimEvent) => messageOf(e).id,
      (e: SimEvent) => e.webhookEventId,
      (e: SimEvent) => e.replyToken,
      (e: SimEvent) => messageOf(e).markAsReadToken,
    ])
      expect(new Set(r.events.map(pick)).size).toBe(3);

    // One webhook request carrying the whole set, in index order.
    expect(posts).toHaveLength(1);
    expect(posts[0]!.events).toEqual(r.events);

    // Each image's content under its own message id.
    expect(await content(messages[0]!.id)).toEqual({ type: 'image/png', bytes: PNG });
    expect(await content(messages[1]!.id)).toEqual({ type: 'image/jpeg', bytes: Buffer.from('ffd8ffe0', 'hex') });
    expect(await content(messages[2]!.id)).toEqual({ type: 'image/gif', bytes: Buffer.from('GIF89a') });

    // The timeline: three image lines.
    const lines = await conversation(u);
    expect(lines.map((l) => [l.id, l.from === 'citizen' && l.kind, l.message.contentUrl])).toEqual(
      messages.map((m) => [m.id, 'image', `/sim/content/${m.id}`]),
    );

    // Another set gets another id.
    const again = await client.sendImages(u, [{ content: PNG }, { content: PNG }]);
    const next = again.events.map((e) => messageOf(e).imageSet as { id: string; index: number; total: number });
    expect(next.map((s) => [s.index, s.total])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(next[0]!.id).toBe(next[1]!.id);
    expect(next[0]!.id).not.toBe(setId);
  });

  it('a single image has no imageSet, as before', async () => {
    const u = await friend('写真 一枚');
    const r = await client.sendImage(u, PNG, 'image/png');
    expect(messageOf(r.event)).toMatchObject({ type: 'image', contentProvider: { type: 'line' } });
    expect('imageSet' in messageOf(r.event)).toBe(false);
    expect('events' in r).toBe(false);
    expect(posts.map((p) => p.events.length)).toEqual([1]);
  });

  it('accepts up to 20 images', async () => {
    const u = await friend('写真 二十枚');
    const r = await client.sendImages(
      u,
      Array.from({ length: 20 }, () => ({ content: PNG })),
    );
    expect(r.events.map((e) => (messageOf(e).imageSet as { index: number }).index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(posts[0]!.events).toHaveLength(20);
  });

  it('refuses a set of fewer than 2 or more than 20 images, or any bad image, and then stores and sends nothing', async () => {
    const u = await friend('写真 だめ');
    const send = async (body: unknown) => {
      const res = await fetch(`${sim.url}/sim/citizens/${u}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error?: string } };
    };
    const b64 = PNG.toString('base64');
    const tooMany = { type: 'images', images: Array.from({ length: 21 }, () => ({ contentBase64: b64 })) };
    expect(await send({ type: 'images', images: [{ contentBase64: b64 }] })).toEqual({
      status: 400,
      body: { error: 'images must be an array of 2 to 20 images' },
    });
    expect(await send(tooMany)).toEqual({ status: 400, body: { error: 'images must be an array of 2 to 20 images' } });
    expect((await send({ type: 'images' })).status).toBe(400);
    expect((await send({ type: 'images', images: { contentBase64: b64 } })).status).toBe(400);
    expect(await send({ type: 'images', images: [{ contentBase64: b64 }, 'x'] })).toEqual({ status: 400, body: { error: 'images[1] must be an object' } });
    expect(await send({ type: 'images', images: [{ contentBase64: b64 }, {}] })).toEqual({
      status: 400,
      body: { error: 'images[1].contentBase64 is required' },
    });
    const big = Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64');
    expect(await send({ type: 'images', images: [{ contentBase64: b64 }, { contentBase64: big }] })).toEqual({
      status: 400,
      body: { error: 'images[1]: image must be 1 byte to 10 MB' },
    });
    // The single image's errors are as before.
    expect(await send({ type: 'image' })).toEqual({ status: 400, body: { error: 'contentBase64 is required' } });

    expect(await conversation(u)).toEqual([]);
    expect(posts).toEqual([]);
    await expect(client.sendImages(u, [{ content: PNG }])).rejects.toBeInstanceOf(LineSimulatorError);
  });
});
