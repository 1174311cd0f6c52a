/**
 * zod schemas of the scenario staff API (docs/scenarios-api.md). Messages in Japanese for staff.
 * The shape and LINE's per-field limits are checked here; the graph and cross-step rules by
 * check.ts (a draft with problems is saved, only publishing needs none).
 */
import * as z from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { LANGS } from '../shared/languages';
import { SCENARIO_LIMITS as L, STEP_LIMITS } from './model';

export const scenarioIdParam = z.string().regex(ULID_PATTERN, 'シナリオのIDに誤りがあります。');
export const versionParam = z.coerce.number().int().min(1).max(999_999);

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const id = (what: string) => z.string({ error: `${what}を指定してください。` }).regex(ID, `${what}は半角英数字と - _ の40文字以内にしてください。`);

const localized = (what: string, max: number) =>
  z
    .object({
      ja: z.string({ error: `${what}（日本語）を入力してください。` }).max(max, `${what}は${max}文字以内にしてください。`),
      ...Object.fromEntries(LANGS.filter((l) => l !== 'ja').map((l) => [l, z.string().max(max, `${what}は${max}文字以内にしてください。`).optional()])),
    })
    .strict()
    .refine((t) => t.ja.trim().length > 0, `${what}（日本語）を入力してください。`);

const edge = z.discriminatedUnion(
  'to',
  [
    z.object({ to: z.literal('step'), stepId: id('行き先のステップ') }).strict(),
    z.object({ to: z.literal('scenario'), scenarioId: scenarioIdParam }).strict(),
    z
      .object({
        to: z.literal('form'),
        formId: z
          .string()
          .min(1)
          .max(64)
          .regex(/^[A-Za-z0-9_-]+$/, 'フォームのIDに誤りがあります。'),
      })
      .strict(),
    z.object({ to: z.literal('handoff') }).strict(),
    z.object({ to: z.literal('report') }).strict(),
    z.object({ to: z.literal('end') }).strict(),
  ],
  { error: '行き先（ステップ・別のシナリオ・フォーム・職員へ引き継ぎ・通報の受付・終了）を選んでください。' },
);

const saveAs = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,40}$/, '回答の名前は半角英数字と _ の40文字以内にしてください。')
  .optional()
  .or(z.literal('').transform(() => undefined));

const choice = z
  .object({
    choiceId: id('選択肢のID'),
    label: localized('選択肢', STEP_LIMITS.quickReplyLabel),
    value: z.string().max(200, '保存する値は200文字以内にしてください。').optional(),
    next: edge,
  })
  .strict();

const wait = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('choice'),
        choices: z.array(choice).max(L.buttonChoices, `選択肢は${L.buttonChoices}個までです。`),
        display: z.enum(['quickReply', 'buttons']),
        saveAs,
      })
      .strict(),
    z
      .object({
        kind: z.literal('text'),
        rules: z
          .object({
            required: z.boolean(),
            minLength: z.int().min(0).max(STEP_LIMITS.answerText).optional(),
            maxLength: z.int().min(1).max(STEP_LIMITS.answerText).optional(),
            format: z.enum(['number', 'alphanumeric', 'date', 'pattern']).optional(),
            pattern: z.string().max(200, '入力パターンは200文字以内にしてください。').optional(),
          })
          .strict()
          .refine((r) => r.format !== 'pattern' || !r.pattern || isCompilable(r.pattern), '入力パターンが正規表現として読めません。'),
        saveAs,
        next: edge,
      })
      .strict(),
    z
      .object({
        kind: z.literal('image'),
        optional: z.boolean(),
        max: z.int().min(1).max(STEP_LIMITS.photos, `写真は1ステップ${STEP_LIMITS.photos}枚までです。`).optional(),
        saveAs,
        next: edge,
      })
      .strict(),
    z.object({ kind: z.literal('location'), saveAs, next: edge }).strict(),
    z.object({ kind: z.literal('none'), next: edge }).strict(),
  ],
  { error: 'ステップの待ち方（選択肢・文字・写真・位置情報・待たない）を選んでください。' },
);

function isCompilable(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const stepMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: localized('メッセージ', STEP_LIMITS.text) }).strict(),
  z.object({ type: z.literal('image'), mediaId: z.string().regex(ULID_PATTERN, '画像を選んでください。') }).strict(),
]);

export const stepSchema = z
  .object({
    stepId: id('ステップID'),
    name: z.string().trim().min(1, 'ステップ名を入力してください。').max(L.stepNameChars, `ステップ名は${L.stepNameChars}文字以内にしてください。`),
    messages: z.array(stepMessage).max(STEP_LIMITS.messages, `メッセージは1つのステップに${STEP_LIMITS.messages}件までです。`),
    wait,
    reprompt: localized('聞き直しの文', 1_000).optional(),
  })
  .strict();

export const draftSchema = z
  .object({
    name: z.string().trim().min(1, 'シナリオ名を入力してください。').max(L.nameChars, `シナリオ名は${L.nameChars}文字以内にしてください。`),
    startWords: z
      .array(z.string().trim().min(1, '開始キーワードが空です。').max(L.startWordChars, `開始キーワードは${L.startWordChars}文字以内にしてください。`))
      .max(L.startWords, `開始キーワードは${L.startWords}個までです。`),
    startStepId: id('最初のステップ'),
    timeoutMinutes: z
      .int('途中で止まったときにリセットするまでの時間は分（整数）で指定してください。')
      .min(L.timeoutMinutes.min)
      .max(L.timeoutMinutes.max, `リセットまでの時間は${L.timeoutMinutes.max}分（24時間）までです。`),
    maxAttempts: z.int().min(L.maxAttempts.min).max(L.maxAttempts.max, `聞き直しの回数は${L.maxAttempts.max}回までです。`),
    // Every step ID once (two would be one item: a save of them cannot keep both).
    steps: z.array(stepSchema).superRefine((steps, ctx) => {
      const seen = new Set<string>();
      for (const [i, s] of steps.entries()) {
        if (seen.has(s.stepId)) ctx.addIssue({ code: 'custom', path: [i, 'stepId'], message: `ステップID「${s.stepId}」が重複しています。` });
        seen.add(s.stepId);
      }
    }),
  })
  .strict();

export const createBody = z.object({ name: draftSchema.shape.name }).strict();
export const saveBody = draftSchema.extend({ rev: z.int().min(1) }).strict();
export const publishBody = z.object({ version: z.int().min(1), rev: z.int().min(1) }).strict();
export const revBody = z.object({ rev: z.int().min(1) }).strict();
export const settingsBody = z.object({ onboardingScenarioId: scenarioIdParam.nullable(), rev: z.int().min(0) }).strict();
export const runsQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().max(2048).optional(), status: z.string().max(20).optional() })
  .strict();

export type SaveInput = z.output<typeof saveBody>;
