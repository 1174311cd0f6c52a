/** Shapes from docs/admin-api.md. */

export type Role = 'admin' | 'general';

export type FunctionId =
  | 'deliveries'
  | 'surveys'
  | 'segments'
  | 'keywords'
  | 'scenarios'
  | 'chat'
  | 'reports'
  | 'disasterMail'
  | 'reservations'
  | 'staff'
  | 'audit';

export interface Me {
  loginId: string;
  displayName: string;
  role: Role;
  permissions: FunctionId[];
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

export interface Session {
  me: Me;
  csrfToken: string;
}

export interface Staff {
  loginId: string;
  displayName: string;
  role: Role;
  permissions: FunctionId[];
  disabled: boolean;
  locked: boolean;
  lastLoginAt?: string | null;
  createdAt: string;
  /** Whether the signed-in account may change or reset this one (GET /staff). */
  manageable?: boolean;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target?: string | null;
  summary?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor?: string | null;
}

export interface AuditFilter {
  from: string;
  to: string;
  actor?: string;
  action?: string;
}

export interface DayFriends {
  date: string;
  added: number;
  blocked: number;
}

export interface Dashboard {
  friends: { total: number; series: DayFriends[] };
  deliveries: unknown[] | null;
  reports: unknown[] | null;
  reservations: unknown[] | null;
}
