import { startHarness, text, uuid, type Harness } from './helpers';

describe('simulator Messaging API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const citizens = async (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await h.client.createCitizen({ displayName: `市民${i}` })).citizen.userId);
    return out;
  };

  it('requires the bearer token and tags every response with x-line-request-id', async () => {
    const res = await fetch(`${h.sim.url}/v2/bot/info`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
    expect(res.headers.get('x-line-request-id')).toBeTruthy();
    const ok = await h.api('GET', '/v2/bot/info');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      userId: expect.stringMatching(/^U[0-9a-f]{32}$/),
      basicId: expect.stringMatching(/^@/),
      displayName: '荒尾市(シミュレーター)',
      chatMode: 'bot',
      markAsReadMode: 'manual',
    });
    expect(ok.headers.get('x-line-request-id')).not.toBe(res.headers.get('x-line-request-id'));
  });

  it('accepts a reply token once; a second use is refused', async () => {
    const [u] = await citizens(1);
    const { event } = await h.client.sendText(u!, 'こんにちは');
    const first = await h.api('POST', '/v2/bot/message/reply', { replyToken: event.replyToken, messages: [text('はい')] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sentMessages: [{ id: expect.any(String), quoteToken: expect.any(String) }] });
    const second = await h.api('POST', '/v2/bot/message/reply', { replyToken: event.replyToken, messages: [text('はい')] });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ message: 'Invalid reply token' });
    const unknown = await h.api('POST', '/v2/bot/message/reply', { replyToken: 'nope', messages: [text('x')] });
    expect(unknown.body).toEqual({ message: 'Invalid reply token' });
    const received = await h.client.received(u!);
    expect(received).toEqual([expect.objectContaining({ source: 'reply', message: text('はい'), requestId: first.headers.get('x-line-request-id') })]);
  });

  it('answers 400 with details for invalid messages', async () => {
    const [u] = await citizens(1);
    const r = await h.api('POST', '/v2/bot/message/push', {
      to: u,
      messages: [text(''), { type: 'image', originalContentUrl: 'http://example.com/a.jpg', previewImageUrl: 'https://example.com/a.jpg' }],
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      message: 'The request body has 2 error(s)',
      details: [
        { message: 'must be specified', property: 'messages[0].text' },
        { message: 'must be non-empty HTTPS URL', property: 'messages[1].originalContentUrl' },
      ],
    });
    expect(await h.client.received(u!)).toEqual([]);
  });

  it('push: unknown users are refused; messages are recorded with the retry key', async () => {
    const [u] = await citizens(1);
    const unknown = await h.api('POST', '/v2/bot/message/push', { to: 'U' + '0'.repeat(32), messages: [text('x')] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ message: 'Failed to send messages' });
    const key = uuid();
    const ok = await h.api(
      'POST',
      '/v2/bot/message/push',
      { to: u, messages: [text('お知らせ')], customAggregationUnits: ['notice_1'] },
      { 'x-line-retry-key': key },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.sentMessages).toHaveLength(1);
    expect(await h.client.received(u!)).toEqual([
      {
        id: ok.body.sentMessages[0].id,
        source: 'push',
        message: text('お知らせ'),
        requestId: ok.headers.get('x-line-request-id'),
        retryKey: key,
        aggregationUnit: 'notice_1',
        sentAt: expect.any(Number),
      },
    ]);
  });

  it('multicast: 1..500 recipients; unknown and blocked users are skipped silently', async () => {
    const [a, b, c] = await citizens(3);
    await h.client.block(c!);
    const tooMany = await h.api('POST', '/v2/bot/message/multicast', { to: Array.from({ length: 501 }, (_, i) => `U${i}`), messages: [text('x')] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details).toEqual([{ message: 'Size must be between 1 and 500', property: 'to' }]);
    const ok = await h.api('POST', '/v2/bot/message/multicast', { to: [a, b, c, 'U' + 'f'.repeat(32)], messages: [text('1'), text('2')] });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({});
    expect((await h.client.received(a!)).map((m) => m.message.text)).toEqual(['1', '2']);
    expect((await h.client.received(b!)).map((m) => m.source)).toEqual(['multicast', 'multicast']);
    expect(await h.client.received(c!)).toEqual([]);
    const stats = await h.client.stats();
    expect(stats).toMatchObject({ deliveredMessages: 4, recipientsDelivered: 2 });
    // LINE counts one message per recipient per request, however many bubbles it holds.
    expect((await h.api('GET', '/v2/bot/message/quota/consumption')).body).toEqual({ totalUsage: 2 });
  });

  it('quota: one message per recipient per request (not bubbles × recipients); replies are free', async () => {
    const people = await citizens(5);
    const usage = async () => (await h.api('GET', '/v2/bot/message/quota/consumption')).body.totalUsage as number;
    const before = await usage();
    const multicast = await h.api('POST', '/v2/bot/message/multicast', { to: people, messages: [text('お知らせ 1/2'), text('お知らせ 2/2')] });
    expect(multicast.status).toBe(200);
    expect(await usage()).toBe(before + 5);
    expect((await h.client.stats()).deliveredMessages).toBe(10); // bubbles delivered: its name's meaning

    const push = await h.api('POST', '/v2/bot/message/push', { to: people[0], messages: [text('a'), text('b'), text('c')] });
    expect(push.status).toBe(200);
    expect(await usage()).toBe(before + 6);
    await h.api('POST', '/v2/bot/message/broadcast', { messages: [text('x'), text('y')] });
    expect(await usage()).toBe(before + 11);

    const { event } = await h.client.sendText(people[1]!, 'こんにちは');
    const reply = await h.api('POST', '/v2/bot/message/reply', { replyToken: event.replyToken, messages: [text('1'), text('2')] });
    expect(reply.status).toBe(200);
    expect(await usage()).toBe(before + 11);
  });

  it('quota enforcement uses the same rule: recipients, not bubbles × recipients', async () => {
    const people = await citizens(5);
    await h.client.setConfig({ quota: { value: 7, enforce: true } });
    // 5 recipients × 2 bubbles = 5 messages of the quota: within 7.
    expect((await h.api('POST', '/v2/bot/message/multicast', { to: people, messages: [text('1'), text('2')] })).status).toBe(200);
    // 2 more fit exactly (5 + 2 = 7) however many bubbles.
    expect((await h.api('POST', '/v2/bot/message/multicast', { to: people.slice(0, 2), messages: [text('1'), text('2'), text('3')] })).status).toBe(200);
    const over = await h.api('POST', '/v2/bot/message/push', { to: people[0], messages: [text('1')] });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: 'You have reached your monthly limit.' });
    // Replies never count and are never refused by the quota.
    const { event } = await h.client.sendText(people[0]!, 'まだ届く？');
    expect((await h.api('POST', '/v2/bot/message/reply', { replyToken: event.replyToken, messages: [text('はい')] })).status).toBe(200);
    expect((await h.api('GET', '/v2/bot/message/quota/consumption')).body).toEqual({ totalUsage: 7 });
  });

  it('broadcast reaches every non-blocked friend', async () => {
    const [a, b] = await citizens(2);
    await h.client.block(b!);
    const r = await h.api('POST', '/v2/bot/message/broadcast', { messages: [text('防災情報')] });
    expect(r.status).toBe(200);
    expect((await h.client.received(a!)).map((m) => m.source)).toEqual(['broadcast']);
    expect(await h.client.received(b!)).toEqual([]);
  });

  it('refuses bodies over 2 MB with 413', async () => {
    const r = await h.api('POST', '/v2/bot/message/push', { to: 'U1', messages: [text('x'.repeat(2 * 1024 * 1024))] });
    expect(r.status).toBe(413);
  });

  describe('X-Line-Retry-Key', () => {
    it('answers 409 with x-line-accepted-request-id for a repeated key', async () => {
      const [u] = await citizens(1);
      const key = uuid();
      const first = await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('一回だけ')] }, { 'x-line-retry-key': key });
      expect(first.status).toBe(200);
      const again = await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('一回だけ')] }, { 'x-line-retry-key': key });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ message: 'The retry key is already accepted' });
      expect(again.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
      expect(await h.client.received(u!)).toHaveLength(1);
      expect((await h.client.stats()).retryKeyConflicts).toBe(1);
    });

    it('returns sentMessages on a repeated push', async () => {
      const [u] = await citizens(1);
      const key = uuid();
      const first = await h.api('POST', '/v2/bot/message/push', { to: u, messages: [text('x')] }, { 'x-line-retry-key': key });
      const again = await h.api('POST', '/v2/bot/message/push', { to: u, messages: [text('x')] }, { 'x-line-retry-key': key });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ message: 'The retry key is already accepted', sentMessages: first.body.sentMessages });
    });

    it('is refused on other endpoints and when not a UUID', async () => {
      const [u] = await citizens(1);
      const { event } = await h.client.sendText(u!, 'x');
      const reply = await h.api('POST', '/v2/bot/message/reply', { replyToken: event.replyToken, messages: [text('x')] }, { 'x-line-retry-key': uuid() });
      expect(reply.status).toBe(400);
      const profile = await h.api('GET', `/v2/bot/profile/${u}`, undefined, { 'x-line-retry-key': uuid() });
      expect(profile.status).toBe(400);
      const notUuid = await h.api('POST', '/v2/bot/message/push', { to: u, messages: [text('x')] }, { 'x-line-retry-key': 'abc' });
      expect(notUuid.status).toBe(400);
      expect(await h.client.received(u!)).toEqual([]);
    });

    it('processes a repeat normally when the first attempt failed', async () => {
      const [u] = await citizens(1);
      const key = uuid();
      await h.client.setFaults({ endpoint: 'multicast', status: 500, when: 'before', count: 1 });
      const failed = await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('x')] }, { 'x-line-retry-key': key });
      expect(failed.status).toBe(500);
      expect(await h.client.received(u!)).toEqual([]);
      const retry = await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('x')] }, { 'x-line-retry-key': key });
      expect(retry.status).toBe(200);
      expect(await h.client.received(u!)).toHaveLength(1);
    });

    it("fault 'after' 500: delivered once; the retry with the same key gets 409", async () => {
      const [u] = await citizens(1);
      const key = uuid();
      await h.client.setFaults({ endpoint: 'multicast', status: 500, when: 'after', count: 1 });
      const lost = await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('重複しない')] }, { 'x-line-retry-key': key });
      expect(lost.status).toBe(500);
      const retry = await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('重複しない')] }, { 'x-line-retry-key': key });
      expect(retry.status).toBe(409);
      expect(retry.headers.get('x-line-accepted-request-id')).toBe(lost.headers.get('x-line-request-id'));
      const got = await h.client.received(u!);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ message: text('重複しない'), retryKey: key });
    });
  });

  describe('fault injection', () => {
    it('applies count, endpoint filter, delay and clears', async () => {
      const [u] = await citizens(1);
      await h.client.setFaults([
        { endpoint: 'push', status: 503, count: 2 },
        { endpoint: 'profile', status: 429 },
      ]);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await h.api('POST', '/v2/bot/message/push', { to: u, messages: [text(String(i))] })).status);
      expect(statuses).toEqual([503, 503, 200]);
      expect((await h.api('GET', `/v2/bot/profile/${u}`)).status).toBe(429);
      await h.client.clearFaults();
      expect((await h.api('GET', `/v2/bot/profile/${u}`)).status).toBe(200);
      await h.client.setFaults({ endpoint: '*', delayMs: 300, count: 1 });
      const t0 = Date.now();
      expect((await h.api('GET', '/v2/bot/info')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
      const bad = await fetch(`${h.sim.url}/sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endpoint: 'push', status: 418 }),
      });
      expect(bad.status).toBe(400);
    });
  });

  it('rate limits multicast with 429 and counts it', async () => {
    const [u] = await citizens(1);
    await h.client.setConfig({ rateLimits: { multicastPerSecond: 3 } });
    const results = await Promise.all(Array.from({ length: 10 }, () => h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('x')] })));
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(3);
    expect(codes.filter((c) => c === 200).length).toBeLessThan(10);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body).toEqual({ message: 'Too many requests' });
    expect((await h.client.stats()).rateLimited).toBe(codes.filter((c) => c === 429).length);
    // other endpoints have their own bucket
    expect((await h.api('GET', '/v2/bot/info')).status).toBe(200);
  });

  it('profile, followers paging and quota', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'Kim', language: 'ko', pictureUrl: 'https://example.com/p.png', statusMessage: '안녕' });
    expect((await h.api('GET', `/v2/bot/profile/${citizen.userId}`)).body).toEqual({
      userId: citizen.userId,
      displayName: 'Kim',
      language: 'ko',
      pictureUrl: 'https://example.com/p.png',
      statusMessage: '안녕',
    });
    expect((await h.api('GET', '/v2/bot/profile/U' + '1'.repeat(32))).status).toBe(404);
    const more = await citizens(4);
    const p1 = await h.api('GET', '/v2/bot/followers/ids?limit=3');
    expect(p1.body.userIds).toEqual([citizen.userId, ...more.slice(0, 2)]);
    const p2 = await h.api('GET', `/v2/bot/followers/ids?limit=3&start=${p1.body.next}`);
    expect(p2.body).toEqual({ userIds: more.slice(2) });
    expect((await h.api('GET', '/v2/bot/followers/ids?limit=1001')).status).toBe(400);
    expect((await h.api('GET', '/v2/bot/message/quota')).body).toEqual({ type: 'limited', value: 200000 });
    await h.client.setConfig({ quota: { value: 500 } });
    expect((await h.api('GET', '/v2/bot/message/quota')).body).toEqual({ type: 'limited', value: 500 });
    expect((await h.api('GET', '/v2/bot/message/0000/content')).status).toBe(404);
  });

  it('rich menus: create, upload, link per user and default, bulk link', async () => {
    const [a, b] = await citizens(2);
    const menu = {
      size: { width: 2500, height: 843 },
      selected: true,
      name: 'main',
      chatBarText: 'メニュー',
      areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: 'postback', data: 'menu=1' } }],
    };
    expect((await h.api('POST', '/v2/bot/richmenu', { ...menu, chatBarText: 'x'.repeat(15) })).status).toBe(400);
    const created = await h.api('POST', '/v2/bot/richmenu', menu);
    expect(created.body.richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    const id = created.body.richMenuId as string;
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    expect((await h.api('POST', `/v2/bot/richmenu/${id}/content`, png, { 'content-type': 'image/png' })).status).toBe(200);
    const img = await fetch(`${h.sim.url}/v2/bot/richmenu/${id}/content`, { headers: { authorization: 'Bearer test-access-token' } });
    expect(Buffer.from(await img.arrayBuffer())).toEqual(png);
    expect((await h.api('POST', `/v2/bot/richmenu/${id}/content`, Buffer.alloc(1024 * 1024 + 1), { 'content-type': 'image/png' })).status).toBe(413);
    expect((await h.api('GET', '/v2/bot/richmenu/list')).body.richmenus).toEqual([{ richMenuId: id, ...menu }]);
    expect((await h.api('POST', `/v2/bot/user/${a}/richmenu/${id}`)).status).toBe(200);
    expect((await h.api('GET', `/v2/bot/user/${a}/richmenu`)).body).toEqual({ richMenuId: id });
    expect((await h.api('DELETE', `/v2/bot/user/${a}/richmenu`)).status).toBe(200);
    expect((await h.api('GET', `/v2/bot/user/${a}/richmenu`)).status).toBe(404);
    expect((await h.api('POST', `/v2/bot/user/all/richmenu/${id}`)).status).toBe(200);
    expect((await h.api('GET', '/v2/bot/user/all/richmenu')).body).toEqual({ richMenuId: id });
    const bulk = await h.api('POST', '/v2/bot/richmenu/bulk/link', { richMenuId: id, userIds: [a, b] });
    expect(bulk.status).toBe(202);
    expect((await h.api('GET', `/v2/bot/user/${b}/richmenu`)).body).toEqual({ richMenuId: id });
    expect((await h.api('POST', '/v2/bot/richmenu/bulk/link', { richMenuId: id, userIds: Array(501).fill(a) })).status).toBe(400);
    expect((await h.api('DELETE', `/v2/bot/richmenu/${id}`)).status).toBe(200);
    expect((await h.api('GET', `/v2/bot/richmenu/${id}`)).status).toBe(404);
    expect((await h.api('GET', '/v2/bot/user/all/richmenu')).status).toBe(404);
  });

  it('bulk-creates friends for benchmarks without webhooks', async () => {
    const { userIds, webhooks } = await h.client.createCitizens({ count: 1200, languages: ['ja', 'en'] });
    expect(userIds).toHaveLength(1200);
    expect(webhooks).toBe(0);
    expect(h.webhook.received).toHaveLength(0);
    const first = await h.api('GET', '/v2/bot/followers/ids');
    expect(first.body.userIds).toEqual(userIds.slice(0, 1000));
    expect((await h.api('GET', `/v2/bot/followers/ids?start=${first.body.next}`)).body).toEqual({ userIds: userIds.slice(1000) });
    expect((await h.client.getCitizen(userIds[1]!)).language).toBe('en');
  });

  it('logs requests in /sim/requests and counts them in /sim/stats', async () => {
    const [u] = await citizens(1);
    const key = uuid();
    await h.api('POST', '/v2/bot/message/multicast', { to: [u], messages: [text('x')] }, { 'x-line-retry-key': key });
    const log = await h.client.requests({ endpoint: 'multicast' });
    expect(log).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v2/bot/message/multicast', endpoint: 'multicast', status: 200, retryKey: key, recipients: 1 }),
    ]);
    expect((await h.client.stats()).requests.multicast).toEqual({ count: 1, byStatus: { 200: 1 } });
    await h.client.reset();
    expect(await h.client.listCitizens()).toEqual([]);
    expect((await h.client.stats()).requests).toEqual({});
  });
});

describe('reply token expiry', () => {
  it('refuses tokens older than replyTokenTtlMs (injectable clock)', async () => {
    let now = Date.UTC(2026, 10, 1);
    const h = await startHarness({ now: () => now, replyTokenTtlMs: 60_000 });
    try {
      const { citizen } = await h.client.createCitizen({ displayName: 'x' });
      const a = await h.client.sendText(citizen.userId, 'a');
      const b = await h.client.sendText(citizen.userId, 'b');
      now += 59_999;
      expect((await h.api('POST', '/v2/bot/message/reply', { replyToken: a.event.replyToken, messages: [text('ok')] })).status).toBe(200);
      now += 1;
      expect((await h.api('POST', '/v2/bot/message/reply', { replyToken: b.event.replyToken, messages: [text('late')] })).body).toEqual({
        message: 'Invalid reply token',
      });
    } finally {
      await h.close();
    }
  });
});
