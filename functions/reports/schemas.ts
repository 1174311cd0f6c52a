/** zod schemas of the reports staff API (docs/reports-api.md). Messages in Japanese for staff. */
import * as z from 'zod';
import { ULID_PATTERN } from '../deliveries/schemas';
import { REPORT_STATUSES } from './labels';
import { REPORT_LIMITS as L } from './model';

export const reportIdParam = z.string().regex(ULID_PATTERN);
const categoryId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_-]+$/, '種類のIDは半角英小文字・数字・_ - の40文字以内にしてください。');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日付は yyyy-mm-dd で指定してください。');
const rev = z.int({ error: '画面を読み込み直してください。' }).min(1);
const short = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label}は${max}文字以内にしてください。`)
    .transform((s) => s.trim());

/** The list, the map and the CSV: categories (comma-separated), statuses, district, department, JST days. */
export const listQuery = z
  .object({
    category: z
      .string()
      .max(40 * L.categories)
      .optional()
      .transform((s) => (s ? s.split(',').filter(Boolean) : []))
      .pipe(z.array(categoryId).max(L.categories)),
    status: z
      .string()
      .max(100)
      .optional()
      .transform((s) => (s ? s.split(',').filter(Boolean) : []))
      .pipe(z.array(z.enum(REPORT_STATUSES, '状況の指定に誤りがあります。'))),
    district: z.string().max(50).optional(),
    department: z.string().max(50).optional(),
    from: day.optional(),
    to: day.optional(),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(L.pageSize).default(50),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, '期間の始まりが終わりより後になっています。');
export type ListInput = z.output<typeof listQuery>;

/** A status change (and its preview): the citizen's message is the fixed text in their language, then what staff add. */
export const statusBody = z
  .object({
    rev,
    status: z.enum(REPORT_STATUSES, '状況を選んでください。'),
    reason: short('理由', L.reasonChars).optional(),
    /** 重複: the other report's receipt number. */
    duplicateOf: z
      .string()
      .max(20)
      .regex(/^\d{4}-\d{6}$/, '重複先の受付番号は 2026-000123 の形で入力してください。')
      .optional(),
    message: short('市民へのメッセージ', L.messageChars).optional(),
    /** A photo of the repair (uploaded with POST /media). */
    mediaId: z.string().regex(ULID_PATTERN, '画像のIDに誤りがあります。').optional(),
    notify: z.boolean().default(true),
  })
  .strict()
  .refine((b) => b.status !== 'rejected' || !!b.reason, { message: '「対応できません」には理由を入力してください。', path: ['reason'] })
  .refine((b) => b.status !== 'duplicate' || !!b.duplicateOf, { message: '「重複」には重複先の受付番号を入力してください。', path: ['duplicateOf'] });
export type StatusInput = z.output<typeof statusBody>;

export const assignBody = z.object({ rev, department: z.string().max(50).nullable(), district: z.string().max(50).nullable().optional() }).strict();

export const noteBody = z
  .object({
    rev,
    text: short('メモ', L.noteChars).refine((t) => t.length > 0, 'メモを入力してください。'),
  })
  .strict();

const localized = (label: string, max: number) =>
  z
    .object({
      ja: short(label, max).refine((t) => t.length > 0, `${label}（日本語）を入力してください。`),
      en: short(label, max).optional(),
      ko: short(label, max).optional(),
      'zh-Hans': short(label, max).optional(),
      'zh-Hant': short(label, max).optional(),
    })
    .strict();

const position = z.array(z.number().finite()).min(2).max(3);
const ring = z.array(position).min(4).max(20_000);
const polygon = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(100) }).strip(),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(100)).min(1).max(100) }).strip(),
]);

export const settingsBody = z
  .object({
    rev: z.int().min(0),
    categories: z
      .array(
        z.object({ id: categoryId, label: localized('種類の名前', 20), department: z.string().max(50).optional(), retired: z.boolean().optional() }).strict(),
      )
      .min(1, '種類を1つ以上登録してください。')
      .max(L.categories, `種類は${L.categories}個までです。`)
      .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, '種類のIDが重複しています。'),
    departments: z.array(short('担当課', 50).refine((t) => t.length > 0, '担当課の名前を入力してください。')).max(L.departments),
    districts: z.array(short('地区', 50).refine((t) => t.length > 0, '地区の名前を入力してください。')).max(L.districts),
    duplicate: z
      .object({
        meters: z.int('距離は整数で入力してください。').min(1).max(5_000, '距離は5,000mまでです。'),
        hours: z
          .int('時間は整数で入力してください。')
          .min(1)
          .max(24 * 90, '時間は2,160時間（90日）までです。'),
      })
      .strict(),
    /** GeoJSON (a Polygon or MultiPolygon, or a Feature / FeatureCollection holding one) or null. */
    boundary: z.unknown().transform((v, ctx) => {
      if (v === null || v === undefined) return null;
      const geometry = geometryOf(v);
      const parsed = polygon.safeParse(geometry);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: '市の区域はGeoJSONのPolygonかMultiPolygonで指定してください。' });
        return z.NEVER;
      }
      return parsed.data;
    }),
    tiles: z
      .object({
        url: z
          .string()
          .max(300)
          .regex(/^https:\/\/[^\s"'<>]+\{z\}[^\s"'<>]*$/, '地図タイルのURLは https:// で始まり {z} {x} {y} を含めてください。'),
        attribution: z.string().max(300),
      })
      .strict(),
  })
  .strict();
export type SettingsInput = z.output<typeof settingsBody>;

/** The geometry of a GeoJSON value (a Feature's, a FeatureCollection's first). */
function geometryOf(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = v as { type?: unknown; geometry?: unknown; features?: unknown };
  if (o.type === 'Feature') return o.geometry;
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) return (o.features[0] as { geometry?: unknown } | undefined)?.geometry;
  return v;
}
