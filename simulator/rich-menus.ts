import { hex } from './state';
import type { LineJson } from './views';

export interface RichMenuRecord {
  richMenuId: string;
  menu: Record<string, unknown>;
  image?: { contentType: string; bytes: Buffer };
}

export class RichMenus {
  readonly menus = new Map<string, RichMenuRecord>();
  defaultId: string | undefined;

  create(menu: Record<string, unknown>): string {
    const richMenuId = `richmenu-${hex(16)}`;
    this.menus.set(richMenuId, { richMenuId, menu });
    return richMenuId;
  }

  get(id: string): RichMenuRecord | undefined {
    return this.menus.get(id);
  }

  delete(id: string): boolean {
    if (this.defaultId === id) this.defaultId = undefined;
    return this.menus.delete(id);
  }

  /** The rich menu object as LINE answers it: the account's menu with its ID. */
  describe(r: RichMenuRecord): LineJson & { richMenuId: string } {
    return { richMenuId: r.richMenuId, ...r.menu };
  }

  clear(): void {
    this.menus.clear();
    this.defaultId = undefined;
  }
}
