/**
 * Staff use cases of rich menus (console page リッチメニュー, staff with the richMenus function):
 * menus with their image and tap areas, and publishing one as every friend's default menu on LINE.
 * A change to a published menu reaches friends when it is published again (LINE's menus are
 * immutable: a new one is made, set as default, and the old one deleted). Audited in words.
 */
import { ulid } from 'ulid';
import { recordAudit, type AuditDeps } from '../audit/trail';
import { inspectImage } from '../deliveries/media';
import type { FormRepository } from '../forms/ports';
import type { BlobStore } from '../ports/blob-store';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { formLiffUrl } from '../shared/liff-url';
import type { SignedIn } from '../staff/context';
import { logger } from '../shared/powertools';
import { richMenuImageKey } from './keys';
import { RICH_MENU_LIMITS, RICH_MENU_SIZES, type AreaAction, type RichMenu } from './model';
import type { LineRichMenu, RichMenuPlatform, RichMenuRepository } from './ports';
import type { MenuInput } from './schemas';

export interface StaffRichMenusDeps extends AuditDeps {
  richMenus: RichMenuRepository;
  platform: RichMenuPlatform;
  blobs: BlobStore;
  forms: Pick<FormRepository, 'get'>;
  /** The city's LIFF app (form areas open https://liff.line.me/<liffId>/forms/<formId>). */
  liffId?: string;
}

export interface RichMenuView extends RichMenu {
  /** Changed since it was last published: friends still see the published one. */
  changedSincePublish: boolean;
}

const STALE = 'ほかの職員が先にこのメニューを変更しました。画面を読み込み直してください。';
const GONE = 'このメニューは見つかりません（削除された可能性があります）。';

const view = (m: RichMenu & { publishedVersion?: number }): RichMenuView => ({
  ...m,
  changedSincePublish: m.lineRichMenuId !== undefined && m.publishedVersion !== m.version,
});

export async function listMenus(deps: StaffRichMenusDeps): Promise<RichMenuView[]> {
  return (await deps.richMenus.list()).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.createdAt < b.createdAt ? 1 : -1)).map(view);
}

async function mustGet(deps: StaffRichMenusDeps, menuId: string): Promise<RichMenu & { publishedVersion?: number }> {
  const menu = await deps.richMenus.get(menuId);
  if (!menu) throw new NotFoundError(GONE);
  return menu;
}

export async function getMenu(deps: StaffRichMenusDeps, menuId: string): Promise<RichMenuView> {
  return view(await mustGet(deps, menuId));
}

/** Every form an area opens exists and is published. */
async function checkAreas(deps: StaffRichMenusDeps, input: MenuInput): Promise<void> {
  for (const [i, area] of input.areas.entries()) {
    if (area.action.type !== 'form') continue;
    const form = await deps.forms.get(area.action.formId);
    if (!form) throw new ValidationError(`領域${i + 1}（${area.label}）のフォームが見つかりません。`);
    if (form.status !== 'published') throw new ValidationError(`領域${i + 1}（${area.label}）のフォーム「${form.title.ja}」は公開されていません。`);
  }
}

async function save(deps: StaffRichMenusDeps, next: RichMenu): Promise<void> {
  const result = await deps.richMenus.replace(next);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
}

export async function createMenu(deps: StaffRichMenusDeps, who: SignedIn, input: MenuInput): Promise<RichMenuView> {
  await checkAreas(deps, input);
  const now = deps.clock.now();
  const menu: RichMenu = {
    menuId: ulid(now.getTime()),
    ...input,
    isDefault: false,
    createdAt: now.toISOString(),
    createdBy: who.account.loginId,
    updatedAt: now.toISOString(),
    updatedBy: who.account.loginId,
    version: 1,
  };
  await deps.richMenus.create(menu);
  await recordAudit(deps, { actor: who.account.loginId, action: 'richmenu.created', target: `richmenu:${menu.menuId}`, ip: who.ip, after: menuPicture(menu) });
  return view(menu);
}

export async function updateMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, input: MenuInput & { version: number }): Promise<RichMenuView> {
  const before = await mustGet(deps, menuId);
  if (before.version !== input.version) throw new ConflictError(STALE);
  if (before.image && input.size !== before.size)
    throw new ValidationError('画像をアップロードした後は大きさを変えられません。新しいメニューを作ってください。');
  await checkAreas(deps, input);
  const { version: _v, ...fields } = input;
  const next = { ...before, ...fields, updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId, version: before.version + 1 };
  await save(deps, next);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'richmenu.updated',
    target: `richmenu:${menuId}`,
    ip: who.ip,
    before: menuPicture(before),
    after: menuPicture(next),
  });
  return view(next);
}

/** The menu's image: JPEG or PNG by its bytes, exactly the menu's size, ≤ 1 MB (LINE's rules). */
export async function uploadMenuImage(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, bytes: Buffer): Promise<RichMenuView> {
  const before = await mustGet(deps, menuId);
  const image = inspectImage(bytes, RICH_MENU_LIMITS.imageBytes);
  const want = RICH_MENU_SIZES[before.size];
  if (image.width !== want.width || image.height !== want.height) {
    throw new ValidationError(`画像の大きさは ${want.width}×${want.height} ピクセルにしてください（選んだ画像は ${image.width}×${image.height}）。`);
  }
  // A new key per upload: two uploads at once never write each other's bytes.
  const key = richMenuImageKey(menuId, ulid(deps.clock.now().getTime()), image.contentType);
  await deps.blobs.put(key, bytes, image.contentType);
  const next = {
    ...before,
    image: { key, contentType: image.contentType, bytes: bytes.length },
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
    version: before.version + 1,
  };
  await save(deps, next);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'richmenu.image_uploaded',
    target: `richmenu:${menuId}`,
    ip: who.ip,
    after: { name: next.name, image: `${image.width}×${image.height}、${Math.ceil(bytes.length / 1024)}KB` },
  });
  return view(next);
}

export async function menuImage(deps: StaffRichMenusDeps, menuId: string): Promise<{ contentType: string; bytes: Buffer }> {
  const menu = await mustGet(deps, menuId);
  const bytes = menu.image ? await deps.blobs.get(menu.image.key) : null;
  if (!menu.image || !bytes) throw new NotFoundError('このメニューには画像がありません。');
  return { contentType: menu.image.contentType, bytes };
}

function lineAction(action: AreaAction, label: string, liffId: string | undefined): Record<string, unknown> {
  switch (action.type) {
    case 'link':
      return { type: 'uri', label, uri: action.url };
    case 'keyword':
      return { type: 'message', label, text: action.text };
    case 'form':
      if (!liffId) throw new ValidationError('LIFFアプリが設定されていないため、フォームを開く領域は公開できません（LIFF_ID）。');
      return { type: 'uri', label, uri: formLiffUrl(liffId, action.formId) };
    case 'postback':
      return { type: 'postback', label, data: action.data, ...(action.displayText ? { displayText: action.displayText } : {}) };
  }
}

/** The menu as LINE's rich menu object. */
export function toLineRichMenu(menu: RichMenu, liffId: string | undefined): LineRichMenu {
  return {
    size: { ...RICH_MENU_SIZES[menu.size] },
    selected: menu.selected,
    name: menu.name,
    chatBarText: menu.chatBarText,
    areas: menu.areas.map((a) => ({ bounds: { ...a.bounds }, action: lineAction(a.action, a.label, liffId) })),
  };
}

/** Deletes LINE menus no longer used; a failure only leaves one behind (logged), never undoes the switch. */
async function removeFromLine(deps: StaffRichMenusDeps, ids: (string | undefined)[]): Promise<void> {
  for (const id of new Set(ids.filter((x): x is string => Boolean(x)))) {
    await deps.platform
      .remove(id)
      .catch((error: unknown) =>
        logger.warn('Old LINE rich menu not deleted', { lineRichMenuId: id, error: error instanceof Error ? error.message : String(error) }),
      );
  }
}

/**
 * Publishes the menu as every friend's default: a new LINE menu with the image, set as default,
 * then one conditional transaction moves the default pointer to it and marks the menus it replaces
 * (each at the version read). If that transaction loses (another staff member published or changed
 * something meanwhile), LINE's default goes back to what the pointer says now and the new LINE
 * menu is deleted: 409, nothing changed. Only after the switch are the replaced LINE menus deleted.
 */
export async function publishMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<RichMenuView> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  if (!menu.image) throw new ValidationError('画像をアップロードしてから公開してください。');
  if (menu.areas.length === 0) throw new ValidationError('タップ領域を1つ以上作ってから公開してください。');
  const definition = toLineRichMenu(menu, deps.liffId);
  const bytes = await deps.blobs.get(menu.image.key);
  if (!bytes) throw new ValidationError('画像が見つかりません。画像をもう一度アップロードしてください。');
  const [pointer, all] = await Promise.all([deps.richMenus.defaultPointer(), deps.richMenus.list()]);
  const lineRichMenuId = await deps.platform.create(definition);
  try {
    await deps.platform.uploadImage(lineRichMenuId, bytes, menu.image.contentType);
    await deps.platform.setDefault(lineRichMenuId);
  } catch (error) {
    await deps.platform.remove(lineRichMenuId).catch(() => undefined);
    throw error;
  }
  const now = deps.clock.now().toISOString();
  const next = {
    ...menu,
    lineRichMenuId,
    publishedVersion: menu.version + 1,
    publishedAt: now,
    publishedBy: who.account.loginId,
    isDefault: true,
    updatedAt: now,
    updatedBy: who.account.loginId,
    version: menu.version + 1,
  };
  const replaced = all.filter((m) => m.isDefault && m.menuId !== menuId) as (RichMenu & { publishedVersion?: number })[];
  const demoted = replaced.map(({ lineRichMenuId: _l, publishedVersion: _p, ...rest }) => ({
    ...rest,
    isDefault: false,
    updatedAt: now,
    updatedBy: who.account.loginId,
    version: rest.version + 1,
  }));
  if ((await deps.richMenus.commitPublish(next, lineRichMenuId, pointer?.version ?? null, demoted)) === 'conflict') {
    const current = await deps.richMenus.defaultPointer();
    if (current) await deps.platform.setDefault(current.lineRichMenuId);
    else await deps.platform.cancelDefault();
    await deps.platform.remove(lineRichMenuId).catch(() => undefined);
    throw new ConflictError('ほかの職員が同時にメニューを公開または変更しました。画面を読み込み直してから、もう一度公開してください。');
  }
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'richmenu.published',
    target: `richmenu:${menuId}`,
    ip: who.ip,
    summary: `リッチメニュー「${menu.name}」を友だち全員の既定のメニューとして公開`,
    after: menuPicture(next),
  });
  await removeFromLine(deps, [
    menu.lineRichMenuId !== lineRichMenuId ? menu.lineRichMenuId : undefined,
    pointer?.lineRichMenuId !== lineRichMenuId ? pointer?.lineRichMenuId : undefined,
    ...replaced.map((m) => m.lineRichMenuId),
  ]);
  return view(next);
}

/** Friends no longer see the menu: LINE's default cancelled, then (one conditional transaction) the pointer removed; its LINE menu deleted last. */
export async function unpublishMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<RichMenuView> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  const pointer = await deps.richMenus.defaultPointer();
  if (!menu.isDefault || pointer?.menuId !== menuId) throw new ConflictError('このメニューは公開されていません。画面を読み込み直してください。');
  await deps.platform.cancelDefault();
  const { lineRichMenuId: _line, publishedVersion: _pv, ...rest } = menu;
  const next = { ...rest, isDefault: false, updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId, version: menu.version + 1 };
  if ((await deps.richMenus.commitUnpublish(next, pointer.version)) === 'conflict') {
    const current = await deps.richMenus.defaultPointer();
    if (current) await deps.platform.setDefault(current.lineRichMenuId);
    throw new ConflictError(STALE);
  }
  await recordAudit(deps, { actor: who.account.loginId, action: 'richmenu.unpublished', target: `richmenu:${menuId}`, ip: who.ip, before: menuPicture(menu) });
  await removeFromLine(deps, [pointer.lineRichMenuId, menu.lineRichMenuId]);
  return view(next);
}

export async function deleteMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<void> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  if (menu.isDefault) throw new ConflictError('公開中のメニューは削除できません。先に「公開をやめる」を押してください。');
  const result = await deps.richMenus.remove(menuId, version);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  await recordAudit(deps, { actor: who.account.loginId, action: 'richmenu.deleted', target: `richmenu:${menuId}`, ip: who.ip, before: menuPicture(menu) });
}

const ACTION_WORDS: Record<AreaAction['type'], (a: never) => string> = {
  link: (a: { url: string }) => `リンク ${a.url}`,
  keyword: (a: { text: string }) => `キーワード「${a.text}」`,
  form: (a: { formId: string }) => `フォーム ${a.formId}`,
  postback: (a: { data: string }) => `ポストバック ${a.data}`,
};

/** A menu as the audit log shows it, in words. */
export function menuPicture(menu: RichMenu): Record<string, unknown> {
  const { width, height } = RICH_MENU_SIZES[menu.size];
  return {
    name: menu.name,
    chatBarText: menu.chatBarText,
    size: `${width}×${height}`,
    areas: menu.areas.map((a, i) => `${i + 1}. ${a.label}：${ACTION_WORDS[a.action.type](a.action as never)}`),
  };
}
