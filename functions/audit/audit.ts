/**
 * The audit log of the staff console: who did what, when, from where, to what,
 * with before/after pictures that never hold password hashes or secrets.
 */
export const AUDIT_ACTIONS = {
  'auth.login': 'サインイン',
  'auth.login_failed': 'サインイン失敗',
  'auth.locked': 'アカウントロック',
  'auth.logout': 'サインアウト',
  'auth.password_changed': 'パスワード変更',
  'auth.totp_setup': '二要素認証の準備',
  'auth.totp_enabled': '二要素認証の有効化',
  'auth.totp_disabled': '二要素認証の無効化',
  'staff.created': '職員アカウント作成',
  'staff.updated': '職員アカウント変更',
  'staff.password_reset': 'パスワード再設定',
  'form.created': 'フォーム作成',
  'form.updated': 'フォーム変更',
  'form.published': 'フォーム公開',
  'form.unpublished': 'フォーム公開停止',
  'form.responses_exported': 'フォーム回答のCSV出力',
  'segment.created': 'セグメント作成',
  'segment.updated': 'セグメント変更',
  'segment.deleted': 'セグメント削除',
  'delivery.created': '配信の作成',
  'delivery.updated': '配信の変更',
  'delivery.deleted': '配信の削除',
  'delivery.requested': '配信の承認依頼',
  'delivery.approved': '配信の承認',
  'delivery.rejected': '配信の差し戻し',
  'delivery.sent': '配信の送信',
  'delivery.scheduled': '配信の予約',
  'delivery.cancelled': '配信予約の取り消し',
  'delivery.resent': '配信の失敗分の再送',
  'recurring.created': 'くり返し配信の作成',
  'recurring.updated': 'くり返し配信の変更',
  'recurring.paused': 'くり返し配信の一時停止',
  'recurring.resumed': 'くり返し配信の再開',
  'recurring.ended': 'くり返し配信の終了',
  'deliveries.exported': '配信履歴のCSV出力',
  'delivery_settings.updated': '配信設定の変更',
  'media.uploaded': '配信用画像のアップロード',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditEntry {
  id: string;
  /** UTC ISO time. */
  at: string;
  /** Login ID of the staff member, or a system name such as `system`. */
  actor: string;
  action: AuditAction;
  /** What was acted on, e.g. `staff:tanaka`. */
  target: string;
  /** Japanese, for the console's list. */
  summary: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  ip: string;
}

export interface AuditQuery {
  /** yyyy-mm-dd, Asia/Tokyo, inclusive. */
  from: string;
  to: string;
  actor?: string;
  action?: string;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; throws InvalidCursorError for a cursor it did not issue. */
  search(query: AuditQuery): Promise<AuditPage>;
}

/** UTC ISO bounds of a Tokyo date range (from 00:00 JST of `from` to the end of `to`). */
export function tokyoRangeToUtc(from: string, to: string): { startIso: string; endIso: string } {
  const start = new Date(`${from}T00:00:00.000+09:00`);
  const end = new Date(new Date(`${to}T00:00:00.000+09:00`).getTime() + 86_400_000 - 1);
  return { startIso: start.toISOString(), endIso: end.toISOString() };
}

/** Tokyo months (yyyy-mm) from `to` back to `from`, newest first. */
export function tokyoMonthsDescending(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = to.slice(0, 7).split('-').map(Number);
  const [fy, fm] = from.slice(0, 7).split('-').map(Number);
  while (y > fy || (y === fy && m >= fm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return months;
}

/** Audit time as shown to staff: `yyyy-mm-dd hh:mm:ss` in Asia/Tokyo. */
export function tokyoDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}
