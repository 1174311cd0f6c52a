/** What rich menus need from outside (adapters: functions/adapters/aws/richmenu-store.ts, functions/adapters/line/richmenu-platform.ts). */
import type { AudienceFriend } from '../deliveries/model';
import type { DisasterState, LinkSyncStatus, RichMenu, RichMenuSettings } from './model';

export type MenuWrite = 'done' | 'conflict' | 'missing';

/** Which menu is LINE's default now. */
export interface DefaultPointer {
  menuId: string;
  lineRichMenuId: string;
  version: number;
}

export interface RichMenuRepository {
  defaultPointer(): Promise<DefaultPointer | null>;
  /**
   * One transaction: the published menu (its version as read), the pointer to it (moved from
   * `expectedPointerVersion`, or made when null) and the menus it replaces as default (each at its
   * version as read). 'conflict' when any of them changed meanwhile (another publish won).
   */
  commitPublish(next: RichMenu, lineRichMenuId: string, expectedPointerVersion: number | null, demoted: RichMenu[]): Promise<'done' | 'conflict'>;
  /** One transaction: the menu no longer the default and the pointer removed (at its version). */
  commitUnpublish(next: RichMenu, expectedPointerVersion: number): Promise<'done' | 'conflict'>;
  get(menuId: string): Promise<RichMenu | null>;
  list(): Promise<RichMenu[]>;
  create(menu: RichMenu): Promise<void>;
  /** Replaces the menu whose version is `next.version - 1`. */
  replace(next: RichMenu): Promise<MenuWrite>;
  remove(menuId: string, expectedVersion: number): Promise<MenuWrite>;
}

/** LINE's rich menu object (Messaging API `RichMenuRequest`), built by publish.ts. */
export interface LineRichMenu {
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: { bounds: { x: number; y: number; width: number; height: number }; action: Record<string, unknown> }[];
}

/** LINE's rich menu endpoints. */
export interface RichMenuPlatform {
  create(menu: LineRichMenu): Promise<string>;
  uploadImage(lineRichMenuId: string, bytes: Buffer, contentType: string): Promise<void>;
  setDefault(lineRichMenuId: string): Promise<void>;
  cancelDefault(): Promise<void>;
  /** Deletes it; a menu LINE no longer has is not an error. */
  remove(lineRichMenuId: string): Promise<void>;
  /** Per-user links (they win over the default): ≤ 500 user IDs per call. */
  linkUsers(lineRichMenuId: string, userIds: string[]): Promise<void>;
  unlinkUsers(userIds: string[]): Promise<void>;
  /** One friend (applied at once; the bulk calls are processed by LINE afterwards). */
  linkUser(userId: string, lineRichMenuId: string): Promise<void>;
  unlinkUser(userId: string): Promise<void>;
}

/** LINE answered 429: the channel's rich menu creations (100 an hour) or requests are used up. */
export class RichMenuRateLimitError extends Error {
  constructor() {
    super('LINE answered 429 (rich menu rate limit)');
    this.name = 'RichMenuRateLimitError';
  }
}

/** Which menu each friend sees (settings), disaster mode, the sync job's status, and the creations counted against LINE's hourly limit. */
export interface RichMenuSettingsStore {
  settings(): Promise<RichMenuSettings>;
  /** Replaces the settings stored at `next.version - 1` ('conflict' otherwise). */
  saveSettings(next: RichMenuSettings): Promise<'done' | 'conflict'>;
  disaster(): Promise<DisasterState>;
  /** Replaces the state stored at `next.version - 1`. */
  saveDisaster(next: DisasterState): Promise<'done' | 'conflict'>;
  syncStatus(): Promise<LinkSyncStatus>;
  /** Merges these fields into the status. */
  noteSync(fields: LinkSyncStatus): Promise<void>;
  /** Takes the link job's lease (free, expired, or already `owner`'s); false when another run holds it. */
  claimSync(owner: string, nowMs: number, leaseMs: number): Promise<boolean>;
  /** Gives the lease back (only `owner`'s). */
  releaseSync(owner: string): Promise<void>;
  /**
   * Counts one rich menu creation if fewer than `limit` were counted in the hour before `nowMs`
   * (a sliding hour, conditional on what was read); otherwise the time the oldest leaves the hour.
   */
  takeCreation(nowMs: number, limit: number): Promise<{ ok: true } | { ok: false; freeAtMs: number }>;
  /** LINE menus replaced by a newer publish while friends were linked to them: deleted by the sync job once nobody is. */
  retire(lineRichMenuId: string, at: string): Promise<void>;
  retired(): Promise<{ lineRichMenuId: string; at: string }[]>;
  forget(lineRichMenuId: string): Promise<void>;
}

/** The per-user link each friend has now (as this platform made it), by user ID. */
export interface RichMenuLinkStore {
  /** Every recorded link. */
  all(): Promise<Map<string, string>>;
  get(userId: string): Promise<string | null>;
  /** Records links made (an ID) and removed (null); each bucket item changes atomically, whatever else writes it meanwhile. */
  apply(changes: Map<string, string | null>): Promise<void>;
}

/** One friend as segments see them (a single relink), and their form answers. */
export interface FriendSegmentSource {
  friend(userId: string): Promise<AudienceFriend | null>;
  answered(formId: string, userId: string): Promise<boolean>;
}
