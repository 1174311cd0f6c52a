/**
 * zod schemas of the deliveries staff API (docs/deliveries-api.md). Messages in Japanese for staff.
 * Unknown keys are dropped (the console may send a whole object back); every value that reaches
 * the use cases is checked here, LINE's own limits are checked again by compose.ts.
 */
import * as z from 'zod';
import { ATTRIBUTES } from '../forms/form';
import { LANGS } from '../shared/languages';
import { withinGraphemes } from '../shared/text';
import { CARD_TEMPLATES, DELIVERY_STATUSES, EVERYONE_ID, WEEKDAYS, type Bubble, type SegmentRule, type Timing } from './model';

// ---- building blocks -------------------------------------------------------------------------

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ulidParam = z.string().regex(ULID_PATTERN, 'IDの形式に誤りがあります。');
export const deliveryIdParam = ulidParam;
export const recurringIdParam = ulidParam;
export const mediaIdParam = ulidParam;
/** A saved segment (ULID) or the built-in "everyone". */
export const segmentIdParam = z.union([z.literal(EVERYONE_ID), ulidParam], { error: 'セグメントIDの形式に誤りがあります。' });

/** Choice and form ids as the forms capability makes them. */
const choiceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '選択肢のIDに誤りがあります。');
const formId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'フォームのIDに誤りがあります。');

const trimmed = (what: string, max: number) =>
  z
    .string({ error: `${what}を入力してください。` })
    .trim()
    .min(1, `${what}を入力してください。`)
    .max(max, `${what}は${max}文字以内にしてください。`);

/** Free text whose spacing matters (messages): not trimmed, but must not be blank. */
const messageText = (what: string, max: number) =>
  z
    .string({ error: `${what}を入力してください。` })
    .max(max, `${what}は${max.toLocaleString('ja-JP')}文字以内にしてください。`)
    .refine((t) => t.trim().length > 0, `${what}を入力してください。`);

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** yyyy-mm-dd that exists on the calendar (2026-02-30 is refused). */
export const isoDate = z.string({ error: '日付を入力してください。' }).refine(isCalendarDate, '日付は yyyy-mm-dd 形式の正しい日付にしてください。');
const hhmm = z.string({ error: '時刻を入力してください。' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, '時刻は HH:mm 形式（00:00〜23:59）にしてください。');

/** Button labels: LINE counts grapheme clusters and allows 20 (the raw length is capped before counting). */
const buttonLabel = z
  .string({ error: 'ボタンの文言を入力してください。' })
  .trim()
  .min(1, 'ボタンの文言を入力してください。')
  .refine((l) => withinGraphemes(l, 20), 'ボタンの文言は20文字以内にしてください。');

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** https only; http only for the local runtime (localhost, 127.0.0.1). */
export function isAllowedUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
}
export const linkUrl = z
  .string({ error: 'URLを入力してください。' })
  .trim()
  .max(1000, 'URLは1,000文字以内にしてください。')
  .refine(isAllowedUrl, 'URLは https:// で始まる正しいURLにしてください。');

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

// ---- segments ----------------------------------------------------------------------------------

const condition = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('attribute'),
      attribute: z.enum(ATTRIBUTES, { error: '属性の指定に誤りがあります。' }),
      op: z.enum(['in', 'notIn'], { error: '条件（含む／含まない）の指定に誤りがあります。' }),
      values: z.array(choiceId).min(1, '選択肢を1つ以上選んでください。').max(100, '選択肢は100個までです。').refine(unique, '選択肢が重複しています。'),
    }),
    z.object({ kind: z.literal('answeredForm'), formId, answered: z.boolean({ error: '回答済み／未回答を指定してください。' }) }),
    z.object({ kind: z.literal('followed'), op: z.enum(['before', 'onOrAfter'], { error: '友だち追加日の条件に誤りがあります。' }), date: isoDate }),
    z.object({
      kind: z.literal('language'),
      values: z
        .array(z.enum(LANGS, { error: '言語の指定に誤りがあります。' }))
        .min(1, '言語を1つ以上選んでください。')
        .refine(unique, '言語が重複しています。'),
    }),
  ],
  { error: '条件の種類に誤りがあります。' },
);

export const segmentRule: z.ZodType<SegmentRule, SegmentRule> = z.object({
  match: z.enum(['all', 'any'], { error: '「すべて満たす」か「いずれかを満たす」を指定してください。' }),
  conditions: z.array(condition).max(20, '条件は20個までです。'),
});

const version = z.int('version を指定してください。').min(1, 'version を指定してください。');

export const segmentBody = z.object({
  name: trimmed('セグメント名', 50),
  description: z.string().trim().max(200, '説明は200文字以内にしてください。').optional(),
  rule: segmentRule,
});
export const segmentUpdateBody = segmentBody.extend({ version });
export const countBody = z.object({ rule: segmentRule });

// ---- content -------------------------------------------------------------------------------------

const bubble: z.ZodType<Bubble, Bubble> = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text'), text: messageText('テキスト', 5000) }),
    z.object({
      type: z.literal('image'),
      mediaId: z.string().regex(ULID_PATTERN, '画像を選び直してください。'),
      alt: z.string().trim().max(400, '画像の説明は400文字以内にしてください。').optional(),
    }),
    z.object({
      type: z.literal('card'),
      template: z.enum(CARD_TEMPLATES, { error: 'カードの種類に誤りがあります。' }),
      title: trimmed('カードの見出し', 100),
      body: messageText('カードの本文', 2000),
      mediaId: z.string().regex(ULID_PATTERN, '画像を選び直してください。').optional(),
      when: z.string().trim().max(100, '日時は100文字以内にしてください。').optional(),
      where: z.string().trim().max(100, '場所は100文字以内にしてください。').optional(),
      button: z.object({ label: buttonLabel, url: linkUrl }).optional(),
    }),
    z.object({ type: z.literal('link'), text: messageText('リンクの説明文', 2000), label: buttonLabel, url: linkUrl }),
    z.object({
      type: z.literal('scenario'),
      text: messageText('シナリオの案内文', 2000),
      label: buttonLabel,
      scenarioId: z.string().regex(ULID_PATTERN, 'シナリオを選び直してください。'),
    }),
  ],
  { error: '吹き出しの種類に誤りがあります。' },
);

const variant = z.object({
  lang: z.enum(LANGS, { error: '言語の指定に誤りがあります。' }),
  bubbles: z.array(bubble).min(1, '吹き出しを1つ以上入れてください。').max(5, '吹き出しは5個までです（LINEの上限）。'),
});

export const variants = z
  .array(variant)
  .min(1, '日本語の配信内容を入力してください。')
  .max(LANGS.length)
  .refine((vs) => vs.some((v) => v.lang === 'ja'), '日本語の配信内容は必須です。')
  .refine((vs) => unique(vs.map((v) => v.lang)), '同じ言語の配信内容が重複しています。');

const title = trimmed('タイトル', 100);
const category = trimmed('カテゴリ', 30);

export const audienceInput = z.union(
  [
    z.object({ segmentId: segmentIdParam }),
    z.object({ rule: segmentRule, label: z.string().trim().max(100, '配信先の名前は100文字以内にしてください。').optional() }),
  ],
  { error: '配信先（セグメントか条件）を指定してください。' },
);

/** Send now, or at a time given with its offset; stored as UTC ISO (history sorts by this string). */
export const timing: z.ZodType<Timing, Timing> = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('now') }),
    z.object({
      kind: z.literal('at'),
      at: z.iso.datetime({ offset: true, error: '配信日時はタイムゾーン付きのISO 8601形式で指定してください。' }).transform((at) => new Date(at).toISOString()),
    }),
  ],
  { error: '配信のタイミング（今すぐ／日時指定）を指定してください。' },
);

export const deliveryBody = z.object({ title, category, variants, audience: audienceInput, timing });
export const deliveryUpdateBody = deliveryBody.extend({ version });
export const rejectBody = z.object({ reason: trimmed('差し戻しの理由', 500) });
export const sendBody = z.object({ force: z.boolean().optional() });
/** Title and category are not needed to estimate; accepted (and defaulted) so the console can send its draft. */
export const estimateBody = z.object({ title: z.string().max(100).default(''), category: z.string().max(30).default(''), variants, audience: audienceInput });
export const settingsBody = z.object({ approvalRequired: z.boolean({ error: '承認の要否を指定してください。' }) });

// ---- recurrence ------------------------------------------------------------------------------------

const weekday = z.enum(WEEKDAYS, { error: '曜日の指定に誤りがあります。' });
const weekdays = z.array(weekday).max(7).refine(unique, '曜日が重複しています。');
const monthDay = z.int('日付の指定に誤りがあります。').refine((d) => d === -1 || (d >= 1 && d <= 31), '日は1〜31か末日を指定してください。');

export const recurrenceRule = z
  .object({
    freq: z.enum(['daily', 'weekly', 'monthly', 'dates'], { error: 'くり返しの種類に誤りがあります。' }),
    interval: z.int('間隔は1〜12の整数にしてください。').min(1, '間隔は1〜12にしてください。').max(12, '間隔は1〜12にしてください。').default(1),
    time: hhmm,
    byWeekday: weekdays.optional(),
    byMonthDay: z.array(monthDay).max(32).refine(unique, '日付が重複しています。').optional(),
    bySetPos: z
      .int()
      .refine((p) => p === -1 || (p >= 1 && p <= 4), '第何週は1〜4か最終を指定してください。')
      .optional(),
    dates: z.array(isoDate).max(366, '指定日は366日までです。').optional(),
    start: isoDate,
    end: isoDate.optional(),
    excludeDates: z.array(isoDate).max(366, '除外日は366日までです。').default([]),
    excludeWeekdays: weekdays.default([]),
    excludeHolidays: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (r.end !== undefined && r.end < r.start) issue('end', '終了日は開始日以降にしてください。');
    if (r.freq === 'dates' && !(r.dates && r.dates.length > 0)) issue('dates', '配信する日を1日以上指定してください。');
    if (r.freq === 'monthly' && r.byMonthDay?.length && r.byWeekday?.length)
      issue('byMonthDay', '毎月の指定は「日付」か「第何曜日」のどちらか一方にしてください。');
    if (r.bySetPos !== undefined && !(r.freq === 'monthly' && r.byWeekday?.length)) issue('bySetPos', '第何週の指定は、毎月の曜日指定と一緒に使ってください。');
    if (r.freq === 'dates' && (r.byWeekday?.length || r.byMonthDay?.length)) issue('freq', '指定日のくり返しに曜日や日付は指定できません。');
  });

export const recurringBody = z.object({ title, category, variants, audience: audienceInput, rule: recurrenceRule });
export const recurringUpdateBody = recurringBody.extend({ version });
export const previewBody = z.object({ rule: recurrenceRule });

// ---- history -------------------------------------------------------------------------------------

/** Query strings are strings: status is a comma list, limit a number in text. Empty values count as absent. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalQuery = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const historyQuery = z
  .object({
    from: optionalQuery(isoDate),
    to: optionalQuery(isoDate),
    q: optionalQuery(z.string().trim().max(100, '検索語は100文字以内にしてください。')),
    status: optionalQuery(
      z
        .string()
        .transform((s) => [
          ...new Set(
            s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          ),
        ])
        .pipe(z.array(z.enum(DELIVERY_STATUSES, { error: '状態の指定に誤りがあります。' })).min(1)),
    ),
    category: optionalQuery(z.string().trim().max(30, 'カテゴリは30文字以内にしてください。')),
    recurringId: optionalQuery(ulidParam),
    cursor: optionalQuery(z.string().max(2000, 'カーソルが長すぎます。')),
    limit: z.preprocess(
      blankToUndefined,
      z.coerce.number().int('件数は1〜100の整数にしてください。').min(1, '件数は1〜100にしてください。').max(100, '件数は1〜100にしてください。').default(50),
    ),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '期間の開始日は終了日以前にしてください。', path: ['to'] });

export type HistoryQuery = z.infer<typeof historyQuery>;
export type DeliveryBody = z.infer<typeof deliveryBody>;
export type RecurringBody = z.infer<typeof recurringBody>;
