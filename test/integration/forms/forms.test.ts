/**
 * Forms over HTTP on the local runtime: citizens' LIFF ID tokens verified by the simulator's
 * /oauth2/v2.1/verify, the standard profile form writing friend attributes, answers changed
 * (latest counts, history kept), refusals in the citizen's language with nothing stored, staff
 * edits (retire, add) keeping earlier answers, summary and CSV export.
 */
import { jstDay } from '../../../functions/shared/japan-time';
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env, partition, queueIdle } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';
import { uploadFile } from './upload-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const ZIP = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 3)]);

async function citizen(displayName: string, language = 'ja') {
  const { citizen: c } = await sim.createCitizen({ displayName, language });
  await eventually(() => getItem(`FRIEND#${c.userId}`, 'PROFILE'), 10_000, 'friend stored');
  const { idToken } = await sim.issueIdToken({ userId: c.userId });
  return { userId: c.userId, idToken };
}

async function liff(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${env.platformUrl}/api/liff${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, text };
}

let profileId: string;
const PROFILE_ANSWERS = { district: 'arao', age_band: '30s', gender: 'female', categories: ['disaster', 'childcare'] };

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
  const list = await admin.call('GET', '/forms');
  profileId = list.body.items.find((f: { kind: string }) => f.kind === 'profile').formId;
});

describe('ID tokens', () => {
  it('refuses forged, expired and wrong-audience tokens with 401 and stores nothing', async () => {
    const { userId, idToken } = await citizen('トークン 検査');
    const expired = (await sim.issueIdToken({ userId, expiresInSec: -10 })).idToken;
    const wrongAudience = (await sim.issueIdToken({ userId, audience: '1234567890' })).idToken;
    const [h, p] = idToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'Uffffffffffffffffffffffffffffffff' })).toString('base64url')}.${idToken.split('.')[2]}`;
    for (const token of [forged, expired, wrongAudience, 'not-a-token']) {
      const res = await liff(token, 'POST', `/forms/${profileId}/responses?lang=en`, { lang: 'en', consent: true, answers: PROFILE_ANSWERS });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_id_token');
      expect(res.body.error.message).toMatch(/LINE login/);
    }
    const noHeader = await fetch(`${env.platformUrl}/api/liff/forms/${profileId}`);
    expect(noHeader.status).toBe(401);
    expect(await getItem(`FORM#${profileId}`, `RESPONSE#${userId}`)).toBeUndefined();
    expect((await getItem(`FRIEND#${userId}`, 'PROFILE'))?.attributes).toBeUndefined();
  });
});

describe('the standard profile form', () => {
  it('is published in five languages with the Arao districts', async () => {
    const { idToken } = await citizen('言語 確認');
    const ja = await liff(idToken, 'GET', '/forms/profile');
    expect(ja.status).toBe(200);
    expect(ja.body.closed).toBe(false);
    expect(ja.body.form.title).toBe('プロフィール登録');
    expect(ja.body.form.items.map((i: { label: string }) => i.label)).toEqual(['居住地区', '年代', '性別', '受信したい情報のカテゴリ']);
    expect(ja.body.form.items[0].choices.map((c: { label: string }) => c.label)).toContain('緑ケ丘');
    expect(ja.body.form.consent.links[0].url).toMatch(/^https:/);
    for (const [lang, title] of [
      ['en', 'Profile registration'],
      ['ko', '프로필 등록'],
      ['zh-Hans', '个人资料登记'],
      ['zh-Hant', '個人資料登記'],
    ]) {
      expect((await liff(idToken, 'GET', `/forms/${profileId}?lang=${lang}`)).body.form.title).toBe(title);
    }
  });

  it('sets the friend attributes; a change keeps history and the latest counts', async () => {
    const { userId, idToken } = await citizen('荒尾 花子');
    const first = await liff(idToken, 'POST', `/forms/${profileId}/responses`, { lang: 'ja', consent: true, answers: PROFILE_ANSWERS });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ responseId: expect.any(String), version: expect.any(Number) });
    expect((await getItem(`FRIEND#${userId}`, 'PROFILE'))!.attributes).toEqual({
      district: 'arao',
      ageBand: '30s',
      gender: 'female',
      categories: ['disaster', 'childcare'],
    });

    const second = await liff(idToken, 'POST', `/forms/${profileId}/responses`, {
      lang: 'ja',
      consent: true,
      answers: { ...PROFILE_ANSWERS, district: 'manda', categories: [] },
    });
    expect(second.status).toBe(201);
    expect((await getItem(`FRIEND#${userId}`, 'PROFILE'))!.attributes).toEqual({ district: 'manda', ageBand: '30s', gender: 'female' });
    const latest = await getItem(`FORM#${profileId}`, `RESPONSE#${userId}`);
    expect(latest).toMatchObject({ userId, displayName: '荒尾 花子', answers: { district: 'manda' } });
    const history = (await partition(`FORM#${profileId}`)).filter((i) => String(i.SK).startsWith(`HISTORY#${userId}#`));
    expect(history.map((h) => (h.answers as Record<string, string>).district)).toEqual(['arao', 'manda']);
    const open = await liff(idToken, 'GET', `/forms/${profileId}`);
    expect(open.body.answers.district).toBe('manda');
  });

  it('refuses missing consent, unknown choices and wrong types in the citizen language, storing nothing', async () => {
    const { userId, idToken } = await citizen('Lee', 'ko');
    const noConsent = await liff(idToken, 'POST', `/forms/${profileId}/responses`, { lang: 'ko', answers: PROFILE_ANSWERS });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.fields.consent).toBe('개인정보 처리에 동의해 주세요.');
    const bad = await liff(idToken, 'POST', `/forms/${profileId}/responses`, {
      lang: 'en',
      consent: true,
      answers: { district: 'atlantis', age_band: ['30s'], gender: 5, categories: 'disaster' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_answers');
    expect(bad.body.error.fields).toEqual({
      district: 'Please choose from the options.',
      age_band: 'This answer is not in the expected format.',
      gender: 'This answer is not in the expected format.',
      categories: 'This answer is not in the expected format.',
    });
    const malformed = await liff(idToken, 'POST', `/forms/${profileId}/responses`, '{not json', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(await getItem(`FORM#${profileId}`, `RESPONSE#${userId}`)).toBeUndefined();
    expect((await getItem(`FRIEND#${userId}`, 'PROFILE'))!.attributes).toBeUndefined();
  });
});

describe('a survey edited by staff', () => {
  let formId: string;
  let photoItem: string;
  const q = { code: 'code', area: 'area' };

  beforeAll(async () => {
    const created = await admin.call('POST', '/forms', {
      title: { ja: '公園アンケート', en: 'Park survey' },
      items: [
        { itemId: q.code, type: 'text', label: { ja: '会員番号', en: 'Member code' }, required: true, text: { charset: 'alphanumeric', maxLength: 8 } },
        {
          itemId: q.area,
          type: 'single',
          label: { ja: 'よく使う公園' },
          required: true,
          choices: [
            { choiceId: 'a', label: { ja: '荒尾運動公園' } },
            { choiceId: 'b', label: { ja: '=危険な名前' } },
          ],
        },
        { itemId: 'photo', type: 'image', label: { ja: '写真' }, required: false, media: { maxBytes: 1024, types: ['image/png', 'image/jpeg'] } },
      ],
    });
    expect(created.status).toBe(201);
    formId = created.body.formId;
    photoItem = 'photo';
    expect((await admin.call('POST', `/forms/${formId}/publish`, {})).status).toBe(200);
  });

  it('refuses non-alphanumeric text, oversized and fake images in the citizen language; nothing stored', async () => {
    const { userId, idToken } = await citizen('Chen', 'zh-Hant');
    const text = await liff(idToken, 'POST', `/forms/${formId}/responses`, { lang: 'zh-Hant', answers: { code: 'あいう', area: 'a' } });
    expect(text.status).toBe(400);
    expect(text.body.error.fields.code).toBe('請只輸入半形英文字母和數字。');
    const fake = await uploadFile(idToken, { formId, itemId: photoItem, lang: 'en' }, JPEG, 'image/png');
    expect([fake.step, fake.status]).toEqual(['complete', 415]);
    expect(fake.body.error.code).toBe('type_mismatch');
    const zip = await uploadFile(idToken, { formId, itemId: photoItem, lang: 'ja' }, ZIP, 'image/png');
    expect([zip.step, zip.status]).toEqual(['complete', 415]);
    expect(zip.body.error.message).toContain('この種類のファイルは送信できません');
    const big = await uploadFile(idToken, { formId, itemId: photoItem, lang: 'en' }, Buffer.concat([PNG, Buffer.alloc(2048)]), 'image/png');
    expect([big.step, big.status]).toEqual(['intent', 413]);
    expect(big.body.error.message).toMatch(/too large/);
    const stranger = await liff(idToken, 'POST', `/forms/${formId}/responses`, {
      lang: 'en',
      answers: { code: 'A1', area: 'a', photo: '01JDA7000000000000000000000' },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.fields.photo).toBe('Please upload the file again.');
    expect(await getItem(`FORM#${formId}`, `RESPONSE#${userId}`)).toBeUndefined();
  });

  it('keeps answers to a retired item after staff retire it and add another; CSV and summary', async () => {
    const a = await citizen('=cmd|calc 市民');
    const b = await citizen('佐藤 一郎');
    const up = await uploadFile(a.idToken, { formId, itemId: photoItem }, PNG, 'image/png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ contentType: 'image/png', bytes: PNG.length });
    const own = await fetch(`${env.platformUrl}/api/liff/uploads/${up.body.uploadId}`, { headers: { authorization: `Bearer ${a.idToken}` } });
    expect(Buffer.from(await own.arrayBuffer())).toEqual(PNG);
    const other = await liff(b.idToken, 'GET', `/uploads/${up.body.uploadId}`);
    expect(other.status).toBe(404);
    // b may not attach a's upload.
    expect((await liff(b.idToken, 'POST', `/forms/${formId}/responses`, { answers: { code: 'B2', area: 'b', photo: up.body.uploadId } })).status).toBe(400);

    expect((await liff(a.idToken, 'POST', `/forms/${formId}/responses`, { answers: { code: 'A1', area: 'b', photo: up.body.uploadId } })).status).toBe(201);
    expect((await liff(b.idToken, 'POST', `/forms/${formId}/responses`, { answers: { code: 'B2', area: 'a' } })).status).toBe(201);

    // Staff: retire "area", add "note"; a stale save is refused.
    const form = (await admin.call('GET', `/forms/${formId}`)).body;
    const items = form.items.filter((i: { itemId: string }) => i.itemId !== q.area);
    items.push({ type: 'text', label: { ja: 'ご意見' }, required: false, text: { multiline: true } });
    const saved = await admin.call('PUT', `/forms/${formId}`, { title: form.title, items, expectedVersion: form.version });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(form.version + 1);
    expect(saved.body.items.find((i: { itemId: string }) => i.itemId === q.area).retired).toBe(true);
    const noteId = saved.body.items.find((i: { label: { ja: string } }) => i.label.ja === 'ご意見').itemId;
    const stale = await admin.call('PUT', `/forms/${formId}`, { title: form.title, items, expectedVersion: form.version });
    expect(stale.status).toBe(409);

    // The citizen no longer sees "area"; a new answer keeps the earlier answer to it.
    const open = await liff(a.idToken, 'GET', `/forms/${formId}`);
    expect(open.body.form.items.map((i: { itemId: string }) => i.itemId)).toEqual([q.code, 'photo', noteId]);
    const third = await liff(a.idToken, 'POST', `/forms/${formId}/responses`, { answers: { code: 'A1', [noteId]: '=1+1 よろしく' } });
    expect(third.status).toBe(201);
    expect((await getItem(`FORM#${formId}`, `RESPONSE#${a.userId}`))!.answers).toEqual({ code: 'A1', area: 'b', [noteId]: '=1+1 よろしく' });

    const summary = await admin.call('GET', `/forms/${formId}/summary`);
    expect(summary.body.responseCount).toBe(2);
    expect(summary.body.items.find((i: { itemId: string }) => i.itemId === q.area).counts).toEqual({ a: 1, b: 1 });

    const page = await admin.call('GET', `/forms/${formId}/responses`, undefined, { query: { limit: '1' } });
    expect(page.body.items).toHaveLength(1);
    const page2 = await admin.call('GET', `/forms/${formId}/responses`, undefined, { query: { limit: '1', cursor: page.body.nextCursor } });
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].userId).not.toBe(page.body.items[0].userId);

    const csv = await admin.call('GET', `/forms/${formId}/responses.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('ユーザーID,LINE表示名,回答日時（日本時間）,フォーム版,言語,同意日時（日本時間）,会員番号,写真,ご意見,よく使う公園（廃止）');
    expect(lines).toHaveLength(3);
    const rowA = lines.find((l) => l.startsWith(a.userId))!;
    expect(rowA).toContain(",'=cmd|calc 市民,");
    expect(rowA).toContain(",'=1+1 よろしく,'=危険な名前");
    expect(lines.find((l) => l.startsWith(b.userId))).toMatch(/,荒尾運動公園$/);

    const attributes = await admin.call('GET', '/attributes');
    expect(attributes.body.attributes.district.choices.map((c: { label: string }) => c.label)).toContain('荒尾');

    const staffView = await fetch(`${env.platformUrl}/api/admin/uploads/${up.body.uploadId}`, { headers: { cookie: admin.cookie! } });
    expect(staffView.status).toBe(200);
    expect(Buffer.from(await staffView.arrayBuffer())).toEqual(PNG);

    const audit = await admin.call('GET', '/audit', undefined, { query: { from: jstDay(new Date()), to: jstDay(new Date()), action: 'form.updated' } });
    expect(audit.body.items.some((e: { target: string }) => e.target === `form:${formId}`)).toBe(true);
  });

  it('answers 409 form_closed when the form is unpublished', async () => {
    const { idToken } = await citizen('閉鎖 確認');
    expect((await admin.call('POST', `/forms/${formId}/unpublish`, {})).status).toBe(200);
    const res = await liff(idToken, 'POST', `/forms/${formId}/responses?lang=en`, { answers: { code: 'X1' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'form_closed', message: 'This form is not accepting answers now.' });
    expect((await liff(idToken, 'GET', `/forms/${formId}`)).body.closed).toBe(true);
    await queueIdle();
  });
});
