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
  /** A postback for the platform (no visible message unless `displayText`). */
  | { type: 'postback'; data: string; displayText?: string };
export const AREA_ACTION_TYPES = ['link', 'keyword', 'form', 'postback'] as const satisfies readonly AreaAction['type'][];

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
