/** What rich menus need from outside (adapters: functions/adapters/aws/richmenu-store.ts, functions/adapters/line/richmenu-platform.ts). */
import type { RichMenu } from './model';

export type MenuWrite = 'done' | 'conflict' | 'missing';

export interface RichMenuRepository {
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
