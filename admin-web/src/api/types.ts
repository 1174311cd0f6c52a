/** Shapes from docs/admin-api.md. */
import type { AuditNames } from '../../../functions/audit/labels';

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
  /** Who the login IDs of this page are, and the profile form's names for segment conditions. */
  names?: AuditNames;
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

/** A delivery on the dashboard's 最近の配信 card (functions/admin/dashboard.ts). */
export interface RecentDelivery {
  deliveryId: string;
  title: string;
  status: 'draft' | 'pending_approval' | 'scheduled' | 'queued' | 'sending' | 'sent' | 'partly_failed' | 'failed' | 'cancelled';
  /** 配信日時 (UTC ISO). */
  at: string;
  recipients?: number;
  succeeded?: number;
  failed?: number;
  opened: number | null;
  statsState: 'not_yet' | 'available' | 'under_threshold' | 'unavailable';
  recurring: boolean;
}

export interface Dashboard {
  friends: { total: number; series: DayFriends[] };
  /** null: the account does not use 配信 (no card). */
  deliveries: { recent: RecentDelivery[] } | null;
  /** Capabilities not built yet: always null. */
  reports: null;
  reservations: null;
}
