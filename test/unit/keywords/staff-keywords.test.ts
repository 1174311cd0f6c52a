/**
 * Keyword auto-replies' use cases on in-memory stores: editing with versions, the cap, dangerous
 * and invalid expressions refused, a change reaching the webhook's cached set at once, hits and
 * unanswered messages, CSV/JSON round trips and the starter set loaded once.
 */
import { parse } from 'csv-parse/sync';
import type { SignedIn } from '../../../functions/staff/context';
import { KEYWORD_LIMITS } from '../../../functions/keywords/model';
import { createRuleBody, updateRuleBody } from '../../../functions/keywords/schemas';
import {
  createRule,
  deleteRule,
  exportRules,
  importRules,
  listRules,
  listUnanswered,
  ruleHits,
  tryMessage,
  updateRule,
  type StaffKeywordsDeps,
} from '../../../functions/keywords/staff-keywords';
import { ensureStarterKeywords } from '../../../functions/keywords/starter';
import { STARTER_KEYWORD_RULES } from '../../../functions/keywords/starter-rules';
import { CachedKeywordRules } from '../../../functions/keywords/rule-cache';
import { keywordResponder, recordingUnanswered } from '../../../functions/keywords/responder';
import { ConflictError, NotFoundError, ValidationError } from '../../../functions/shared/errors';
import { MemoryAudit } from '../../support/admin-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryKeywordHits, MemoryKeywordRules, MemoryUnanswered } from '../../support/keyword-fakes';
import type { InboundMessage, Responder } from '../../../functions/webhook/dispatcher';
import type { Media } from '../../../functions/deliveries/model';

const who = { account: { loginId: 'kikaku01', role: 'general', permissions: ['keywords'] }, ip: '192.0.2.1' } as unknown as SignedIn;

function harness() {
  const media = new Map<string, Media>();
  const deps = {
    audit: new MemoryAudit(),
    clock: new FakeClock(new Date('2026-12-07T03:00:00Z')),
    keywordRules: new MemoryKeywordRules(),
    keywordHits: new MemoryKeywordHits(),
    unanswered: new MemoryUnanswered(),
    media: { get: async (id: string) => media.get(id) ?? null },
  };
  return { deps: deps as typeof deps & StaffKeywordsDeps, media };
}

const input = (over: Record<string, unknown> = {}) =>
  createRuleBody.parse({
    name: '窓口の時間',
    match: 'contains',
    patterns: ['窓口', '開庁時間'],
    priority: 100,
    enabled: true,
    replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: '市役所の開庁時間は\n平日の8時30分から17時15分までです。' }] }],
    ...over,
  });

const inbound = (text: string, over: Partial<InboundMessage> = {}): InboundMessage => ({
  userId: 'U0001',
  messageId: `m-${text}`,
  at: new Date('2026-12-07T03:00:00Z'),
  friend: { userId: 'U0001', displayName: '荒尾 花子', language: 'ja' } as InboundMessage['friend'],
  language: 'ja',
  kind: 'text',
  text,
  ...over,
});

describe('editing rules', () => {
  it('creates, edits over the version read, refuses a stale edit with 409 and deletes; every change audited in words', async () => {
    const { deps } = harness();
    const created = await createRule(deps, who, input());
    expect(created).toMatchObject({ name: '窓口の時間', version: 1, createdBy: 'kikaku01' });
    const edited = await updateRule(deps, who, created.ruleId, { ...input({ priority: 50 }), version: 1 });
    expect(edited.version).toBe(2);
    await expect(updateRule(deps, who, created.ruleId, { ...input({ priority: 60 }), version: 1 })).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteRule(deps, who, created.ruleId, 1)).rejects.toBeInstanceOf(ConflictError);
    await deleteRule(deps, who, created.ruleId, 2);
    await expect(deleteRule(deps, who, created.ruleId, 2)).rejects.toBeInstanceOf(NotFoundError);
    const actions = deps.audit.entries.map((e) => e.action);
    expect(actions).toEqual(['keyword.created', 'keyword.updated', 'keyword.deleted']);
    const update = deps.audit.entries[1]!;
    expect(update.before).toMatchObject({ priority: 100, match: '部分一致', enabled: '有効', period: 'いつでも' });
    expect(update.after).toMatchObject({ priority: 50 });
  });

  it(`refuses a rule past ${KEYWORD_LIMITS.rules} and names the limit`, async () => {
    const { deps } = harness();
    deps.keywordRules.set = { version: 9, count: KEYWORD_LIMITS.rules };
    await expect(createRule(deps, who, input())).rejects.toThrow('ルールは1,000個までです');
  });

  it('refuses invalid and catastrophically backtracking expressions with a message staff can act on', async () => {
    const bad = createRuleBody.safeParse({ ...input(), match: 'regex', patterns: ['(ごみ|ゴミ'] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/^キーワード1（\(ごみ\|ゴミ）は正規表現として正しくありません/);
    const empty = createRuleBody.safeParse({ ...input(), match: 'regex', patterns: ['a*'] });
    expect(empty.error!.issues[0]!.message).toContain('空の文にも当てはまる');
    const blank = createRuleBody.safeParse({ ...input(), patterns: ['「」'] });
    expect(blank.error!.issues[0]!.message).toContain('記号と空白だけ');
    const dup = createRuleBody.safeParse({ ...input(), patterns: ['ゴミ', 'ごみ'] });
    expect(dup.error!.issues[0]!.message).toContain('重複');

    const { deps } = harness();
    await expect(createRule(deps, who, input({ match: 'regex', patterns: ['避難所', '(a+)+b'] }))).rejects.toThrow(
      /^キーワード2（\(a\+\)\+b）：この正規表現は、ある種の入力で処理が止まるおそれがあるため使えません/,
    );
    await expect(createRule(deps, who, input({ match: 'regex', patterns: ['x.*y.*z'] }))).rejects.toThrow('長い入力で処理がとても遅くなる');
    expect(deps.keywordRules.rules.size).toBe(0);
  }, 30_000);

  it('refuses a reply with an image that does not exist', async () => {
    const { deps } = harness();
    const rule = input({ replies: [{ lang: 'ja', bubbles: [{ type: 'image', mediaId: '01KB0000000000000000000000' }] }] });
    await expect(createRule(deps, who, rule)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('the webhook side', () => {
  it('answers with the rule in the friend language, counts the hit, and sees an edit within the cache age', async () => {
    const { deps } = harness();
    let now = 1_000_000;
    const cache = new CachedKeywordRules({ keywordRules: deps.keywordRules }, 3_000, () => now);
    const responder = keywordResponder({ rules: cache, keywordHits: deps.keywordHits, clock: deps.clock, publicBaseUrl: 'https://civic-line.example' });
    const rule = await createRule(
      deps,
      who,
      input({
        replies: [
          { lang: 'ja', bubbles: [{ type: 'text', text: '{name}さん、開庁時間は平日です。' }] },
          { lang: 'en', bubbles: [{ type: 'text', text: 'The city hall is open on weekdays.' }] },
        ],
      }),
    );
    expect(await responder.respond(inbound('窓口は何時まで？'))).toEqual([{ type: 'text', text: '荒尾 花子さん、開庁時間は平日です。' }]);
    const english = inbound('窓口', { friend: { userId: 'U2', displayName: 'Ann', language: 'en' } as InboundMessage['friend'] });
    expect(await responder.respond(english)).toEqual([{ type: 'text', text: 'The city hall is open on weekdays.' }]);
    expect(await responder.respond(inbound('今日はいい天気'))).toBeNull();
    expect(await responder.respond(inbound('', { kind: 'sticker', text: undefined }))).toBeNull();
    expect((await ruleHits(deps, 7)).rules[0]).toMatchObject({ ruleId: rule.ruleId, total: 2 });

    const listed = deps.keywordRules.lists;
    await updateRule(deps, who, rule.ruleId, { ...updateRuleBody.parse({ ...input({ patterns: ['受付時間'] }), version: 1 }) });
    now += 2_999; // within the cache age: the instance still answers with what it compiled
    expect(await responder.respond(inbound('窓口'))).not.toBeNull();
    now += 1; // the marker moved: read again
    expect(await responder.respond(inbound('窓口'))).toBeNull();
    expect(await responder.respond(inbound('受付時間は？'))).not.toBeNull();
    expect(deps.keywordRules.lists).toBe(listed + 1);
    now += 10_000; // nothing changed: the marker is read, the rules are not
    await responder.respond(inbound('受付時間'));
    expect(deps.keywordRules.lists).toBe(listed + 1);
  });

  it('counts a retried message once, on the day the citizen wrote it', async () => {
    const { deps } = harness();
    const cache = new CachedKeywordRules({ keywordRules: deps.keywordRules }, 3_000, () => 0);
    const responder = keywordResponder({ rules: cache, keywordHits: deps.keywordHits, clock: deps.clock, publicBaseUrl: 'https://civic-line.example' });
    await createRule(deps, who, input({ replies: [{ lang: 'ja', bubbles: [{ type: 'text', text: '開庁時間は平日です。' }] }] }));
    // Written at 23:59 Japan time; the retry is processed after midnight.
    const late = inbound('窓口', { messageId: '600000000000001', at: new Date('2026-12-07T14:59:00Z') });
    for (let i = 0; i < 3; i++) expect(await responder.respond(late)).not.toBeNull();
    expect(await deps.keywordHits.list(['2026-12-07', '2026-12-08'])).toEqual([expect.objectContaining({ date: '2026-12-07', count: 1 })]);
  });

  it('keeps a text only the default reply answered, once per message, and says later which rule now answers it', async () => {
    const { deps } = harness();
    const fallback: Responder = { name: 'default-reply', respond: async () => [{ type: 'text', text: '既定の返信' }] };
    const recording = recordingUnanswered(fallback, deps.unanswered);
    const m = inbound('犬の登録はどこでできますか\n狂犬病の注射も知りたいです');
    await recording.respond(m);
    await recording.respond(m); // a retried event
    await recording.respond(inbound('', { kind: 'image', text: undefined, messageId: 'img' }));
    let view = await listUnanswered(deps, {});
    expect(view.items).toHaveLength(1);
    expect(view.items[0]).toMatchObject({ text: m.text, displayName: '荒尾 花子', at: '2026-12-07T03:00:00.000Z' });
    expect(view.items[0]!.answeredNowBy).toBeUndefined();
    const made = await createRule(deps, who, input({ name: '犬の登録', patterns: ['犬の登録'] }));
    view = await listUnanswered(deps, {});
    expect(view.items[0]!.answeredNowBy).toEqual({ ruleId: made.ruleId, name: '犬の登録' });
  });

  it('tries a message as staff write it: rules in order, the normal form, and the reply', async () => {
    const { deps } = harness();
    const general = await createRule(deps, who, input({ name: 'ごみ', patterns: ['ごみ'], priority: 300 }));
    const large = await createRule(deps, who, input({ name: '粗大ごみ', patterns: ['粗大ごみ'], priority: 110 }));
    const view = await tryMessage(deps, { text: '「粗大ｺﾞﾐ」を出したい！' }, 'https://civic-line.example');
    expect(view.normalized).toBe('粗大ごみを出したい');
    expect(view.matches.map((m) => m.ruleId)).toEqual([large.ruleId, general.ruleId]);
    expect(view.messages).toEqual([{ type: 'text', text: '市役所の開庁時間は\n平日の8時30分から17時15分までです。' }]);
    expect((await tryMessage(deps, { text: 'こんにちは' }, 'https://x.example')).messages).toBeNull();
  });
});

describe('import and export', () => {
  async function seeded() {
    const h = harness();
    await createRule(h.deps, who, input({ name: '=SUM(A1)の注意', patterns: ['-危険', '窓口'] }));
    await createRule(
      h.deps,
      who,
      input({
        name: '避難所',
        match: 'regex',
        patterns: ['避難(所|場所)'],
        priority: 5,
        enabled: false,
        handoff: true,
        activeFrom: '2026-12-01T00:00:00+09:00',
        activeUntil: '2026-12-31T23:59:59+09:00',
        replies: [
          { lang: 'ja', bubbles: [{ type: 'link', text: '避難所の一覧です。', label: '一覧を見る', url: 'https://www.city.arao.lg.jp/' }] },
          { lang: 'en', bubbles: [{ type: 'text', text: 'Shelters are listed on the city website.' }] },
        ],
      }),
    );
    return h;
  }

  it('writes an Excel-friendly CSV (BOM, CRLF, quoted line breaks, formula-safe) that imports back to the same rules', async () => {
    const { deps } = await seeded();
    const file = await exportRules(deps, who, 'csv');
    expect(file.body.startsWith('\uFEFFルール名,一致のしかた,')).toBe(true);
    expect(file.body).toContain('\r\n');
    const rows = parse(file.body, { bom: true }) as string[][];
    expect(rows).toHaveLength(3);
    expect(rows[1]![0]).toBe('避難所'); // tried first (priority 5)
    expect(rows[1]![5]).toBe('2026-12-01 00:00');
    expect(rows[1]![6]).toBe('2026-12-31 23:59:59'); // seconds kept when there are any
    expect(rows[2]![0]).toBe("'=SUM(A1)の注意");
    expect(rows[2]![2]).toBe("'-危険\n窓口");
    expect(rows[2]![12]).toBe(''); // Japanese text only: no JSON needed
    expect([rows[0]![14], rows[1]![14], rows[2]![14]]).toEqual(['職員につなぐ', 'つなぐ', '']); // the hand-off to 1:1 chat

    const before = (await listRules(deps)).rules.map(({ ruleId, order, hits, createdAt, createdBy, updatedAt, updatedBy, version, ...rest }) => rest);
    const result = await importRules(deps, who, { format: 'csv', mode: 'replace', content: file.body });
    expect(result).toEqual({ imported: 2, total: 2 });
    const after = (await listRules(deps)).rules.map(({ ruleId, order, hits, createdAt, createdBy, updatedAt, updatedBy, version, ...rest }) => rest);
    expect(after).toEqual(before);
    expect(deps.audit.entries.map((e) => e.action).slice(-2)).toEqual(['keywords.exported', 'keywords.imported']);
  });

  it('round-trips JSON, keeps rule IDs on replace and makes new ones on add', async () => {
    const { deps } = await seeded();
    const ids = [...deps.keywordRules.rules.keys()].sort();
    const file = await exportRules(deps, who, 'json');
    await importRules(deps, who, { format: 'json', mode: 'replace', content: file.body });
    expect([...deps.keywordRules.rules.keys()].sort()).toEqual(ids);
    expect([...deps.keywordRules.rules.values()].filter((r) => r.handoff).map((r) => r.name)).toEqual(['避難所']);
    await importRules(deps, who, { format: 'json', mode: 'add', content: file.body });
    expect(deps.keywordRules.rules.size).toBe(4);
  });

  it('refuses a file with a bad row, naming the row, and writes nothing', async () => {
    const { deps } = await seeded();
    const exported = (await exportRules(deps, who, 'csv')).body;
    await expect(importRules(deps, who, { format: 'csv', mode: 'replace', content: exported.replace('2026-12-01 00:00', '2026-02-31 00:00') })).rejects.toThrow(
      '2行目：日時「2026-02-31 00:00」は「2026-12-07 09:00」の形の、ある日時で書いてください。',
    );
    const csv = exported.replace('部分一致', 'だいたい一致');
    await expect(importRules(deps, who, { format: 'csv', mode: 'replace', content: csv })).rejects.toThrow(/^3行目：一致のしかたは/);
    const json = JSON.stringify({ format: 'civic-line.keywords', version: 1, rules: [{ ...input(), match: 'regex', patterns: ['(x+)+y'] }] });
    await expect(importRules(deps, who, { format: 'json', mode: 'add', content: json })).rejects.toThrow(
      /^1番目のルール（窓口の時間）の正規表現「\(x\+\)\+y」/,
    );
    await expect(importRules(deps, who, { format: 'json', mode: 'add', content: '{"rules":[]}' })).rejects.toThrow('キーワード応答のルールではありません');
    expect(deps.keywordRules.rules.size).toBe(2);
  }, 30_000);
});

describe('the starter set', () => {
  it('is loaded once, audited once, and can be exported and imported back', async () => {
    const { deps } = harness();
    expect(await ensureStarterKeywords(deps)).toBe('seeded');
    expect(await ensureStarterKeywords(deps)).toBe('exists');
    expect(deps.keywordRules.rules.size).toBe(STARTER_KEYWORD_RULES.length);
    expect(deps.audit.entries.filter((e) => e.action === 'keywords.seeded')).toHaveLength(1);
    const cache = new CachedKeywordRules({ keywordRules: deps.keywordRules });
    expect((await cache.matcher()).match('粗大ゴミの出し方', new Date())?.name).toBe('粗大ごみ');
    for (const format of ['csv', 'json'] as const) {
      const file = await exportRules(deps, who, format);
      await expect(importRules(deps, who, { format, mode: 'replace', content: file.body })).resolves.toEqual({
        imported: STARTER_KEYWORD_RULES.length,
        total: STARTER_KEYWORD_RULES.length,
      });
    }
    // Deleting every rule is respected: no second seeding.
    await importRules(deps, who, { format: 'json', mode: 'replace', content: JSON.stringify({ format: 'civic-line.keywords', version: 1, rules: [input()] }) });
    expect(await ensureStarterKeywords(deps)).toBe('exists');
  }, 30_000);

  it('is answered from the set read before when a refresh fails, and fails only without one', async () => {
    const { deps } = harness();
    await ensureStarterKeywords(deps);
    let now = 0;
    const cache = new CachedKeywordRules({ keywordRules: deps.keywordRules }, 3_000, () => now);
    expect((await cache.matcher()).size).toBe(STARTER_KEYWORD_RULES.length);
    const failing = { ...deps.keywordRules, marker: async () => Promise.reject(new Error('DynamoDB unavailable')) } as unknown as MemoryKeywordRules;
    (cache as unknown as { deps: { keywordRules: MemoryKeywordRules } }).deps.keywordRules = failing;
    now += 5_000;
    expect((await cache.matcher()).size).toBe(STARTER_KEYWORD_RULES.length);
    const cold = new CachedKeywordRules({ keywordRules: failing });
    await expect(cold.matcher()).rejects.toThrow('DynamoDB unavailable');
  });
});
