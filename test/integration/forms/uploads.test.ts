/**
 * Direct uploads on the local runtime: intent → PUT to the platform's signed /__local/blobs URL →
 * complete → submit, for a 10 MB image and a 50 MB video (past the gateway's 10 MB body limit,
 * so the bytes really bypass the API); forged URLs and other citizens refused.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';
import { uploadFile } from './upload-client';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const MB = 1024 * 1024;
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MP4_HEAD = Buffer.from('\0\0\0\x18ftypisom', 'latin1');

async function citizen(displayName: string) {
  const { citizen: c } = await sim.createCitizen({ displayName, language: 'ja' });
  await eventually(() => getItem(`FRIEND#${c.userId}`, 'PROFILE'), 10_000, 'friend stored');
  return { userId: c.userId, idToken: (await sim.issueIdToken({ userId: c.userId })).idToken };
}

const liffPost = async (token: string, path: string, body: unknown) => {
  const res = await fetch(`${env.platformUrl}/api/liff${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

let formId: string;

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
  const created = await admin.call('POST', '/forms', {
    title: { ja: '道路の損傷報告' },
    items: [
      { itemId: 'photo', type: 'image', label: { ja: '写真' }, required: true },
      { itemId: 'clip', type: 'video', label: { ja: '動画' }, required: false },
    ],
  });
  expect(created.status).toBe(201);
  formId = created.body.formId;
  expect((await admin.call('POST', `/forms/${formId}/publish`, {})).status).toBe(200);
});

describe('direct uploads', () => {
  it('takes a 10 MB photo and a 50 MB video straight to storage, then the answer refers to both', async () => {
    // Arrange
    const { userId, idToken } = await citizen('写真 投稿');
    const photo = Buffer.concat([PNG_HEAD, Buffer.alloc(10 * MB - PNG_HEAD.length, 7)]);
    const video = Buffer.concat([MP4_HEAD, Buffer.alloc(50 * MB - MP4_HEAD.length, 9)]);
    // Act
    const up1 = await uploadFile(idToken, { formId, itemId: 'photo' }, photo, 'image/png');
    const up2 = await uploadFile(idToken, { formId, itemId: 'clip' }, video, 'video/mp4');
    // Assert
    expect(up1.intent).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      url: expect.stringContaining(`${env.platformUrl}/__local/blobs/`),
    });
    expect([up1.status, up1.body]).toEqual([201, { uploadId: up1.intent!.uploadId, contentType: 'image/png', bytes: 10 * MB }]);
    expect([up2.status, up2.body]).toEqual([201, { uploadId: up2.intent!.uploadId, contentType: 'video/mp4', bytes: 50 * MB }]);
    expect(await getItem(`UPLOAD#${up2.body.uploadId}`, 'UPLOAD')).toMatchObject({
      userId,
      formId,
      itemId: 'clip',
      contentType: 'video/mp4',
      bytes: 50 * MB,
      blobKey: `uploads/${formId}/${up2.body.uploadId}`,
    });

    const submitted = await liffPost(idToken, `/forms/${formId}/responses`, { lang: 'ja', answers: { photo: up1.body.uploadId, clip: up2.body.uploadId } });
    expect(submitted.status).toBe(201);
    expect((await getItem(`FORM#${formId}`, `RESPONSE#${userId}`))!.answers).toEqual({ photo: up1.body.uploadId, clip: up2.body.uploadId });

    // Staff see the video byte for byte (locally streamed; AWS answers a 302 to a signed link).
    const staffView = await fetch(`${env.platformUrl}/api/admin/uploads/${up2.body.uploadId}`, { headers: { cookie: admin.cookie! } });
    expect([staffView.status, staffView.headers.get('content-type')]).toEqual([200, 'video/mp4']);
    expect(Buffer.from(await staffView.arrayBuffer()).equals(video)).toBe(true);
  });

  it('refuses a forged URL and a wrong size at the PUT, and completing before the bytes arrived', async () => {
    const { idToken } = await citizen('偽装 検査');
    const png = Buffer.concat([PNG_HEAD, Buffer.alloc(100, 1)]);
    const intent = await liffPost(idToken, '/uploads/intents', { formId, itemId: 'photo', contentType: 'image/png', bytes: png.length });
    expect(intent.status).toBe(201);
    const url = new URL(intent.body.url);
    const [payload, signature] = url.pathname.split('/').pop()!.split('.');
    // The grant widened to 50 MB, the signature kept: refused, nothing stored.
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${url.origin}/__local/blobs/${Buffer.from(JSON.stringify({ ...grant, n: 50 * MB })).toString('base64url')}.${signature}`;
    const forgedPut = await fetch(forged, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) });
    expect(forgedPut.status).toBe(403);
    // More bytes than signed.
    const wrongSize = await fetch(intent.body.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(Buffer.concat([png, png])),
    });
    expect(wrongSize.status).toBe(403);
    const early = await liffPost(idToken, `/uploads/${intent.body.uploadId}/complete?lang=en`, {});
    expect([early.status, early.body.error.code, early.body.error.message]).toEqual([409, 'upload_incomplete', 'Please upload the file again.']);
    // The genuine URL still works afterwards.
    expect((await fetch(intent.body.url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) })).status).toBe(200);
    expect((await liffPost(idToken, `/uploads/${intent.body.uploadId}/complete`, {})).status).toBe(201);
  });

  it("answers 404 when another citizen completes or attaches someone's upload; bad intents are 400 in the citizen's language", async () => {
    const owner = await citizen('持ち主');
    const other = await citizen('別の人');
    const png = Buffer.concat([PNG_HEAD, Buffer.alloc(64, 2)]);
    const intent = await liffPost(owner.idToken, '/uploads/intents', { formId, itemId: 'photo', contentType: 'image/png', bytes: png.length });
    expect((await fetch(intent.body.url, { method: 'PUT', headers: intent.body.headers, body: new Uint8Array(png) })).status).toBe(200);
    const stolen = await liffPost(other.idToken, `/uploads/${intent.body.uploadId}/complete?lang=en`, {});
    expect([stolen.status, stolen.body.error.code, stolen.body.error.message]).toEqual([404, 'upload_not_found', 'The file was not found.']);
    expect((await liffPost(owner.idToken, `/uploads/${intent.body.uploadId}/complete`, {})).status).toBe(201);
    const attached = await liffPost(other.idToken, `/forms/${formId}/responses`, { lang: 'en', answers: { photo: intent.body.uploadId } });
    expect([attached.status, attached.body.error.fields.photo]).toEqual([400, 'Please upload the file again.']);

    const noSize = await liffPost(owner.idToken, '/uploads/intents', { formId, itemId: 'photo', contentType: 'image/png', lang: 'zh-Hans' });
    expect([noSize.status, noSize.body.error.message]).toEqual([400, '请求内容有误。']);
    const pdf = await liffPost(owner.idToken, '/uploads/intents', { formId, itemId: 'photo', contentType: 'application/pdf', bytes: 10, lang: 'en' });
    expect([pdf.status, pdf.body.error.message]).toEqual([415, 'This kind of file cannot be sent (jpeg, png, webp, gif).']);
  });
});
