import { messagingApi } from '@line/bot-sdk';
import { ACCESS_TOKEN, LOGIN_CHANNEL_ID, startHarness, text, uuid, type Harness } from './helpers';
import { tokyoDayKey } from '../../../simulator/time';

describe('statistics (insight) with the privacy threshold', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ webhookUrl: undefined });
  });
  afterAll(async () => {
    await h.close();
  });

  it('per custom aggregation unit: values under 20 are null, opens counted from 20', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await h.client.createCitizen({ displayName: `u${i}` })).citizen.userId);
    const r = await h.api('POST', '/v2/bot/message/multicast', { to: ids, messages: [text('a'), text('b')], customAggregationUnits: ['garbage_nov'] });
    expect(r.status).toBe(200);
    const today = tokyoDayKey(Date.now());
    const q = `/v2/bot/insight/message/event/aggregation?customAggregationUnit=garbage_nov&from=${today}&to=${today}`;

    for (const u of ids.slice(0, 19)) await h.client.markOpened({ userId: u });
    let stats = await h.api('GET', q);
    expect(stats.status).toBe(200);
    expect(stats.body.overview).toEqual({ uniqueImpression: null, uniqueClick: null, uniqueMediaPlayed: null, uniqueMediaPlayed100Percent: null });
    expect(stats.body.messages).toHaveLength(2);
    expect(stats.body.messages[0]).toMatchObject({ seq: 1, impression: null, uniqueImpression: null });

    for (const u of ids.slice(19, 22)) await h.client.markOpened({ userId: u, requestId: r.headers.get('x-line-request-id')! });
    stats = await h.api('GET', q);
    expect(stats.body.overview.uniqueImpression).toBe(22);
    expect(stats.body.messages[1]).toMatchObject({ seq: 2, impression: 22, uniqueImpression: 22 });
    expect(stats.body.clicks).toEqual([]);

    expect((await h.client.received(ids[0]!))[0]!.openedAt).toEqual(expect.any(Number));
    expect((await h.client.received(ids[24]!))[0]!.openedAt).toBeUndefined();
    expect((await h.api('GET', '/v2/bot/message/aggregation/info')).body).toEqual({ numOfCustomAggregationUnits: 1 });
    expect((await h.api('GET', '/v2/bot/message/aggregation/list')).body).toEqual({ customAggregationUnits: ['garbage_nov'] });
  });

  it('validates the aggregation query (yyyyMMdd, at most 30 days)', async () => {
    const base = '/v2/bot/insight/message/event/aggregation?customAggregationUnit=x';
    expect((await h.api('GET', `${base}&from=20261101&to=20261201`)).status).toBe(200);
    expect((await h.api('GET', `${base}&from=20261101&to=20261202`)).status).toBe(400);
    expect((await h.api('GET', `${base}&from=2026-11-01&to=20261102`)).status).toBe(400);
    expect((await h.api('GET', `${base}&from=20261105&to=20261101`)).status).toBe(400);
    expect((await h.api('GET', '/v2/bot/insight/message/event/aggregation?from=20261101&to=20261101')).status).toBe(400);
  });

  it('per broadcast request id', async () => {
    await h.client.reset();
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) ids.push((await h.client.createCitizen({ displayName: `b${i}` })).citizen.userId);
    const r = await h.api('POST', '/v2/bot/message/broadcast', { messages: [text('防災')] }, { 'x-line-retry-key': uuid() });
    const requestId = r.headers.get('x-line-request-id')!;
    let stats = await h.api('GET', `/v2/bot/insight/message/event?requestId=${requestId}`);
    expect(stats.body.overview).toEqual({
      requestId,
      timestamp: expect.any(Number),
      delivered: 21,
      uniqueImpression: null,
      uniqueClick: null,
      uniqueMediaPlayed: null,
      uniqueMediaPlayed100Percent: null,
    });
    for (const u of ids.slice(0, 20)) await h.client.markOpened({ userId: u });
    for (const u of ids) await h.client.markClicked({ userId: u, requestId, url: 'https://www.city.arao.lg.jp/' });
    stats = await h.api('GET', `/v2/bot/insight/message/event?requestId=${requestId}`);
    expect(stats.body.overview).toMatchObject({ uniqueImpression: 21, uniqueClick: 21 });
    expect(stats.body.clicks).toEqual([{ seq: 1, url: 'https://www.city.arao.lg.jp/', click: 21, uniqueClick: 21, uniqueClickOfRequest: 21 }]);
  });
});

describe('POST /oauth2/v2.1/verify (LIFF ID token)', () => {
  let h: Harness;
  let userId: string;
  beforeAll(async () => {
    h = await startHarness({ webhookUrl: undefined });
    userId = (await h.client.createCitizen({ displayName: '荒尾 太郎', pictureUrl: 'https://example.com/t.png' })).citizen.userId;
  });
  afterAll(async () => {
    await h.close();
  });

  const verify = (form: Record<string, string>) =>
    h.api('POST', '/oauth2/v2.1/verify', new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', authorization: '' });

  it('returns the payload for a valid token', async () => {
    const { idToken } = await h.client.issueIdToken({ userId, nonce: 'abc' });
    const r = await verify({ id_token: idToken, client_id: LOGIN_CHANNEL_ID, nonce: 'abc', user_id: userId });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      iss: 'https://access.line.me',
      sub: userId,
      aud: LOGIN_CHANNEL_ID,
      exp: expect.any(Number),
      iat: expect.any(Number),
      nonce: 'abc',
      amr: ['linesso'],
      name: '荒尾 太郎',
      picture: 'https://example.com/t.png',
    });
    expect(r.body.exp - r.body.iat).toBe(3600);
  });

  it.each([
    ['a malformed token', async () => ({ id_token: 'x.y.z', client_id: LOGIN_CHANNEL_ID }), 'Invalid IdToken.'],
    ['a missing token', async () => ({ client_id: LOGIN_CHANNEL_ID }), 'Invalid IdToken.'],
    [
      'a foreign issuer',
      async () => ({ id_token: (await h.client.issueIdToken({ userId, issuer: 'https://evil.example' })).idToken, client_id: LOGIN_CHANNEL_ID }),
      'Invalid IdToken Issuer.',
    ],
    [
      'an expired token',
      async () => ({ id_token: (await h.client.issueIdToken({ userId, expiresInSec: -5 })).idToken, client_id: LOGIN_CHANNEL_ID }),
      'IdToken expired.',
    ],
    ['another channel', async () => ({ id_token: (await h.client.issueIdToken({ userId })).idToken, client_id: '999' }), 'Invalid IdToken Audience.'],
    [
      'a wrong nonce',
      async () => ({ id_token: (await h.client.issueIdToken({ userId, nonce: 'abc' })).idToken, client_id: LOGIN_CHANNEL_ID, nonce: 'zzz' }),
      'Invalid IdToken Nonce.',
    ],
    [
      'another user',
      async () => ({ id_token: (await h.client.issueIdToken({ userId })).idToken, client_id: LOGIN_CHANNEL_ID, user_id: 'U' + '0'.repeat(32) }),
      'Invalid IdToken Subject Identifier.',
    ],
  ])('answers 400 for %s', async (_n, form, description) => {
    const r = await verify(await form());
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_request', error_description: description });
  });
});

describe('@line/bot-sdk compatibility', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('pushMessage with a retry key, multicast and getProfile work through the official SDK', async () => {
    const { citizen } = await h.client.createCitizen({ displayName: 'SDK 市民', language: 'zh-Hant' });
    const other = (await h.client.createCitizen({ displayName: 'SDK 2' })).citizen;
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: ACCESS_TOKEN, baseURL: h.sim.url });
    const key = uuid();
    const pushed = await client.pushMessageWithHttpInfo({ to: citizen.userId, messages: [{ type: 'text', text: 'SDK から' }] }, key);
    expect(pushed.httpResponse.status).toBe(200);
    expect(pushed.body.sentMessages).toHaveLength(1);
    const requestId = pushed.httpResponse.headers.get('x-line-request-id');

    const dup = await client.pushMessage({ to: citizen.userId, messages: [{ type: 'text', text: 'SDK から' }] }, key).catch((e: unknown) => e);
    expect(dup).toMatchObject({ status: 409 });
    expect((dup as { headers: Headers }).headers.get('x-line-accepted-request-id')).toBe(requestId);

    await client.multicast(
      { to: [citizen.userId, other.userId], messages: [{ type: 'text', text: 'みなさんへ' }], customAggregationUnits: ['sdk_test'] },
      uuid(),
    );
    expect((await h.client.received(other.userId)).map((m) => m.message.text)).toEqual(['みなさんへ']);
    expect((await h.client.received(citizen.userId)).map((m) => m.message.text)).toEqual(['SDK から', 'みなさんへ']);

    const profile = await client.getProfile(citizen.userId);
    expect(profile).toMatchObject({ userId: citizen.userId, displayName: 'SDK 市民', language: 'zh-Hant' });
    await expect(client.getProfile('U' + '9'.repeat(32))).rejects.toMatchObject({ status: 404 });

    const bad = new messagingApi.MessagingApiClient({ channelAccessToken: 'nope', baseURL: h.sim.url });
    await expect(bad.getBotInfo()).rejects.toMatchObject({ status: 401 });
    expect((await client.getMessageQuota()).value).toBe(200000);
  });
});
