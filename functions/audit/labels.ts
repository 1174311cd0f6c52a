/**
 * The audit log in plain Japanese — the one table of action names (the API's filter check, the
 * console's list and filter, the CSV), the names of the fields the before/after pictures carry, and
 * how their values read (roles, functions, statuses, times in Japan time, segment conditions with
 * the profile form's choice names). Dependency-free apart from other such tables, because the
 * console imports this file as it is (admin-web/src/pages/audit-log.tsx) and the CSV renders with it.
 */
import { DELIVERY_STATUS_LABELS, RECURRING_STATUS_LABELS, timingText, type TimingShape } from '../deliveries/labels';
import { LANGUAGE_LABELS } from '../shared/languages';
import { describeRecurrence, type RecurrenceRuleText } from '../deliveries/recurrence-text';
import { ruleText, type RuleNames, type RuleShape } from '../deliveries/rule-text';
import { isIsoDateTime, jstDateTime, slashDate, withJapanTimes } from '../shared/japan-time';
import { FUNCTION_LABELS, ROLE_LABELS } from '../staff/staff';

/** Every action the log records, in the order the filter offers them. */
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
  'media.uploaded': '画像のアップロード',
  'disaster_mail_settings.updated': '防災メール連携の設定変更',
  'disaster_mail.approved': '防災メールの承認・送信',
  'disaster_mail.discarded': '防災メールの破棄',
  'disaster_mail.test_sent': '防災メール連携のテスト送信',
  'keyword.created': 'キーワード応答ルールの作成',
  'keyword.updated': 'キーワード応答ルールの変更',
  'keyword.deleted': 'キーワード応答ルールの削除',
  'keywords.imported': 'キーワード応答ルールの取り込み',
  'keywords.exported': 'キーワード応答ルールの書き出し',
  'keywords.seeded': 'キーワード応答の初期データの登録',
  'richmenu.created': 'リッチメニューの作成',
  'richmenu.updated': 'リッチメニューの変更',
  'richmenu.image_uploaded': 'リッチメニューの画像のアップロード',
  'richmenu.published': 'リッチメニューの公開',
  'richmenu.unpublished': 'リッチメニューの公開終了',
  'richmenu.deleted': 'リッチメニューの削除',
  'richmenu.refreshed': 'リッチメニューの変更をLINEに反映',
  'richmenu.links_saved': '友だちごとのメニュー・災害メニューの設定',
  'richmenu.disaster_on': '災害モードの開始',
  'richmenu.disaster_off': '災害モードの終了',
  'richmenu.disaster_kinds': '災害モードの対象の警報の変更',
  'scenario.created': 'シナリオの作成',
  'scenario.saved': 'シナリオの保存（新しい版）',
  'scenario.published': 'シナリオの公開・版の切り替え',
  'scenario.unpublished': 'シナリオの公開終了',
  'scenario.deleted': 'シナリオの削除',
  'scenario.exported': 'シナリオの結果の書き出し',
  'scenario_settings.updated': '友だち追加時のシナリオの設定',
  'chat.replied': '1:1チャットの返信',
  'chat.assigned': '1:1チャットの担当の変更',
  'chat.closed': '1:1チャットの終了',
  'chat.reopened': '1:1チャットの再開',
  'chat_settings.updated': '1:1チャットの受付時間の設定',
  'chat_canned.updated': '1:1チャットの定型文の変更',
  'report.status_changed': '市民通報の状況の変更',
  'report.assigned': '市民通報の担当課の変更',
  'report.noted': '市民通報への内部メモ',
  'report.merged': '市民通報の重複のまとめ',
  'reports.exported': '市民通報の書き出し',
  'report_settings.updated': '市民通報の設定の変更',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const isAuditAction = (code: string): code is AuditAction => Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, code);

/** An action's name; an action this version does not know is never shown as its code. */
export function auditActionLabel(code: string): string {
  return isAuditAction(code) ? AUDIT_ACTIONS[code] : 'その他の操作';
}

/** What an entry is about, from its action (the same field can mean different things: `status`). */
export type AuditEntity =
  | 'staff'
  | 'form'
  | 'segment'
  | 'delivery'
  | 'recurring'
  | 'deliveryExport'
  | 'deliverySettings'
  | 'media'
  | 'disasterMailSettings'
  | 'disasterMail'
  | 'keyword'
  | 'richMenu'
  | 'scenario'
  | 'chat'
  | 'report';

const ENTITY_OF_PREFIX: Record<string, AuditEntity> = {
  auth: 'staff',
  staff: 'staff',
  form: 'form',
  segment: 'segment',
  delivery: 'delivery',
  recurring: 'recurring',
  deliveries: 'deliveryExport',
  delivery_settings: 'deliverySettings',
  media: 'media',
  disaster_mail_settings: 'disasterMailSettings',
  disaster_mail: 'disasterMail',
  keyword: 'keyword',
  keywords: 'keyword',
  richmenu: 'richMenu',
  scenario: 'scenario',
  scenario_settings: 'scenario',
  chat: 'chat',
  chat_settings: 'chat',
  chat_canned: 'chat',
  report: 'report',
  reports: 'report',
  report_settings: 'report',
};

export const entityOf = (action: string): AuditEntity | undefined => ENTITY_OF_PREFIX[action.split('.')[0]];

/** The filter's groups (optgroups), derived from AUDIT_ACTIONS: every action is offered. */
const GROUP_LABELS: Record<AuditEntity, string> = {
  staff: 'サインイン・職員アカウント',
  form: 'フォーム',
  segment: 'セグメント',
  delivery: '配信',
  recurring: 'くり返し配信',
  deliveryExport: '配信',
  deliverySettings: '配信',
  media: '配信',
  disasterMailSettings: '防災メール連携',
  disasterMail: '防災メール連携',
  keyword: 'キーワード応答',
  richMenu: 'リッチメニュー',
  scenario: 'シナリオ',
  chat: '1:1チャット',
  report: '市民通報',
};

export const AUDIT_ACTION_GROUPS: readonly { label: string; actions: readonly { code: AuditAction; label: string }[] }[] = (() => {
  const groups: { label: string; actions: { code: AuditAction; label: string }[] }[] = [];
  for (const code of Object.keys(AUDIT_ACTIONS) as AuditAction[]) {
    const label = GROUP_LABELS[entityOf(code)!];
    let group = groups.find((g) => g.label === label);
    if (!group) groups.push((group = { label, actions: [] }));
    group.actions.push({ code, label: AUDIT_ACTIONS[code] });
  }
  return groups;
})();

/** Names of the fields of each entity's before/after picture. */
export const AUDIT_FIELD_LABELS: Record<AuditEntity, Record<string, string>> = {
  staff: {
    loginId: 'ログインID',
    displayName: '表示名',
    role: '権限',
    permissions: '使える機能',
    reportCategories: '市民通報で見られる種類',
    disabled: 'アカウントの状態',
    locked: 'ロック',
    lockedUntil: 'ロック解除の予定',
    mustChangePassword: '次のサインインでのパスワード変更',
    totpEnabled: '二要素認証',
  },
  form: { title: 'タイトル', status: '公開の状態', version: '版', items: '質問' },
  segment: { name: '名前', description: '説明', rule: '条件' },
  delivery: { title: 'タイトル', category: 'カテゴリ', status: '状態', audience: '配信先', timing: '送る日時', languages: '言語' },
  recurring: { title: 'タイトル', category: 'カテゴリ', status: '状態', audience: '配信先', rule: 'くり返し' },
  deliveryExport: { from: '期間（開始日）', to: '期間（終了日）', q: 'キーワード', status: '状態', category: 'カテゴリ', recurringId: 'くり返し配信' },
  deliverySettings: { approvalRequired: '配信に管理者の承認' },
  media: { width: '幅', height: '高さ', bytes: 'ファイルの大きさ' },
  disasterMailSettings: {
    acceptedSenders: '受け付ける差出人',
    routes: 'ルール（上から順に）',
    defaultRoute: 'どのルールにも当たらないとき',
    footerMarkers: '本文の区切り',
    disasterPageUrl: '防災ページ',
    phrases: '他の言語の定型文',
    duplicateWindowMinutes: '同じ内容を重複とみなす時間（分）',
    requireDmarcPass: '送信元の認証（DMARC）',
  },
  disasterMail: { subject: '件名', from: '差出人', text: '送った本文', audience: '送信先', edited: '本文の修正' },
  keyword: {
    name: 'ルール名',
    match: '一致のしかた',
    patterns: 'キーワード',
    priority: '優先度',
    enabled: '状態',
    period: '有効期間',
    replies: '返信内容',
    handoff: '返信のあと職員につなぐ',
    rules: 'ルール数',
    mode: '取り込み方',
    format: '形式',
  },
  richMenu: { name: 'メニュー名', chatBarText: 'メニューバーの文字', size: '大きさ', areas: 'タップ領域', image: '画像' },
  scenario: {
    name: 'シナリオ名',
    version: '版',
    publishedVersion: '公開中の版',
    steps: 'ステップ数',
    startWords: '開始キーワード',
    onboardingScenario: '友だち追加時のシナリオ',
    runs: '件数',
  },
  chat: { assignee: '担当', officeHours: '受付時間', markAsRead: 'LINEの既読', canned: '定型文' },
  report: {
    status: '状況',
    notified: '市民への連絡',
    duplicateOf: '重複先',
    department: '担当課',
    district: '地区',
    rows: '件数',
    categories: '種類',
    departments: '担当課の一覧',
    duplicate: '重複とみなす距離・時間',
  },
};

export const FORM_STATUS_LABELS: Record<string, string> = { draft: '下書き', published: '公開中', unpublished: '非公開' };

/** Who, besides codes: staff display names by login ID, and the profile form's names for conditions. */
export interface AuditNames {
  staff?: Readonly<Record<string, string>>;
  rule?: RuleNames | null;
}

const NONE = 'なし';

const pick = <T extends Record<string, string>>(table: T, value: unknown): string | undefined =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value) ? table[value as keyof T] : undefined;

const list = (values: unknown, each: (v: unknown) => string, separator = '、'): string =>
  Array.isArray(values) ? (values.length ? values.map(each).join(separator) : NONE) : each(values);

function bytesText(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)}MB`;
  if (n >= 1024) return `${Math.round(n / 1024)}KB`;
  return `${n}バイト`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isTiming(v: unknown): v is TimingShape {
  return isObject(v) && (v.kind === 'now' || (v.kind === 'at' && typeof v.at === 'string'));
}

function isRule(v: unknown): v is RuleShape {
  return isObject(v) && (v.match === 'all' || v.match === 'any') && Array.isArray(v.conditions);
}

function isRecurrence(v: unknown): v is RecurrenceRuleText {
  return isObject(v) && typeof v.freq === 'string' && typeof v.time === 'string' && typeof v.start === 'string';
}

/** Any value without a known meaning, still in words: never braces, codes of booleans or UTC times. */
function plain(value: unknown, names: AuditNames | undefined, entity?: AuditEntity): string {
  if (value === undefined || value === null || value === '') return NONE;
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  if (typeof value === 'number') return value.toLocaleString('ja-JP');
  if (typeof value === 'string') {
    if (isIsoDateTime(value)) return jstDateTime(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return slashDate(value);
    return withJapanTimes(value);
  }
  if (Array.isArray(value)) return list(value, (v) => plain(v, names, entity));
  if (isTiming(value)) return timingText(value);
  if (isRule(value)) return ruleText(value, names?.rule);
  if (isRecurrence(value)) return recurrenceText(value);
  if (isObject(value)) {
    const labels = entity ? AUDIT_FIELD_LABELS[entity] : {};
    const parts = Object.entries(value).map(([k, v]) => `${labels[k] ?? k}: ${plain(v, names, entity)}`);
    return parts.length ? parts.join('、') : NONE;
  }
  return String(value);
}

function recurrenceText(rule: RecurrenceRuleText): string {
  try {
    return describeRecurrence(rule);
  } catch {
    return '（読み取れないくり返しの設定）';
  }
}

/** One field's value in words, by what the entity's field means. */
export function auditValueText(entity: AuditEntity | undefined, field: string, value: unknown, names?: AuditNames): string {
  if (value === undefined || value === null) return NONE;
  switch (`${entity}.${field}`) {
    case 'staff.role':
      return pick(ROLE_LABELS, value) ?? plain(value, names, entity);
    case 'staff.permissions':
      return list(value, (v) => pick(FUNCTION_LABELS, v) ?? plain(v, names, entity));
    case 'staff.disabled':
      return value === true ? '無効' : value === false ? '有効' : plain(value, names, entity);
    case 'staff.locked':
      return value === true ? 'ロック中' : value === false ? 'ロックなし' : plain(value, names, entity);
    case 'staff.mustChangePassword':
      return value === true ? '必要' : value === false ? '不要' : plain(value, names, entity);
    case 'staff.totpEnabled':
      return value === true ? '有効' : value === false ? '無効' : plain(value, names, entity);
    case 'form.status':
      return pick(FORM_STATUS_LABELS, value) ?? plain(value, names, entity);
    case 'form.version':
      return typeof value === 'number' ? `第${value}版` : plain(value, names, entity);
    case 'delivery.status':
      return pick(DELIVERY_STATUS_LABELS, value) ?? plain(value, names, entity);
    case 'delivery.languages':
      return list(value, (v) => pick(LANGUAGE_LABELS, v) ?? plain(v, names, entity), '・');
    case 'recurring.status':
      return pick(RECURRING_STATUS_LABELS, value) ?? plain(value, names, entity);
    case 'deliveryExport.status':
      return list(value, (v) => pick(DELIVERY_STATUS_LABELS, v) ?? plain(v, names, entity), '・');
    case 'deliverySettings.approvalRequired':
      return value === true ? '必要' : value === false ? '不要' : plain(value, names, entity);
    case 'media.width':
    case 'media.height':
      return typeof value === 'number' ? `${value}px` : plain(value, names, entity);
    case 'media.bytes':
      return typeof value === 'number' ? bytesText(value) : plain(value, names, entity);
    default:
      return plain(value, names, entity);
  }
}

export function auditFieldLabel(entity: AuditEntity | undefined, field: string): string {
  return (entity && AUDIT_FIELD_LABELS[entity][field]) ?? field;
}

/** What an entry records: its action and the before/after pictures (functions/audit/audit.ts `AuditEntry`). */
export interface AuditEntryShape {
  action: string;
  actor: string;
  target?: string | null;
  summary?: string | null;
  before?: unknown;
  after?: unknown;
}

/** One line of an entry's details: a field, with its value before and/or after. */
export interface AuditLine {
  label: string;
  before?: string;
  after?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Fields in the order of the entity's label table (stored pictures come back in any order), unknown ones last. */
function ordered(entity: AuditEntity | undefined, fields: string[]): string[] {
  const order = entity ? Object.keys(AUDIT_FIELD_LABELS[entity]) : [];
  const rank = (f: string) => (order.includes(f) ? order.indexOf(f) : order.length);
  return [...fields].sort((a, b) => rank(a) - rank(b));
}

/**
 * The details in plain Japanese: for a change (both pictures) only the fields that differ, as
 * before → after; for a creation (after only) or a deletion (before only), the picture itself.
 */
export function auditChanges(entry: AuditEntryShape, names?: AuditNames): AuditLine[] {
  const entity = entityOf(entry.action);
  const before = isObject(entry.before) ? entry.before : undefined;
  const after = isObject(entry.after) ? entry.after : undefined;
  if (!before && !after) return [];
  const fields = ordered(entity, [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]);
  const shown = before && after ? fields.filter((f) => !same(before[f], after[f])) : fields;
  return shown.map((field) => ({
    label: auditFieldLabel(entity, field),
    ...(before ? { before: auditValueText(entity, field, before[field], names) } : {}),
    ...(after ? { after: auditValueText(entity, field, after[field], names) } : {}),
  }));
}

/** One whole picture for the CSV's 変更前 / 変更後 cell: 「タイトル: 市民祭り」 lines. */
export function auditPictureText(entry: AuditEntryShape, side: 'before' | 'after', names?: AuditNames): string {
  const picture = entry[side];
  if (picture === undefined || picture === null) return '';
  const entity = entityOf(entry.action);
  if (!isObject(picture)) return plain(picture, names, entity);
  return ordered(entity, Object.keys(picture))
    .map((field) => `${auditFieldLabel(entity, field)}: ${auditValueText(entity, field, picture[field], names)}`)
    .join('\n');
}

/** The summary as stored, with any stored UTC time in Japan time (older entries held ISO times). */
export function auditSummaryText(entry: AuditEntryShape): string {
  const summary = entry.summary?.trim();
  if (!summary || isAuditAction(summary)) return auditActionLabel(entry.action);
  return withJapanTimes(summary);
}

/** Who: the display name with the login ID, or the system's own names. */
export function auditActorText(actor: string, names?: AuditNames): string {
  if (actor === 'system') return 'システム';
  if (actor === '-' || !actor) return '（不明）';
  const name = names?.staff?.[actor];
  return name ? `${name}（${actor}）` : actor;
}

const TARGET_KINDS: Record<string, string> = {
  staff: '職員アカウント',
  form: 'フォーム',
  segment: 'セグメント',
  delivery: '配信',
  recurring: 'くり返し配信',
  media: '画像',
};

/** What was acted on, in words: 「配信「市民祭りのお知らせ」」, 「職員アカウント 田中 花子（tanaka）」. */
export function auditTargetText(entry: AuditEntryShape, names?: AuditNames): string {
  const target = entry.target ?? '';
  if (target === 'deliveries') return '配信履歴';
  if (target === 'settings:deliveries') return '配信の設定';
  const colon = target.indexOf(':');
  const kind = colon > 0 ? target.slice(0, colon) : '';
  const id = colon > 0 ? target.slice(colon + 1) : target;
  const label = TARGET_KINDS[kind];
  if (!label) return target;
  if (kind === 'staff') {
    if (id.startsWith('(')) return `${label}${id.replace(/^\((.*)\)$/, '（$1）')}`;
    const name =
      names?.staff?.[id] ??
      [entry.after, entry.before].map((p) => (isObject(p) && typeof p.displayName === 'string' ? p.displayName : undefined)).find(Boolean);
    return name ? `${label} ${name}（${id}）` : `${label} ${id}`;
  }
  const title = [entry.after, entry.before]
    .map((p) => (isObject(p) ? (typeof p.title === 'string' ? p.title : typeof p.name === 'string' ? p.name : undefined) : undefined))
    .find(Boolean);
  if (title) return `${label}「${title}」`;
  return kind === 'media' ? label : `${label}（ID ${id}）`;
}
