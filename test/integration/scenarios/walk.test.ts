/**
 * Scenarios on the local runtime (admin API, DynamoDB Local, the webhook consumer's thread, the LINE
 * simulator): staff save and publish a 500-step scenario through the admin API; a simulator citizen
 * starts it with its start word and taps each question's quick reply to the end — every step
 * answered once, none doubled, a redelivered event changing nothing — and the results and CSV show
 * the run with its 500 answers. Outside a run, the keyword rules still answer.
 */
import { LineSimulatorClient } from '../../../simulator/client';
import type { ScenarioDraft } from '../../../functions/scenarios/model';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';
import { yesNoStep } from '../../support/scenario-fakes';

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const tag = Date.now().toString(36);
const STEPS = 500;

beforeAll(async () => {
  expect((await admin.signIn(process.env.IT_ADMIN_LOGIN_ID!, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
});

type Received = { message: { type: string; text?: string; quickReply?: { items: { action: { type: string; label: string; data?: string } }[] } } };

describe('a 500-step scenario in the simulator', () => {
  it('is saved, published and walked to its end by a citizen tapping quick replies, each step once', async () => {
    const word = `アンケート${tag}`;
    const created = await admin.call('POST', '/scenarios', { name: `市民アンケート ${tag}` });
    expect(created.status).toBe(201);
    const id = created.body.header.scenarioId as string;
    const draft: ScenarioDraft = {
      name: `市民アンケート ${tag}`,
      startWords: [word],
      startStepId: 's0',
      timeoutMinutes: 30,
      maxAttempts: 3,
      steps: Array.from({ length: STEPS }, (_, i) => yesNoStep(i, STEPS)),
    };
    const saved = await admin.call('PUT', `/scenarios/${id}`, { ...draft, rev: created.body.header.rev });
    expect(saved.status).toBe(200);
    expect(saved.body.problems).toEqual([]);
    expect(saved.body.steps).toHaveLength(STEPS);
    const published = await admin.call('POST', `/scenarios/${id}/publish`, { version: saved.body.header.latestVersion, rev: saved.body.header.rev });
    expect(published.status).toBe(200);

    const { citizen } = await sim.createCitizen({ displayName: `回答 太郎 ${tag}` });
    const userId = citizen.userId;
    await eventually(() => getItem(`FRIEND#${userId}`, 'PROFILE'), 10_000, 'friend stored');
    let seen = (await sim.waitForReceived(userId, (m) => m.length >= 2, 10_000)).length; // the greeting

    // The start words are re-read by every webhook instance within 3 s.
    await new Promise((r) => setTimeout(r, 3_200));
    await sim.sendText(userId, word);
    let redelivered = false;
    for (let i = 0; i < STEPS; i++) {
      const got = (await sim.waitForReceived(userId, (m) => m.length > seen, 10_000)) as unknown as Received[];
      const fresh = got.slice(seen);
      seen = got.length;
      expect(fresh.map((r) => r.message.text)).toEqual([expect.stringMatching(new RegExp(`^質問${i + 1}：`))]);
      const items = fresh[0]!.message.quickReply!.items;
      expect(items.map((it) => it.action.label)).toEqual(i === 0 ? ['はい', 'いいえ', '最初から'] : ['はい', 'いいえ', '戻る', '最初から']);
      const tap = items[i % 2].action;
      const { event } = await sim.sendPostback(userId, tap.data!, { displayText: tap.label });
      if (i === 10 && !redelivered) {
        // LINE delivers the same event again: nothing moves, the question is asked again at most.
        redelivered = true;
        await sim.waitForReceived(userId, (m) => m.length > seen, 10_000);
        await sim.redeliver((event as { webhookEventId: string }).webhookEventId);
        await new Promise((r) => setTimeout(r, 500));
        const after = (await sim.received(userId)) as unknown as Received[];
        expect(after.slice(seen).every((r) => /^質問12：/.test(r.message.text ?? ''))).toBe(true);
        seen = after.length - 1;
      }
    }
    // The end sends nothing: the run is finished with every answer once.
    const results = await eventually(
      async () => {
        const r = await admin.call('GET', `/scenarios/${id}/results`);
        return r.body.byStatus?.finished === 1 ? r : undefined;
      },
      10_000,
      'the run finished',
    );
    expect(results.body).toMatchObject({ runs: 1, byStatus: { finished: 1, running: 0, abandoned: 0 } });
    const runs = await admin.call('GET', `/scenarios/${id}/runs`);
    expect(runs.body.items).toHaveLength(1);
    const answers = runs.body.items[0].answers as Record<string, { value: string }>;
    expect(Object.keys(answers)).toHaveLength(STEPS);
    expect(answers.q0!.value).toBe('はい');
    expect(answers.q499!.value).toBe('いいえ');
    expect(runs.body.items[0].seq).toBe(STEPS);

    const csv = await admin.call('GET', `/scenarios/${id}/runs.csv`);
    expect(csv.status).toBe(200);
    const [head, row] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(head!.split(',')).toHaveLength(6 + STEPS);
    expect(row).toContain('最後まで進んだ,質問500,');

    // Outside a run the keyword rules answer again.
    const before = (await sim.received(userId)).length;
    await sim.sendText(userId, '粗大ゴミを出したいです');
    const answer = await sim.waitForReceived(userId, (m) => m.length > before, 10_000);
    expect(JSON.stringify(answer.slice(before))).toContain('粗大ごみ');
  }, 240_000);
});
