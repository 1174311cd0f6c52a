/**
 * Scenario staff use cases (functions/scenarios/staff-scenarios.ts) and the checks before publish
 * (check.ts): every save a new version, publish refused with an error, rollback restoring an older
 * version's start words, a start word owned by one scenario, results with abandoned steps, the CSV.
 */
import { checkDraft } from '../../../functions/scenarios/check';
import type { ScenarioDraft, Step } from '../../../functions/scenarios/model';
import {
  createScenario,
  deleteScenario,
  exportRuns,
  listRuns,
  publishScenario,
  saveScenario,
  saveSettings,
  scenarioResults,
  unpublishScenario,
  type StaffScenariosDeps,
} from '../../../functions/scenarios/staff-scenarios';
import type { SignedIn } from '../../../functions/staff/context';
import { ConflictError, ValidationError } from '../../../functions/shared/errors';
import { saveBody } from '../../../functions/scenarios/schemas';
import { MemoryAudit } from '../../support/admin-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryScenarioRuns, MemoryScenarios } from '../../support/scenario-fakes';

const who = { account: { loginId: 'kikaku01', role: 'general', permissions: ['scenarios'] }, ip: '192.0.2.1' } as unknown as SignedIn;

const ask = (stepId: string, next: Step['wait']): Step => ({
  stepId,
  name: `${stepId}の質問`,
  messages: [{ type: 'text', text: { ja: `${stepId}？` } }],
  wait: next,
});

function draft(over: Partial<ScenarioDraft> = {}): ScenarioDraft {
  return {
    name: '粗大ごみの申込み案内',
    startWords: ['粗大ごみ案内'],
    startStepId: 'kind',
    timeoutMinutes: 30,
    maxAttempts: 3,
    steps: [
      ask('kind', {
        kind: 'choice',
        display: 'quickReply',
        saveAs: 'kind',
        choices: [
          { choiceId: 'sofa', label: { ja: 'ソファ' }, next: { to: 'step', stepId: 'district' } },
          { choiceId: 'other', label: { ja: 'その他' }, next: { to: 'handoff' } },
        ],
      }),
      ask('district', { kind: 'text', rules: { required: true, maxLength: 20 }, saveAs: 'district', next: { to: 'end' } }),
    ],
    ...over,
  };
}

function setup() {
  const store = new MemoryScenarios();
  const runs = new MemoryScenarioRuns();
  const audit = new MemoryAudit();
  const clock = new FakeClock(new Date('2026-12-07T01:00:00Z'));
  const deps: StaffScenariosDeps = {
    audit,
    clock,
    definitions: store,
    steps: store,
    results: runs,
    media: { get: async () => null },
    forms: { get: async () => null },
  };
  return { store, runs, audit, clock, deps };
}

describe('checks before publish', () => {
  it('passes a sound scenario', () => {
    expect(checkDraft(draft())).toEqual([]);
  });

  it('finds dangling edges, unreachable steps, loops without a way out and loops that never wait', () => {
    const problems = checkDraft(
      draft({
        steps: [
          ask('kind', {
            kind: 'choice',
            display: 'quickReply',
            choices: [
              { choiceId: 'a', label: { ja: 'A' }, next: { to: 'step', stepId: 'missing' } },
              { choiceId: 'b', label: { ja: 'B' }, next: { to: 'step', stepId: 'loop1' } },
              { choiceId: 'c', label: { ja: 'C' }, next: { to: 'step', stepId: 'spin1' } },
            ],
          }),
          ask('loop1', { kind: 'text', rules: { required: true }, next: { to: 'step', stepId: 'loop2' } }),
          ask('loop2', { kind: 'text', rules: { required: true }, next: { to: 'step', stepId: 'loop1' } }),
          ask('spin1', { kind: 'none', next: { to: 'step', stepId: 'spin2' } }),
          ask('spin2', { kind: 'none', next: { to: 'step', stepId: 'spin1' } }),
          ask('island', { kind: 'none', next: { to: 'end' } }),
        ],
      }),
    );
    const errors = problems.filter((p) => p.level === 'error').map((p) => `${p.stepId}: ${p.message}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kind: .*行き先のステップ「missing」がありません/),
        expect.stringMatching(/^island: .*どこからも進めません/),
        expect.stringMatching(/^loop1: .*抜け出せないループ/),
        expect.stringMatching(/^loop2: .*抜け出せないループ/),
        expect.stringMatching(/^spin1: .*応答を待たないステップだけのループ/),
      ]),
    );
    // The step that only leads into loops cannot reach an end either: kind's 'missing' edge is no way out.
    expect(errors.some((e) => e.startsWith('kind: ') && e.includes('抜け出せない'))).toBe(true);
  });

  it('warns of a language some texts have and others lack, and of answers nobody saves', () => {
    const d = draft();
    (d.steps[0]!.messages[0] as { text: Record<string, string> }).text.en = 'Which item?';
    d.steps[1]!.messages = [{ type: 'text', text: { ja: '{answer.kind}ですね。{answer.nothing}地区は？' } }];
    const warnings = checkDraft(d).filter((p) => p.level === 'warning');
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('{answer.nothing}'),
      expect.stringMatching(/^英語の訳がないステップが2個あります（「kindの質問」、「districtの質問」）/),
    ]);
  });

  it('refuses more quick-reply choices than LINE shows beside 戻る and 最初から', () => {
    const choices = Array.from({ length: 12 }, (_, i) => ({ choiceId: `c${i}`, label: { ja: `選択${i}` }, next: { to: 'end' as const } }));
    const problems = checkDraft(draft({ startStepId: 'kind', steps: [ask('kind', { kind: 'choice', display: 'quickReply', choices })] }));
    expect(problems).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('クイックリプライで11個まで') })]);
  });
});

describe('versions, publish and roll back', () => {
  it('creates a scenario with a first version, saves new versions and publishes one with its start words', async () => {
    const { deps, store, audit } = setup();
    const created = await createScenario(deps, who, { name: '粗大ごみの申込み案内' });
    expect(created.header).toMatchObject({ latestVersion: 1, rev: 2, versions: [expect.objectContaining({ version: 1, steps: 1 })] });
    expect(created.problems).toEqual([]);

    const id = created.header.scenarioId;
    const saved = await saveScenario(deps, who, id, { ...draft(), rev: 2 });
    expect(saved.header).toMatchObject({ latestVersion: 2, rev: 3 });
    expect(saved.steps.map((s) => s.stepId)).toEqual(['kind', 'district']);
    await expect(saveScenario(deps, who, id, { ...draft(), rev: 2 })).rejects.toThrow(ConflictError);

    const published = await publishScenario(deps, who, id, { version: 2, rev: 3 });
    expect(published).toMatchObject({ publishedVersion: 2, startWords: ['粗大ごみ案内'], rev: 4 });
    expect([...store.words]).toEqual([['粗大ごみ案内', id]]);

    // Version 3 renames the start word; rolling back to 2 gives the old one back.
    await saveScenario(deps, who, id, { ...draft({ startWords: ['そだいごみ'] }), rev: 4 });
    await publishScenario(deps, who, id, { version: 3, rev: 5 });
    expect([...store.words]).toEqual([['そだいごみ', id]]);
    const back = await publishScenario(deps, who, id, { version: 2, rev: 6 });
    expect(back.publishedVersion).toBe(2);
    expect([...store.words]).toEqual([['粗大ごみ案内', id]]);
    expect(audit.entries.map((e) => e.action)).toEqual([
      'scenario.created',
      'scenario.saved',
      'scenario.published',
      'scenario.saved',
      'scenario.published',
      'scenario.published',
    ]);
  });

  it('refuses to publish a version with an error, and a start word another scenario owns', async () => {
    const { deps } = setup();
    const a = (await createScenario(deps, who, { name: 'A' })).header.scenarioId;
    await saveScenario(deps, who, a, { ...draft({ startStepId: 'nowhere' }), rev: 2 });
    await expect(publishScenario(deps, who, a, { version: 2, rev: 3 })).rejects.toThrow(/公開できません：最初のステップが見つかりません/);

    await saveScenario(deps, who, a, { ...draft(), rev: 3 });
    await publishScenario(deps, who, a, { version: 3, rev: 4 });
    const b = (await createScenario(deps, who, { name: 'B' })).header.scenarioId;
    await saveScenario(deps, who, b, { ...draft({ startWords: ['粗大ゴミ案内'] }), rev: 2 });
    // ゴミ and ごみ are one word after normalisation.
    await expect(publishScenario(deps, who, b, { version: 2, rev: 3 })).rejects.toThrow(
      '開始キーワード「粗大ゴミ案内」は、シナリオ「粗大ごみの申込み案内」が使っています。',
    );
  });

  it('keeps a saved version as it was when two staff save from the same revision at once', async () => {
    const { deps, store } = setup();
    const id = (await createScenario(deps, who, { name: '同時に保存' })).header.scenarioId;
    const mine = { ...draft({ name: 'わたしの版' }), rev: 2 };
    const theirs = { ...draft({ name: 'あなたの版', steps: [...draft().steps, ask('extra', { kind: 'none', next: { to: 'end' } })] }), rev: 2 };
    const results = await Promise.allSettled([saveScenario(deps, who, id, mine), saveScenario(deps, who, id, theirs)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ header: { name: string } }>).value.header.name;
    // Version 2's steps are the winner's only (the loser wrote its own apart and nobody reads them).
    const steps = (await store.versionSteps(id, 2)).map((s) => s.stepId).sort();
    expect(steps).toEqual(winner === 'あなたの版' ? ['district', 'extra', 'kind'] : ['district', 'kind']);
  });

  it('refuses duplicate step IDs in the body, and start words the runs use as commands', async () => {
    const { deps } = setup();
    const dup = saveBody.safeParse({ ...draft({ steps: [draft().steps[0]!, draft().steps[0]!] }), rev: 1 });
    expect(dup.success).toBe(false);
    expect(JSON.stringify(dup.error?.issues)).toContain('ステップID「kind」が重複しています。');
    const id = (await createScenario(deps, who, { name: 'コマンド' })).header.scenarioId;
    const saved = await saveScenario(deps, who, id, { ...draft({ startWords: ['最初から', 'Back'] }), rev: 2 });
    expect(saved.problems.filter((p) => p.level === 'error').map((p) => p.message)).toEqual([
      expect.stringContaining('開始キーワード「最初から」は、シナリオの途中で使う言葉'),
      expect.stringContaining('開始キーワード「Back」は、シナリオの途中で使う言葉'),
    ]);
  });

  it('keeps the onboarding scenario published and undeleted while it is set', async () => {
    const { deps, store } = setup();
    const id = (await createScenario(deps, who, { name: 'はじめての方へ' })).header.scenarioId;
    await expect(saveSettings(deps, who, { onboardingScenarioId: id, rev: 0 })).rejects.toThrow(/公開されていません/);
    await publishScenario(deps, who, id, { version: 1, rev: 2 });
    const list = await saveSettings(deps, who, { onboardingScenarioId: id, rev: 0 });
    expect(list).toMatchObject({ onboardingScenarioId: id, settingsRev: 1, scenarios: [expect.objectContaining({ scenarioId: id, onboarding: true })] });
    await expect(unpublishScenario(deps, who, id, 3)).rejects.toThrow(ValidationError);
    await expect(deleteScenario(deps, who, id, 3)).rejects.toThrow(/友だち追加時のシナリオ/);
    await saveSettings(deps, who, { onboardingScenarioId: null, rev: 1 });
    await unpublishScenario(deps, who, id, 3);
    await deleteScenario(deps, who, id, 4);
    expect(store.headers.size).toBe(0);
    // Its version stays for runs pinned to it.
    expect(await store.version(id, 1)).not.toBeNull();
  });
});

describe('results', () => {
  it('counts runs by how they stand, names the steps where they were abandoned, and exports answers formula-safe', async () => {
    const { deps, runs, clock } = setup();
    const id = (await createScenario(deps, who, { name: '通報の案内' })).header.scenarioId;
    await saveScenario(deps, who, id, { ...draft(), rev: 2 });
    const record = (n: number, status: 'running' | 'finished' | 'quit', stepId: string, answers = {}) => {
      const startedAt = new Date(clock.now().getTime() - n * 60_000).toISOString();
      runs.records.set(`${id}|${startedAt}|R${n}`, {
        runId: `R${n}`,
        scenarioId: id,
        version: 2,
        userId: `U${n}`,
        startedAt,
        updatedAt: startedAt,
        stepId,
        status,
        answers,
        seq: 1,
        runExpiresAt: new Date(Date.parse(startedAt) + 30 * 60_000).toISOString(),
      });
    };
    record(1, 'running', 'district'); // still within its 30 minutes
    record(40, 'running', 'district'); // abandoned
    record(50, 'running', 'kind'); // abandoned
    record(60, 'running', 'district'); // abandoned
    record(70, 'finished', 'district', {
      kind: { kind: 'choice', choiceId: 'sofa', value: 'ソファ' },
      district: { kind: 'text', text: '=HYPERLINK("x")\n緑ケ丘' },
    });
    record(80, 'quit', 'kind');

    const results = await scenarioResults(deps, id);
    expect(results).toMatchObject({ runs: 6, complete: true, byStatus: { running: 1, abandoned: 3, finished: 1, quit: 1 } });
    expect(results.abandonedAt).toEqual([
      { stepId: 'district', stepName: 'districtの質問', count: 2 },
      { stepId: 'kind', stepName: 'kindの質問', count: 1 },
    ]);

    const page = await listRuns(deps, id, { limit: 2 });
    expect(page.items.map((r) => [r.runId, r.effectiveStatus, r.stepName])).toEqual([
      ['R1', 'running', 'districtの質問'],
      ['R40', 'abandoned', 'districtの質問'],
    ]);
    expect(page.cursor).toBeDefined();

    const csv = await exportRuns(deps, who, id, false);
    expect(csv.body.startsWith('\uFEFF開始日時,最後の応答,状態,ステップ,版,kind,district\r\n')).toBe(true);
    expect(csv.body).toContain(`最後まで進んだ,districtの質問,2,ソファ,"'=HYPERLINK(""x"")\n緑ケ丘"\r\n`);
    expect(csv.body).not.toContain('U70');
    expect((await exportRuns(deps, who, id, true)).body).toContain(',U70,');
  });
});
