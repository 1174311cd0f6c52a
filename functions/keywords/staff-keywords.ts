/**
 * Staff use cases of keyword auto-replies (console page キーワード応答, staff with the keywords
 * function): the rules in the order they are tried with their hits, edit them (applied by every
 * webhook instance within RULES_MAX_AGE_MS), try a message, the unanswered messages, import and
 * export. Every change is audited in words.
 */
import type { ScenarioLookup } from '../scenarios/ports';
import { ulid } from 'ulid';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { MediaRepository } from '../deliveries/ports';
import { checkContent } from '../deliveries/staff-deliveries';
import { jstDateTime, jstDay } from '../shared/japan-time';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { checkPatterns } from '../shared/pattern-safety';
import type { SignedIn } from '../staff/context';
import { MATCH_KIND_LABELS } from './labels';
import { KeywordMatcher, compareRules, matchedPart } from './matcher';
import { KEYWORD_LIMITS, type KeywordRule } from './model';
import { normalizeForMatch } from './normalize';
import { ruleMessages } from './reply';
import type { KeywordHitCounter, KeywordRuleRepository, UnansweredLog } from './ports';
import type { RuleInput } from './schemas';
import type { HitsView, ImportResult, KeywordListView, TryView, UnansweredView } from './views';

export type { HitsView, ImportResult, KeywordListView, KeywordRuleView, TryView, UnansweredView } from './views';
import { parseCsv, parseJson, rulesToCsv, rulesToJson } from './transfer';

export interface StaffKeywordsDeps extends AuditDeps {
  /** Scenario buttons of replies are checked against it when a rule is saved. */
  scenarios?: ScenarioLookup;
  keywordRules: KeywordRuleRepository;
  keywordHits: KeywordHitCounter;
  unanswered: UnansweredLog;
  media: Pick<MediaRepository, 'get'>;
}

const STALE = 'ほかの職員が先にこのルールを変更しました。画面を読み込み直してください。';
const GONE = 'このルールは見つかりません（削除された可能性があります）。';
const DAY_MS = 86_400_000;

/** The Japan dates of the last `days` days up to `now`, oldest first. */
export function lastDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => jstDay(new Date(now.getTime() - (days - 1 - i) * DAY_MS)));
}

export async function listRules(deps: StaffKeywordsDeps): Promise<KeywordListView> {
  const now = deps.clock.now();
  const dates = lastDays(now, 30);
  const [rules, hits] = await Promise.all([deps.keywordRules.list(), deps.keywordHits.list(dates)]);
  const today = dates.at(-1)!;
  const week = new Set(dates.slice(-7));
  const byRule = new Map<string, { today: number; last7Days: number; last30Days: number }>();
  for (const h of hits) {
    const c = byRule.get(h.ruleId) ?? { today: 0, last7Days: 0, last30Days: 0 };
    c.last30Days += h.count;
    if (week.has(h.date)) c.last7Days += h.count;
    if (h.date === today) c.today += h.count;
    byRule.set(h.ruleId, c);
  }
  const ordered = [...rules].sort(compareRules);
  return {
    rules: ordered.map((r, i) => ({ ...r, order: i + 1, hits: byRule.get(r.ruleId) ?? { today: 0, last7Days: 0, last30Days: 0 } })),
    max: KEYWORD_LIMITS.rules,
  };
}

export async function getRule(deps: StaffKeywordsDeps, ruleId: string): Promise<KeywordRule> {
  const rule = await deps.keywordRules.get(ruleId);
  if (!rule) throw new NotFoundError(GONE);
  return rule;
}

/** Regular expressions safe for any message, images that exist, every language within LINE's limits. */
export async function checkRule(deps: Pick<StaffKeywordsDeps, 'media'>, input: RuleInput, where = ''): Promise<void> {
  if (input.match === 'regex') {
    const verdicts = await checkPatterns(input.patterns.map((pattern) => ({ pattern, maxLength: KEYWORD_LIMITS.matchChars, mode: 'search' as const })));
    const bad = verdicts.findIndex((v) => !v.safe);
    if (bad >= 0) {
      const verdict = verdicts[bad] as { safe: false; reason: string };
      throw new ValidationError(`${where}キーワード${bad + 1}（${input.patterns[bad]!.slice(0, 30)}）：${verdict.reason}`);
    }
  }
  try {
    await checkContent(deps, { title: '', category: '', variants: input.replies });
  } catch (error) {
    if (error instanceof ValidationError && where) throw new ValidationError(`${where}${error.message}`);
    throw error;
  }
}

function fromInput(input: RuleInput): Omit<KeywordRule, 'ruleId' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version'> {
  return {
    name: input.name,
    match: input.match,
    patterns: input.patterns,
    priority: input.priority,
    enabled: input.enabled,
    ...(input.activeFrom ? { activeFrom: input.activeFrom } : {}),
    ...(input.activeUntil ? { activeUntil: input.activeUntil } : {}),
    replies: input.replies,
    ...(input.handoff ? { handoff: true } : {}),
  };
}

export async function createRule(deps: StaffKeywordsDeps, who: SignedIn, input: RuleInput): Promise<KeywordRule> {
  await checkRule(deps, input);
  const now = deps.clock.now().toISOString();
  const rule: KeywordRule = {
    ruleId: ulid(deps.clock.now().getTime()),
    ...fromInput(input),
    createdAt: now,
    createdBy: who.account.loginId,
    updatedAt: now,
    updatedBy: who.account.loginId,
    version: 1,
  };
  if ((await deps.keywordRules.create(rule, KEYWORD_LIMITS.rules)) === 'full') {
    throw new ValidationError(`ルールは${KEYWORD_LIMITS.rules.toLocaleString('ja-JP')}個までです。使っていないルールを削除してから作成してください。`);
  }
  await recordAudit(deps, { actor: who.account.loginId, action: 'keyword.created', target: `keyword:${rule.ruleId}`, ip: who.ip, after: rulePicture(rule) });
  return rule;
}

export async function updateRule(deps: StaffKeywordsDeps, who: SignedIn, ruleId: string, input: RuleInput & { version: number }): Promise<KeywordRule> {
  await checkRule(deps, input);
  const before = await getRule(deps, ruleId);
  if (before.version !== input.version) throw new ConflictError(STALE);
  const next: KeywordRule = {
    ...fromInput(input),
    ruleId,
    createdAt: before.createdAt,
    createdBy: before.createdBy,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
    version: before.version + 1,
  };
  const result = await deps.keywordRules.update(next);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'keyword.updated',
    target: `keyword:${ruleId}`,
    ip: who.ip,
    before: rulePicture(before),
    after: rulePicture(next),
  });
  return next;
}

export async function deleteRule(deps: StaffKeywordsDeps, who: SignedIn, ruleId: string, version: number): Promise<void> {
  const before = await getRule(deps, ruleId);
  if (before.version !== version) throw new ConflictError(STALE);
  const result = await deps.keywordRules.remove(ruleId, version);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  await recordAudit(deps, { actor: who.account.loginId, action: 'keyword.deleted', target: `keyword:${ruleId}`, ip: who.ip, before: rulePicture(before) });
}

/** "Which rule answers this?" — against the stored rules, at `at` (default now). */
export async function tryMessage(deps: StaffKeywordsDeps, input: { text: string; at?: string; language?: string }, publicBaseUrl: string): Promise<TryView> {
  const matcher = new KeywordMatcher(await deps.keywordRules.list());
  const at = input.at ? new Date(input.at) : deps.clock.now();
  const matches = matcher.matches(input.text, at, 10);
  const part = matchedPart(input.text);
  return {
    matchedPart: part,
    normalized: matchedPart(normalizeForMatch(part)),
    matches: matches.map((r) => ({ ruleId: r.ruleId, name: r.name, match: r.match, priority: r.priority })),
    messages: matches[0] ? ruleMessages(matches[0], input.language, publicBaseUrl) : null,
  };
}

export async function ruleHits(deps: StaffKeywordsDeps, days: number): Promise<HitsView> {
  const dates = lastDays(deps.clock.now(), Math.min(Math.max(days, 1), 90));
  const [rules, hits] = await Promise.all([deps.keywordRules.list(), deps.keywordHits.list(dates)]);
  const index = new Map(dates.map((d, i) => [d, i]));
  const rows = new Map<string, number[]>();
  for (const h of hits) {
    const row = rows.get(h.ruleId) ?? new Array<number>(dates.length).fill(0);
    row[index.get(h.date)!] = h.count;
    rows.set(h.ruleId, row);
  }
  return {
    dates,
    rules: [...rules].sort(compareRules).map((r) => {
      const counts = rows.get(r.ruleId) ?? new Array<number>(dates.length).fill(0);
      return { ruleId: r.ruleId, name: r.name, counts, total: counts.reduce((a, b) => a + b, 0) };
    }),
  };
}

export async function listUnanswered(deps: StaffKeywordsDeps, query: { limit?: number; cursor?: string }): Promise<UnansweredView> {
  const [page, rules] = await Promise.all([
    deps.unanswered.list({ limit: Math.min(Math.max(query.limit ?? 50, 1), 100), cursor: query.cursor }),
    deps.keywordRules.list(),
  ]);
  // A rule made since: the list says which one now answers the message.
  const matcher = new KeywordMatcher(rules);
  const now = deps.clock.now();
  return {
    items: page.items.map((m) => {
      const rule = matcher.match(m.text, now);
      return { ...m, ...(rule ? { answeredNowBy: { ruleId: rule.ruleId, name: rule.name } } : {}) };
    }),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** A rule as the audit log shows it: every value in words. */
export function rulePicture(rule: KeywordRule): Record<string, unknown> {
  return {
    name: rule.name,
    match: MATCH_KIND_LABELS[rule.match],
    patterns: rule.patterns,
    priority: rule.priority,
    enabled: rule.enabled ? '有効' : '停止',
    period: periodText(rule),
    replies: rule.replies.map((v) => `${v.lang}：${v.bubbles.map(bubbleText).join(' ／ ')}`),
    handoff: rule.handoff ? '職員との1:1チャットにつなぐ' : 'つながない',
  };
}

export function periodText(rule: Pick<KeywordRule, 'activeFrom' | 'activeUntil'>): string {
  if (!rule.activeFrom && !rule.activeUntil) return 'いつでも';
  return `${rule.activeFrom ? jstDateTime(rule.activeFrom) : ''}〜${rule.activeUntil ? jstDateTime(rule.activeUntil) : ''}`;
}

function bubbleText(b: KeywordRule['replies'][number]['bubbles'][number]): string {
  switch (b.type) {
    case 'text':
      return b.text;
    case 'image':
      return `［画像］${b.alt ?? ''}`;
    case 'card':
      return `［カード］${b.title}`;
    case 'link':
      return `［リンク］${b.label} ${b.url}`;
    case 'scenario':
      return `［シナリオ］${b.label}`;
  }
}

/** The rules as a file: CSV for Excel, or JSON for a copy to another environment. Audited. */
export async function exportRules(
  deps: StaffKeywordsDeps,
  who: SignedIn,
  format: 'csv' | 'json',
): Promise<{ body: string; contentType: string; filename: string }> {
  const rules = await deps.keywordRules.list();
  const now = deps.clock.now();
  const stamp = jstDateTime(now)
    .replace(/[^0-9]/g, '')
    .slice(0, 12);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'keywords.exported',
    target: 'keywords',
    ip: who.ip,
    after: { format: format.toUpperCase(), rules: rules.length },
  });
  return format === 'csv'
    ? { body: rulesToCsv(rules), contentType: 'text/csv; charset=utf-8', filename: `keywords-${stamp}.csv` }
    : { body: rulesToJson(rules, now), contentType: 'application/json; charset=utf-8', filename: `keywords-${stamp}.json` };
}

/**
 * A CSV or JSON file of rules: every row checked (form, expressions, images, LINE's limits) before
 * anything is written. "add" puts them next to the existing rules (new IDs); "replace" makes them
 * the whole set (a row keeps its rule's ID, and so its hit counts, when it has one).
 */
export async function importRules(
  deps: StaffKeywordsDeps,
  who: SignedIn,
  body: { format: 'csv' | 'json'; mode: 'add' | 'replace'; content: string },
): Promise<ImportResult> {
  const imported = body.format === 'csv' ? parseCsv(body.content) : parseJson(body.content);
  if (imported.length === 0) throw new ValidationError('取り込むルールがありません。');
  // Every expression within one time budget, then each rule's replies.
  const regexes = imported.flatMap((r, i) => (r.input.match === 'regex' ? r.input.patterns.map((pattern) => ({ pattern, row: i })) : []));
  const verdicts = await checkPatterns(regexes.map(({ pattern }) => ({ pattern, maxLength: KEYWORD_LIMITS.matchChars, mode: 'search' as const })));
  const bad = verdicts.findIndex((v) => !v.safe);
  if (bad >= 0) {
    const { pattern, row } = regexes[bad]!;
    throw new ValidationError(
      `${rowName(body.format, row)}（${imported[row]!.input.name}）の正規表現「${pattern.slice(0, 30)}」：${(verdicts[bad] as { reason: string }).reason}`,
    );
  }
  for (const [i, r] of imported.entries()) {
    try {
      await checkContent(deps, { title: '', category: '', variants: r.input.replies });
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`${rowName(body.format, i)}（${r.input.name}）：${error.message}`);
      throw error;
    }
  }
  const existing = await deps.keywordRules.list();
  const total = body.mode === 'add' ? existing.length + imported.length : imported.length;
  if (total > KEYWORD_LIMITS.rules) {
    throw new ValidationError(
      `ルールは${KEYWORD_LIMITS.rules.toLocaleString('ja-JP')}個までです（取り込むと${total.toLocaleString('ja-JP')}個になります）。「置き換え」にするか、行を減らしてください。`,
    );
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const byId = new Map(existing.map((r) => [r.ruleId, r]));
  const used = new Set<string>();
  const fresh = imported.map((r, i): KeywordRule => {
    const keep = body.mode === 'replace' && r.ruleId && !used.has(r.ruleId) ? r.ruleId : undefined;
    const ruleId = keep ?? ulid(now.getTime() + i);
    used.add(ruleId);
    const before = keep ? byId.get(keep) : undefined;
    return {
      ...fromInput(r.input),
      ruleId,
      createdAt: before?.createdAt ?? at,
      createdBy: before?.createdBy ?? who.account.loginId,
      updatedAt: at,
      updatedBy: who.account.loginId,
      version: (before?.version ?? 0) + 1,
    };
  });
  if (body.mode === 'add') {
    if ((await deps.keywordRules.addMany(fresh, KEYWORD_LIMITS.rules)) === 'full') {
      throw new ValidationError(
        `ルールは${KEYWORD_LIMITS.rules.toLocaleString('ja-JP')}個までです（ほかの職員が同時にルールを作った可能性があります）。読み込み直してから取り込んでください。`,
      );
    }
  } else await deps.keywordRules.replaceAll(fresh);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'keywords.imported',
    target: 'keywords',
    ip: who.ip,
    summary: `キーワード応答ルールを${body.mode === 'add' ? '追加' : '置き換え'}で${imported.length}件取り込み（取り込み後${total}件）`,
    before: { rules: existing.length },
    after: { format: body.format.toUpperCase(), mode: body.mode === 'add' ? '追加' : '置き換え', rules: total },
  });
  return { imported: imported.length, total };
}

const rowName = (format: 'csv' | 'json', index: number) => (format === 'csv' ? `${index + 2}行目` : `${index + 1}番目のルール`);
