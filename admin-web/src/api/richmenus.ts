/** Rich menus (リッチメニュー): calls of the staff API (docs/richmenus-api.md, functions/admin/richmenu-routes.ts), with the server's own shapes. */
import type { z } from 'zod';
import type { createMenuBody, menuLinksBody, updateMenuBody } from '../../../functions/richmenus/schemas';
import type { MenuLinksView } from '../../../functions/richmenus/staff-menu-links';
import type { RichMenuView } from '../../../functions/richmenus/staff-richmenus';
import { API_BASE, ApiError, request } from './client';

export { AREA_ACTION_TYPES, DISASTER_ALERT_KINDS, RICH_MENU_LIMITS, RICH_MENU_SIZES, SEGMENT_MENUS_MAX } from '../../../functions/richmenus/model';
export type { AreaAction, RichMenu, RichMenuArea, RichMenuSize } from '../../../functions/richmenus/model';
export type { RichMenuView } from '../../../functions/richmenus/staff-richmenus';

/** What the editor sends: POST /richmenus, and PUT /richmenus/:menuId with the version it was read at. */
export type MenuInput = z.input<typeof createMenuBody>;
export type MenuChange = z.input<typeof updateMenuBody>;

/** The image types the server takes (it decides by the first bytes). */
export const MENU_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg'];

const m = (menuId: string) => `/richmenus/${encodeURIComponent(menuId)}`;

export const listMenus = () => request<{ items: RichMenuView[] }>('GET', '/richmenus');
export const getMenu = (menuId: string) => request<RichMenuView>('GET', m(menuId));
export const createMenu = (input: MenuInput) => request<RichMenuView>('POST', '/richmenus', { body: input });
export const updateMenu = (menuId: string, change: MenuChange) => request<RichMenuView>('PUT', m(menuId), { body: change });
export const deleteMenu = (menuId: string, version: number) => request<void>('DELETE', m(menuId), { body: { version } });
export const publishMenu = (menuId: string, version: number) => request<RichMenuView>('POST', `${m(menuId)}/publish`, { body: { version } });
export const unpublishMenu = (menuId: string, version: number) => request<RichMenuView>('POST', `${m(menuId)}/unpublish`, { body: { version } });

/** POST /richmenus/:menuId/image with the file's bytes (the type checked here first for a quick message; the server decides). */
export async function uploadMenuImage(menuId: string, file: File): Promise<RichMenuView> {
  if (!MENU_IMAGE_TYPES.includes(file.type)) throw new ApiError(415, 'unsupported_type', '画像は JPEG か PNG のファイルを選んでください。');
  return request<RichMenuView>('POST', `${m(menuId)}/image`, { file });
}

/** Where the console shows the menu's image (same session; `v` so a new upload is fetched again). */
export const menuImageUrl = (menu: Pick<RichMenuView, 'menuId' | 'image'>) =>
  menu.image ? `${API_BASE}${m(menu.menuId)}/image?v=${encodeURIComponent(menu.image.key)}` : null;

// ---- which menu each friend sees (segment menus, disaster mode) -------------------------------

export type { MenuLinksView };
export type { DisasterAlertKind } from '../../../functions/richmenus/model';
export { ALERT_KIND_LABELS } from '../../../functions/disaster-mail/model';
export type MenuLinksInput = z.input<typeof menuLinksBody>;

export const getMenuLinks = () => request<MenuLinksView>('GET', '/richmenu-links');
export const saveMenuLinks = (input: MenuLinksInput) => request<MenuLinksView>('PUT', '/richmenu-links', { body: input });
export const switchDisaster = (on: boolean, version: number) => request<MenuLinksView>('POST', '/richmenu-links/disaster', { body: { on, version } });
/** POST /richmenus/:menuId/refresh: a segment or disaster menu's changes to LINE. */
export const refreshMenu = (menuId: string, version: number) => request<RichMenuView>('POST', `${m(menuId)}/refresh`, { body: { version } });
