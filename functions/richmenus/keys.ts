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
/**
 * Which menu each friend sees (docs/data-model.md):
 * - Settings:  PK RICHMENUS  SK SETTINGS        segment menus in order, the disaster menu and its kinds, version
 * - Disaster:  PK RICHMENUS  SK DISASTER        disaster mode now (active, kinds, since, by), version
 * - Sync:      PK RICHMENUS  SK SYNC            the link job's last run
 * - Quota:     PK RICHMENUS  SK CREATIONS       times (epoch ms) of the creations in the last hour, version
 * - Retired:   PK RICHMENUS  SK RETIRED#<lineRichMenuId>   a replaced LINE menu, deleted once nobody is linked to it
 * - Links:     PK RICHMENU_LINKS#<nnn>  SK LINKS  l = "<userId>\t<lineRichMenuId>\n…", rev — the per-user links made,
 *              packed per audience bucket (functions/friends/audience-index.ts `audienceBucketOf`)
 */
export const richMenuSettingsKey = () => ({ PK: RICHMENUS_PARTITION, SK: 'SETTINGS' });
export const richMenuDisasterKey = () => ({ PK: RICHMENUS_PARTITION, SK: 'DISASTER' });
export const richMenuSyncKey = () => ({ PK: RICHMENUS_PARTITION, SK: 'SYNC' });
export const richMenuCreationsKey = () => ({ PK: RICHMENUS_PARTITION, SK: 'CREATIONS' });
export const RETIRED_SK_PREFIX = 'RETIRED#';
export const richMenuRetiredKey = (lineRichMenuId: string) => ({ PK: RICHMENUS_PARTITION, SK: `${RETIRED_SK_PREFIX}${lineRichMenuId}` });
export const richMenuLinksKey = (bucket: number) => ({ PK: `RICHMENU_LINKS#${String(bucket).padStart(3, '0')}`, SK: 'LINKS' });
