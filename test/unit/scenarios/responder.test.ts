/**
 * Scenarios in the webhook's dispatcher (functions/scenarios/responder.ts): what starts a run (a
 * start word, a start postback, the onboarding), a start word against a question's choice, the
 * dispatcher order (scenario over keyword over default), redelivery, races on the run's seq, a
 * timed-out run, a stale button after the end, exits to another scenario, a form and a hand-off,
 * a version published mid-run, and answers of more than 5 messages split by `answer`.
 */
import { choicePostback } from '../../../functions/scenarios/engine';
import type { ScenarioDraft, Step } from '../../../functions/scenarios/model';
import { ScenarioRuntime, startPostback } from '../../../functions/scenarios/responder';
import { createScenario, publishScenario, saveScenario, type StaffScenariosDeps } from '../../../functions/scenarios/staff-scenarios';
import type { SignedIn } from '../../../functions/staff/context';
import { Dispatcher, type InboundMessage, type Responder } from '../../../functions/webhook/dispatcher';
import { answer } from '../../../functions/messaging/outbound';
import type { LineMessage } from '../../../functions/ports/line-gateway';
import { MemoryAudit } from '../../support/admin-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryScenarioRuns, MemoryScenarios } from '../../support/scenario-fakes';

const who = { account: { loginId: 'kikaku01', role: 'general', permissions: ['scenarios'] }, ip: '192.0.2.1' } as unknown as SignedIn;
const USER = 'U0000000000000000000000000000aaaa';

const say = (stepId: string, text: string, wait: Step['wait']): Step => ({
  stepId,
  name: stepId,
  messages: [{ type: 'text', text: { ja: text, en: `EN ${text}` } }],
  wait,
});

/** 種類 (choice: 燃えるごみ → 地区, 相談 → hand-off, 申込 → form, 通報 → another scenario) → 地区 (text) → end. */
function garbage(over: Partial<ScenarioDraft>, reportId: string): ScenarioDraft {
  return {
    name: 'ごみ案内',
    startWords: ['ごみ案内'],
    startStepId: 'kind',
    timeoutMinutes: 30,
    maxAttempts: 3,
    steps: [
      say('kind', '何を出しますか？', {
        kind: 'choice',
        display: 'quickReply',
        saveAs: 'kind',
        choices: [
          { choiceId: 'burn', label: { ja: '燃えるごみ' }, next: { to: 'step', stepId: 'district' } },
          { choiceId: 'talk', label: { ja: '相談' }, next: { to: 'handoff' } },
          { choiceId: 'apply', label: { ja: '申込' }, next: { to: 'form', formId: 'F1' } },
          { choiceId: 'report', label: { ja: '通報案内' }, next: { to: 'scenario', scenarioId: reportId } },
        ],
      }),
      say('district', '{answer.kind}ですね。地区は？', { kind: 'text', rules: { required: true, maxLength: 10 }, saveAs: 'district', next: { to: 'end' } }),
    ],
    ...over,
  };
}

async function setup() {
  const store = new MemoryScenarios();
  const runs = new MemoryScenarioRuns();
  const clock = new FakeClock(new Date('2026-12-07T01:00:00Z'));
  const staff: StaffScenariosDeps = {
    audit: new MemoryAudit(),
    clock,
    definitions: store,
    steps: store,
    results: runs,
    media: { get: async () => null },
    forms: { get: async (id: string) => ({ formId: id, status: 'published', title: { ja: '申込書' } }) as never },
  };
  /** Creates, saves and publishes a scenario; returns its ID. */
  const publish = async (make: (id: string) => ScenarioDraft) => {
    const id = (await createScenario(staff, who, { name: 'x' })).header.scenarioId;
    await saveScenario(staff, who, id, { ...make(id), rev: 2 });
    await publishScenario(staff, who, id, { version: 2, rev: 3 });
    return id;
  };
  const handoffs: string[] = [];
  const reports: string[] = [];
  let n = 0;
  const runtime = new ScenarioRuntime({
    definitions: store,
    steps: store,
    runs,
    clock,
    publicBaseUrl: 'https://civic-line.example',
    liffId: '2000000000-LocalSim',
    newRunId: () => `RUN${++n}`,
    handoff: async ({ userId }) => {
      handoffs.push(userId);
      return [{ type: 'text', text: '担当者におつなぎします。' }];
    },
    report: async ({ run }) => {
      reports.push(run.runId);
      return [{ type: 'text', text: `受付番号: ${run.runId}` }];
    },
  });
  const keyword: Responder = { name: 'keyword', respond: async (m) => (m.text === 'ごみの日' ? [{ type: 'text', text: 'キーワードの答え' }] : null) };
  const dispatcher = new Dispatcher([runtime.responder(), keyword], { name: 'default-reply', respond: async () => [{ type: 'text', text: '既定の返事' }] });
  let event = 0;
  const send = async (m: Partial<InboundMessage>, messageId = `E${++event}`) =>
    dispatcher.dispatch({ userId: USER, messageId, at: clock.now(), friend: null, language: 'ja', kind: 'text', ...m });
  return { store, runs, clock, staff, publish, runtime, handoffs, reports, send, staffDeps: staff };
}

const texts = (messages: LineMessage[]) => messages.map((m) => (m.type === 'text' ? m.text : m.type === 'template' ? `[${m.altText}]` : `(${m.type})`));

describe('scenario responder', () => {
  it('starts on a start word (as typed: ゴミ案内), walks to the end, and leaves other texts to the keyword rules', async () => {
    const { publish, send, runs } = await setup();
    const id = await publish((self) => garbage({}, self));
    expect(await send({ text: 'ごみの日' })).toMatchObject({ responder: 'keyword' });
    const started = await send({ text: 'ゴミ案内' });
    expect(started.responder).toBe('scenario');
    expect(texts(started.messages)).toEqual(['何を出しますか？']);
    expect(texts((await send({ text: '燃えるごみ' })).messages)).toEqual(['燃えるごみですね。地区は？']);
    // While a run waits for free text, a keyword rule's word is an answer, not a keyword.
    expect(texts((await send({ text: 'ごみの日' })).messages)).toEqual([]);
    const run = await runs.get(USER);
    expect(run).toMatchObject({ scenarioId: id, answers: { kind: { value: '燃えるごみ' }, district: { text: 'ごみの日' } } });
    expect(run!.endedAt).toBeDefined();
    expect([...runs.records.values()]).toEqual([expect.objectContaining({ status: 'finished', stepId: 'district' })]);
    // Ended: the next text is the keyword rules' again.
    expect(await send({ text: 'ごみの日' })).toMatchObject({ responder: 'keyword' });
  });

  it('starts by a postback (rich menu, a delivery button) and says so when the scenario is not published', async () => {
    const { publish, send } = await setup();
    const id = await publish((self) => garbage({}, self));
    expect(texts((await send({ kind: 'postback', postbackData: startPostback(id) })).messages)).toEqual(['何を出しますか？']);
    expect(texts((await send({ kind: 'postback', postbackData: startPostback('01KA0000000000000000000000') })).messages)).toEqual([
      'すみません、この案内は現在ご利用いただけません。',
    ]);
  });

  it("lets a start word start another scenario mid-run, but not over one of the question's choices", async () => {
    const { publish, send, runs } = await setup();
    const first = await publish((self) => garbage({}, self));
    const second = await publish((self) => garbage({ startWords: ['燃えるごみ', '相談窓口'], name: '相談' }, self));
    await send({ text: 'ごみ案内' });
    // 燃えるごみ is a choice of the current question: the answer, not the other scenario's start word.
    await send({ text: '燃えるごみ' });
    expect((await runs.get(USER))!.scenarioId).toBe(first);
    // At the free-text question, the other scenario's word starts it.
    expect(texts((await send({ text: '相談窓口' })).messages)).toEqual(['何を出しますか？']);
    expect((await runs.get(USER))!.scenarioId).toBe(second);
  });

  it('changes nothing on a redelivered event: the current question is asked again', async () => {
    const { publish, send, runs } = await setup();
    await publish((self) => garbage({}, self));
    await send({ text: 'ごみ案内' }, 'START');
    const first = await send({ text: '燃えるごみ' }, 'ANSWER');
    const again = await send({ text: '燃えるごみ' }, 'ANSWER');
    expect(texts(again.messages)).toEqual(texts(first.messages));
    expect((await runs.get(USER))!.seq).toBe(1);
  });

  it('reads the run again when another event moved it meanwhile (no two events advance from one position)', async () => {
    const { publish, send, runs } = await setup();
    await publish((self) => garbage({}, self));
    await send({ text: 'ごみ案内' });
    // Another worker applies "燃えるごみ" between this event's read and its write.
    let raced = false;
    runs.beforeSave = () => {
      if (raced) return;
      raced = true;
      const stored = runs.runs.get(USER)!;
      runs.runs.set(USER, {
        ...stored,
        stepId: 'district',
        seq: stored.seq + 1,
        trail: ['kind'],
        answers: { kind: { kind: 'choice', choiceId: 'burn', value: '燃えるごみ' } },
      });
    };
    const reply = await send({ text: '緑ケ丘' });
    // Read again: 緑ケ丘 answers the district question the other event moved the run to.
    expect(texts(reply.messages)).toEqual([]);
    expect(await runs.get(USER)).toMatchObject({ seq: 2, answers: { district: { text: '緑ケ丘' } } });
    expect((await runs.get(USER))!.endedAt).toBeDefined();
  });

  it('forgets a run after its timeout, and answers a button of an ended run plainly', async () => {
    const { publish, send, clock, runs } = await setup();
    await publish((self) => garbage({}, self));
    const asked = await send({ text: 'ごみ案内' });
    const run = (await runs.get(USER))!;
    clock.current = new Date(clock.current.getTime() + 31 * 60_000);
    expect(await send({ text: 'ごみの日' })).toMatchObject({ responder: 'keyword' });
    const tap = choicePostback(run.runId, run.seq, 'kind', 'burn');
    expect(asked.messages[0]).toMatchObject({
      quickReply: { items: expect.arrayContaining([expect.objectContaining({ action: expect.objectContaining({ data: tap }) })]) },
    });
    expect(texts((await send({ kind: 'postback', postbackData: tap })).messages)).toEqual([
      'この質問の受付は終わりました。もう一度始めるときは、メニューから選んでください。',
    ]);
  });

  it('leaves for a form (its LIFF address), a hand-off (the chat says what happens) and another scenario (started at once)', async () => {
    const { publish, send, handoffs } = await setup();
    const report = await publish(() => ({
      ...garbage({ startWords: ['通報'] }, 'none'),
      steps: [say('kind', '通報の種類は？', { kind: 'text', rules: { required: true }, next: { to: 'end' } })],
    }));
    await publish(() => garbage({}, report));

    await send({ text: 'ごみ案内' });
    const form = await send({ text: '申込' });
    expect(form.messages).toEqual([
      expect.objectContaining({
        type: 'template',
        template: expect.objectContaining({ actions: [expect.objectContaining({ uri: 'https://liff.line.me/2000000000-LocalSim/forms/F1' })] }),
      }),
    ]);

    await send({ text: 'ごみ案内' });
    expect(texts((await send({ text: '相談' })).messages)).toEqual(['担当者におつなぎします。']);
    expect(handoffs).toEqual([USER]);

    await send({ text: 'ごみ案内' });
    expect(texts((await send({ text: '通報案内' })).messages)).toEqual(['通報の種類は？']);
  });

  it('makes a report at a report edge; the event that ended the run, retried, answers the same receipt; an older event retried does not', async () => {
    const { publish, send, reports } = await setup();
    await publish(() => ({
      ...garbage({ startWords: ['通報'] }, 'none'),
      startStepId: 'what',
      steps: [say('what', '何がありましたか？', { kind: 'text', rules: { required: true }, saveAs: 'description', next: { to: 'report' } })],
    }));
    await send({ text: '通報' }, 'W1');
    const done = await send({ text: '穴があいています' }, 'W2');
    expect(texts(done.messages)).toEqual(['受付番号: RUN1']);
    // LINE redelivers the last event (its reply failed): the report edge answers again (idempotent by the run).
    expect(texts((await send({ text: '穴があいています' }, 'W2')).messages)).toEqual(['受付番号: RUN1']);
    // An older event of the run, retried late: nothing (no second receipt).
    expect((await send({ text: '通報' }, 'W1')).messages).toEqual([]);
    expect(reports).toEqual(['RUN1', 'RUN1']);
  });

  it('finishes a run on the version it started on when staff publish another meanwhile', async () => {
    const { publish, send, staffDeps, store } = await setup();
    const id = await publish((self) => garbage({}, self));
    await send({ text: 'ごみ案内' });
    await saveScenario(staffDeps, who, id, { ...garbage({ steps: [say('kind', '新しい質問', { kind: 'none', next: { to: 'end' } })] }, id), rev: 4 });
    await publishScenario(staffDeps, who, id, { version: 3, rev: 5 });
    expect(store.headers.get(id)!.publishedVersion).toBe(3);
    expect(texts((await send({ text: '燃えるごみ' })).messages)).toEqual(['燃えるごみですね。地区は？']);
    await send({ text: '緑ケ丘' });
    expect(texts((await send({ text: 'ごみ案内' })).messages)).toEqual(['新しい質問']);
  });

  it('starts the scenario again on 「最初から」 after a run gave up (the way out it offers), not the default reply', async () => {
    const { publish, send, runs } = await setup();
    const id = await publish((self) => garbage({ maxAttempts: 1 }, self));
    await send({ text: 'ごみ案内' });
    const gaveUp = await send({ text: 'わからない' });
    expect(texts(gaveUp.messages)[0]).toMatch(/いったん終了します/);
    expect((await runs.get(USER))!.endedAt).toBeDefined();
    const again = await send({ text: '最初から' });
    expect(again.responder).toBe('scenario');
    expect(texts(again.messages)).toEqual(['何を出しますか？']);
    expect(await runs.get(USER)).toMatchObject({ scenarioId: id, stepId: 'kind' });
  });

  it('says plainly that no one can take a hand-off while 1:1 chat is not there', async () => {
    const { publish, store, runs, clock } = await setup();
    await publish((self) => garbage({}, self));
    const runtime = new ScenarioRuntime({ definitions: store, steps: store, runs, clock, publicBaseUrl: '', newRunId: () => 'R', liffId: undefined });
    const ask = (text: string, messageId: string) =>
      runtime.respond({ userId: USER, messageId, at: clock.now(), friend: null, language: 'ja', kind: 'text', text });
    await ask('ごみ案内', 'A1');
    expect(texts((await ask('相談', 'A2'))!)).toEqual([
      '申し訳ありません。ただいま職員がこのトークでお返事できません。お急ぎの場合は市役所の担当課へお電話ください。',
    ]);
  });

  it('starts the onboarding scenario after the greeting, once per follow event', async () => {
    const { publish, runtime, store, runs } = await setup();
    const id = await publish((self) => garbage({}, self));
    expect(await runtime.onboard({ userId: USER, language: 'en', eventId: 'FOLLOW' })).toEqual([]);
    store.settingsItem = { onboardingScenarioId: id, rev: 1 };
    const first = await runtime.onboard({ userId: USER, language: 'en', eventId: 'FOLLOW' });
    expect(texts(first)).toEqual(['EN 何を出しますか？']);
    expect(texts(await runtime.onboard({ userId: USER, language: 'en', eventId: 'FOLLOW' }))).toEqual(['EN 何を出しますか？']);
    expect((await runs.get(USER))!.seq).toBe(0);
  });
});

describe('answers of more than 5 messages', () => {
  it('reply the first 5 and push the rest, each push with its own retry key', async () => {
    const calls: string[] = [];
    const line = {
      reply: async (_t: string, m: LineMessage[]) => void calls.push(`reply ${m.length}`),
      push: async (_u: string, m: LineMessage[], key: string) => void calls.push(`push ${m.length} ${key}`),
    };
    const logged: number[] = [];
    const deps = { line, conversations: { append: async (e: { messages?: unknown[] }) => void logged.push(e.messages!.length) }, clock: new FakeClock() };
    const twelve = Array.from({ length: 12 }, (_, i): LineMessage => ({ type: 'text', text: `${i}` }));
    await answer(deps as never, { userId: USER, replyToken: 'r', webhookEventId: 'EV1' }, twelve);
    expect(calls.map((c) => c.replace(/[0-9a-f-]{36}$/, 'KEY'))).toEqual(['reply 5', 'push 5 KEY', 'push 2 KEY']);
    const keys = calls.slice(1).map((c) => c.split(' ')[2]);
    expect(new Set(keys).size).toBe(2);
    expect(logged).toEqual([12]);
  });
});
