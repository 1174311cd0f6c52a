/** zod schemas of the forms API bodies and queries (docs/forms-api.md). Staff messages in Japanese. */
import * as z from 'zod';
import { ATTRIBUTES, CHARSETS, ITEM_TYPES, CHOICE_TYPES, MEDIA_TYPES, DEFAULT_MEDIA } from './form';
import { LANGS } from '../shared/languages';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'IDは半角英数字・_・- で64文字以内にしてください。');
const text = (max: number) => z.string().trim().max(max, `${max}文字以内にしてください。`);

/** `{ja, en?, ko?, zh-Hans?, zh-Hant?}`; Japanese is required, empty translations are dropped. */
export const i18nText = (max = 500) =>
  z
    .strictObject({
      ja: text(max).min(1, '日本語の文言を入力してください。'),
      en: text(max).optional(),
      ko: text(max).optional(),
      'zh-Hans': text(max).optional(),
      'zh-Hant': text(max).optional(),
    })
    .transform((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v)) as typeof t);

const isoTime = z.iso.datetime({ offset: true, error: '日時はISO 8601形式で指定してください。' });

const compilablePattern = z
  .string()
  .max(200, '入力パターンは200文字以内にしてください。')
  .refine((p) => {
    try {
      new RegExp(p, 'u');
      return true;
    } catch {
      return false;
    }
  }, '入力パターン（正規表現）に誤りがあります。');

const mediaTypes = [...DEFAULT_MEDIA.image.types, ...DEFAULT_MEDIA.video.types] as [string, ...string[]];

export const itemInput = z
  .strictObject({
    itemId: id.optional(),
    type: z.enum(ITEM_TYPES, { error: '質問の種類に誤りがあります。' }),
    label: i18nText(200),
    help: i18nText(500).optional(),
    required: z.boolean().default(false),
    retired: z.boolean().optional(),
    choices: z
      .array(z.strictObject({ choiceId: id.optional(), label: i18nText(100), retired: z.boolean().optional() }))
      .max(100, '選択肢は100個までです。')
      .optional(),
    text: z
      .strictObject({
        multiline: z.boolean().optional(),
        minLength: z.int().min(0).max(10_000).optional(),
        maxLength: z.int().min(1).max(10_000).optional(),
        charset: z.enum(CHARSETS).optional(),
        pattern: compilablePattern.optional(),
        patternHint: i18nText(100).optional(),
      })
      .optional(),
    media: z.strictObject({ maxBytes: z.int().min(1).max(DEFAULT_MEDIA.video.maxBytes), types: z.array(z.enum(mediaTypes)).min(1) }).optional(),
    attribute: z.enum(ATTRIBUTES).optional(),
  })
  .superRefine((item, ctx) => {
    if (CHOICE_TYPES.has(item.type) && !(item.choices ?? []).some((c) => !c.retired)) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: '選択肢を1つ以上入れてください。' });
    }
    if (item.text && item.text.minLength !== undefined && item.text.maxLength !== undefined && item.text.minLength > item.text.maxLength) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: '最小文字数が最大文字数を超えています。' });
    }

    if (item.media && MEDIA_TYPES.has(item.type)) {
      const allowed = DEFAULT_MEDIA[item.type as 'image' | 'video'];
      if (item.media.types.some((t) => !allowed.types.includes(t)) || item.media.maxBytes > allowed.maxBytes) {
        ctx.addIssue({ code: 'custom', path: ['media'], message: 'ファイルの種類または上限サイズがこの質問の種類に合いません。' });
      }
    }
  });

const unique = (values: string[]) => new Set(values).size === values.length;

export const formInput = z
  .strictObject({
    title: i18nText(200),
    description: i18nText(2000).optional(),
    opensAt: isoTime.optional(),
    closesAt: isoTime.optional(),
    consent: z
      .strictObject({
        text: i18nText(2000).optional(),
        links: z.array(z.strictObject({ label: i18nText(100), url: z.url({ protocol: /^https?$/, error: 'リンクのURLに誤りがあります。' }) })).max(5),
      })
      .optional(),
    items: z.array(itemInput).max(100, '質問は100個までです。'),
  })
  .refine((f) => unique(f.items.flatMap((i) => (i.itemId ? [i.itemId] : []))), { message: '質問のIDが重複しています。', path: ['items'] })
  .refine((f) => f.items.every((i) => unique((i.choices ?? []).flatMap((c) => (c.choiceId ? [c.choiceId] : [])))), {
    message: '選択肢のIDが重複しています。',
    path: ['items'],
  })
  .refine((f) => unique(f.items.filter((i) => !i.retired).flatMap((i) => (i.attribute ? [i.attribute] : []))), {
    message: '属性の対応付けが重複しています。',
    path: ['items'],
  })
  .refine((f) => !f.opensAt || !f.closesAt || Date.parse(f.opensAt) < Date.parse(f.closesAt), {
    message: '受付終了は受付開始より後にしてください。',
    path: ['closesAt'],
  });

export const createFormBody = formInput.and(z.object({ kind: z.enum(['survey', 'profile']).default('survey') }));
export const updateFormBody = formInput.and(z.object({ expectedVersion: z.int().min(1, 'expectedVersion を指定してください。') }));
export const formIdParam = id;
/** A LINE user ID (`U` + 32 hex digits). */
export const lineUserIdParam = z.string().regex(/^U[0-9a-f]{32}$/);
export const responsesQuery = z.object({ cursor: z.string().max(2000).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

// Citizen side: messages are localized by the LIFF handler, these schemas only shape the input.
export const langValue = z.enum(LANGS);
export const submitBody = z.object({
  lang: z.string().max(20).optional(),
  consent: z.boolean().optional(),
  answers: z.record(z.string().max(64), z.unknown()).refine((a) => Object.keys(a).length <= 200),
});
/** Upload intent: what the browser is about to send (size and type are checked again on completion). */
export const uploadIntentBody = z.object({
  formId: id,
  itemId: id,
  contentType: z.string().min(1).max(100),
  bytes: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  lang: z.string().max(20).optional(),
});
/** POST /api/liff/clicks: the page was opened from a counted link of a delivery (`clk`, functions/shared/liff-url.ts). */
export const liffClickBody = z.object({ ref: z.string().max(40) });
