/**
 * Staff accounts of the console: roles, functions (permissions) and the repository port.
 * Administrators hold every function; general accounts only those listed on them.
 * Keep it free of imports: the console imports this file as it is (function and role names, the
 * login ID's rule), so the screens and the API say the same words.
 */
export const FUNCTION_IDS = [
  'deliveries',
  'surveys',
  'segments',
  'friends',
  'keywords',
  'richMenus',
  'scenarios',
  'chat',
  'reports',
  'disasterMail',
  'reservations',
  'staff',
  'audit',
] as const;
export type FunctionId = (typeof FUNCTION_IDS)[number];

export const FUNCTION_LABELS: Record<FunctionId, string> = {
  deliveries: '配信',
  surveys: 'アンケート',
  segments: 'セグメント',
  friends: '友だち・会話',
  keywords: 'キーワード応答',
  richMenus: 'リッチメニュー',
  scenarios: 'シナリオ',
  chat: '1:1チャット',
  reports: '市民通報',
  disasterMail: '防災メール連携',
  reservations: 'イベント予約',
  staff: '職員アカウント',
  audit: '操作履歴',
};

export const ROLES = ['admin', 'general'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = { admin: '管理者', general: '一般' };

/** Lower-case letters, digits, dot, underscore and hyphen; 3–32 characters, starting with a letter or digit. */
export const LOGIN_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** LOGIN_ID_PATTERN in words: the console's hint and the API's error say exactly this (the console imports this file). */
export const LOGIN_ID_RULE = '半角の英小文字・数字・記号（. _ -）の3〜32文字（先頭は英小文字か数字）';
export const LOGIN_ID_ERROR = `ログインIDは${LOGIN_ID_RULE}にしてください。`;

/** What a typed login ID is saved as: spaces around it dropped, capitals made small (`Tanaka01` → `tanaka01`). */
export function normalizeLoginId(typed: string): string {
  return typed.trim().toLowerCase();
}

export interface TotpState {
  /** Base32 secret of the confirmed authenticator. */
  secret?: string;
  /** Secret offered by setup, active only after enable confirms a code. */
  pendingSecret?: string;
  /** Last accepted time step, so one code cannot be used twice. */
  lastStep?: number;
}

export interface StaffAccount {
  loginId: string;
  displayName: string;
  role: Role;
  /** Functions of a general account; empty for administrators (they hold all). */
  permissions: FunctionId[];
  /** A general account with 市民通報: only these report categories (absent or empty: every category). */
  reportCategories?: string[];
  disabled: boolean;
  /** `scrypt$…` string: parameters, salt and hash (functions/staff/password.ts). */
  passwordHash: string;
  mustChangePassword: boolean;
  failedAttempts: number;
  lockedUntil?: string;
  lastLoginAt?: string;
  totp: TotpState;
  /** Bumped when the password is reset or the account disabled: older sessions end. */
  sessionEpoch: number;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: every save expects the version it read. */
  version: number;
}

/** What the API shows of an account (never hashes or secrets). */
export interface StaffView {
  loginId: string;
  displayName: string;
  role: Role;
  permissions: FunctionId[];
  /** The report categories a general account is limited to (absent: every category). */
  reportCategories?: string[];
  disabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Me {
  loginId: string;
  displayName: string;
  role: Role;
  permissions: FunctionId[];
  reportCategories?: string[];
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

export interface StaffRepository {
  get(loginId: string): Promise<StaffAccount | null>;
  /** Adds a new account; 'exists' when the login ID is taken. */
  create(account: StaffAccount): Promise<'created' | 'exists'>;
  /** Writes the account if its stored version is still `account.version - 1`; 'conflict' otherwise. */
  save(account: StaffAccount): Promise<'saved' | 'conflict'>;
  list(): Promise<StaffAccount[]>;
  /** True when at least one account exists. */
  any(): Promise<boolean>;
}

/** Functions the account holds: all of them for administrators. */
export function effectivePermissions(account: Pick<StaffAccount, 'role' | 'permissions'>): FunctionId[] {
  return account.role === 'admin' ? [...FUNCTION_IDS] : FUNCTION_IDS.filter((f) => account.permissions.includes(f));
}

export function canUse(account: Pick<StaffAccount, 'role' | 'permissions'>, fn: FunctionId): boolean {
  return account.role === 'admin' || account.permissions.includes(fn);
}

/** The report categories the account may see: null for every category (administrators, and general accounts without a limit). */
export function reportCategoriesOf(account: Pick<StaffAccount, 'role' | 'reportCategories'>): string[] | null {
  return account.role === 'admin' || !account.reportCategories?.length ? null : account.reportCategories;
}

const categoryLimit = (account: StaffAccount) => {
  const limited = reportCategoriesOf(account);
  return limited ? { reportCategories: limited } : {};
};

export function isLocked(account: Pick<StaffAccount, 'lockedUntil'>, now: Date): boolean {
  return Boolean(account.lockedUntil && Date.parse(account.lockedUntil) > now.getTime());
}

export function toStaffView(account: StaffAccount, now: Date): StaffView {
  return {
    loginId: account.loginId,
    displayName: account.displayName,
    role: account.role,
    permissions: effectivePermissions(account),
    ...categoryLimit(account),
    disabled: account.disabled,
    locked: isLocked(account, now),
    lastLoginAt: account.lastLoginAt ?? null,
    createdAt: account.createdAt,
  };
}

export function toMe(account: StaffAccount): Me {
  return {
    loginId: account.loginId,
    displayName: account.displayName,
    role: account.role,
    permissions: effectivePermissions(account),
    ...categoryLimit(account),
    totpEnabled: Boolean(account.totp.secret),
    mustChangePassword: account.mustChangePassword,
  };
}

/** The audit log's picture of an account: what staff can change, nothing secret. */
export function auditSnapshot(account: StaffAccount): Record<string, unknown> {
  return {
    displayName: account.displayName,
    role: account.role,
    permissions: effectivePermissions(account),
    ...categoryLimit(account),
    disabled: account.disabled,
  };
}

export function newStaffAccount(input: {
  loginId: string;
  displayName: string;
  role: Role;
  permissions: FunctionId[];
  passwordHash: string;
  mustChangePassword: boolean;
  now: Date;
}): StaffAccount {
  const iso = input.now.toISOString();
  return {
    loginId: input.loginId,
    displayName: input.displayName,
    role: input.role,
    permissions: input.role === 'admin' ? [] : FUNCTION_IDS.filter((f) => input.permissions.includes(f)),
    disabled: false,
    passwordHash: input.passwordHash,
    mustChangePassword: input.mustChangePassword,
    failedAttempts: 0,
    totp: {},
    sessionEpoch: 0,
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
}
