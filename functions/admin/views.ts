/**
 * What the admin API's own routes answer (docs/admin-api.md): sign-in, staff accounts, the audit
 * log and the dashboard — the JSON the staff console reads. The use cases are declared to return
 * these types, so the compiler checks the server sends them, and admin-web imports them. Type-only
 * imports of vocabulary modules only: the console's type-check must never load a server-only
 * package or Node's types through this file. (Forms: functions/forms/views.ts; deliveries and
 * segments: functions/deliveries/views.ts.)
 */
import type { AuditPage } from '../audit/audit';
import type { AuditNames } from '../audit/labels';
import type { DeliveryStatus, StatsState } from '../deliveries/model';
import type { FriendDay } from '../friends/friend-stats';
import type { Me, StaffView } from '../staff/staff';

// ---- sign-in ---------------------------------------------------------------------------------

/** POST /auth/login (without the cookie's token) and GET /auth/me: who is signed in, and the CSRF token. */
export interface SessionAnswer {
  me: Me;
  csrfToken: string;
}

/** POST /auth/totp/setup: the pending secret and the otpauth:// URL for the authenticator app. */
export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

// ---- staff accounts --------------------------------------------------------------------------

/** An account as the caller sees it in the list: `manageable` says whether the caller may change it. */
export type ManagedStaffView = StaffView & { manageable: boolean };

/** GET /staff (built by functions/admin/api.ts from `listStaff`). */
export interface StaffListAnswer {
  items: ManagedStaffView[];
}

// ---- audit log -------------------------------------------------------------------------------

/** GET /audit (`searchAudit`): one page, newest first, with the names to read it by. */
export type AuditSearchAnswer = AuditPage & { names: AuditNames };

// ---- dashboard -------------------------------------------------------------------------------

export type { FriendDay } from '../friends/friend-stats';

/** A delivery on the dashboard's 最近の配信 card. */
export interface RecentDelivery {
  deliveryId: string;
  title: string;
  status: DeliveryStatus;
  /** 配信日時 (functions/deliveries/labels.ts `deliveryTime`), UTC ISO. */
  at: string;
  recipients?: number;
  succeeded?: number;
  failed?: number;
  /** LINE's open count: a number only when LINE tells it (`state` available). */
  opened: number | null;
  statsState: StatsState;
  /** An occurrence of a recurring delivery. */
  recurring: boolean;
}

/** GET /dashboard (`dashboard`). */
import type { ReportListItem } from '../reports/views';

export interface Dashboard {
  friends: { total: number; series: FriendDay[] };
  /** The latest deliveries sent or on their way, for accounts holding 配信; null for the others (no card). */
  deliveries: { recent: RecentDelivery[] } | null;
  /** Reports not finished yet (受付, 対応中) in the categories the account sees, for accounts holding 市民通報; null for the others (no card). */
  reports: {
    received: number;
    inProgress: number;
    recent: Pick<ReportListItem, 'reportId' | 'receiptNo' | 'category' | 'status' | 'createdAt' | 'description'>[];
  } | null;
  /** Not built yet. */
  reservations: null;
}
