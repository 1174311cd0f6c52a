/** The simulator's chat helpers (docs/line-simulator.md): markAsReadToken on message events, POST /v2/bot/chat/markAsRead, loading/start. */
import { startLineSimulator, type LineSimulator } from '../../../simulator/index';
import { LineSimulatorClient } from '../../../simulator/client';
import type { ConversationItem, StreamEvent } from '../../../simulator/views';

const ACCESS_TOKEN = 'unit-access-token';

describe('simulator chat helpers: mark as read', () => {
  let sim: LineSimulator;
  let client: LineSimulatorClient;
  beforeEach(async () => {
    // No webhook URL: the events are still built and answered to the caller.
    sim = await startLineSimulator({ host: '127.0.0.1', port: 0, channelSecret: 's', channelAccessToken: ACCESS_TOKEN, loginChannelId: '1' });
    client = new LineSimulatorClient(sim.url);
  });
  afterEach(() => sim.close());

  const api = async (path: string, body: unknown, token = ACCESS_TOKEN) => {
    const res = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const markAsRead = (body: unknown) => api('/v2/bot/chat/markAsRead', body);
  const tokenOf = (event: Record<string, unknown>) => (event.message as { markAsReadToken?: string }).markAsReadToken;
  const conversation = async (userId: string) =>
    ((await (await fetch(`${sim.url}/sim/citizens/${userId}/conversation`)).json()) as ConversationItem[]).filter((i) => i.from === 'citizen');
  const friend = async (name: string) => (await client.createCitizen({ displayName: name })).citizen.userId;

  /** Collects /sim/stream's events until `stop()`. */
  async function listen(): Promise<{ events: StreamEvent[]; stop: () => Promise<void> }> {
    const ac = new AbortController();
    const res = await fetch(`${sim.url}/sim/stream`, { signal: ac.signal });
    const reader = res.body!.getReader();
    const events: StreamEvent[] = [];
    let buf = '';
    const pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += Buffer.from(value).toString('utf8');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const chunk = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (chunk.startsWith('data: ')) events.push(JSON.parse(chunk.slice(6)) as StreamEvent);
          }
        }
      } catch {
        /* aborted */
      }
    })();
    return {
      events,
      stop: async () => {
        ac.abort();
        await pump;
      },
    };
  }

  it('gives every message event (text, image, location, sticker) its own markAsReadToken; a postback has none', async () => {
    const u = await friend('トークン');
    const events = [
      (await client.sendText(u, 'こんにちは')).event,
      (await client.sendImage(u, Buffer.from('89504e470d0a1a0a', 'hex'), 'image/png')).event,
      (await client.sendLocation(u, { address: '熊本県荒尾市宮内出目390', latitude: 32.98687, longitude: 130.43337 })).event,
      (await client.sendSticker(u, '446', '1988')).event,
    ];
    const tokens = events.map(tokenOf);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(4);
    const pb = await client.sendPostback(u, 'action=a', { displayText: '選ぶ' });
    expect(JSON.stringify(pb.event)).not.toContain('markAsReadToken');
  });

  it('marks the message and every earlier one of the citizen read, not later ones nor other citizens', async () => {
    const u = await friend('既読 太郎');
    const other = await friend('他の 市民');
    const otherToken = tokenOf((await client.sendText(other, '別の人')).event);
    await client.sendText(u, '1');
    await client.sendPostback(u, 'action=a', { displayText: '2' }); // no token of its own: read with later ones
    const third = tokenOf((await client.sendText(u, '3')).event);
    await client.sendText(u, '4');
    expect((await conversation(u)).map((i) => i.from === 'citizen' && i.read)).toEqual([undefined, undefined, undefined, undefined]);

    const stream = await listen();
    expect(await markAsRead({ markAsReadToken: third })).toEqual({ status: 200, body: {} });
    const read = (await conversation(u)).map((i) => [i.message.text, i.from === 'citizen' && i.read === true]);
    expect(read).toEqual([
      ['1', true],
      ['2', true],
      ['3', true],
      ['4', false],
    ]);
    expect((await conversation(other)).map((i) => i.from === 'citizen' && i.read)).toEqual([undefined]);
    // The phone page reloads the timeline on this event.
    const deadline = Date.now() + 3000;
    while (!stream.events.some((e) => e.type === 'read') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await stream.stop();
    expect(stream.events.filter((e) => e.type === 'read')).toEqual([{ type: 'read', userId: u }]);

    // No expiry: the same or an older token again is fine and changes nothing.
    expect((await markAsRead({ markAsReadToken: third })).status).toBe(200);
    expect((await markAsRead({ markAsReadToken: otherToken })).status).toBe(200);
    expect((await conversation(other)).map((i) => i.from === 'citizen' && i.read)).toEqual([true]);
  });

  it('refuses an unknown token, a bad body and a wrong access token', async () => {
    const u = await friend('エラー');
    const token = tokenOf((await client.sendText(u, 'x')).event)!;
    expect(await markAsRead({ markAsReadToken: `${token}x` })).toEqual({ status: 400, body: { message: 'Invalid markAsReadToken' } });
    const detail = (message: string) => ({
      status: 400,
      body: { message: 'The request body has 1 error(s)', details: [{ message, property: 'markAsReadToken' }] },
    });
    expect(await markAsRead({})).toEqual(detail('must be specified'));
    expect(await markAsRead({ markAsReadToken: '' })).toEqual(detail('must be specified'));
    expect(await markAsRead([token])).toEqual(detail('must be specified'));
    expect(await markAsRead({ markAsReadToken: 42 })).toEqual(detail('must be a string'));
    expect(await markAsRead({ markAsReadToken: 'a'.repeat(513) })).toEqual(detail('Length must be between 1 and 512'));
    expect((await markAsRead('{not json')).status).toBe(400);
    expect((await api('/v2/bot/chat/markAsRead', { markAsReadToken: token }, 'wrong')).status).toBe(401);
    expect((await conversation(u)).map((i) => i.from === 'citizen' && i.read)).toEqual([undefined]);
  });

  it('accepts the loading indicator for 5..60 s in steps of 5 (202), else 400', async () => {
    const u = await friend('読み込み');
    expect(await api('/v2/bot/chat/loading/start', { chatId: u, loadingSeconds: 5 })).toEqual({ status: 202, body: {} });
    expect((await api('/v2/bot/chat/loading/start', { chatId: u, loadingSeconds: 60 })).status).toBe(202);
    expect((await api('/v2/bot/chat/loading/start', { chatId: u })).status).toBe(202); // LINE's default, 20 s
    for (const loadingSeconds of [0, 3, 7, 65, 12.5, '10']) {
      const r = await api('/v2/bot/chat/loading/start', { chatId: u, loadingSeconds });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ message: expect.any(String), property: 'loadingSeconds' }]);
    }
    expect((await api('/v2/bot/chat/loading/start', { loadingSeconds: 10 })).body.details).toEqual([{ message: 'must be specified', property: 'chatId' }]);
  });
});
