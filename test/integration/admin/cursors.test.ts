/**
 * Paging cursors are opaque and tamper-evident: a cursor the platform did not issue for this very
 * query — forged from another partition's keys (the probe's 500s), edited by one character, or
 * taken from another search — is refused with 400 `invalid_cursor` and never reaches DynamoDB.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from './console-client';

const env = it_env();
const admin = new ConsoleClient(env.platformUrl);
const sim = new LineSimulatorClient(env.simulatorUrl);
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const flip = (cursor: string) => cursor.slice(0, 5) + (cursor[5] === 'A' ? 'B' : 'A') + cursor.slice(6);
const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const monthStart = `${today.slice(0, 8)}01`;

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

async function expectRefused(path: string, query: Record<string, string>) {
  const res = await admin.call('GET', path, undefined, { query });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid_cursor');
}

describe('paging cursors', () => {
  it('audit log: pages with its own cursor, refuses forged, edited and foreign ones', async () => {
    for (let i = 0; i < 3; i++) expect((await admin.call('GET', '/auth/me')).status).toBe(200);
    await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!);
    await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!);
    const query = { from: monthStart, to: today, limit: '1' };
    const first = await admin.call('GET', '/audit', undefined, { query });
    expect(first.status).toBe(200);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await admin.call('GET', '/audit', undefined, { query: { ...query, cursor } });
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);

    await expectRefused('/audit', { ...query, cursor: forged({ m: today.slice(0, 7), k: { PK: 'FRIEND#U0', SK: 'PROFILE' } }) });
    await expectRefused('/audit', { ...query, cursor: forged({ m: today.slice(0, 7), k: { PK: `AUDIT#${today.slice(0, 7)}`, SK: 'x' } }) });
    await expectRefused('/audit', { ...query, cursor: flip(cursor) });
    await expectRefused('/audit', { ...query, action: 'auth.login', cursor });
    await expectRefused('/audit', { ...query, cursor: 'not a cursor at all' });
  });

  it('delivery history: refuses a cursor naming another partition or another filter', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await admin.call('POST', '/deliveries', {
        title: `カーソル確認${i}`,
        category: '市政',
        variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'お知らせ' }] }],
        audience: { segmentId: 'everyone' },
        timing: { kind: 'now' },
      });
      expect(res.status).toBe(201);
    }
    const first = await admin.call('GET', '/deliveries', undefined, { query: { limit: '1' } });
    expect(first.status).toBe(200);
    const cursor = first.body.nextCursor ?? first.body.cursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await admin.call('GET', '/deliveries', undefined, { query: { limit: '1', cursor } })).status).toBe(200);
    await expectRefused('/deliveries', { limit: '1', cursor: forged({ PK: 'STAFF#admin', SK: 'ACCOUNT', GSI1PK: 'DELIVERIES', GSI1SK: '2026' }) });
    await expectRefused('/deliveries', { limit: '1', cursor: forged({ PK: 'DELIVERY#X', GSI1PK: 'DELIVERIES', GSI1SK: '2026' }) });
    await expectRefused('/deliveries', { limit: '1', category: '防災', cursor });
    await expectRefused('/deliveries', { limit: '1', cursor: flip(cursor) });
  });

  it('form responses: newest first, and a cursor of one form never pages another', async () => {
    const forms = await admin.call('GET', '/forms');
    const profile = forms.body.items.find((f: { kind: string }) => f.kind === 'profile');
    const other = await admin.call('POST', '/forms', { kind: 'survey', title: { ja: 'カーソル確認' }, items: [] });
    expect(other.status).toBe(201);
    const answered: string[] = [];
    for (const name of ['一番目', '二番目', '三番目']) {
      const { citizen } = await sim.createCitizen({ displayName: `カーソル ${name}` });
      await eventually(() => getItem(`FRIEND#${citizen.userId}`, 'PROFILE'), 10_000, 'friend stored');
      const { idToken } = await sim.issueIdToken({ userId: citizen.userId });
      const res = await fetch(`${env.platformUrl}/api/liff/forms/${profile.formId}/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ lang: 'ja', consent: true, answers: { district: 'arao', age_band: '40s', gender: 'female', categories: ['disaster'] } }),
      });
      expect(res.status).toBe(201);
      answered.push(citizen.userId);
    }
    const first = await admin.call('GET', `/forms/${profile.formId}/responses`, undefined, { query: { limit: '2' } });
    expect(first.status).toBe(200);
    // Newest first: the last to answer is on top.
    expect(first.body.items.map((r: { userId: string }) => r.userId).slice(0, 2)).toEqual([answered[2], answered[1]]);
    const cursor = first.body.nextCursor as string;
    const next = await admin.call('GET', `/forms/${profile.formId}/responses`, undefined, { query: { limit: '2', cursor } });
    expect(next.status).toBe(200);
    expect(next.body.items[0].userId).toBe(answered[0]);
    await expectRefused(`/forms/${other.body.formId}/responses`, { cursor });
    await expectRefused(`/forms/${profile.formId}/responses`, {
      cursor: forged({ PK: `FORM#${other.body.formId}`, SK: 'RESPONSE#U1', GSI1PK: 'x', GSI1SK: 'y' }),
    });
    await expectRefused(`/forms/${profile.formId}/responses`, { cursor: flip(cursor) });
  });
});
