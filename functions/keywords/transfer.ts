/**
 * The rules out and in: CSV for Excel (UTF-8 with BOM, CRLF, formula-safe, one row per rule, the
 * keywords one per line inside their cell, Japan times) and JSON (the whole rule, for a copy to
 * another environment). An import is checked completely — every row, every expression, every
 * image — before anything is written; an error names its row.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Variant } from '../deliveries/model';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import { ValidationError } from '../shared/errors';
import { jstInstant, jstWallString } from '../shared/japan-time';
import { ENABLED_LABELS, HANDOFF_LABEL, KEYWORD_CSV_COLUMNS, MATCH_KIND_LABELS } from './labels';
import { compareRules } from './matcher';
import { KEYWORD_LIMITS, MATCH_KINDS, type KeywordRule } from './model';
import { ruleInput, type RuleInput } from './schemas';

export const JSON_FORMAT = 'civic-line.keywords';

/** One rule to import: its checked input, and the ID it had (kept on "replace", so its hit counts stay with it). */
export interface ImportedRule {
  ruleId?: string;
  input: RuleInput;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function rulesToJson(rules: KeywordRule[], exportedAt: Date): string {
  const out = [...rules].sort(compareRules).map((r) => ({
    ruleId: r.ruleId,
    name: r.name,
    match: r.match,
    patterns: r.patterns,
    priority: r.priority,
    enabled: r.enabled,
    ...(r.activeFrom ? { activeFrom: r.activeFrom } : {}),
    ...(r.activeUntil ? { activeUntil: r.activeUntil } : {}),
    replies: r.replies,
    ...(r.handoff ? { handoff: true } : {}),
  }));
  return `${JSON.stringify({ format: JSON_FORMAT, version: 1, exportedAt: exportedAt.toISOString(), rules: out }, null, 2)}\n`;
}

/** Japan time to the minute, with seconds only when they are not zero (23:59:59 comes back as it was). */
const wall = (iso?: string) => {
  if (!iso) return '';
  const full = jstWallString(new Date(iso), { seconds: true }).replace('T', ' ');
  return full.endsWith(':00') ? full.slice(0, -3) : full;
};
const onlyJapaneseText = (replies: Variant[]) => replies.length === 1 && replies[0]!.lang === 'ja' && replies[0]!.bubbles.every((b) => b.type === 'text');

export function rulesToCsv(rules: KeywordRule[]): string {
  const rows = [...rules].sort(compareRules).map((r) => {
    const ja = r.replies.find((v) => v.lang === 'ja');
    const texts = Array.from({ length: 5 }, (_, i) => {
      const b = ja?.bubbles[i];
      return b?.type === 'text' || b?.type === 'link' || b?.type === 'scenario' ? b.text : b?.type === 'card' ? b.body : '';
    });
    return [
      r.name,
      MATCH_KIND_LABELS[r.match],
      r.patterns.join('\n'),
      String(r.priority),
      ENABLED_LABELS[String(r.enabled) as 'true' | 'false'],
      wall(r.activeFrom),
      wall(r.activeUntil),
      ...texts,
      onlyJapaneseText(r.replies) ? '' : JSON.stringify(r.replies),
      r.ruleId,
      r.handoff ? HANDOFF_LABEL : '',
    ].map(neutraliseFormula);
  });
  return stringify([[...KEYWORD_CSV_COLUMNS], ...rows], CSV_OPTIONS);
}

/** A cell as typed: the quote our export put before = + - @ taken off again. */
const cell = (value: string | undefined) => (value ?? '').replace(/^'(?=[=+\-@\t\r])/, '');

function fromLabel<K extends string>(labels: Record<K, string>, value: string): K | undefined {
  const v = value.trim();
  return (Object.keys(labels) as K[]).find((k) => labels[k] === v || k === v);
}

/** `yyyy-mm-dd HH:mm[:ss]` (Japan time; also `/` and `T`) → ISO; '' → undefined; anything else (2026-02-31 too) → the text for an error. */
function japanTime(value: string): string | undefined | { bad: string } {
  const v = value.trim();
  if (!v) return undefined;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (!m) return { bad: v };
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const time = m[4] ? `${m[4].padStart(2, '0')}:${m[5]}${m[6] ? `:${m[6]}` : ''}` : '00:00';
  const at = jstInstant(date, time);
  // A day or time that does not exist would roll over (2026-02-31 → 03-03): refused instead.
  if (!at || jstWallString(at, { seconds: true }).slice(0, time.length === 5 ? 16 : 19) !== `${date}T${time}`) return { bad: v };
  return at.toISOString().replace('.000Z', '+00:00');
}

function issuesText(error: { issues: { message: string }[] }): string {
  return [...new Set(error.issues.map((i) => i.message))].slice(0, 3).join(' ');
}

export function parseCsv(content: string): ImportedRule[] {
  let records: string[][];
  try {
    records = parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 200_000 }) as string[][];
  } catch (error) {
    throw new ValidationError(
      `CSVを読み取れませんでした（${error instanceof Error ? error.message.slice(0, 120) : '形式の誤り'}）。Excelで「CSV UTF-8」として保存したファイルを選んでください。`,
    );
  }
  const [header, ...rows] = records;
  const index = new Map((header ?? []).map((h, i) => [h.trim(), i]));
  const missing = KEYWORD_CSV_COLUMNS.slice(0, 8).filter((c) => !index.has(c));
  if (!header || missing.length > 0) throw new ValidationError(`CSVの1行目に次の列がありません：${missing.join('、')}。書き出したCSVを元に作ってください。`);
  if (rows.length > KEYWORD_LIMITS.rules)
    throw new ValidationError(`ルールは${KEYWORD_LIMITS.rules.toLocaleString('ja-JP')}個までです（CSVに${rows.length.toLocaleString('ja-JP')}行あります）。`);
  const col = (row: string[], name: (typeof KEYWORD_CSV_COLUMNS)[number]) => cell(index.has(name) ? row[index.get(name)!] : '');
  return rows.map((row, i) => {
    const line = `${i + 2}行目`;
    const match = fromLabel(MATCH_KIND_LABELS, col(row, '一致のしかた'));
    if (!match) throw new ValidationError(`${line}：一致のしかたは「${MATCH_KINDS.map((k) => MATCH_KIND_LABELS[k]).join('」「')}」のどれかにしてください。`);
    const enabledKey = fromLabel(ENABLED_LABELS, col(row, '状態') || '有効');
    if (!enabledKey) throw new ValidationError(`${line}：状態は「有効」か「停止」にしてください。`);
    const from = japanTime(col(row, '開始日時'));
    const until = japanTime(col(row, '終了日時'));
    for (const t of [from, until])
      if (typeof t === 'object') throw new ValidationError(`${line}：日時「${t.bad}」は「2026-12-07 09:00」の形の、ある日時で書いてください。`);
    let replies: unknown;
    const json = col(row, '返信（JSON：画像・カード・ボタン・外国語を含むとき）').trim();
    if (json) {
      try {
        replies = JSON.parse(json);
      } catch {
        throw new ValidationError(`${line}：返信（JSON）の列を読み取れません。書き出したままの内容にするか、空にして返信1〜5に文を書いてください。`);
      }
    } else {
      const texts = (['返信1', '返信2', '返信3', '返信4', '返信5'] as const).map((c) => col(row, c)).filter((t) => t.trim().length > 0);
      replies = [{ lang: 'ja', bubbles: texts.map((text) => ({ type: 'text', text })) }];
    }
    const handoffText = col(row, '職員につなぐ').trim();
    if (handoffText && handoffText !== HANDOFF_LABEL) throw new ValidationError(`${line}：職員につなぐは「${HANDOFF_LABEL}」か空にしてください。`);
    const priorityText = col(row, '優先度').trim();
    const parsed = ruleInput.safeParse({
      name: col(row, 'ルール名'),
      match,
      patterns: col(row, 'キーワード（1行に1つ）')
        .split(/\r?\n/)
        .map((p) => (match === 'regex' ? p : p.trim()))
        .filter((p) => p.length > 0),
      priority: /^\d+$/.test(priorityText) ? Number(priorityText) : priorityText,
      enabled: enabledKey === 'true',
      ...(from ? { activeFrom: from } : {}),
      ...(until ? { activeUntil: until } : {}),
      replies,
      ...(handoffText === HANDOFF_LABEL ? { handoff: true } : {}),
    });
    if (!parsed.success) throw new ValidationError(`${line}：${issuesText(parsed.error)}`);
    const ruleId = col(row, 'ルールID').trim();
    return { ...(ULID.test(ruleId) ? { ruleId } : {}), input: parsed.data };
  });
}

export function parseJson(content: string): ImportedRule[] {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw new ValidationError('JSONを読み取れませんでした。書き出したJSONファイルを選んでください。');
  }
  const rules = (doc as { format?: unknown; rules?: unknown })?.rules;
  if ((doc as { format?: unknown })?.format !== JSON_FORMAT || !Array.isArray(rules)) {
    throw new ValidationError('このJSONはキーワード応答のルールではありません（書き出したJSONファイルを選んでください）。');
  }
  if (rules.length > KEYWORD_LIMITS.rules)
    throw new ValidationError(`ルールは${KEYWORD_LIMITS.rules.toLocaleString('ja-JP')}個までです（${rules.length.toLocaleString('ja-JP')}個あります）。`);
  return rules.map((r: unknown, i) => {
    const parsed = ruleInput.safeParse(r);
    if (!parsed.success) throw new ValidationError(`${i + 1}番目のルール：${issuesText(parsed.error)}`);
    const ruleId = (r as { ruleId?: unknown }).ruleId;
    return { ...(typeof ruleId === 'string' && ULID.test(ruleId) ? { ruleId } : {}), input: parsed.data };
  });
}
