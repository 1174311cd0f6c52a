/**
 * The starter report scenario walked by the engine as a citizen would (category, two photos sent at
 * once as an image set, location, description, consent with name and phone, confirmation) into a
 * report; photos several at a time answered once per set; 「スキップ」 without a photo; 「戻る」.
 */
import { advanceRun, fillAnswers, startRun, type EngineContext, type Input, type Outcome } from '../../../functions/scenarios/engine';
import type { ScenarioRun, Step } from '../../../functions/scenarios/model';
import { reportOf, receiptNo } from '../../../functions/reports/citizen-reports';
import { DEFAULT_REPORT_SETTINGS } from '../../../functions/reports/defaults';
import { STARTER_REPORT_DRAFT } from '../../../functions/reports/starter-scenario';
import { checkDraft } from '../../../functions/scenarios/check';

const NOW = new Date('2026-12-08T01:00:00Z');
const steps = STARTER_REPORT_DRAFT.steps;
const ctx = (lang: EngineContext['lang'] = 'ja', liffId?: string): EngineContext => ({
  ...(liffId ? { liffId } : {}),
  source: { step: async (_s, _v, id) => steps.find((s: Step) => s.stepId === id) ?? null },
  version: { scenarioId: 'SREPORT', version: 1, name: 'x', startStepId: 'category', timeoutMinutes: 60, maxAttempts: 3 },
  lang,
  now: NOW,
  publicBaseUrl: 'https://example.test',
});
const texts = (o: Outcome) => o.messages.map((m) => (m.type === 'text' ? m.text : m.type === 'template' ? m.altText : m.type));
const quick = (o: Outcome) =>
  ((o.messages.at(-1) as { quickReply?: { items: { action: { label: string } }[] } }).quickReply?.items ?? []).map((i) => i.action.label);

let n = 0;
async function answer(run: ScenarioRun, input: Input, lang: EngineContext['lang'] = 'ja'): Promise<Outcome> {
  return advanceRun(ctx(lang), run, input, `E${++n}`);
}
const tap = (run: ScenarioRun, choiceId: string): Input => ({ kind: 'choice', runId: run.runId, seq: run.seq, stepId: run.stepId, choiceId });

describe('the starter report scenario', () => {
  it('passes the checks before publishing', () => {
    expect(checkDraft(STARTER_REPORT_DRAFT).filter((p) => p.level === 'error')).toEqual([]);
  });

  it('walks category → two photos at once → place → text → contact → confirm into a report', async () => {
    let o = await startRun(ctx(), { runId: '01KB0000000000000000000RUN', userId: 'Uabc', eventId: 'E0' });
    expect(texts(o)[0]).toContain('どの種類ですか');
    expect(quick(o)).toEqual(expect.arrayContaining(['道路', '公園', '上下水道', 'その他']));
    o = await answer(o.run, tap(o.run, 'road'));
    expect(o.run.stepId).toBe('photos');
    // Two photos chosen together: one event each, in any order; one reply after the set's last.
    const set = { id: 'SET1', total: 2 };
    o = await answer(o.run, { kind: 'image', messageId: 'M2', set: { ...set, index: 2 } });
    expect(o.messages).toEqual([]);
    expect(o.run.stepId).toBe('photos');
    o = await answer(o.run, { kind: 'image', messageId: 'M1', set: { ...set, index: 1 } });
    expect(texts(o)).toEqual(['写真を受け取りました（2枚）。ほかにもあれば送ってください。終わったら「次へ」を押してください。']);
    expect(quick(o)).toContain('次へ');
    o = await answer(o.run, { kind: 'text', text: '次へ' });
    expect(o.run.stepId).toBe('place');
    o = await answer(o.run, { kind: 'location', latitude: 32.98686, longitude: 130.43341, address: '熊本県荒尾市宮内出目390' });
    o = await answer(o.run, { kind: 'text', text: '歩道に穴があいています。\n深さ10cmほど。' });
    o = await answer(o.run, tap(o.run, 'yes'));
    o = await answer(o.run, { kind: 'text', text: '荒尾 花子' });
    o = await answer(o.run, { kind: 'text', text: '0968-63-1111' });
    expect(o.run.stepId).toBe('confirm');
    expect(texts(o).join('\n')).toContain('種類: 道路\n写真: (写真2枚)\n場所: 熊本県荒尾市宮内出目390');
    o = await answer(o.run, tap(o.run, 'send'));
    expect(o.exit).toEqual({ to: 'report' });
    expect(o.run.exitTo).toBe('report');

    const report = reportOf(o.run, { receiptNo: receiptNo(2026, 7), lang: 'ja', at: NOW.toISOString(), settings: DEFAULT_REPORT_SETTINGS });
    expect(report).toMatchObject({
      reportId: '01KB0000000000000000000RUN',
      receiptNo: '2026-000007',
      category: 'road',
      department: '土木課',
      district: '宮内',
      description: '歩道に穴があいています。\n深さ10cmほど。',
      place: { latitude: 32.98686, longitude: 130.43341, address: '熊本県荒尾市宮内出目390' },
      contact: { name: '荒尾 花子', phone: '0968-63-1111', consentedAt: NOW.toISOString() },
      status: 'received',
      extra: {},
    });
    expect(report.place!.outside).toBeUndefined();
    expect(report.photos.map((p) => [p.photoId, p.status])).toEqual([
      ['M2', 'pending'],
      ['M1', 'pending'],
    ]);
  });

  it('continues without a photo on 「スキップ」, keeps no contact without consent, flags a place outside the city', async () => {
    let o = await startRun(ctx('en'), { runId: 'R2', userId: 'Uabc', eventId: 'E0' });
    o = await answer(o.run, { kind: 'text', text: 'Park' }, 'en');
    expect(o.run.stepId).toBe('photos');
    o = await answer(o.run, { kind: 'text', text: 'Skip' }, 'en');
    expect(o.run.stepId).toBe('place');
    o = await answer(o.run, { kind: 'location', latitude: 33.59, longitude: 130.4, address: 'Fukuoka' }, 'en');
    o = await answer(o.run, { kind: 'text', text: 'Broken bench' }, 'en');
    o = await answer(o.run, tap(o.run, 'no'), 'en');
    expect(o.run.stepId).toBe('confirm');
    o = await answer(o.run, tap(o.run, 'send'), 'en');
    const report = reportOf(o.run, { receiptNo: '2026-000008', lang: 'en', at: NOW.toISOString(), settings: DEFAULT_REPORT_SETTINGS });
    expect(report.category).toBe('park');
    expect(report.photos).toEqual([]);
    expect(report.contact).toBeUndefined();
    expect(report.place!.outside).toBe(true);
  });

  it('moves on by itself at the fifth photo, and 「戻る」 forgets the photos', async () => {
    let o = await startRun(ctx(), { runId: 'R3', userId: 'Uabc', eventId: 'E0' });
    o = await answer(o.run, tap(o.run, 'water'));
    for (let i = 1; i <= 4; i++) o = await answer(o.run, { kind: 'image', messageId: `P${i}` });
    expect(o.run.stepId).toBe('photos');
    expect(texts(o)[0]).toContain('（4枚）');
    o = await answer(o.run, { kind: 'image', messageId: 'P5' });
    expect(o.run.stepId).toBe('place');
    expect(o.run.answers.photos).toEqual({ kind: 'images', messageIds: ['P1', 'P2', 'P3', 'P4', 'P5'] });
    o = await answer(o.run, { kind: 'text', text: '戻る' });
    expect(o.run.stepId).toBe('photos');
    expect(o.run.answers.photos).toBeUndefined();
    // A text that is not 次へ/スキップ at a photo step is asked again, not taken.
    o = await answer(o.run, { kind: 'text', text: 'こんにちは' });
    expect(o.run.stepId).toBe('photos');
    expect(texts(o)[0]).toContain('写真を送ってください');
  });

  it('refuses a place that is not on Earth, and offers the map pin page when the city has a LIFF app', async () => {
    let o = await startRun(ctx(), { runId: 'R4', userId: 'Uabc', eventId: 'E0' });
    o = await answer(o.run, tap(o.run, 'light'));
    o = await answer(o.run, { kind: 'text', text: 'スキップ' });
    expect(o.run.stepId).toBe('place');
    o = await answer(o.run, { kind: 'location', latitude: 32.98, longitude: 130.44, address: '熊本県荒尾市' });
    // An overlong description is refused with the limit, in the citizen's words, and not stored.
    o = await answer(o.run, { kind: 'text', text: 'あ'.repeat(1001) });
    expect(o.run.stepId).toBe('description');
    expect(o.run.answers.description).toBeUndefined();
    expect(texts(o)[0]).toContain('1000');
    o = await answer(o.run, { kind: 'text', text: '戻る' });
    expect(o.run.stepId).toBe('place');
    o = await answer(o.run, { kind: 'location', latitude: 132.9, longitude: 130.4, address: '?' });
    expect(o.run.stepId).toBe('place');
    expect(o.run.answers.place).toBeUndefined();
    expect(texts(o)[0]).toContain('位置情報を送ってください');
    const withLiff = await advanceRun(ctx('ja', '1234567890-AbCdEfGh'), o.run, { kind: 'text', text: 'どこ？' }, 'E-x');
    const items = (withLiff.messages.at(-1) as { quickReply: { items: { action: Record<string, string> }[] } }).quickReply.items.map((i) => i.action);
    expect(items).toEqual(
      expect.arrayContaining([
        { type: 'location', label: '位置情報を送る' },
        { type: 'uri', label: '地図で選ぶ', uri: 'https://liff.line.me/1234567890-AbCdEfGh/reports/place' },
      ]),
    );
  });

  it('says the number of photos in the citizen language', () => {
    const answers = { photos: { kind: 'images' as const, messageIds: ['a', 'b', 'c'] } };
    expect(fillAnswers('写真: {answer.photos}', answers)).toBe('写真: (写真3枚)');
    expect(fillAnswers('Photos: {answer.photos}', answers, 'en')).toBe('Photos: (3 photos)');
    expect(fillAnswers('사진: {answer.photos}', answers, 'ko')).toBe('사진: (사진 3장)');
  });

  it('keeps photos beyond the five of the photo step out of the next question (never a wrong answer)', async () => {
    let o = await startRun(ctx(), { runId: 'R6', userId: 'Uabc', eventId: 'E0' });
    o = await answer(o.run, tap(o.run, 'road'));
    const set = { id: 'SET7', total: 7 };
    for (let i = 1; i <= 7; i++) o = await answer(o.run, { kind: 'image', messageId: `Q${i}`, set: { ...set, index: i } });
    expect(o.run.stepId).toBe('place');
    expect(o.run.attempts).toBe(0);
    expect(o.messages).toEqual([]);
    expect(o.run.answers.photos).toMatchObject({ messageIds: ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'] });
    o = await answer(o.run, { kind: 'location', latitude: 32.98, longitude: 130.44, address: '熊本県荒尾市' });
    expect(o.run.stepId).toBe('description');
  });
});
