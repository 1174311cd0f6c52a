/**
 * zod schemas of the keyword staff API (docs/keywords-api.md) and of imported rules. Messages in
 * Japanese for staff. Raw lengths are capped before anything expensive; regular expressions are
 * compiled here and checked for catastrophic backtracking by the use case (pattern-safety.ts).
 */
import * as z from 'zod';
import { ULID_PATTERN, variants } from '../deliveries/schemas';
import { KEYWORD_LIMITS, MATCH_KINDS } from './model';
import { normalizeForMatch } from './normalize';
import { compileKeywordRegex } from './regex';

const L = KEYWORD_LIMITS;

export const ruleIdParam = z.string().regex(ULID_PATTERN, 'ルールのIDに誤りがあります。');

const instant = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what}はタイムゾーン付きのISO 8601形式で指定してください。` }).transform((at) => new Date(at).toISOString());

export { compileKeywordRegex } from './regex';

/** The rule as staff write it (create, edit, import). */
export const ruleInput = z
  .object({
    name: z
      .string({ error: 'ルール名を入力してください。' })
      .trim()
      .min(1, 'ルール名を入力してください。')
      .max(L.nameChars, `ルール名は${L.nameChars}文字以内にしてください。`),
    match: z.enum(MATCH_KINDS, { error: '一致のしかた（完全一致・部分一致・正規表現）を選んでください。' }),
    patterns: z
      .array(z.string({ error: 'キーワードを入力してください。' }).max(L.regexChars, `キーワードは${L.regexChars}文字以内にしてください。`))
      .min(1, 'キーワードを1つ以上入れてください。')
      .max(L.patternsPerRule, `キーワードは1つのルールに${L.patternsPerRule}個までです。`),
    priority: z
      .int('優先度は整数で入力してください。')
      .min(L.priorityMin, `優先度は${L.priorityMin}〜${L.priorityMax}にしてください。`)
      .max(L.priorityMax, `優先度は${L.priorityMin}〜${L.priorityMax}にしてください。`),
    enabled: z.boolean({ error: '有効か停止かを指定してください。' }),
    activeFrom: instant('開始日時').optional(),
    activeUntil: instant('終了日時').optional(),
    replies: variants,
    handoff: z.boolean().optional(),
  })
  .transform((rule, ctx) => {
    const patterns: string[] = [];
    for (const [i, raw] of rule.patterns.entries()) {
      const p = rule.match === 'regex' ? raw : raw.trim();
      const where = `キーワード${i + 1}（${p.slice(0, 20)}${p.length > 20 ? '…' : ''}）`;
      if (p.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `キーワード${i + 1}が空です。` });
        continue;
      }
      if (rule.match !== 'regex') {
        if (p.length > L.patternChars) ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `${where}は${L.patternChars}文字以内にしてください。` });
        else if (normalizeForMatch(p).length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['patterns', i],
            message: `${where}は記号と空白だけのため、どの文にも当てはまりません。文字を入れてください。`,
          });
        }
      } else {
        try {
          const re = compileKeywordRegex(p);
          if (re.test(''))
            ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `${where}は空の文にも当てはまるため、すべてのメッセージに答えてしまいます。` });
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            path: ['patterns', i],
            message: `${where}は正規表現として正しくありません（${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : '書き方の誤り'}）。`,
          });
        }
      }
      patterns.push(p);
    }
    if (new Set(patterns.map((p) => (rule.match === 'regex' ? p : normalizeForMatch(p)))).size !== patterns.length) {
      ctx.addIssue({ code: 'custom', path: ['patterns'], message: '同じキーワード（表記のゆれをそろえると同じもの）が重複しています。' });
    }
    if (rule.activeFrom && rule.activeUntil && rule.activeFrom > rule.activeUntil) {
      ctx.addIssue({ code: 'custom', path: ['activeUntil'], message: '終了日時は開始日時より後にしてください。' });
    }
    return { ...rule, patterns };
  });
export type RuleInput = z.output<typeof ruleInput>;

export const createRuleBody = ruleInput;
/** An edit names the version it started from (another staff member's change in between: 409). */
export const updateRuleBody = z.object({ version: z.int().min(1, 'version を指定してください。') }).and(ruleInput);
export const deleteRuleBody = z.object({ version: z.int().min(1, 'version を指定してください。') });

/** "Which rule answers this?": a message as a citizen would send it, at a Japan time (default now). */
export const tryBody = z.object({
  text: z.string({ error: '試す文を入力してください。' }).min(1, '試す文を入力してください。').max(5000, '試す文は5,000文字以内にしてください。'),
  at: instant('日時').optional(),
  language: z.string().max(20).optional(),
});

export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const importBody = z.object({
  format: z.enum(['csv', 'json'], { error: '形式（CSVかJSON）を選んでください。' }),
  /** add: next to the existing rules; replace: the file becomes the whole set. */
  mode: z.enum(['add', 'replace'], { error: '取り込み方（追加か置き換え）を選んでください。' }),
  content: z.string({ error: 'ファイルの中身がありません。' }).min(1, 'ファイルが空です。').max(IMPORT_MAX_BYTES, 'ファイルは2MBまでです。'),
});
