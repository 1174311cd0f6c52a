/**
 * The words of the staff account screens that are worth a test of their own: the login ID's rule
 * (the very words of the API's error, functions/staff/staff.ts) and what a typed ID is saved as,
 * and the warning for a general account without functions, the report categories an account keeps.
 */
import { LOGIN_ID_PATTERN, LOGIN_ID_RULE, normalizeLoginId, type FunctionId, type Role } from '../../../functions/staff/staff';

export { LOGIN_ID_ERROR } from '../../../functions/staff/staff';

/** The hint under ログインID: the same rule the error states, and what happens to capitals. */
export const LOGIN_ID_HINT = `${LOGIN_ID_RULE}。英大文字は小文字にして保存します。作成後は変更できません。`;

/**
 * What the typed ID will be saved as, said before saving: null while nothing is typed or the
 * ID is saved exactly as typed; otherwise the sentence to show under the field.
 */
export function loginIdPreview(typed: string): { saved: string; text: string; valid: boolean } | null {
  const saved = normalizeLoginId(typed);
  if (!saved) return null;
  const valid = LOGIN_ID_PATTERN.test(saved);
  if (saved === typed && valid) return null;
  if (!valid) return { saved, valid, text: `ログインIDは${LOGIN_ID_RULE}にしてください。` };
  return { saved, valid, text: `ログインIDは「${saved}」として保存します（英大文字は小文字、前後の空白は除きます）。` };
}

/** The confirmation before saving a general account with no functions. */
export function noFunctionsWarning(displayName: string): string {
  const who = displayName.trim() ? `「${displayName.trim()}」` : 'このアカウント';
  return `${who}は一般のアカウントで、使える機能が1つも選ばれていません。このままでは、サインインしてダッシュボードを見ることしかできません。`;
}

/** The success message after creating an account: the ID exactly as it was saved. */
export function createdMessage(loginId: string): string {
  return `アカウント「${loginId}」を作成しました。ログインIDは「${loginId}」です。初期パスワードと一緒に本人に伝えてください（最初のサインインで変更を求められます）。`;
}

/** The report categories sent for the account: only a general account with 市民通報 is limited (empty: every category). */
export function reportCategoriesFor(role: Role, permissions: readonly FunctionId[], categories: readonly string[]): string[] {
  return role === 'general' && permissions.includes('reports') ? [...categories] : [];
}
