/** zod schemas of the chat staff API (docs/chat-api.md). Messages in Japanese for staff. */
import * as z from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { CHAT_LIMITS as L } from './model';
import { INBOX_VIEWS } from './labels';

const clientId = z.string({ error: '送信IDがありません。画面を読み込み直してください。' }).regex(ULID_PATTERN, '送信IDの形式に誤りがあります。');

export const inboxQuery = z
  .object({
    view: z.enum(INBOX_VIEWS).default('open'),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(2048).optional(),
  })
  .strict();

/** A staff message: text or an uploaded image (POST /media), sent once per clientId. */
export const sendBody = z
  .object({
    clientId,
    text: z
      .string()
      .max(L.textChars, `メッセージは${L.textChars.toLocaleString('ja-JP')}文字以内にしてください。`)
      .optional(),
    mediaId: z.string().regex(ULID_PATTERN, '画像のIDに誤りがあります。').optional(),
  })
  .strict()
  .refine((b) => (b.text?.trim() ? 1 : 0) + (b.mediaId ? 1 : 0) === 1, 'メッセージを入力するか、画像を1枚選んでください。');

export const noteBody = z
  .object({
    clientId,
    text: z
      .string({ error: 'メモを入力してください。' })
      .max(L.noteChars, `メモは${L.noteChars.toLocaleString('ja-JP')}文字以内にしてください。`)
      .refine((t) => t.trim().length > 0, 'メモを入力してください。'),
  })
  .strict();

export const assignBody = z.object({ loginId: z.string().max(32).nullable() }).strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '時刻は 08:30 のように入力してください。');
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日付は 12-29 のように入力してください。');
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '休みの日は 2026-12-28 のように入力してください。')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), '休みの日に存在しない日付があります。');

export const settingsBody = z
  .object({
    officeHours: z
      .object({
        enabled: z.boolean(),
        days: z.array(z.number().int().min(0).max(6)).max(7),
        from: hhmm,
        to: hhmm,
        holidays: z.boolean(),
        yearEnd: z.object({ from: monthDay, to: monthDay }).strict().nullable(),
        closedDates: z.array(date).max(L.closedDates, `休みの日は${L.closedDates}日までです。`),
      })
      .strict()
      .refine((h) => h.from < h.to, { message: '受付の終わりは始まりより後にしてください。', path: ['to'] })
      .refine((h) => !h.enabled || h.days.length > 0, { message: '受付する曜日を1つ以上選んでください。', path: ['days'] }),
    markAsRead: z.boolean(),
    rev: z.number().int().min(0),
  })
  .strict();

export const cannedBody = z
  .object({
    items: z
      .array(
        z
          .object({
            id: z.string().max(40).optional(),
            title: z
              .string()
              .max(L.cannedTitleChars, `定型文の名前は${L.cannedTitleChars}文字以内にしてください。`)
              .refine((t) => t.trim().length > 0, '定型文の名前を入力してください。'),
            text: z
              .string()
              .max(L.textChars, `定型文は${L.textChars.toLocaleString('ja-JP')}文字以内にしてください。`)
              .refine((t) => t.trim().length > 0, '定型文の本文を入力してください。'),
          })
          .strict(),
      )
      .max(L.cannedItems, `定型文は${L.cannedItems}件までです。`),
    rev: z.number().int().min(0),
  })
  .strict();

export type SendInput = z.output<typeof sendBody>;
export type SettingsInput = z.output<typeof settingsBody>;
