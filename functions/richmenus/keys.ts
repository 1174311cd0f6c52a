/**
 * Keys of rich menus (docs/data-model.md):
 * - Menu: PK RICHMENUS  SK MENU#<menuId>   (every menu in one partition: a city has a handful)
 * Blobs (uploads bucket): richmenus/<menuId>/<version>.<png|jpg>
 */
export const RICHMENUS_PARTITION = 'RICHMENUS';
export const MENU_SK_PREFIX = 'MENU#';
export const richMenuKey = (menuId: string) => ({ PK: RICHMENUS_PARTITION, SK: `${MENU_SK_PREFIX}${menuId}` });
export const richMenuImageKey = (menuId: string, version: number, contentType: string) =>
  `richmenus/${menuId}/${version}.${contentType === 'image/png' ? 'png' : 'jpg'}`;
