/**
 * The friends list and a friend's page through the admin API on the local runtime: a citizen who
 * wrote text and sent a photo in the simulator is found by name (as typed: ｶﾅ, spaces), their
 * conversation (in and out) reads newest first, the photo is fetched from LINE (the simulator),
 * and the list's bounded read goes on with its sealed cursor on DynamoDB Local.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const tag = Date.now().toString(36);
/** A tiny JPEG (SOI, APP0, EOI), enough for LINE's content endpoint. */
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

it('finds a citizen by name and shows what they said, what the account answered and their photo', async () => {
  const { citizen } = await sim.createCitizen({ displayName: `アラオ ハナコ${tag}`, language: 'ja' });
  await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend stored');
  await sim.sendText(citizen.userId, `道路に穴があいています ${tag}\n場所は駅の前です`);
  const image = await sim.sendImage(citizen.userId, JPEG, 'image/jpeg');
  const messageId = String((image.event as { message?: { id?: string } }).message?.id);
  await sim.waitForReceived(citizen.userId, (m) => m.length >= 4, 10_000); // greeting (2) + two answers

  const found = await eventually(
    async () => {
      const res = await admin.call('GET', '/friends', undefined, { query: { q: `ｱﾗｵ ﾊﾅｺ${tag}` } });
      return res.body.items?.length ? res : undefined;
    },
    10_000,
    'friend listed',
  );
  expect(found.body.items.map((f: { userId: string }) => f.userId)).toEqual([citizen.userId]);
  expect(found.body.items[0]).toMatchObject({ displayName: `アラオ ハナコ${tag}`, status: 'active', language: 'ja' });

  const page = await admin.call('GET', `/friends/${citizen.userId}`);
  expect(page.status).toBe(200);
  expect(page.body.friend.userId).toBe(citizen.userId);

  const talk = await eventually(
    async () => {
      const res = await admin.call('GET', `/friends/${citizen.userId}/messages`);
      return res.body.items?.length >= 5 ? res.body : undefined;
    },
    10_000,
    'conversation stored',
  );
  const kinds = talk.items.map((e: { direction: string; kind: string }) => `${e.direction} ${e.kind}`);
  expect(kinds).toEqual(expect.arrayContaining(['in text', 'in image', 'out messages']));
  expect(talk.items.find((e: { kind: string }) => e.kind === 'text').text).toBe(`道路に穴があいています ${tag}\n場所は駅の前です`);
  const times = talk.items.map((e: { at: string }) => e.at);
  expect([...times].sort().reverse()).toEqual(times);

  const photo = await admin.call('GET', `/friends/${citizen.userId}/messages/${messageId}/content`);
  expect(photo.status).toBe(200);
  expect(photo.headers.get('content-type')).toBe('image/jpeg');
  expect(photo.raw.equals(JPEG)).toBe(true);
  expect((await admin.call('GET', `/friends/${citizen.userId}/messages/99999999/content`)).status).toBe(404);
});

it('goes on with its sealed cursor and refuses an edited one', async () => {
  for (let i = 0; i < 3; i++) {
    const { citizen } = await sim.createCitizen({ displayName: `頁 ${tag} ${i}`, language: 'ja' });
    await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend stored');
  }
  const first = await admin.call('GET', '/friends', undefined, { query: { limit: '2' } });
  expect(first.status).toBe(200);
  expect(first.body.items).toHaveLength(2);
  const second = await admin.call('GET', '/friends', undefined, { query: { limit: '2', cursor: first.body.cursor } });
  expect(second.body.items[0].userId).not.toBe(first.body.items[0].userId);
  expect(second.body.items.map((f: { followedAt: string }) => f.followedAt)).toEqual(
    [...second.body.items.map((f: { followedAt: string }) => f.followedAt)].sort().reverse(),
  );
  const edited = await admin.call('GET', '/friends', undefined, { query: { limit: '2', cursor: `${first.body.cursor.slice(0, -2)}AA` } });
  expect(edited.status).toBe(400);
  expect(edited.body.error.code).toBe('invalid_cursor');
  const otherFilter = await admin.call('GET', '/friends', undefined, { query: { limit: '2', status: 'blocked', cursor: first.body.cursor } });
  expect(otherFilter.status).toBe(400);
});
