/**
 * Staff use cases of "which menu each friend sees" (console page リッチメニュー → 表示の切り替え):
 * menus per segment, the disaster menu and the alert kinds that switch it on, and disaster mode's
 * one-click switch. Also the bridge's switch (`disasterSignal`): a disaster mail of a chosen kind
 * switches disaster mode on once it goes out, the matching 解除 switches it off.
 */
import { recordAudit, type AuditDeps } from '../audit/trail';
import { EVERYONE } from '../deliveries/segment';
import type { SegmentRepository } from '../deliveries/ports';
import { ConflictError, ValidationError } from '../shared/errors';
import { logger } from '../shared/powertools';
import type { SignedIn } from '../staff/context';
import { applyDefault, linkPlan, type LinkDeps } from './links';
import { SEGMENT_MENUS_MAX, type DisasterAlertKind, type DisasterState, type LinkSyncStatus, type RichMenu, type RichMenuSettings } from './model';
import { createOnLine, linkedMenuIds, type StaffRichMenusDeps } from './staff-richmenus';

export interface MenuLinksDeps extends StaffRichMenusDeps {
  segments: Pick<SegmentRepository, 'get' | 'list'>;
  links: LinkDeps['links'];
}

export interface MenuLinksView {
  settings: RichMenuSettings;
  disaster: DisasterState;
  sync: LinkSyncStatus;
  /** The segments staff can choose (全員 first), by name: staff with only the rich menu function cannot read the segment pages. */
  segments: { segmentId: string; name: string; description?: string }[];
}

export async function getMenuLinks(deps: MenuLinksDeps): Promise<MenuLinksView> {
  const [settings, disaster, sync, segments] = await Promise.all([
    deps.menuSettings.settings(),
    deps.menuSettings.disaster(),
    deps.menuSettings.syncStatus(),
    deps.segments.list(),
  ]);
  const choices = [EVERYONE, ...segments.sort((a, b) => a.name.localeCompare(b.name, 'ja'))].map((s) => ({
    segmentId: s.segmentId,
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
  }));
  return { settings, disaster, sync, segments: choices };
}

const STALE = 'ほかの職員が先に設定を変更しました。画面を読み込み直してください。';

export interface MenuLinksInput {
  version: number;
  segmentMenus: RichMenuSettings['segmentMenus'];
  disaster: RichMenuSettings['disaster'];
}

/**
 * Saves which menu each segment sees and the disaster menu. Every menu named must have its image
 * and areas; those not on LINE as they are now go there first (counted against LINE's hourly
 * limit), so disaster mode never needs to make a menu at 3 a.m. The link job then relinks friends.
 */
export async function saveMenuLinks(deps: MenuLinksDeps, who: SignedIn, input: MenuLinksInput): Promise<MenuLinksView> {
  const before = await deps.menuSettings.settings();
  if (before.version !== input.version) throw new ConflictError(STALE);
  if (input.segmentMenus.length > SEGMENT_MENUS_MAX) throw new ValidationError(`友だちごとのメニューは${SEGMENT_MENUS_MAX}件までです。`);
  const seen = new Set<string>();
  for (const [i, row] of input.segmentMenus.entries()) {
    if (seen.has(row.segmentId)) throw new ValidationError(`${i + 1}行目：同じセグメントが2回あります。`);
    seen.add(row.segmentId);
    const segment = row.segmentId === EVERYONE.segmentId ? EVERYONE : await deps.segments.get(row.segmentId);
    if (!segment) throw new ValidationError(`${i + 1}行目：セグメントが見つかりません（削除された可能性があります）。`);
  }
  const menuIds = [...new Set([...input.segmentMenus.map((r) => r.menuId), ...(input.disaster.menuId ? [input.disaster.menuId] : [])])];
  const menus = new Map<string, RichMenu & { publishedVersion?: number }>();
  for (const menuId of menuIds) {
    const menu = await deps.richMenus.get(menuId);
    if (!menu) throw new ValidationError('選んだメニューが見つかりません（削除された可能性があります）。');
    if (!menu.image || menu.areas.length === 0) throw new ValidationError(`メニュー「${menu.name}」は画像とタップ領域を用意してから選んでください。`);
    menus.set(menuId, menu);
  }
  // Menus not on LINE as they are now go there first (a menu already there is not made again).
  for (const menu of menus.values()) {
    if (menu.lineRichMenuId && menu.publishedVersion === menu.version) continue;
    if (menu.lineRichMenuId && menu.isDefault) continue; // the published default: its changes go out with 公開
    if (menu.lineRichMenuId) continue; // on LINE, changed since: 「LINEに反映」 sends the change
    const lineRichMenuId = await createOnLine(deps, menu);
    const next = {
      ...menu,
      lineRichMenuId,
      publishedVersion: menu.version + 1,
      version: menu.version + 1,
      updatedAt: deps.clock.now().toISOString(),
      updatedBy: who.account.loginId,
    };
    if ((await deps.richMenus.replace(next)) !== 'done') {
      await deps.platform.remove(lineRichMenuId).catch(() => undefined);
      throw new ConflictError(`メニュー「${menu.name}」がほかの職員に変更されました。画面を読み込み直してください。`);
    }
  }
  const next: RichMenuSettings = {
    segmentMenus: input.segmentMenus,
    disaster: input.disaster,
    version: before.version + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
  };
  if ((await deps.menuSettings.saveSettings(next)) === 'conflict') throw new ConflictError(STALE);
  const name = (menuId: string | undefined) => (menuId ? (menus.get(menuId)?.name ?? menuId) : 'なし');
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'richmenu.links_saved',
    target: 'richmenu:settings',
    ip: who.ip,
    summary: '友だちごとのメニューと災害メニューの設定を保存',
    before: { segmentMenus: before.segmentMenus.map((r) => `${r.segmentId} → ${r.menuId}`), disasterMenu: before.disaster.menuId ?? 'なし' },
    after: {
      segmentMenus: input.segmentMenus.map((r, i) => `${i + 1}. ${r.segmentId} → ${name(r.menuId)}`),
      disasterMenu: name(input.disaster.menuId),
      onKinds: input.disaster.onKinds,
      offWhenLifted: input.disaster.offWhenLifted,
    },
  });
  // A menu no longer named leaves LINE (unless it is the published default): retired, deleted by the
  // link job once it has moved its friends; the menu itself is a draft again.
  for (const menuId of linkedMenuIds(before)) {
    if (linkedMenuIds(next).has(menuId)) continue;
    const menu = (await deps.richMenus.get(menuId)) as (RichMenu & { publishedVersion?: number }) | null;
    if (!menu?.lineRichMenuId || menu.isDefault) continue;
    const { lineRichMenuId, publishedVersion: _p, ...draft } = menu;
    await deps.menuSettings.retire(lineRichMenuId, deps.clock.now().toISOString());
    const cleared = { ...draft, version: menu.version + 1, updatedAt: deps.clock.now().toISOString(), updatedBy: who.account.loginId };
    if ((await deps.richMenus.replace(cleared)) !== 'done')
      logger.warn('Menu removed from the settings changed meanwhile: its LINE menu stays until removed again', { menuId });
  }
  await deps.requestSync();
  return getMenuLinks(deps);
}

export type DisasterSwitch = { on: true; kinds?: DisasterAlertKind[] } | { on: false; liftedKinds?: DisasterAlertKind[] };

/** What switching disaster mode needs (staff and the bridge alike). */
export type SwitchDeps = LinkDeps & AuditDeps & { requestSync: () => Promise<void> };

type SwitchResult = { state: DisasterState; changed: boolean; /** Disaster mode itself went on or off (not only its kinds). */ switched: boolean };

/** The state after a disaster mail (received at `at`): per kind, only a mail newer than the last one of that kind counts. */
function afterMail(before: DisasterState, change: DisasterSwitch, mailId: string, at: string): DisasterState | null {
  if (before.staffAt && at < before.staffAt) return null;
  const lastMail = { ...(before.lastMail ?? {}) };
  const kinds = new Set(before.kinds);
  let changed = false;
  for (const kind of change.on ? (change.kinds ?? []) : (change.liftedKinds ?? [])) {
    const last = lastMail[kind];
    if (last && last.at >= at) continue;
    lastMail[kind] = { at, lifted: !change.on, mailId };
    if (change.on) kinds.add(kind);
    else kinds.delete(kind);
    changed = true;
  }
  if (!changed) return null;
  const active = (before.active && before.manual === true) || kinds.size > 0;
  return {
    ...before,
    active,
    manual: active && before.manual === true,
    kinds: [...kinds],
    lastMail,
    mailId,
    ...(active !== before.active ? { since: at, by: BRIDGE_NAME } : {}),
    version: before.version + 1,
  };
}

/** Who the audit log and the console name for the bridge's switches. */
export const BRIDGE_NAME = '防災メール連携';

/**
 * Switches disaster mode (conditional on the state read; retried when another switch won). On:
 * LINE's default becomes the disaster menu at once and the link job removes every per-user link;
 * off: the published default comes back and the link job relinks the segment menus. A disaster
 * mail (`actor.mailId`, received at `actor.at`) adds its kind or removes the kinds its 解除 names;
 * disaster mode is on while a kind is in force — or while staff keep it on — and a mail older than
 * the newest one of its kind, or than staff's last switch, changes nothing. A switch that finds the
 * state already as asked queues the link job again (a first attempt may have died before it).
 */
export async function switchDisaster(
  deps: SwitchDeps,
  actor: { loginId: string; ip?: string; mailId?: string; /** The mail's receipt. */ at?: string },
  change: DisasterSwitch,
): Promise<SwitchResult> {
  const settings = await deps.menuSettings.settings();
  if (change.on && !actor.mailId && !settings.disaster.menuId)
    throw new ValidationError('災害メニューが選ばれていません。先に「災害メニュー」を選んで保存してください。');
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await deps.menuSettings.disaster();
    const now = deps.clock.now().toISOString();
    let next: DisasterState | null;
    if (actor.mailId) next = afterMail(before, change, actor.mailId, actor.at ?? now);
    else if (change.on)
      next = before.active ? null : { ...before, active: true, manual: true, since: now, by: actor.loginId, staffAt: now, version: before.version + 1 };
    else
      next = before.active
        ? { ...before, active: false, manual: false, kinds: [], since: now, by: actor.loginId, staffAt: now, version: before.version + 1 }
        : null;
    if (!next) {
      await deps.requestSync();
      return { state: before, changed: false, switched: false };
    }
    if ((await deps.menuSettings.saveDisaster(next)) === 'conflict') continue;
    const switched = next.active !== before.active;
    const kindsChanged = next.kinds.length !== before.kinds.length || next.kinds.some((k) => !before.kinds.includes(k));
    if (switched) {
      // LINE's default at once (the link job also puts it right first, should this call fail).
      await applyDefault(deps, await linkPlan(deps)).catch((error: unknown) =>
        logger.error('Disaster mode: LINE default not switched (the link job retries)', { error: error instanceof Error ? error.message : String(error) }),
      );
      await deps.requestSync();
    }
    // Only what staff can see is audited (a 解除 of a kind not in force only dates that kind).
    if (switched || kindsChanged) {
      await recordAudit(deps, {
        actor: actor.loginId,
        action: switched ? (next.active ? 'richmenu.disaster_on' : 'richmenu.disaster_off') : 'richmenu.disaster_kinds',
        target: 'richmenu:disaster',
        ip: actor.ip ?? '-',
        summary: switched
          ? next.active
            ? `災害モードを開始（友だち全員に災害メニューを表示）${actor.mailId ? '：防災メールによる自動切り替え' : ''}`
            : `災害モードを終了（通常のメニューに戻す）${actor.mailId ? '：解除のメールによる自動切り替え' : ''}`
          : `災害モードの対象の警報が変わりました（${next.kinds.join('・') || 'なし'}）`,
        after: { active: next.active, kinds: next.kinds, ...(actor.mailId ? { mailId: actor.mailId } : {}) },
      });
    }
    return { state: next, changed: true, switched };
  }
  throw new ConflictError('災害モードの切り替えが同時に行われました。画面を読み込み直してください。');
}

/** Staff's one click (audited with their login ID). */
export async function staffSwitchDisaster(deps: MenuLinksDeps, who: SignedIn, on: boolean, version: number): Promise<MenuLinksView> {
  const current = await deps.menuSettings.disaster();
  if (current.version !== version) throw new ConflictError('災害モードがほかの職員か防災メールによって切り替えられました。画面を読み込み直してください。');
  await switchDisaster(deps, { loginId: who.account.loginId, ip: who.ip }, on ? { on: true } : { on: false });
  return getMenuLinks(deps);
}
