/** What rich menus need from outside (adapters: functions/adapters/aws/richmenu-store.ts, functions/adapters/line/richmenu-platform.ts). */
import type { RichMenu } from './model';

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
}
