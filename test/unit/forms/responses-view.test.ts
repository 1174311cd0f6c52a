/**
 * Staff can open what a citizen sent: the responses CSV's photo and video columns hold a link into
 * the console's view of that answer (which asks for sign-in) instead of a bare upload ID, the
 * console lists responses newest first, and the answer view has the latest and earlier answers.
 */
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { responsesCsvStream } from '../../../functions/forms/csv';
import { newForm, type FormResponse } from '../../../functions/forms/form';
import { adminHarness } from '../../support/admin-fakes';

const form = newForm({
  formId: 'F1',
  kind: 'survey',
  title: { ja: '道路の損傷' },
  items: [
    { itemId: 'where', type: 'text', label: { ja: '場所' }, required: true },
    { itemId: 'photo', type: 'image', label: { ja: '写真' }, required: false },
    { itemId: 'clip', type: 'video', label: { ja: '動画' }, required: false },
  ],
  by: 'tester',
  now: new Date('2026-11-01T00:00:00Z'),
});
const userA = `U${'a'.repeat(32)}`;
const userB = `U${'b'.repeat(32)}`;
const response = (userId: string, submittedAt: string, answers: FormResponse['answers']): FormResponse => ({
  responseId: `r-${userId}-${submittedAt}`,
  formId: 'F1',
  version: 1,
  userId,
  displayName: '荒尾 花子',
  answers,
  lang: 'ja',
  submittedAt,
});

describe('responses CSV', () => {
  it('links a photo or video to the console view of that answer; an empty one stays empty', async () => {
    const out = new PassThrough();
    const link = (userId: string, itemId: string) => `https://console.example.jp/surveys/F1/responses/${userId}#item-${itemId}`;
    responsesCsvStream(
      form,
      (async function* () {
        yield [
          response(userA, '2026-12-01T01:00:00.000Z', { where: '駅前', photo: '01JUPLOAD000000000000000AA' }),
          response(userB, '2026-12-01T02:00:00.000Z', { where: '公園' }),
        ];
      })(),
      undefined,
      link,
    ).pipe(out);
    const chunks: Buffer[] = [];
    for await (const c of out) chunks.push(c as Buffer);
    const [header, ...rows] = parse(Buffer.concat(chunks).toString('utf8'), { bom: true }) as string[][];
    const photo = header.indexOf('写真');
    expect(rows.map((r) => r[photo])).toEqual([`https://console.example.jp/surveys/F1/responses/${userA}#item-photo`, '']);
    expect(rows.map((r) => r[header.indexOf('動画')])).toEqual(['', '']);
    expect(Buffer.concat(chunks).toString('utf8')).not.toContain('01JUPLOAD');
  });
});

describe('the console’s view of responses', () => {
  async function withAnswers() {
    const h = adminHarness();
    await h.deps.forms.create(form);
    await h.deps.forms.submit({ response: response(userA, '2026-12-01T01:00:00.000Z', { where: '駅前' }) });
    await h.deps.forms.submit({ response: response(userB, '2026-12-02T01:00:00.000Z', { where: '公園' }) });
    await h.deps.forms.submit({ response: response(userA, '2026-12-03T01:00:00.000Z', { where: '駅前（再送）', photo: 'up1' }) });
    await h.seed('clerk', { permissions: ['surveys'] });
    const { token } = await h.signIn('clerk');
    return { h, token };
  }

  it('lists the latest answers newest first', async () => {
    const { h, token } = await withAnswers();
    const res = await h.call({ path: '/forms/F1/responses', token });
    expect(res.json.items.map((r: FormResponse) => [r.userId, r.submittedAt])).toEqual([
      [userA, '2026-12-03T01:00:00.000Z'],
      [userB, '2026-12-02T01:00:00.000Z'],
    ]);
  });

  it('opens one citizen’s answer with the earlier ones, newest first; 404 for someone who did not answer', async () => {
    const { h, token } = await withAnswers();
    const res = await h.call({ path: `/forms/F1/responses/${userA}`, token });
    expect(res.statusCode).toBe(200);
    expect(res.json.latest).toMatchObject({ userId: userA, answers: { where: '駅前（再送）', photo: 'up1' } });
    expect(res.json.earlier.map((r: FormResponse) => r.answers.where)).toEqual(['駅前']);
    expect((await h.call({ path: `/forms/F1/responses/U${'c'.repeat(32)}`, token })).statusCode).toBe(404);
    expect((await h.call({ path: '/forms/F1/responses/not-a-user', token })).statusCode).toBe(404);
  });
});
