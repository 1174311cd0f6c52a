/** zod schemas of every admin API body and query (docs/admin-api.md); messages in Japanese. */
import * as z from 'zod';
import { isAuditAction, type AuditAction } from '../audit/labels';
import { REPORT_LIMITS } from '../reports/model';
import { settingsBody as reportSettingsBody } from '../reports/schemas';
import { FUNCTION_IDS, LOGIN_ID_ERROR, LOGIN_ID_PATTERN, ROLES, type FunctionId } from '../staff/staff';

/** Japanese messages for zod's own checks; set per parse so other capabilities keep theirs. */
export const japaneseErrors = z.locales.ja().localeError;

const password = z.string().min(1, 'パスワードを入力してください。').max(256, 'パスワードが長すぎます。');
const loginId = z.string().trim().toLowerCase().regex(LOGIN_ID_PATTERN, LOGIN_ID_ERROR);
const displayName = z.string().trim().min(1, '表示名を入力してください。').max(50, '表示名は50文字以内にしてください。');
const permissions = z
  .array(z.enum(FUNCTION_IDS, { error: '機能の指定に誤りがあります。' }))
  .max(FUNCTION_IDS.length)
  .transform((list): FunctionId[] => FUNCTION_IDS.filter((f) => list.includes(f)));
/**
 * 市民通報で見られる種類 of a general account (ids as the report settings name them: the same check,
 * taken from that schema); empty = every category. Only kept for a general account with 市民通報.
 */
const reportCategories = z
  .array(reportSettingsBody.shape.categories.element.shape.id)
  .max(REPORT_LIMITS.categories, `市民通報の種類は${REPORT_LIMITS.categories}個まで選べます。`)
  .transform((ids) => [...new Set(ids)]);
const role = z.enum(ROLES, { error: '権限は admin（管理者）か general（一般）を指定してください。' });

export const loginBody = z.object({
  loginId: z.string().trim().toLowerCase().min(1, 'ログインIDを入力してください。').max(64, 'ログインIDが長すぎます。'),
  password,
  totp: z.string().trim().max(16).optional(),
});

export const changePasswordBody = z.object({ currentPassword: password, newPassword: password });
export const totpCodeBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '認証アプリの6桁の数字を入力してください。'),
});

export const createStaffBody = z.object({
  loginId,
  displayName,
  role,
  permissions: permissions.default([]),
  reportCategories: reportCategories.optional(),
  initialPassword: password,
});

export const updateStaffBody = z
  .strictObject({
    displayName: displayName.optional(),
    role: role.optional(),
    permissions: permissions.optional(),
    reportCategories: reportCategories.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), '変更する項目を指定してください。');

export const resetPasswordBody = z.object({ newPassword: password });

export const staffLoginIdParam = loginId;

const tokyoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日付は yyyy-mm-dd の形式で指定してください。')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '存在しない日付です。');

export const AUDIT_MAX_RANGE_DAYS = 366;

const auditFilters = z
  .object({
    from: tokyoDay,
    to: tokyoDay,
    actor: z
      .string()
      .trim()
      .max(64)
      .optional()
      .transform((v) => v || undefined),
    action: z
      .string()
      .optional()
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || isAuditAction(v), '操作の種類の指定に誤りがあります。')
      .transform((v) => v as AuditAction | undefined),
  })
  .refine((q) => q.from <= q.to, { message: '開始日は終了日以前にしてください。', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= (AUDIT_MAX_RANGE_DAYS - 1) * 86_400_000, {
    message: `期間は${AUDIT_MAX_RANGE_DAYS}日以内にしてください。`,
    path: ['to'],
  });

export const auditCsvQuery = auditFilters;

export const auditSearchQuery = z.intersection(
  auditFilters,
  z.object({
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1, '件数は1以上にしてください。').max(200, '件数は200以下にしてください。').default(50),
  }),
);
