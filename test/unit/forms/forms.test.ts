import { PassThrough } from 'node:stream';
import { responsesCsvStream } from '../../../functions/forms/csv';
import { editForm, newForm, type Form, type FormResponse } from '../../../functions/forms/form';
import { detectType } from '../../../functions/forms/magic';
import { checkAnswers } from '../../../functions/forms/validate';
import { submitResponse } from '../../../functions/forms/citizen-forms';
import { LineIdTokenVerifier } from '../../../functions/adapters/line/id-token-verifier';
import { InvalidIdTokenError } from '../../../functions/ports/id-token-verifier';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs, MemoryForms, MemoryUploads } from '../../support/form-fakes';

const NOW = new Date('2026-11-24T01:00:00Z');
const survey = (): Form =>
  newForm({
    kind: 'survey',
    status: 'published',
    title: { ja: 'アンケート' },
    consent: { links: [{ label: { ja: '個人情報' }, url: 'https://example.jp/p' }] },
    items: [
      { itemId: 'code', type: 'text', label: { ja: '番号' }, required: true, text: { charset: 'alphanumeric', maxLength: 5 } },
      { itemId: 'num', type: 'text', label: { ja: '数' }, required: false, text: { charset: 'numeric', minLength: 2 } },
      {
        itemId: 'zip',
        type: 'text',
        label: { ja: '郵便番号' },
        required: false,
        text: { pattern: '\\d{3}-\\d{4}', patternHint: { ja: '例 864-0000', en: 'e.g. 864-0000' } },
      },
      {
        itemId: 'one',
        type: 'single',
        label: { ja: '一つ' },
        required: true,
        choices: [
          { choiceId: 'a', label: { ja: 'あ' } },
          { choiceId: 'b', label: { ja: 'い' }, retired: true },
        ],
      },
      {
        itemId: 'many',
        type: 'multiple',
        label: { ja: '複数' },
        required: false,
        choices: [
          { choiceId: 'x', label: { ja: 'エックス' } },
          { choiceId: 'y', label: { ja: '=ワイ' } },
        ],
      },
      { itemId: 'day', type: 'date', label: { ja: '日付' }, required: false },
      { itemId: 'pic', type: 'image', label: { ja: '写真' }, required: false },
    ],
    by: 'tester',
    now: NOW,
  });

const ctx = (lang: 'ja' | 'en') => ({
  userId: 'U1',
  lang,
  upload: async (id: string) =>
    id === 'up1'
      ? { uploadId: 'up1', userId: 'U1', formId: 'f', itemId: 'pic', contentType: 'image/png', bytes: 1, blobKey: 'k', createdAt: '' }
      : id === 'up2'
        ? { uploadId: 'up2', userId: 'U2', formId: 'f', itemId: 'pic', contentType: 'image/png', bytes: 1, blobKey: 'k', createdAt: '' }
        : null,
});

describe('answer validation', () => {
  it('accepts valid answers of every type', async () => {
    const r = await checkAnswers(
      survey(),
      { consent: true, answers: { code: 'Ab12', num: '42', zip: '864-0001', one: 'a', many: ['x', 'y', 'x'], day: '2026-02-28', pic: 'up1' } },
      ctx('ja'),
    );
    expect(r.fields).toEqual({});
    expect(r.answers.many).toEqual(['x', 'y']);
  });

  it.each([
    [
      'ja',
      { code: 'あいう', num: '1', zip: '8640001', one: 'b', many: ['z'], day: '2026-02-30', pic: 'up2' },
      {
        code: '半角英数字で入力してください。',
        num: '2文字以上で入力してください。',
        zip: '入力の形式が正しくありません。（例 864-0000）',
        one: '選択肢から選んでください。',
        many: '選択肢から選んでください。',
        day: '日付を正しく入力してください（例: 2026-04-01）。',
        pic: 'ファイルをもう一度アップロードしてください。',
        consent: '個人情報の取り扱いへの同意が必要です。',
      },
    ],
    [
      'en',
      { code: 'toolong1', num: '1a', one: ['a'], many: 'x', day: 20260101, pic: 'nope', ghost: 'x' },
      {
        code: 'Please enter no more than 5 characters.',
        num: 'Please use digits (0–9) only.',
        one: 'This answer is not in the expected format.',
        many: 'This answer is not in the expected format.',
        day: 'This answer is not in the expected format.',
        pic: 'Please upload the file again.',
        ghost: 'This question does not exist.',
        consent: 'Please agree to the handling of personal information.',
      },
    ],
  ] as const)('refuses invalid answers with messages in %s', async (lang, answers, expected) => {
    const r = await checkAnswers(survey(), { answers: answers as Record<string, unknown> }, ctx(lang));
    expect(r.fields).toEqual(expected);
  });

  it('requires required items in the citizen language', async () => {
    expect((await checkAnswers(survey(), { consent: true, answers: {} }, ctx('en'))).fields).toEqual({
      code: 'This field is required.',
      one: 'This field is required.',
    });
  });
});

describe('magic bytes', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
  const zip = Buffer.from('PK\x03\x04zzzzzzzz', 'latin1');
  it('recognises each supported type', () => {
    expect(detectType(png)).toBe('image/png');
    expect(detectType(jpeg)).toBe('image/jpeg');
    expect(detectType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(detectType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(detectType(Buffer.from('\0\0\0\x18ftypisom', 'latin1'))).toBe('video/mp4');
    expect(detectType(Buffer.from('\0\0\0\x14ftypqt  ', 'latin1'))).toBe('video/quicktime');
    expect(detectType(zip)).toBeNull();
  });
  // Size and type checks of uploads: test/unit/forms/uploads.test.ts (direct upload, intent → PUT → complete).
});

describe('versions', () => {
  it('bumps the version on every save, keeps ids, retires left-out items and choices, and keeps answers to them', async () => {
    const forms = new MemoryForms();
    const v1 = survey();
    await forms.create(v1);
    const deps = { forms, responses: forms, uploads: new MemoryUploads(), blobs: new MemoryBlobs(), clock: new FakeClock(NOW) };
    const who = { userId: 'U1', name: '市民', exp: 0 };
    await submitResponse(deps, who, v1.formId, { lang: 'ja', consent: true, answers: { code: 'A1', one: 'a', many: ['x'] } });

    const v2 = editForm(
      v1,
      {
        title: v1.title,
        consent: v1.consent,
        items: [
          v1.items[0],
          { ...v1.items[4], choices: [{ choiceId: 'y', label: { ja: '=ワイ' } }] },
          { type: 'text', label: { ja: '新しい質問' }, required: false },
        ],
      },
      'tester',
      NOW,
    );
    expect(v2.version).toBe(2);
    expect(
      v2.items
        .filter((i) => !i.retired)
        .map((i) => i.itemId)
        .slice(0, 2),
    ).toEqual(['code', 'many']);
    expect(v2.items.find((i) => i.itemId === 'one')!.retired).toBe(true);
    expect(v2.items.find((i) => i.itemId === 'many')!.choices!.find((c) => c.choiceId === 'x')!.retired).toBe(true);
    expect(await forms.save(v2, 1)).toBe('saved');
    expect(await forms.save(v2, 1)).toBe('conflict');

    const added = v2.items.find((i) => i.label.ja === '新しい質問')!.itemId;
    await submitResponse(deps, who, v1.formId, { lang: 'ja', consent: true, answers: { code: 'B2', [added]: 'こんにちは', one: 'a' } });
    expect((await forms.latest(v1.formId, 'U1'))!.answers).toEqual({ code: 'B2', [added]: 'こんにちは', one: 'a' });
    expect(await forms.history(v1.formId, 'U1')).toHaveLength(2);
  });

  it('stores nothing when the transaction fails', async () => {
    const forms = new MemoryForms();
    const form = survey();
    await forms.create(form);
    forms.failNextSubmit = true;
    const deps = { forms, responses: forms, uploads: new MemoryUploads(), blobs: new MemoryBlobs(), clock: new FakeClock(NOW) };
    await expect(
      submitResponse(deps, { userId: 'U1', name: 'x', exp: 0 }, form.formId, { lang: 'ja', consent: true, answers: { code: 'A', one: 'a' } }),
    ).rejects.toThrow();
    expect(forms.historyList).toHaveLength(0);
  });
});

describe('responses CSV', () => {
  it('has a BOM, columns of every version with Japanese labels, choice labels and formula-safe cells', async () => {
    const v1 = survey();
    const v2 = editForm(v1, { title: v1.title, items: [v1.items[0], v1.items[4]] }, 'tester', NOW);
    const response = (userId: string, answers: FormResponse['answers'], version: number): FormResponse => ({
      responseId: 'r',
      formId: v1.formId,
      version,
      userId,
      displayName: '@悪意',
      answers,
      lang: 'en',
      submittedAt: '2026-11-24T01:00:00.000Z',
    });
    async function* pages() {
      yield [response('U1', { code: '-A1', one: 'a', many: ['x', 'y'] }, 1)];
      yield [response('U2', { code: 'B2' }, 2)];
    }
    const out = new PassThrough();
    responsesCsvStream(v2, pages()).pipe(out);
    const chunks: Buffer[] = [];
    for await (const c of out) chunks.push(c as Buffer);
    const buf = Buffer.concat(chunks);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      'ユーザーID,LINE表示名,回答日時（日本時間）,フォーム版,言語,同意日時（日本時間）,番号,複数,数（廃止）,郵便番号（廃止）,一つ（廃止）,日付（廃止）,写真（廃止）',
    );
    expect(lines[1]).toBe("U1,'@悪意,2026-11-24 10:00:00,1,英語,,'-A1,エックス、=ワイ,,,あ,,");
    expect(lines[2]).toBe("U2,'@悪意,2026-11-24 10:00:00,2,英語,,B2,,,,,,");
  });
});

describe('LINE ID token verifier', () => {
  const answer = (status: number, body: unknown) => jest.fn(async () => new Response(JSON.stringify(body), { status }));
  it('posts the token and the channel id, caches a verified token until it expires', async () => {
    let now = 1_000_000_000_000;
    const fetchFn = answer(200, { sub: 'Uabc', aud: '2000', exp: now / 1000 + 60, name: '荒尾' });
    const v = new LineIdTokenVerifier({
      channelId: async () => '2000',
      baseUrl: 'http://line.test',
      fetch: fetchFn as unknown as typeof fetch,
      now: () => now,
    });
    expect(await v.verify('tok')).toEqual({ userId: 'Uabc', name: '荒尾', exp: now / 1000 + 60 });
    await v.verify('tok');
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://line.test/oauth2/v2.1/verify');
    expect(String(init.body)).toBe('id_token=tok&client_id=2000');
    now += 61_000;
    await expect(v.verify('tok')).rejects.toBeInstanceOf(InvalidIdTokenError);
    expect(fetchFn).toHaveBeenCalledTimes(2);
  });

  it('refuses what LINE refuses and a token for another channel', async () => {
    const refused = new LineIdTokenVerifier({
      channelId: async () => '2000',
      baseUrl: 'http://x',
      fetch: answer(400, { error: 'invalid_request', error_description: 'IdToken expired.' }) as unknown as typeof fetch,
    });
    await expect(refused.verify('t')).rejects.toMatchObject({ reason: 'IdToken expired.' });
    const other = new LineIdTokenVerifier({
      channelId: async () => '2000',
      baseUrl: 'http://x',
      fetch: answer(200, { sub: 'U', aud: '9999', exp: 4e9 }) as unknown as typeof fetch,
    });
    await expect(other.verify('t')).rejects.toBeInstanceOf(InvalidIdTokenError);
  });
});
