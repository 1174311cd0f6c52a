/**
 * Which menu each friend sees. LINE shows a friend their per-user link if they have one, else the
 * default menu. This platform keeps per-user links exactly as the settings say:
 * - outside disaster mode, a friend in the first segment (of the console's list) that holds them
 *   is linked to that segment's menu; a friend in none has no link and sees the default;
 * - in disaster mode nobody has a link and LINE's default is the disaster menu — a follow during
 *   the disaster sees it too.
 * `syncLinks` (the planner queue's `richMenuSync`, after every change of settings, disaster mode or
 * a linked menu, and hourly) compares every active friend's wanted link with the recorded one and
 * links / unlinks in bulk (≤ 500 per call); `relinkFriend` does the same for one friend when they
 * follow or answer a form. LINE's default is put right first by both, so a failed switch heals.
 */
import { randomUUID } from 'node:crypto';
import { EVERYONE, formIdsOf, inAudience, type AnsweredIndex } from '../deliveries/segment';
import type { AudienceFriend, SegmentRule } from '../deliveries/model';
import type { AudienceSource, SegmentRepository } from '../deliveries/ports';
import type { Clock } from '../ports/clock';
import { logger } from '../shared/powertools';
import { BULK_LINK_USERS, type DisasterState, type RichMenu, type RichMenuSettings } from './model';
import type { FriendSegmentSource, RichMenuLinkStore, RichMenuPlatform, RichMenuRepository, RichMenuSettingsStore } from './ports';

export interface LinkDeps {
  richMenus: RichMenuRepository;
  menuSettings: RichMenuSettingsStore;
  links: RichMenuLinkStore;
  platform: RichMenuPlatform;
  segments: Pick<SegmentRepository, 'get'>;
  clock: Clock;
}

/** What decides each friend's link, read once per run. */
export interface LinkPlan {
  disaster: DisasterState;
  /** Disaster mode with its menu on LINE: every friend sees the default (the disaster menu), nobody a link. */
  inDisaster: boolean;
  /** The LINE menu every friend without a link sees: the disaster menu in disaster mode, else the published default (null: none). */
  defaultLineId: string | null;
  /** Segment menus in order, those whose segment and LINE menu exist. */
  rules: { rule: SegmentRule; lineRichMenuId: string; segmentId: string; menuId: string }[];
  formIds: string[];
  /** LINE menus in use (never deleted as retired). */
  inUse: Set<string>;
}

/** The LINE menu a menu is registered as now (undefined: not on LINE). */
const lineIdOf = (menu: RichMenu | null | undefined): string | undefined => menu?.lineRichMenuId;

export async function linkPlan(deps: LinkDeps): Promise<LinkPlan> {
  const [settings, disaster, menus, pointer] = await Promise.all([
    deps.menuSettings.settings(),
    deps.menuSettings.disaster(),
    deps.richMenus.list(),
    deps.richMenus.defaultPointer(),
  ]);
  return planFrom(deps, settings, disaster, menus, pointer?.lineRichMenuId ?? null);
}

async function planFrom(
  deps: LinkDeps,
  settings: RichMenuSettings,
  disaster: DisasterState,
  menus: RichMenu[],
  pointerLineId: string | null,
): Promise<LinkPlan> {
  const byId = new Map(menus.map((m) => [m.menuId, m]));
  const inUse = new Set(menus.flatMap((m) => (m.lineRichMenuId ? [m.lineRichMenuId] : [])));
  if (pointerLineId) inUse.add(pointerLineId);
  const disasterLineId = lineIdOf(byId.get(settings.disaster.menuId ?? ''));
  const inDisaster = disaster.active && disasterLineId !== undefined;
  if (disaster.active && !disasterLineId) logger.warn('Disaster mode is on but the disaster menu is not on LINE: the usual menus stay');
  const rules: LinkPlan['rules'] = [];
  if (!inDisaster) {
    for (const { segmentId, menuId } of settings.segmentMenus) {
      const lineRichMenuId = lineIdOf(byId.get(menuId));
      const segment = segmentId === EVERYONE.segmentId ? EVERYONE : await deps.segments.get(segmentId);
      if (!lineRichMenuId || !segment) {
        logger.warn('Segment menu skipped: its segment or LINE menu is missing', { segmentId, menuId });
        continue;
      }
      rules.push({ rule: segment.rule, lineRichMenuId, segmentId, menuId });
    }
  }
  return {
    disaster,
    inDisaster,
    defaultLineId: inDisaster ? disasterLineId : pointerLineId,
    rules,
    formIds: [...new Set(rules.flatMap((r) => formIdsOf(r.rule)))],
    inUse,
  };
}

/** The link a friend should have: the first segment menu whose segment holds them; null (the default) otherwise. */
export function wantedLink(plan: Pick<LinkPlan, 'rules'>, friend: AudienceFriend, answered: AnsweredIndex): string | null {
  if (friend.status !== 'active') return null;
  for (const r of plan.rules) if (inAudience([r.rule], friend, answered)) return r.lineRichMenuId;
  return null;
}

/** LINE's default as the plan says (idempotent). */
export async function applyDefault(deps: Pick<LinkDeps, 'platform'>, plan: Pick<LinkPlan, 'defaultLineId'>): Promise<void> {
  if (plan.defaultLineId) await deps.platform.setDefault(plan.defaultLineId);
  else await deps.platform.cancelDefault();
}

export interface SyncOutcome {
  skipped?: true;
  friends: number;
  linked: number;
  unlinked: number;
  failed: number;
}

/** Another run of the link job holds its lease: this message is retried later by the queue. */
export class LinkJobBusyError extends Error {
  constructor() {
    super('the rich menu link job is running elsewhere');
    this.name = 'LinkJobBusyError';
  }
}

/** How long a run may hold the link job (renewed while it works): beyond the planner's 5 minutes. */
export const LINK_JOB_LEASE_MS = 6 * 60_000;
/** LINE bulk calls in flight at once. */
const CALLS_IN_FLIGHT = 4;

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Puts every friend's per-user link right. One run at a time (a lease on the job's status: a
 * second message waits in the queue). A request older than the start of the last run that
 * finished is skipped (that run saw its change); a run that fails or dies covers nothing, so the
 * queue's retry runs again. A failed LINE call is counted, shown in the console and left for the
 * next run (the hourly job), never retried into a dead-letter queue. In disaster mode every
 * active friend is unlinked, whatever the record says: the disaster menu must reach everyone.
 */
export async function syncLinks(deps: LinkDeps & { audience: AudienceSource }, requestedAt?: string): Promise<SyncOutcome> {
  const status = await deps.menuSettings.syncStatus();
  if (requestedAt && status.coveredAt && status.coveredAt > requestedAt) return { skipped: true, friends: 0, linked: 0, unlinked: 0, failed: 0 };
  const owner = randomUUID();
  if (!(await deps.menuSettings.claimSync(owner, deps.clock.now().getTime(), LINK_JOB_LEASE_MS))) throw new LinkJobBusyError();
  const startedAt = deps.clock.now().toISOString();
  try {
    await deps.menuSettings.noteSync({ startedAt });
    const outcome = await runSync(deps);
    await deps.menuSettings.noteSync({
      finishedAt: deps.clock.now().toISOString(),
      friends: outcome.friends,
      linked: outcome.linked,
      unlinked: outcome.unlinked,
      failed: outcome.failed,
      error: outcome.error ?? '',
      // What this run saw is now on LINE (its failed calls are for the next run).
      coveredAt: startedAt,
    });
    logger.info('Rich menu links synced', { friends: outcome.friends, linked: outcome.linked, unlinked: outcome.unlinked, failed: outcome.failed });
    const { error: _e, ...counts } = outcome;
    return counts;
  } finally {
    await deps.menuSettings.releaseSync(owner);
  }
}

async function runSync(deps: LinkDeps & { audience: AudienceSource }): Promise<SyncOutcome & { error?: string }> {
  const plan = await linkPlan(deps);
  const inDisaster = plan.inDisaster;
  let failed = 0;
  let error: string | undefined;
  let defaultFailed = false;
  const fail = (what: string, e: unknown, count: number) => {
    failed += count;
    error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    logger.warn('Rich menu link call failed', { what, count, error: e instanceof Error ? e.message : String(e) });
  };
  await applyDefault(deps, plan).catch((e: unknown) => {
    defaultFailed = true;
    fail('default', e, 0);
  });

  const [recorded, answeredLists] = await Promise.all([
    deps.links.all(),
    Promise.all(plan.formIds.map(async (formId) => [formId, await deps.audience.answeredUsers(formId)] as const)),
  ]);
  const answered: AnsweredIndex = new Map(answeredLists);
  const toLink = new Map<string, string[]>();
  const toUnlink: string[] = [];
  let friends = 0;
  for await (const page of deps.audience.pages()) {
    for (const friend of page.friends) {
      if (friend.status !== 'active') continue;
      friends++;
      const want = inDisaster ? null : wantedLink(plan, friend, answered);
      const have = recorded.get(friend.userId) ?? null;
      recorded.delete(friend.userId);
      if (want === have && !(inDisaster && want === null)) continue;
      if (want) {
        const list = toLink.get(want);
        if (list) list.push(friend.userId);
        else toLink.set(want, [friend.userId]);
      } else toUnlink.push(friend.userId);
    }
  }
  // Recorded links of friends no longer active (blocked): removed, so a return starts from the default.
  for (const userId of recorded.keys()) toUnlink.push(userId);

  const calls: { ids: string[]; lineRichMenuId: string | null }[] = [
    ...[...toLink].flatMap(([lineRichMenuId, ids]) => chunks(ids, BULK_LINK_USERS).map((part) => ({ ids: part, lineRichMenuId }))),
    ...chunks(toUnlink, BULK_LINK_USERS).map((part) => ({ ids: part, lineRichMenuId: null })),
  ];
  const done = new Map<string, string | null>();
  let linked = 0;
  let unlinked = 0;
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++]!;
      try {
        if (call.lineRichMenuId) await deps.platform.linkUsers(call.lineRichMenuId, call.ids);
        else await deps.platform.unlinkUsers(call.ids);
        for (const id of call.ids) done.set(id, call.lineRichMenuId);
        if (call.lineRichMenuId) linked += call.ids.length;
        else unlinked += call.ids.length;
      } catch (e) {
        fail(call.lineRichMenuId ? 'link' : 'unlink', e, call.ids.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CALLS_IN_FLIGHT, calls.length) }, worker));
  // Recorded once, each bucket item written once (the store writes buckets in parallel).
  if (done.size > 0) await deps.links.apply(done);
  if (failed === 0 && !defaultFailed) await removeRetired(deps, plan);
  return { friends, linked, unlinked, failed, ...(error ? { error } : {}) };
}

/** LINE menus replaced while friends were linked to them: deleted now that nobody is (and no menu or default uses them). */
async function removeRetired(deps: LinkDeps, plan: LinkPlan): Promise<void> {
  const retired = await deps.menuSettings.retired();
  if (retired.length === 0) return;
  const linkedTo = new Set((await deps.links.all()).values());
  for (const { lineRichMenuId } of retired) {
    if (plan.inUse.has(lineRichMenuId) || plan.defaultLineId === lineRichMenuId || linkedTo.has(lineRichMenuId)) continue;
    try {
      await deps.platform.remove(lineRichMenuId);
      await deps.menuSettings.forget(lineRichMenuId);
    } catch (e) {
      logger.warn('Retired LINE rich menu not deleted', { lineRichMenuId, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** A plan kept for a few seconds per instance: a burst of follows reads the settings once. */
export class LinkPlanCache {
  private cached?: { atMs: number; plan: Promise<LinkPlan> };
  constructor(private readonly ttlMs = 3_000) {}
  get(deps: LinkDeps): Promise<LinkPlan> {
    const now = deps.clock.now().getTime();
    if (!this.cached || now - this.cached.atMs > this.ttlMs) {
      const plan = linkPlan(deps);
      this.cached = { atMs: now, plan };
      plan.catch(() => (this.cached = undefined));
    }
    return this.cached.plan;
  }
}

export interface RelinkDeps extends LinkDeps {
  sources: FriendSegmentSource;
  planCache?: LinkPlanCache;
}

/**
 * One friend's link, right after they follow or answer a form (their segments may have changed).
 * Returns what was done; a failure is the caller's to log (the hourly sync puts it right).
 */
export async function relinkFriend(deps: RelinkDeps, userId: string): Promise<'linked' | 'unlinked' | 'unchanged'> {
  const [plan, friend, have] = await Promise.all([
    deps.planCache ? deps.planCache.get(deps) : linkPlan(deps),
    deps.sources.friend(userId),
    deps.links.get(userId),
  ]);
  if (!friend || friend.status !== 'active') return 'unchanged';
  const answered = new Map<string, Set<string>>();
  await Promise.all(
    plan.formIds.map(async (formId) => {
      if (await deps.sources.answered(formId, userId)) answered.set(formId, new Set([userId]));
    }),
  );
  const want = wantedLink(plan, friend, answered);
  if (want === have) return 'unchanged';
  // One friend: LINE's per-user endpoints (applied at once, unlike the bulk ones).
  if (want) await deps.platform.linkUser(userId, want);
  else await deps.platform.unlinkUser(userId);
  await deps.links.apply(new Map([[userId, want]]));
  return want ? 'linked' : 'unlinked';
}
