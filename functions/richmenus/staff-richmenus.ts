/**
 * Staff use cases of rich menus (console page リッチメニュー, staff with the richMenus function):
 * menus with their image and tap areas, and publishing one as every friend's default menu on LINE.
 * A change to a published menu reaches friends when it is published again (LINE's menus are
 * immutable: a new one is made, set as default, and the old one deleted). Audited in words.
 */
import { scenarioRefusal, type ScenarioLookup } from '../scenarios/ports';
import { CHAT_REQUEST_POSTBACK } from '../chat/model';
import { startPostback } from '../scenarios/model';
import { ulid } from 'ulid';
import { recordAudit, type AuditDeps } from '../audit/trail';
import { inspectImage } from '../deliveries/media';
import type { FormRepository } from '../forms/ports';
import type { BlobStore } from '../ports/blob-store';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../shared/errors';
import { jstClock } from '../shared/japan-time';
import { formLiffUrl } from '../shared/liff-url';
import type { SignedIn } from '../staff/context';
import { logger } from '../shared/powertools';
import { richMenuImageKey } from './keys';
import { CREATIONS_PER_HOUR, RICH_MENU_LIMITS, RICH_MENU_SIZES, type AreaAction, type RichMenu, type RichMenuSettings } from './model';
import {
  RichMenuRateLimitError,
  type LineRichMenu,
  type RichMenuPlatform,
  type RichMenuRepository,
  type RichMenuLinkStore,
  type RichMenuSettingsStore,
} from './ports';
import type { MenuInput } from './schemas';

export interface StaffRichMenusDeps extends AuditDeps {
  /** Scenario areas are checked against it when a menu is saved. */
  scenarios?: ScenarioLookup;
  richMenus: RichMenuRepository;
  platform: RichMenuPlatform;
  blobs: BlobStore;
  forms: Pick<FormRepository, 'get'>;
  /** The city's LIFF app (form areas open https://liff.line.me/<liffId>/forms/<formId>). */
  liffId?: string;
  /** Segment menus, disaster mode, the creations counted against LINE's hourly limit. */
  menuSettings: RichMenuSettingsStore;
  /** Queues a run of the link job (functions/richmenus/links.ts `syncLinks`). */
  requestSync: () => Promise<void>;
  /** The per-user links made: a LINE menu friends are linked to is retired, not deleted. */
  links: Pick<RichMenuLinkStore, 'all'>;
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
    if (area.action.type === 'scenario' && deps.scenarios) {
      const why = await scenarioRefusal(deps.scenarios, area.action.scenarioId);
      if (why) throw new ValidationError(`領域${i + 1}（${area.label}）：${why}`);
    }
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
    case 'scenario':
      return { type: 'postback', label, data: startPostback(action.scenarioId), displayText: label };
    case 'chat':
      return { type: 'postback', label, data: CHAT_REQUEST_POSTBACK, displayText: label };
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
/** Menus friends are linked to one by one (segment menus and the disaster menu): their LINE menus are retired, not deleted, when replaced. */
export const linkedMenuIds = (settings: RichMenuSettings): Set<string> =>
  new Set([...settings.segmentMenus.map((s) => s.menuId), ...(settings.disaster.menuId ? [settings.disaster.menuId] : [])]);

/**
 * A new LINE menu of the menu as it is now, with its image: counted against LINE's 100 creations
 * an hour first (refused with the time a slot frees up), and deleted again if the image fails.
 */
export async function createOnLine(deps: StaffRichMenusDeps, menu: RichMenu): Promise<string> {
  if (!menu.image) throw new ValidationError(`メニュー「${menu.name}」に画像をアップロードしてください。`);
  if (menu.areas.length === 0) throw new ValidationError(`メニュー「${menu.name}」にタップ領域を1つ以上作ってください。`);
  const definition = toLineRichMenu(menu, deps.liffId);
  const bytes = await deps.blobs.get(menu.image.key);
  if (!bytes) throw new ValidationError(`メニュー「${menu.name}」の画像が見つかりません。画像をもう一度アップロードしてください。`);
  const slot = await deps.menuSettings.takeCreation(deps.clock.now().getTime(), CREATIONS_PER_HOUR);
  if (!slot.ok) {
    throw new TooManyRequestsError(
      `LINEで作れるリッチメニューは1時間に${CREATIONS_PER_HOUR}個までです（この1時間で上限に達しました）。${jstClock(new Date(slot.freeAtMs))} 以降にもう一度お試しください。`,
    );
  }
  let lineRichMenuId: string;
  try {
    lineRichMenuId = await deps.platform.create(definition);
  } catch (error) {
    if (error instanceof RichMenuRateLimitError) throw new TooManyRequestsError('LINEの回数の上限に達しました。1時間ほどおいてから、もう一度お試しください。');
    throw error;
  }
  try {
    await deps.platform.uploadImage(lineRichMenuId, bytes, menu.image.contentType);
  } catch (error) {
    await deps.platform.remove(lineRichMenuId).catch(() => undefined);
    throw error;
  }
  return lineRichMenuId;
}

/** On LINE as it is now: its current LINE menu, or a new one (`made`: it must be deleted again if the caller cannot record it). */
async function onLine(deps: StaffRichMenusDeps, menu: RichMenu & { publishedVersion?: number }): Promise<{ lineRichMenuId: string; made: boolean }> {
  if (menu.lineRichMenuId && menu.publishedVersion === menu.version) return { lineRichMenuId: menu.lineRichMenuId, made: false };
  return { lineRichMenuId: await createOnLine(deps, menu), made: true };
}

/**
 * LINE menus no longer used after a switch: deleted at once, unless friends are linked to them one
 * by one (the recorded links say so) — those are retired, and the link job relinks their friends
 * and deletes them afterwards.
 */
async function letGo(deps: StaffRichMenusDeps, ids: (string | undefined)[]): Promise<void> {
  const gone = [...new Set(ids.filter((x): x is string => Boolean(x)))];
  if (gone.length === 0) return;
  const linkedTo = new Set((await deps.links.all()).values());
  await removeFromLine(
    deps,
    gone.filter((id) => !linkedTo.has(id)),
  );
  const held = gone.filter((id) => linkedTo.has(id));
  const at = deps.clock.now().toISOString();
  for (const id of held) await deps.menuSettings.retire(id, at);
  if (held.length > 0) await deps.requestSync();
}

/**
 * Publishes the menu as every friend's default: its LINE menu (made now unless the current
 * version is already on LINE), set as default, then one conditional transaction moves the default
 * pointer to it and marks the menus it replaces (each at the version read). If that transaction
 * loses (another staff member published or changed something meanwhile), LINE's default goes back
 * to what the pointer says now and a LINE menu made for this is deleted: 409, nothing changed. Only
 * after the switch are the replaced LINE menus let go. In disaster mode LINE's default stays the
 * disaster menu: the published menu becomes the default when disaster mode ends.
 */
export async function publishMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<RichMenuView> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  if (!menu.image) throw new ValidationError('画像をアップロードしてから公開してください。');
  if (menu.areas.length === 0) throw new ValidationError('タップ領域を1つ以上作ってから公開してください。');
  const [pointer, all, settings, disaster] = await Promise.all([
    deps.richMenus.defaultPointer(),
    deps.richMenus.list(),
    deps.menuSettings.settings(),
    deps.menuSettings.disaster(),
  ]);
  const inDisaster = disaster.active && settings.disaster.menuId !== undefined;
  const { lineRichMenuId, made } = await onLine(deps, menu);
  try {
    if (!inDisaster) await deps.platform.setDefault(lineRichMenuId);
  } catch (error) {
    if (made) await deps.platform.remove(lineRichMenuId).catch(() => undefined);
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
  const linked = linkedMenuIds(settings);
  // A replaced default that is also a segment or disaster menu keeps its LINE menu.
  const demoted = replaced.map(({ lineRichMenuId: l, publishedVersion: p, ...rest }) => ({
    ...rest,
    ...(linked.has(rest.menuId) && l ? { lineRichMenuId: l, publishedVersion: (p ?? 0) === rest.version ? rest.version + 1 : p } : {}),
    isDefault: false,
    updatedAt: now,
    updatedBy: who.account.loginId,
    version: rest.version + 1,
  }));
  if ((await deps.richMenus.commitPublish(next, lineRichMenuId, pointer?.version ?? null, demoted)) === 'conflict') {
    const current = await deps.richMenus.defaultPointer();
    if (!inDisaster) {
      if (current) await deps.platform.setDefault(current.lineRichMenuId);
      else await deps.platform.cancelDefault();
    }
    if (made) await deps.platform.remove(lineRichMenuId).catch(() => undefined);
    throw new ConflictError('ほかの職員が同時にメニューを公開または変更しました。画面を読み込み直してから、もう一度公開してください。');
  }
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'richmenu.published',
    target: `richmenu:${menuId}`,
    ip: who.ip,
    summary: `リッチメニュー「${menu.name}」を友だち全員の既定のメニューとして公開${inDisaster ? '（災害モード中のため、災害モードを終えたときから表示）' : ''}`,
    after: menuPicture(next),
  });
  const keptIds = new Set([lineRichMenuId, ...demoted.flatMap((m) => (m.lineRichMenuId ? [m.lineRichMenuId] : []))]);
  const gone = [menu.lineRichMenuId, pointer?.lineRichMenuId, ...replaced.map((m) => m.lineRichMenuId)].filter((id) => id && !keptIds.has(id));
  await letGo(deps, gone);
  return view(next);
}

/**
 * A segment or disaster menu changed since it went to LINE: its current version goes to LINE as a
 * new LINE menu, and the link job moves its friends to it (then deletes the old one). A published
 * default menu is published again instead.
 */
export async function refreshMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<RichMenuView> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  if (menu.isDefault) return publishMenu(deps, who, menuId, version);
  if (!linkedMenuIds(await deps.menuSettings.settings()).has(menuId))
    throw new ValidationError('このメニューは友だちごとのメニューにも災害メニューにも使われていません。既定のメニューにするときは「公開」を押してください。');
  const { lineRichMenuId, made } = await onLine(deps, menu);
  const now = deps.clock.now().toISOString();
  const next = { ...menu, lineRichMenuId, publishedVersion: menu.version + 1, updatedAt: now, updatedBy: who.account.loginId, version: menu.version + 1 };
  const result = await deps.richMenus.replace(next);
  if (result !== 'done') {
    if (made) await deps.platform.remove(lineRichMenuId).catch(() => undefined);
    throw result === 'missing' ? new NotFoundError(GONE) : new ConflictError(STALE);
  }
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'richmenu.refreshed',
    target: `richmenu:${menuId}`,
    ip: who.ip,
    summary: `リッチメニュー「${menu.name}」の変更をLINEに反映`,
    after: menuPicture(next),
  });
  if (menu.lineRichMenuId && menu.lineRichMenuId !== lineRichMenuId) await letGo(deps, [menu.lineRichMenuId]);
  await deps.requestSync();
  return view(next);
}

/** Friends no longer see the menu: LINE's default cancelled, then (one conditional transaction) the pointer removed; its LINE menu deleted last. */
export async function unpublishMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<RichMenuView> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  const pointer = await deps.richMenus.defaultPointer();
  if (!menu.isDefault || pointer?.menuId !== menuId) throw new ConflictError('このメニューは公開されていません。画面を読み込み直してください。');
  const [settings, disaster] = await Promise.all([deps.menuSettings.settings(), deps.menuSettings.disaster()]);
  const inDisaster = disaster.active && settings.disaster.menuId !== undefined;
  const linked = linkedMenuIds(settings).has(menuId);
  if (!inDisaster) await deps.platform.cancelDefault();
  // A segment or disaster menu stays on LINE (friends are linked to it); any other is deleted there.
  const { lineRichMenuId: _line, publishedVersion: _pv, ...rest } = menu;
  const base = linked ? menu : rest;
  const next = { ...base, isDefault: false, updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId, version: menu.version + 1 };
  if (linked && menu.publishedVersion === menu.version) (next as typeof menu).publishedVersion = next.version;
  if ((await deps.richMenus.commitUnpublish(next, pointer.version)) === 'conflict') {
    const current = await deps.richMenus.defaultPointer();
    if (current && !inDisaster) await deps.platform.setDefault(current.lineRichMenuId);
    throw new ConflictError(STALE);
  }
  await recordAudit(deps, { actor: who.account.loginId, action: 'richmenu.unpublished', target: `richmenu:${menuId}`, ip: who.ip, before: menuPicture(menu) });
  await letGo(
    deps,
    linked ? [pointer.lineRichMenuId !== menu.lineRichMenuId ? pointer.lineRichMenuId : undefined] : [pointer.lineRichMenuId, menu.lineRichMenuId],
  );
  return view(next);
}

export async function deleteMenu(deps: StaffRichMenusDeps, who: SignedIn, menuId: string, version: number): Promise<void> {
  const menu = await mustGet(deps, menuId);
  if (menu.version !== version) throw new ConflictError(STALE);
  if (menu.isDefault) throw new ConflictError('公開中のメニューは削除できません。先に「公開をやめる」を押してください。');
  if (linkedMenuIds(await deps.menuSettings.settings()).has(menuId))
    throw new ConflictError('友だちごとのメニューか災害メニューに使われているため削除できません。先に「表示の切り替え」の設定から外してください。');
  const result = await deps.richMenus.remove(menuId, version);
  if (result === 'missing') throw new NotFoundError(GONE);
  if (result === 'conflict') throw new ConflictError(STALE);
  await recordAudit(deps, { actor: who.account.loginId, action: 'richmenu.deleted', target: `richmenu:${menuId}`, ip: who.ip, before: menuPicture(menu) });
  // A menu once linked (removed from the settings since) may still hold friends until the next sync.
  if (menu.lineRichMenuId) await letGo(deps, [menu.lineRichMenuId]);
}

const ACTION_WORDS: Record<AreaAction['type'], (a: never) => string> = {
  link: (a: { url: string }) => `リンク ${a.url}`,
  keyword: (a: { text: string }) => `キーワード「${a.text}」`,
  form: (a: { formId: string }) => `フォーム ${a.formId}`,
  scenario: (a: { scenarioId: string }) => `シナリオ ${a.scenarioId}`,
  chat: () => '職員との1:1チャット',
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
