/**
 * Keys of rich menus (docs/data-model.md):
 * - Menu:    PK RICHMENUS  SK MENU#<menuId>   (every menu in one partition: a city has a handful)
 * - Default: PK RICHMENUS  SK DEFAULT         (which menu is LINE's default now; every publish and unpublish moves it conditionally)
 * Blobs (uploads bucket): richmenus/<menuId>/<upload ULID>.<png|jpg>
 */
export const RICHMENUS_PARTITION = 'RICHMENUS';
export const MENU_SK_PREFIX = 'MENU#';
export const richMenuKey = (menuId: string) => ({ PK: RICHMENUS_PARTITION, SK: `${MENU_SK_PREFIX}${menuId}` });
export const richMenuDefaultKey = () => ({ PK: RICHMENUS_PARTITION, SK: 'DEFAULT' });
export const richMenuImageKey = (menuId: string, uploadId: string, contentType: string) =>
  `richmenus/${menuId}/${uploadId}.${contentType === 'image/png' ? 'png' : 'jpg'}`;
