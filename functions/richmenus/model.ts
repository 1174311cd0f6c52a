/**
 * Rich menus: the image at the bottom of the chat with tap areas (LINE's rich menu). Staff draw
 * areas on an uploaded image; a published menu is LINE's default for every friend. A LINE rich
 * menu cannot be changed: publishing an edited menu makes a new one and deletes the old.
 * Dependency-free (the console imports it).
 */

export const RICH_MENU_SIZES = {
  large: { width: 2500, height: 1686 },
  compact: { width: 2500, height: 843 },
} as const;
export type RichMenuSize = keyof typeof RICH_MENU_SIZES;

/** LINE's limits (Messaging API reference; ../shared/LINE-FACTS.md). */
export const RICH_MENU_LIMITS = {
  areas: 20,
  /** The bar under the chat ("メニュー"). */
  chatBarChars: 14,
  nameChars: 100,
  imageBytes: 1024 * 1024,
  /** Action labels LINE reads to screen readers; ≤ 20 characters. */
  labelChars: 20,
  keywordChars: 300,
  postbackChars: 300,
} as const;

/** What a tap does. */
export type AreaAction =
  /** Opens a web page (https). */
  | { type: 'link'; url: string }
  /** Sends this text as the friend's message: a keyword rule answers it (and it works on LINE for PC by typing it). */
  | { type: 'keyword'; text: string }
  /** Opens a form in the LIFF view, signed in. */
  | { type: 'form'; formId: string }
  /** Starts a published scenario (a postback; the area's name shows as the friend's message). */
  | { type: 'scenario'; scenarioId: string }
  /** Asks for a person: opens a 1:1 chat with staff (the `chat:request` postback; the area's name shows as the friend's message). */
  | { type: 'chat' }
  /** A postback for the platform (no visible message unless `displayText`). */
  | { type: 'postback'; data: string; displayText?: string };
export const AREA_ACTION_TYPES = ['link', 'keyword', 'form', 'scenario', 'chat', 'postback'] as const satisfies readonly AreaAction['type'][];

export interface RichMenuArea {
  /** Pixels of the image (LINE's coordinates). */
  bounds: { x: number; y: number; width: number; height: number };
  label: string;
  action: AreaAction;
}

export interface RichMenuImage {
  key: string;
  contentType: 'image/jpeg' | 'image/png';
  bytes: number;
}

export interface RichMenu {
  menuId: string;
  name: string;
  chatBarText: string;
  size: RichMenuSize;
  /** Open when the chat opens. */
  selected: boolean;
  areas: RichMenuArea[];
  image?: RichMenuImage;
  /** The LINE rich menu made from this definition when it was last published (undefined: never, or changed since). */
  lineRichMenuId?: string;
  publishedAt?: string;
  publishedBy?: string;
  /** The friends' default menu now. */
  isDefault: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

// ---- menus per segment and disaster mode ------------------------------------------------------

/** LINE's per-user links: at most this many user IDs per bulk link / unlink call. */
export const BULK_LINK_USERS = 500;
/** LINE lets a channel create at most this many rich menus per hour (creations are counted and refused beyond it). */
export const CREATIONS_PER_HOUR = 100;
/** Segment menus a city can keep (the console lists them in order; the first that holds a friend wins). */
export const SEGMENT_MENUS_MAX = 20;

/** A segment and the menu its friends see instead of the default. */
export interface SegmentMenu {
  segmentId: string;
  menuId: string;
}

/** The alert kinds of the disaster-mail bridge (functions/disaster-mail/model.ts), as disaster mode names them. */
export const DISASTER_ALERT_KINDS = ['emergency_safety', 'evacuation_order', 'elderly_evacuation', 'landslide_alert', 'heavy_rain_warning'] as const;
export type DisasterAlertKind = (typeof DISASTER_ALERT_KINDS)[number];

/** Which menu each friend sees: per segment (in order), and the disaster menu with what switches it on. */
export interface RichMenuSettings {
  segmentMenus: SegmentMenu[];
  disaster: {
    /** The disaster menu (shelters, safety, hazard map …); absent: disaster mode cannot be switched on. */
    menuId?: string;
    /** A disaster mail of one of these kinds, once it goes out, switches disaster mode on. */
    onKinds: DisasterAlertKind[];
    /** A 解除 mail for the kinds that switched it on switches it off (staff can always end it). */
    offWhenLifted: boolean;
  };
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const DEFAULT_RICH_MENU_SETTINGS: RichMenuSettings = {
  segmentMenus: [],
  disaster: { onKinds: ['emergency_safety', 'evacuation_order'], offWhenLifted: true },
  version: 0,
};

/** Disaster mode now: while active every friend sees the disaster menu (LINE's default, no per-user links). */
export interface DisasterState {
  active: boolean;
  /** Staff switched it on: only staff end it (mails still keep their kinds). */
  manual?: boolean;
  /** When and by whom it was last switched on or off (a login ID, or the bridge). */
  since?: string;
  by?: string;
  /** The alert kinds in force, as the disaster mails said. */
  kinds: DisasterAlertKind[];
  /** The mail that changed it last. */
  mailId?: string;
  /** Per alert kind, the newest mail seen (an order, or its 解除): an older mail of that kind changes nothing, whatever order they arrive in. */
  lastMail?: Partial<Record<DisasterAlertKind, { at: string; lifted: boolean; mailId: string }>>;
  /** When staff last switched: a mail received before it changes nothing. */
  staffAt?: string;
  version: number;
}

export const DISASTER_OFF: DisasterState = { active: false, kinds: [], version: 0 };

/** The last run of the job that puts every friend's per-user link right (shown in the console). */
export interface LinkSyncStatus {
  startedAt?: string;
  /** The start of the last run that finished: requests older than it are covered. */
  coveredAt?: string;
  finishedAt?: string;
  friends?: number;
  linked?: number;
  unlinked?: number;
  failed?: number;
  error?: string;
}
