/**
 * Direct uploads: intent → PUT to a signed URL → complete, with the real local adapter
 * (FileBlobStore in a temp folder) and the real local endpoint (local/blob-upload.ts) on a
 * loopback port. The S3 adapter's signing is in s3-blob-store.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore, signUploadGrant, verifyUploadGrant } from '../../../functions/adapters/local/file-blob-store';
import { completeUpload, createUploadIntent, pendingBlobKey, submitResponse, type DirectUploadDeps } from '../../../functions/forms/citizen-forms';
import { FormError } from '../../../functions/forms/errors';
import { newForm, type Form } from '../../../functions/forms/form';
import { handleLocalBlobUpload } from '../../../local/blob-upload';
import { FakeClock } from '../../support/fakes';
import { MemoryForms, MemoryUploads } from '../../support/form-fakes';

const NOW = new Date('2026-11-24T01:00:00Z');
const SECRET = 'test-secret';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(204, 2)]);
const ZIP = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(204, 3)]);
const citizen = { userId: 'U1', name: '市民', exp: 0 };
const stranger = { userId: 'U2', name: '他人', exp: 0 };

const survey = (): Form =>
  newForm({
    kind: 'survey',
    status: 'published',
    title: { ja: 'アンケート' },
    items: [
      { itemId: 'name', type: 'text', label: { ja: '名前' }, required: false },
      { itemId: 'pic', type: 'image', label: { ja: '写真' }, required: true },
      { itemId: 'clip', type: 'video', label: { ja: '動画' }, required: false },
    ],
    by: 'tester',
    now: NOW,
  });

let dir: string;
let server: Server;
let baseUrl: string;
let store: FileBlobStore;
let storeNow: number;
let deps: DirectUploadDeps & { forms: MemoryForms; uploads: MemoryUploads };
let form: Form;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civic-line-uploads-test-'));
  server = createServer((req, res) => {
    if (!handleLocalBlobUpload(req, res, { store: new FileBlobStore(dir), secret: SECRET, now: () => storeNow })) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  storeNow = NOW.getTime();
  store = new FileBlobStore(dir, { baseUrl, secret: SECRET }, () => storeNow);
  const forms = new MemoryForms();
  form = survey();
  await forms.create(form);
  deps = { forms, responses: forms, uploads: new MemoryUploads(), blobs: store, clock: new FakeClock(NOW) };
});

/** A raw PUT (fetch cannot send a Content-Length that differs from the body). */
function put(url: string, body: Buffer, headers: Record<string, string | number>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: FormError) => e,
  );
const file = (key: string) => join(dir, key);

describe('upload intent', () => {
  it('signs a PUT for exactly the declared type and size, valid 10 minutes', async () => {
    // Act
    const intent = await createUploadIntent(deps, citizen, { formId: form.formId, itemId: 'pic', contentType: 'image/jpg', bytes: 1234 });
    // Assert
    expect(intent).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/jpeg' }, expiresAt: '2026-11-24T01:10:00.000Z' });
    expect(intent.url.startsWith(`${baseUrl}/__local/blobs/`)).toBe(true);
    const grant = verifyUploadGrant(intent.url.split('/').pop()!, SECRET, NOW.getTime());
    expect(grant).toEqual({ key: `uploads/pending/${intent.uploadId}`, contentType: 'image/jpeg', bytes: 1234, expires: NOW.getTime() + 600_000 });
    // Nothing is recorded as an upload yet: submit cannot use it.
    expect(deps.uploads.uploads.size).toBe(0);
  });

  it('refuses a non-media item (400), a size over the item limit (413), a type the item does not take (415), a closed form (409)', async () => {
    const base = { formId: form.formId, itemId: 'pic', contentType: 'image/png', bytes: 10 };
    const text = (await refusal(createUploadIntent(deps, citizen, { ...base, itemId: 'name' })))!;
    expect([text.status, text.code, text.localized('en')]).toEqual([400, 'not_media_item', 'Files cannot be attached to this question.']);
    const big = (await refusal(createUploadIntent(deps, citizen, { ...base, bytes: 10 * 1024 * 1024 + 1 })))!;
    expect([big.status, big.code, big.localized('ja')]).toEqual([413, 'too_large', 'ファイルが大きすぎます（10MBまで）。']);
    // 50 MB is fine for the video item, 50 MB + 1 is not.
    expect((await createUploadIntent(deps, citizen, { ...base, itemId: 'clip', contentType: 'video/mp4', bytes: 50 * 1024 * 1024 })).method).toBe('PUT');
    const bigVideo = (await refusal(createUploadIntent(deps, citizen, { ...base, itemId: 'clip', contentType: 'video/mp4', bytes: 50 * 1024 * 1024 + 1 })))!;
    expect([bigVideo.status, bigVideo.localized('en')]).toEqual([413, 'The file is too large (up to 50 MB).']);
    const pdf = (await refusal(createUploadIntent(deps, citizen, { ...base, contentType: 'application/pdf' })))!;
    expect([pdf.status, pdf.code, pdf.localized('ko')]).toEqual([415, 'unsupported_type', '이 종류의 파일은 보낼 수 없습니다(jpeg, png, webp, gif).']);
    const videoAsImage = (await refusal(createUploadIntent(deps, citizen, { ...base, contentType: 'video/mp4' })))!;
    expect(videoAsImage.status).toBe(415);
    await deps.forms.save({ ...form, status: 'unpublished' }, form.version);
    expect((await refusal(createUploadIntent(deps, citizen, base)))!.status).toBe(409);
  });
});

describe('local signed upload URL', () => {
  it('stores exactly the signed bytes; refuses a tampered, expired, wrong-type or wrong-size request and writes nothing', async () => {
    const intent = await createUploadIntent(deps, citizen, { formId: form.formId, itemId: 'pic', contentType: 'image/png', bytes: PNG.length });
    const pending = file(pendingBlobKey(intent.uploadId));
    const token = intent.url.split('/').pop()!;

    // Tampered: another key in the payload with the old signature.
    const [payload, signature] = token.split('.');
    const changed = JSON.parse(Buffer.from(payload, 'base64url').toString());
    changed.k = 'uploads/someone-else/01X';
    changed.n = 50 * 1024 * 1024;
    const tampered = `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
    expect(verifyUploadGrant(tampered, SECRET)).toBe('invalid');
    expect((await put(`${baseUrl}/__local/blobs/${tampered}`, PNG, { 'content-type': 'image/png', 'content-length': PNG.length })).status).toBe(403);
    // Signed with another key.
    const foreign = signUploadGrant(
      { key: pendingBlobKey(intent.uploadId), contentType: 'image/png', bytes: PNG.length, expires: storeNow + 60_000 },
      'other-secret',
    );
    expect((await put(`${baseUrl}/__local/blobs/${foreign}`, PNG, { 'content-type': 'image/png', 'content-length': PNG.length })).status).toBe(403);
    // Wrong type, wrong size.
    expect((await put(intent.url, PNG, { 'content-type': 'image/jpeg', 'content-length': PNG.length })).status).toBe(403);
    const bigger = Buffer.concat([PNG, Buffer.alloc(10)]);
    const tooBig = await put(intent.url, bigger, { 'content-type': 'image/png', 'content-length': bigger.length });
    expect([tooBig.status, JSON.parse(tooBig.body).error.code]).toEqual([403, 'signature_does_not_match']);
    // GET is not an upload.
    expect((await fetch(intent.url)).status).toBe(405);
    expect(existsSync(pending)).toBe(false);

    // Expired: one millisecond after the 10 minutes.
    storeNow = NOW.getTime() + 600_001;
    const expired = await put(intent.url, PNG, { 'content-type': 'image/png', 'content-length': PNG.length });
    expect([expired.status, JSON.parse(expired.body).error.code]).toEqual([403, 'request_expired']);
    expect(existsSync(pending)).toBe(false);

    // Within the time: stored byte for byte.
    storeNow = NOW.getTime() + 599_000;
    expect((await put(intent.url, PNG, { 'content-type': 'image/png', 'content-length': PNG.length })).status).toBe(200);
    expect(readFileSync(pending)).toEqual(PNG);
  });
});

describe('upload completion', () => {
  async function uploaded(body: Buffer, contentType: string, itemId = 'pic', declaredBytes = body.length) {
    const intent = await createUploadIntent(deps, citizen, { formId: form.formId, itemId, contentType, bytes: declaredBytes });
    await store.put(pendingBlobKey(intent.uploadId), body);
    return intent.uploadId;
  }

  it('records a real PNG under uploads/<formId>/<uploadId> and submit accepts it; a retried complete answers the same', async () => {
    // Arrange
    const intent = await createUploadIntent(deps, citizen, { formId: form.formId, itemId: 'pic', contentType: 'image/png', bytes: PNG.length });
    expect((await put(intent.url, PNG, { 'content-type': 'image/png', 'content-length': PNG.length })).status).toBe(200);
    // Submit before completion: the upload does not exist yet.
    const early = (await refusal(submitResponse(deps, citizen, form.formId, { lang: 'en', answers: { pic: intent.uploadId } })))!;
    expect(early.fields).toEqual({ pic: 'Please upload the file again.' });
    // Act
    const done = await completeUpload(deps, citizen, intent.uploadId);
    // Assert
    expect(done).toEqual({ uploadId: intent.uploadId, contentType: 'image/png', bytes: PNG.length });
    expect(readFileSync(file(`uploads/${form.formId}/${intent.uploadId}`))).toEqual(PNG);
    expect(existsSync(file(pendingBlobKey(intent.uploadId)))).toBe(false);
    expect(deps.uploads.uploads.get(intent.uploadId)).toMatchObject({
      userId: 'U1',
      formId: form.formId,
      itemId: 'pic',
      contentType: 'image/png',
      bytes: PNG.length,
      blobKey: `uploads/${form.formId}/${intent.uploadId}`,
    });
    expect(await completeUpload(deps, citizen, intent.uploadId)).toEqual(done);
    expect(await submitResponse(deps, citizen, form.formId, { lang: 'ja', answers: { pic: intent.uploadId } })).toMatchObject({ version: 1 });
  });

  it('refuses fake bytes with 415 (JPEG declared as PNG, a zip) and deletes the object', async () => {
    const jpegAsPng = await uploaded(JPEG, 'image/png');
    const mismatch = (await refusal(completeUpload(deps, citizen, jpegAsPng)))!;
    expect([mismatch.status, mismatch.code, mismatch.localized('en')]).toEqual([
      415,
      'type_mismatch',
      'The file content does not match its type. Please choose another file.',
    ]);
    expect(existsSync(file(pendingBlobKey(jpegAsPng)))).toBe(false);

    const zip = await uploaded(ZIP, 'image/png');
    const unsupported = (await refusal(completeUpload(deps, citizen, zip)))!;
    expect([unsupported.status, unsupported.code, unsupported.localized('ja')]).toEqual([
      415,
      'unsupported_type',
      'この種類のファイルは送信できません（jpeg, png, webp, gif）。',
    ]);
    expect(existsSync(file(pendingBlobKey(zip)))).toBe(false);
    // The intent is gone too: completing again is "not found", and nothing was recorded.
    expect((await refusal(completeUpload(deps, citizen, zip)))!.status).toBe(404);
    expect(deps.uploads.uploads.size).toBe(0);
  });

  it('refuses an object larger than the item limit or the declared size with 413 and deletes it', async () => {
    // The staff lowered the item's limit after the intent.
    const id = await uploaded(PNG, 'image/png');
    const pic = form.items.find((i) => i.itemId === 'pic')!;
    await deps.forms.save({ ...form, items: form.items.map((i) => (i === pic ? { ...i, media: { ...i.media!, maxBytes: 100 } } : i)) }, form.version);
    const limit = (await refusal(completeUpload(deps, citizen, id)))!;
    expect([limit.status, limit.code]).toEqual([413, 'too_large']);
    expect(existsSync(file(pendingBlobKey(id)))).toBe(false);
    // More bytes than the intent declared (an S3 URL would have refused them; checked again anyway).
    await deps.forms.save(form, form.version);
    const more = await uploaded(PNG, 'image/png', 'pic', 100);
    expect((await refusal(completeUpload(deps, citizen, more)))!.status).toBe(413);
    expect(existsSync(file(pendingBlobKey(more)))).toBe(false);
    expect(deps.uploads.uploads.size).toBe(0);
  });

  it("answers 404 to another citizen's uploadId (and leaves it for its owner); 409 while nothing arrived", async () => {
    const intent = await createUploadIntent(deps, citizen, { formId: form.formId, itemId: 'pic', contentType: 'image/png', bytes: PNG.length });
    const notYet = (await refusal(completeUpload(deps, citizen, intent.uploadId)))!;
    expect([notYet.status, notYet.code, notYet.localized('en')]).toEqual([409, 'upload_incomplete', 'Please upload the file again.']);
    await store.put(pendingBlobKey(intent.uploadId), PNG);
    const other = (await refusal(completeUpload(deps, stranger, intent.uploadId)))!;
    expect([other.status, other.code]).toEqual([404, 'upload_not_found']);
    expect(existsSync(file(pendingBlobKey(intent.uploadId)))).toBe(true);
    expect((await refusal(completeUpload(deps, stranger, '01JDA7000000000000000000000')))!.status).toBe(404);
    // The owner completes it; the stranger still cannot read it back or attach it.
    await completeUpload(deps, citizen, intent.uploadId);
    expect((await refusal(completeUpload(deps, stranger, intent.uploadId)))!.status).toBe(404);
    const attach = (await refusal(submitResponse(deps, stranger, form.formId, { lang: 'ja', answers: { pic: intent.uploadId } })))!;
    expect(attach.fields).toEqual({ pic: 'ファイルをもう一度アップロードしてください。' });
  });
});

describe('LIFF handler, upload routes', () => {
  /** The store as in AWS: it can sign download links. */
  class SigningStore extends FileBlobStore {
    async downloadUrl(key: string) {
      return `https://civic-line-test-uploads.s3.ap-northeast-1.amazonaws.com/${key}?X-Amz-Signature=x`;
    }
  }
  const event = (method: string, path: string, token: string, body?: unknown) =>
    ({
      rawPath: `/api/liff${path}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requestContext: { http: { method } },
      body: body === undefined ? undefined : JSON.stringify(body),
      isBase64Encoded: false,
    }) as never;

  it('answers the intent, 400 in the body language for a bad one, and a signed link (not the bytes) for the preview in AWS', async () => {
    const { createLiffHandler } = await import('../../../functions/liff/api');
    const { FakeVerifier } = await import('../../support/form-fakes');
    const blobs = new SigningStore(dir, { baseUrl, secret: SECRET }, () => storeNow);
    const handler = createLiffHandler({ ...deps, blobs, verifier: new FakeVerifier(), clicks: { clickOnce: async () => 'unknown' as const } });
    const ctx = { functionName: 'liff-api', getRemainingTimeInMillis: () => 10_000 } as never;
    const token = 'good:U0a1';

    const bad = (await handler(
      event('POST', '/uploads/intents', token, { formId: form.formId, itemId: 'pic', contentType: 'image/png', lang: 'zh-Hant' }),
      ctx,
    )) as { statusCode: number; body: string };
    expect([bad.statusCode, JSON.parse(bad.body).error.message]).toEqual([400, '請求內容有誤。']);

    const intent = (await handler(
      event('POST', '/uploads/intents', token, { formId: form.formId, itemId: 'pic', contentType: 'image/png', bytes: PNG.length }),
      ctx,
    )) as { statusCode: number; body: string };
    expect(intent.statusCode).toBe(201);
    const { uploadId, url } = JSON.parse(intent.body);
    expect((await put(url, PNG, { 'content-type': 'image/png', 'content-length': PNG.length })).status).toBe(200);
    const done = (await handler(event('POST', `/uploads/${uploadId}/complete`, token), ctx)) as { statusCode: number; body: string };
    expect([done.statusCode, JSON.parse(done.body)]).toEqual([201, { uploadId, contentType: 'image/png', bytes: PNG.length }]);
    const other = (await handler(event('POST', `/uploads/${uploadId}/complete?lang=en`, 'good:U0b2'), ctx)) as { statusCode: number; body: string };
    expect(other.statusCode).toBe(404);

    const preview = (await handler(event('GET', `/uploads/${uploadId}`, token), ctx)) as { statusCode: number; body: string; isBase64Encoded?: boolean };
    expect([preview.statusCode, JSON.parse(preview.body)]).toEqual([
      200,
      { url: `https://civic-line-test-uploads.s3.ap-northeast-1.amazonaws.com/uploads/${form.formId}/${uploadId}?X-Amz-Signature=x` },
    ]);
  });
});
