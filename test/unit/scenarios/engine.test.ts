/**
 * The scenario engine's rules (functions/scenarios/engine.ts): branching, free-text checks,
 * 「戻る」「最初から」「やめる」, stale buttons, re-prompts and the way out, redelivered events, steps
 * that move on by themselves, exits, languages, and a 500-step scenario walked to its end.
 */
import {
  advanceRun,
  checkText,
  choicePostback,
  fillAnswers,
  isExpired,
  isLive,
  parsePostback,
  startRun,
  type EngineContext,
  type StepSource,
} from '../../../functions/scenarios/engine';
import type { ScenarioRun, ScenarioVersion, Step } from '../../../functions/scenarios/model';
import type { LineMessage } from '../../../functions/ports/line-gateway';

const NOW = new Date('2026-12-07T01:00:00Z');

class MemorySteps implements StepSource {
  reads = 0;
  constructor(private readonly steps: Step[]) {}
  async step(_scenarioId: string, _version: number, stepId: string) {
    this.reads++;
    return this.steps.find((s) => s.stepId === stepId) ?? null;
  }
}

const version = (over: Partial<ScenarioVersion> = {}): ScenarioVersion => ({
  scenarioId: 'S1',
  version: 3,
  name: 'ごみの出し方',
  startStepId: 'kind',
  timeoutMinutes: 30,
  maxAttempts: 3,
  ...over,
});

/** ごみの種類 (choice) → 地区 (text, required, ≤ 10) → 写真 (optional image) → お礼 (no wait) → end. */
const steps: Step[] = [
  {
    stepId: 'kind',
    name: '種類',
    messages: [{ type: 'text', text: { ja: 'どのごみですか？', en: 'Which kind of waste?' } }],
    wait: {
      kind: 'choice',
      display: 'quickReply',
      saveAs: 'kind',
      choices: [
        { choiceId: 'burn', label: { ja: '燃えるごみ', en: 'Burnable' }, next: { to: 'step', stepId: 'district' } },
        { choiceId: 'big', label: { ja: '粗大ごみ', en: 'Oversized' }, next: { to: 'handoff' } },
        { choiceId: 'form', label: { ja: '申込書', en: 'Form' }, next: { to: 'form', formId: 'F9' } },
      ],
    },
  },
  {
    stepId: 'district',
    name: '地区',
    messages: [{ type: 'text', text: { ja: '{answer.kind}ですね。お住まいの地区は？' } }],
    wait: { kind: 'text', rules: { required: true, maxLength: 10 }, saveAs: 'district', next: { to: 'step', stepId: 'photo' } },
  },
  {
    stepId: 'photo',
    name: '写真',
    messages: [{ type: 'text', text: { ja: '写真があれば送ってください。' } }],
    wait: { kind: 'image', optional: true, saveAs: 'photo', next: { to: 'step', stepId: 'thanks' } },
  },
  {
    stepId: 'thanks',
    name: 'お礼',
    messages: [
      {
        type: 'text',
        text: { ja: '{answer.district}の{answer.kind}の収集日をお知らせします。', en: 'We will tell you the collection day for {answer.district}.' },
      },
    ],
    wait: { kind: 'none', next: { to: 'end' } },
  },
];

const ctx = (over: Partial<EngineContext> = {}, source: StepSource = new MemorySteps(steps)): EngineContext => ({
  source,
  version: version(),
  lang: 'ja',
  now: NOW,
  publicBaseUrl: 'https://city.example',
  ...over,
});

const texts = (messages: LineMessage[]) => messages.filter((m) => m.type === 'text').map((m) => (m as { text: string }).text);
const quickLabels = (messages: LineMessage[]) =>
  ((messages[messages.length - 1] as { quickReply?: { items: { action: { label: string } }[] } }).quickReply?.items ?? []).map((i) => i.action.label);

/** A tap on a choice button as LINE sends it back (the run's seq when the button was sent). */
const tap = (run: ScenarioRun, stepId: string, choiceId: string) => ({ kind: 'choice' as const, runId: run.runId, seq: run.seq, stepId, choiceId });

async function started(over: Partial<EngineContext> = {}) {
  const out = await startRun(ctx(over), { runId: 'R1', userId: 'U1', eventId: 'E0' });
  return out.run;
}

describe('a run', () => {
  test('starts at the first step, asks with quick replies in the friend’s language, and is pinned to its version', async () => {
    const out = await startRun(ctx({ lang: 'en' }), { runId: 'R1', userId: 'U1', eventId: 'E0' });
    expect(texts(out.messages)).toEqual(['Which kind of waste?']);
    expect(quickLabels(out.messages)).toEqual(['Burnable', 'Oversized', 'Form', 'Start over']);
    expect(out.run).toMatchObject({ scenarioId: 'S1', version: 3, stepId: 'kind', seq: 0, events: ['E0'], expiresAt: '2026-12-07T01:30:00.000Z' });
  });

  test('follows the tapped choice, stores the answer under its name, fills it into later text, and walks to the end', async () => {
    let run = await started();
    let out = await advanceRun(ctx(), run, tap(run, 'kind', 'burn'), 'E1');
    expect(out.answered).toEqual({ stepId: 'kind', saveAs: 'kind', value: { kind: 'choice', choiceId: 'burn', value: '燃えるごみ' } });
    expect(texts(out.messages)).toEqual(['燃えるごみですね。お住まいの地区は？']);
    expect(quickLabels(out.messages)).toEqual(['戻る', '最初から']);
    run = out.run;
    out = await advanceRun(ctx(), run, { kind: 'text', text: ' 緑ケ丘 ' }, 'E2');
    expect(out.run.answers.district).toEqual({ kind: 'text', text: '緑ケ丘' });
    expect(quickLabels(out.messages)).toEqual(['カメラ', '写真を選ぶ', 'スキップ', '戻る', '最初から']);
    out = await advanceRun(ctx(), out.run, { kind: 'image', messageId: 'M77' }, 'E3');
    // 'thanks' does not wait: its message, then the end.
    expect(texts(out.messages)).toEqual(['緑ケ丘の燃えるごみの収集日をお知らせします。']);
    expect(out).toMatchObject({
      exit: { to: 'end', reason: 'finished' },
      answered: { stepId: 'photo', saveAs: 'photo', value: { kind: 'image', messageId: 'M77' } },
    });
  });

  test('a typed label counts as the tap; edges leave for a hand-off or a form', async () => {
    const run = await started({ lang: 'en' });
    expect(await advanceRun(ctx({ lang: 'en' }), run, { kind: 'text', text: 'oversized' }, 'E1')).toMatchObject({ exit: { to: 'handoff' } });
    expect(await advanceRun(ctx(), run, { kind: 'text', text: '申込書' }, 'E1')).toMatchObject({ exit: { to: 'form', formId: 'F9' } });
  });

  test('the same event twice changes nothing (LINE’s redelivery)', async () => {
    const run = await started();
    const first = await advanceRun(ctx(), run, tap(run, 'kind', 'burn'), 'E1');
    const again = await advanceRun(ctx(), first.run, tap(run, 'kind', 'burn'), 'E1');
    expect(again).toEqual({ run: first.run, messages: [], duplicate: true });
    expect(first.run.seq).toBe(1);
  });

  test('a button of an earlier question, of an earlier visit, or of another run is not an answer, and not counted as a wrong one', async () => {
    const start = await started();
    let run = (await advanceRun(ctx(), start, tap(start, 'kind', 'burn'), 'E1')).run;
    let out = await advanceRun(ctx(), run, tap(start, 'kind', 'big'), 'E2');
    expect(out.run).toMatchObject({ stepId: 'district', attempts: 0 });
    expect(texts(out.messages)[0]).toContain('そのボタンは前の質問のものです');
    // Back at 'kind' (戻る): the buttons sent the first time name an older seq than the ones sent now.
    run = (await advanceRun(ctx(), out.run, { kind: 'text', text: '戻る' }, 'E3')).run;
    expect(run.stepId).toBe('kind');
    out = await advanceRun(ctx(), run, tap(start, 'kind', 'big'), 'E4');
    expect(out.run).toMatchObject({ stepId: 'kind', attempts: 0 });
    out = await advanceRun(ctx(), out.run, { ...tap(out.run, 'kind', 'big'), runId: 'R0' }, 'E5');
    expect(out.exit).toBeUndefined();
    // The buttons of this visit work.
    expect(await advanceRun(ctx(), out.run, tap(out.run, 'kind', 'big'), 'E6')).toMatchObject({ exit: { to: 'handoff' } });
  });

  test('free text is checked (required, length) and re-asked with why; after 3 unexpected answers the run ends with a way out', async () => {
    let run = (await advanceRun(ctx(), await started(), { kind: 'text', text: '燃えるごみ' }, 'E1')).run;
    let out = await advanceRun(ctx(), run, { kind: 'text', text: '　' }, 'E2');
    expect(texts(out.messages)[0]).toBe('すみません、お答えを受け付けられませんでした。もう一度お願いします。\n入力してください。');
    expect(texts(out.messages)[1]).toBe('燃えるごみですね。お住まいの地区は？');
    out = await advanceRun(ctx(), out.run, { kind: 'text', text: 'あ'.repeat(11) }, 'E3');
    expect(texts(out.messages)[0]).toContain('10文字以内で入力してください。');
    expect(out.run.attempts).toBe(2);
    run = out.run;
    out = await advanceRun(ctx(), run, { kind: 'location', latitude: 32.98, longitude: 130.43 }, 'E4');
    expect(out).toMatchObject({ exit: { to: 'end', reason: 'gave_up' } });
    expect(texts(out.messages)[0]).toContain('いったん終了します');
    expect(quickLabels(out.messages)).toEqual(['最初から']);
  });

  test('「戻る」 goes back one question and forgets its answer; at the first question it only asks again; 「最初から」 and 「やめる」 in any language', async () => {
    let run = (await advanceRun(ctx(), await started(), { kind: 'text', text: '燃えるごみ' }, 'E1')).run;
    run = (await advanceRun(ctx(), run, { kind: 'text', text: '緑ケ丘' }, 'E2')).run;
    expect(run.stepId).toBe('photo');
    let out = await advanceRun(ctx(), run, { kind: 'text', text: '戻る' }, 'E3');
    expect(out.run).toMatchObject({ stepId: 'district', trail: ['kind'] });
    expect(out.run.answers).not.toHaveProperty('district');
    out = await advanceRun(ctx(), out.run, { kind: 'text', text: '戻る' }, 'E4');
    expect(out.run).toMatchObject({ stepId: 'kind', trail: [] });
    expect(out.run.answers).not.toHaveProperty('kind');
    out = await advanceRun(ctx(), out.run, { kind: 'text', text: '戻る' }, 'E5');
    expect(out.run).toMatchObject({ stepId: 'kind', attempts: 0 });
    expect(texts(out.messages)).toEqual(['どのごみですか？']);

    run = (await advanceRun(ctx(), out.run, { kind: 'text', text: '燃えるごみ' }, 'E6')).run;
    out = await advanceRun(ctx({ lang: 'en' }), run, { kind: 'text', text: 'START OVER' }, 'E7');
    expect(out.run).toMatchObject({ stepId: 'kind', answers: {}, trail: [], runId: 'R1', seq: run.seq + 1 });
    expect(out.run.events).toContain('E7');
    // The buttons sent after 最初から work.
    expect((await advanceRun(ctx({ lang: 'en' }), out.run, tap(out.run, 'kind', 'burn'), 'E7b')).run.stepId).toBe('district');
    expect(await advanceRun(ctx({ lang: 'ko' }), run, { kind: 'text', text: '그만두기' }, 'E8')).toMatchObject({ exit: { to: 'end', reason: 'quit' } });
    // Another language's command word is an answer like any text (a Korean friend's 'Back' is not 뒤로).
    const district = (await advanceRun(ctx({ lang: 'ko' }), run, { kind: 'text', text: 'Back' }, 'E9')).run;
    expect(district.answers.district).toEqual({ kind: 'text', text: 'Back' });
  });

  test('an optional photo can be skipped; a location step takes a location only', async () => {
    const photo = { ...(await started()), stepId: 'photo', trail: ['kind', 'district'] } satisfies ScenarioRun;
    const out = await advanceRun(ctx(), photo, { kind: 'text', text: 'スキップ' }, 'E1');
    expect(out.answered).toEqual({ stepId: 'photo', saveAs: 'photo', value: { kind: 'skipped' } });
    const where: Step = {
      stepId: 'where',
      name: '場所',
      messages: [{ type: 'text', text: { ja: '場所は？' } }],
      wait: { kind: 'location', saveAs: 'place', next: { to: 'end' } },
    };
    const source = new MemorySteps([where]);
    const run = (await startRun(ctx({ version: version({ startStepId: 'where' }) }, source), { runId: 'R2', userId: 'U1' })).run;
    const wrong = await advanceRun(ctx({ version: version({ startStepId: 'where' }) }, source), run, { kind: 'text', text: '荒尾市役所' }, 'E1');
    expect(texts(wrong.messages)[0]).toContain('位置情報を送ってください');
    const right = await advanceRun(
      ctx({ version: version({ startStepId: 'where' }) }, source),
      wrong.run,
      { kind: 'location', latitude: 32.98, longitude: 130.43, address: '荒尾市宮内出目' },
      'E2',
    );
    expect(right.answered!.value).toEqual({ kind: 'location', latitude: 32.98, longitude: 130.43, address: '荒尾市宮内出目' });
  });

  test('a loop of steps that never wait, or a dangling edge, ends the run politely instead of spinning', async () => {
    const loop: Step[] = [
      { stepId: 'a', name: 'a', messages: [], wait: { kind: 'none', next: { to: 'step', stepId: 'b' } } },
      { stepId: 'b', name: 'b', messages: [], wait: { kind: 'none', next: { to: 'step', stepId: 'a' } } },
    ];
    const out = await startRun(ctx({ version: version({ startStepId: 'a' }) }, new MemorySteps(loop)), { runId: 'R3', userId: 'U1' });
    expect(out).toMatchObject({ exit: { to: 'end', reason: 'broken' } });
    expect(texts(out.messages)).toEqual(['すみません、この案内は現在ご利用いただけません。']);
    const dangling = await startRun(ctx({ version: version({ startStepId: 'nowhere' }) }), { runId: 'R4', userId: 'U1' });
    expect(dangling).toMatchObject({ exit: { to: 'end' } });
  });

  test('expires after the version’s timeout; an ended run is kept (a redelivered last event is still a duplicate) but no longer live', async () => {
    const run = await started();
    expect(isExpired(run, new Date(NOW.getTime() + 29 * 60_000))).toBe(false);
    expect(isExpired(run, new Date(NOW.getTime() + 30 * 60_000))).toBe(true);
    expect(isLive(run, NOW)).toBe(true);
    const quit = await advanceRun(ctx(), run, { kind: 'text', text: 'やめる' }, 'E1');
    expect(quit.run.endedAt).toBe(NOW.toISOString());
    expect(isLive(quit.run, NOW)).toBe(false);
    expect(await advanceRun(ctx(), quit.run, { kind: 'text', text: 'やめる' }, 'E1')).toMatchObject({ duplicate: true, messages: [] });
  });
});

describe('what LINE is sent', () => {
  const choiceStep = (n: number, display: 'quickReply' | 'buttons', question = 'どれですか？'): Step => ({
    stepId: 'pick',
    name: '選択',
    messages: [
      { type: 'text', text: { ja: '説明です。' } },
      { type: 'text', text: { ja: question } },
    ],
    wait: {
      kind: 'choice',
      display,
      choices: Array.from({ length: n }, (_, i) => ({ choiceId: `c${i}`, label: { ja: `選択肢${i + 1}` }, next: { to: 'end' as const } })),
    },
  });
  const first = async (step: Step) =>
    (await startRun(ctx({ version: version({ startStepId: step.stepId }) }, new MemorySteps([step])), { runId: 'R5', userId: 'U1' })).messages;

  test('buttons: the question becomes the template’s text (≤ 4 buttons), more choices a carousel of 3 a column; never more than 5 messages', async () => {
    const four = await first(choiceStep(4, 'buttons'));
    expect(four).toHaveLength(2);
    expect(four[1]).toMatchObject({ type: 'template', template: { type: 'buttons', text: 'どれですか？' } });
    expect((four[1] as { template: { actions: unknown[] } }).template.actions).toHaveLength(4);
    const seven = await first(choiceStep(7, 'buttons', 'あ'.repeat(200)));
    // A question over 160 characters stays a message; the carousel asks plainly.
    expect(texts(seven)).toEqual(['説明です。', 'あ'.repeat(200)]);
    const columns = (seven[2] as { template: { type: string; columns: { text: string; actions: unknown[] }[] } }).template;
    expect(columns.type).toBe('carousel');
    expect(columns.columns.map((c) => [c.text, c.actions.length])).toEqual([
      ['1 / 3', 3],
      ['2 / 3', 3],
      ['3 / 3', 3],
    ]);
    const five: Step = { ...choiceStep(2, 'buttons'), messages: Array.from({ length: 5 }, (_, i) => ({ type: 'text' as const, text: { ja: `文${i}` } })) };
    const sent = await first(five);
    expect(sent).toHaveLength(5);
    expect(sent[4]).toMatchObject({ type: 'template', template: { type: 'buttons', text: '文4' } });
  });

  test('quick replies: at most 13, 最初から always among them; labels cut to 20 characters; a step without text asks plainly', async () => {
    const many = await first(choiceStep(15, 'quickReply'));
    const labels = quickLabels(many);
    expect(labels).toHaveLength(13);
    expect(labels[12]).toBe('最初から');
    const long: Step = {
      ...choiceStep(1, 'quickReply'),
      messages: [],
      wait: {
        kind: 'choice',
        display: 'quickReply',
        choices: [{ choiceId: 'x', label: { ja: 'とても長い選択肢の名前がここに入ります二十字超' }, next: { to: 'end' } }],
      },
    };
    const asked = await first(long);
    expect(texts(asked)).toEqual(['お選びください。']);
    expect([...quickLabels(asked)[0]!]).toHaveLength(20);
  });

  test('a new run after an earlier one continues its seq and remembers its events', async () => {
    const earlier = (await advanceRun(ctx(), await started(), { kind: 'text', text: 'やめる' }, 'E1')).run;
    const next = await startRun(ctx(), { runId: 'R6', userId: 'U1', eventId: 'E2', previous: earlier });
    expect(next.run).toMatchObject({ runId: 'R6', seq: earlier.seq + 1, stepId: 'kind' });
    expect(next.run.events).toEqual(['E0', 'E1', 'E2']);
    expect(next.run.endedAt).toBeUndefined();
    expect(await advanceRun(ctx(), next.run, { kind: 'text', text: 'やめる' }, 'E1')).toMatchObject({ duplicate: true });
  });
});

describe('pieces', () => {
  test('postback data names run, step and choice, and nothing else parses', () => {
    expect(parsePostback(choicePostback('R1', 7, 'kind', 'burn'))).toEqual({ kind: 'choice', runId: 'R1', seq: 7, stepId: 'kind', choiceId: 'burn' });
    expect(parsePostback('form=F1')).toBeNull();
    expect(parsePostback('sc|R1|7|kind')).toBeNull();
    expect(parsePostback('sc|R1|x|kind|burn')).toBeNull();
    expect(parsePostback('sc|R1|7|kind|burn|x')).toBeNull();
  });

  test('free-text formats: numbers (full-width too), alphanumeric, real dates, patterns', () => {
    expect(checkText('１２３', { required: true, format: 'number' })).toBeNull();
    expect(checkText('-1,200.5', { required: true, format: 'number' })).toBeNull();
    expect(checkText('12a', { required: true, format: 'number' })).toBe('number');
    expect(checkText('ＡＢＣ123', { required: true, format: 'alphanumeric' })).toBeNull();
    expect(checkText('AB-1', { required: true, format: 'alphanumeric' })).toBe('alphanumeric');
    expect(checkText('2026年12月7日', { required: true, format: 'date' })).toBeNull();
    expect(checkText('2026/2/30', { required: true, format: 'date' })).toBe('date');
    expect(checkText('090-1234-5678', { required: true, format: 'pattern', pattern: '\\d{2,4}-\\d{2,4}-\\d{4}' })).toBeNull();
    expect(checkText('0901234', { required: true, format: 'pattern', pattern: '\\d{2,4}-\\d{2,4}-\\d{4}' })).toBe('pattern');
    expect(checkText('', { required: false, format: 'number' })).toBeNull();
    expect(checkText('x'.repeat(1001), { required: true })).toBe('tooLong');
  });

  test('answers fill templates; unknown names leave nothing', () => {
    expect(fillAnswers('{answer.a}と{answer.b}と{answer.zz}', { a: { kind: 'text', text: '北' }, b: { kind: 'choice', choiceId: 'c', value: '燃える' } })).toBe(
      '北と燃えると',
    );
  });
});

test('a 500-step scenario is walked to its end, one step read per answer (steps are read as reached, never all at once)', async () => {
  const many: Step[] = Array.from({ length: 500 }, (_, i) => ({
    stepId: `s${i}`,
    name: `質問${i + 1}`,
    messages: [{ type: 'text', text: { ja: `質問${i + 1}：はい／いいえ` } }],
    wait: {
      kind: 'choice',
      display: 'quickReply',
      saveAs: `q${i}`,
      choices: [
        { choiceId: 'y', label: { ja: 'はい' }, next: i === 499 ? { to: 'end' } : { to: 'step', stepId: `s${i + 1}` } },
        { choiceId: 'n', label: { ja: 'いいえ' }, next: i === 499 ? { to: 'end' } : { to: 'step', stepId: `s${i + 1}` } },
      ],
    },
  }));
  const source = new MemorySteps(many);
  const c = ctx({ version: version({ startStepId: 's0' }) }, source);
  let out = await startRun(c, { runId: 'R9', userId: 'U9' });
  for (let i = 0; i < 500; i++) {
    expect(out.run.stepId).toBe(`s${i}`);
    out = await advanceRun(c, out.run, tap(out.run, `s${i}`, i % 2 ? 'n' : 'y'), `E${i}`);
  }
  expect(out).toMatchObject({ exit: { to: 'end' }, answered: { stepId: 's499', value: { value: 'いいえ' } } });
  // Start: one read; each answer: the current step and the next one.
  expect(source.reads).toBe(1 + 500 * 2 - 1);
});
