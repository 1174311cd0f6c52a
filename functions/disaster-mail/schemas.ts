/**
 * zod schema of the bridge's settings as staff save them (console page 防災メール連携). Messages in
 * Japanese for staff. Every list and text is bounded before anything reads it; keywords and footer
 * markers are plain text (compared after NFKC), never patterns, so nothing staff type can stall a
 * mail's processing. Segment IDs are checked to exist by the use case.
 */
import * as z from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { ALERT_KINDS, APPROVED_TEXT_MAX, OTHER_LANGS, type BridgeSettings, type OtherLang } from './model';

/** A domain name: labels of letters, digits and hyphens (IDN in its ASCII form), at least one dot. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const LOCAL_PART = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

/** `bousai@city.arao.example`, `city.arao.example` or `@city.arao.example`, lower-cased. */
export const senderEntry = z
  .string({ error: '差出人を入力してください。' })
  .trim()
  .max(254, '差出人は254文字以内にしてください。')
  .transform((s) => s.toLowerCase())
  .refine((s) => {
    const at = s.lastIndexOf('@');
    if (at < 0) return DOMAIN.test(s);
    if (at === 0) return DOMAIN.test(s.slice(1));
    return LOCAL_PART.test(s.slice(0, at)) && DOMAIN.test(s.slice(at + 1));
  }, '差出人はメールアドレス（bousai@example.jp）かドメイン（example.jp）で入力してください。');

const keyword = z.string().trim().min(1, 'キーワードが空です。').max(50, 'キーワードは50文字以内にしてください。');
const keywords = z.array(keyword).max(30, 'キーワードは30個までです。').optional();

const target = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('everyone') }),
    z.object({
      kind: z.literal('segments'),
      segmentIds: z
        .array(z.string().regex(ULID_PATTERN, 'セグメントIDの形式に誤りがあります。'))
        .min(1, '送り先のセグメントを選んでください。')
        .max(20, 'セグメントは20個までです。'),
    }),
  ],
  { error: '送り先を指定してください。' },
);

export const routeBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'ルールのIDに誤りがあります。'),
  name: z.string().trim().min(1, 'ルールの名前を入力してください。').max(60, 'ルールの名前は60文字以内にしてください。'),
  senders: z.array(senderEntry).max(50, '差出人は50件までです。').optional(),
  subjectKeywords: keywords,
  bodyKeywords: keywords,
  target,
  mode: z.enum(['auto', 'hold'], { error: '自動で送るか、承認を待つかを選んでください。' }),
  releaseAfterMinutes: z
    .number()
    .int('分は整数で入力してください。')
    .min(1, '1分以上にしてください。')
    .max(1440, '1440分（24時間）以内にしてください。')
    .optional(),
});

const phrase = z.string().trim().max(500, '定型文は500文字以内にしてください。');
const phrases = z.object(
  Object.fromEntries(
    ALERT_KINDS.map((kind) => [kind, z.object(Object.fromEntries(OTHER_LANGS.map((lang) => [lang, phrase])) as Record<OtherLang, typeof phrase>)]),
  ) as Record<(typeof ALERT_KINDS)[number], z.ZodObject<Record<OtherLang, typeof phrase>>>,
);

export const settingsBody = z
  .object({
    acceptedSenders: z.array(senderEntry).max(50, '受け付ける差出人は50件までです。'),
    routes: z.array(routeBody).max(50, 'ルールは50件までです。'),
    defaultRoute: routeBody.nullable(),
    footerMarkers: z
      .array(z.string().trim().min(1, '区切りの文字が空です。').max(100, '区切りの文字は100文字以内にしてください。'))
      .max(20, '区切りは20件までです。'),
    disasterPageUrl: z
      .url({ protocol: /^https$/, error: '防災ページのURLは https:// で始まるアドレスにしてください。' })
      .max(1000, 'URLは1000文字以内にしてください。')
      .optional(),
    phrases,
    duplicateWindowMinutes: z.number().int('分は整数で入力してください。').min(1, '1分以上にしてください。').max(1440, '1440分（24時間）以内にしてください。'),
    requireDmarcPass: z.boolean().optional(),
  })
  .refine((s) => new Set(s.routes.map((r) => r.id)).size === s.routes.length, { message: 'ルールのIDが重複しています。', path: ['routes'] })
  .refine((s) => [...s.routes, ...(s.defaultRoute ? [s.defaultRoute] : [])].every((r) => r.mode === 'hold' || r.releaseAfterMinutes === undefined), {
    message: '「時間がたったら送る」は承認を待つルールだけに設定できます。',
    path: ['routes'],
  });

/** The settings as the rules read them (the schema's output is checked against BridgeSettings here). */
export function parseSettings(input: unknown): { ok: true; settings: BridgeSettings } | { ok: false; error: z.ZodError } {
  const result = settingsBody.safeParse(input);
  if (!result.success) return { ok: false, error: result.error };
  const settings: BridgeSettings = result.data;
  return { ok: true, settings };
}

// ---- request bodies of the routes (functions/admin/disaster-mail-routes.ts; the console sends z.input of them) ----

/** The settings' JSON may pass the API's usual 64 KB (50 routes of 30 keywords, the phrase table): up to this. */
export const SETTINGS_MAX_BYTES = 512 * 1024;
/** A pasted mail's JSON (Japanese text is 3 bytes a character in UTF-8, escapes add more). */
export const DRY_RUN_MAX_BYTES = 2 * 1024 * 1024;

/** PUT's body: the whole settings and the version the editor read. */
export const saveSettingsBody = z.object({
  settings: settingsBody,
  expectedVersion: z.number({ error: '読み込んだ版を指定してください。' }).int().min(0),
});

/** Approve a held mail, with the Japanese text staff edited (absent: as composed). */
export const approveBody = z
  .object({
    text: z
      .string()
      .max(APPROVED_TEXT_MAX, `本文は${APPROVED_TEXT_MAX.toLocaleString('ja-JP')}文字以内にしてください。`)
      .optional(),
  })
  .strict();
export const testBody = z.object({ segmentId: z.string({ error: 'テストの送信先を選んでください。' }).min(1).max(64) }).strict();
/** A pasted mail, 500,000 characters at most (a dry run reads it like a received one). */
export const dryRunBody = z
  .object({
    raw: z
      .string({ error: 'メールを貼り付けてください。' })
      .min(1, 'メールを貼り付けてください。')
      .max(500_000, '貼り付けたメールが長すぎます（50万文字まで）。'),
  })
  .strict();
