/**
 * Staff use cases of deliveries (admin API, function `deliveries`): drafts, approval, send now,
 * reserve / edit / cancel a schedule, resend the failed part, estimates and quota, history.
 * Every change is audited. docs/deliveries-api.md.
 */
import { scenarioRefusal, type ScenarioLookup } from '../scenarios/ports';
import { ulid } from 'ulid';
import type { AuditDeps } from '../audit/trail';
import { recordAudit } from '../audit/trail';
import type { SignedIn } from '../staff/context';
import { ValidationError } from '../shared/errors';
import { minimumRequests } from './chunking';
import { finishIfComplete } from './finish';
import { isBroadcast, needsFriendName, toLineMessages, collectLinks } from './compose';
import { trackedLinkUrl } from './links';
import { liffIdOf } from '../shared/liff-url';
import { jstDateTime } from '../shared/japan-time';
import { AdministratorOnlyError, ApprovalRequiredError, DeliveryNotFoundError, DeliveryStateError, QuotaExceededError, StaleVersionError } from './errors';
import { aggregationUnitOf, deliveryScheduleName } from './keys';
import {
  EDITABLE_STATUSES,
  type Audience,
  type Delivery,
  type DeliveryContent,
  type DeliverySettings,
  type DeliveryStatus,
  type PlannerMessage,
  type SegmentRule,
  type SendMessage,
  type Timing,
} from './model';
import type { DeliveryDetail, DeliveryPage, Estimate, LinkClicks, MonthQuota } from './views';
import type {
  DeliveryListQuery,
  DeliveryRepository,
  DeliveryScheduler,
  JsonQueue,
  LineDeliveryGateway,
  MediaRepository,
  SegmentRepository,
  SettingsRepository,
  AudienceSource,
} from './ports';
import { audienceRules, describeRule } from './segment';
import { countAudience, getSegment } from './staff-segments';
import { ConflictError } from '../shared/errors';

export interface StaffDeliveriesDeps extends AuditDeps {
  /** Scenario buttons are checked against it when a delivery is saved. */
  scenarios?: ScenarioLookup;
  deliveries: DeliveryRepository;
  segments: SegmentRepository;
  media: MediaRepository;
  settings: SettingsRepository;
  audience: AudienceSource;
  line: LineDeliveryGateway;
  scheduler: DeliveryScheduler;
  planner: JsonQueue<PlannerMessage>;
  send: JsonQueue<SendMessage>;
}

export type AudienceInput = { segmentId: string } | { rule: SegmentRule; label?: string };

export interface DeliveryInput extends DeliveryContent {
  audience: AudienceInput;
  timing: Timing;
}

/** A reservation must leave time to edit or cancel it and for the schedule to be created. */
export const MIN_LEAD_MS = 60_000;
/** LINE remembers a retry key for 24 hours: resending with the same keys is safe only within it. */
export const RESEND_WINDOW_MS = 24 * 3600_000;

async function mustGet(deps: Pick<StaffDeliveriesDeps, 'deliveries'>, deliveryId: string, consistent = false): Promise<Delivery> {
  const delivery = await deps.deliveries.get(deliveryId, consistent);
  if (!delivery) throw new DeliveryNotFoundError();
  return delivery;
}

export async function resolveAudience(deps: Pick<StaffDeliveriesDeps, 'segments'>, input: AudienceInput): Promise<Audience> {
  if ('segmentId' in input) {
    const segment = await getSegment(deps, input.segmentId);
    return { segmentId: segment.segmentId, rule: segment.rule, label: segment.name };
  }
  return { segmentId: null, rule: input.rule, label: input.label?.trim() || describeRule(input.rule) };
}

/** Every image must exist and every variant must fit LINE's limits (compose throws a ValidationError). */
export async function checkContent(deps: { media: Pick<MediaRepository, 'get'>; scenarios?: ScenarioLookup }, content: DeliveryContent): Promise<void> {
  const mediaIds = new Set<string>();
  for (const v of content.variants) {
    for (const b of v.bubbles) {
      if (b.type === 'image') mediaIds.add(b.mediaId);
      if (b.type === 'card' && b.mediaId) mediaIds.add(b.mediaId);
    }
  }
  for (const mediaId of mediaIds) {
    if (!(await deps.media.get(mediaId))) throw new ValidationError('画像が見つかりません。画像をもう一度アップロードしてください。');
  }
  // A scenario button starts only a published scenario.
  const scenarios = deps.scenarios;
  if (scenarios) {
    const ids = new Set(content.variants.flatMap((v) => v.bubbles.flatMap((b) => (b.type === 'scenario' ? [b.scenarioId] : []))));
    for (const id of ids) {
      const why = await scenarioRefusal(scenarios, id);
      if (why) throw new ValidationError(why);
    }
  }
  const links = collectLinks(content);
  // LINE's limits checked on the longest form each link can take when sent: a LIFF address as if it
  // were the city's app (with its click reference), any other through the click redirect.
  const ctx = {
    mediaUrl: (id: string, kind: string) => `https://example.invalid/media/${id}/${kind}`,
    linkUrl: (i: number, url: string) => trackedLinkUrl({ publicBaseUrl: 'https://example.invalid', liffId: liffIdOf(url) }, '0'.repeat(26))(i, url),
  };
  for (const v of content.variants) toLineMessages(v, links, ctx, 'あいうえおかきくけこさしすせそたちつてと');
}

function checkTiming(deps: AuditDeps, timing: Timing): void {
  if (timing.kind !== 'at') return;
  if (Date.parse(timing.at) < deps.clock.now().getTime() + MIN_LEAD_MS) {
    throw new ValidationError('予約する日時は、今から1分以上あとにしてください。');
  }
}

const snapshot = (d: Delivery) => ({
  title: d.title,
  category: d.category,
  status: d.status,
  audience: d.audience.label,
  timing: d.timing,
  languages: d.variants.map((v) => v.lang),
});

export async function createDelivery(deps: StaffDeliveriesDeps, who: SignedIn, input: DeliveryInput): Promise<Delivery> {
  await checkContent(deps, input);
  const audience = await resolveAudience(deps, input.audience);
  const now = deps.clock.now();
  const deliveryId = ulid(now.getTime());
  const by = who.account.loginId;
  const delivery: Delivery = {
    deliveryId,
    title: input.title,
    category: input.category,
    variants: input.variants,
    status: 'draft',
    audience,
    timing: input.timing,
    aggregationUnit: aggregationUnitOf(deliveryId),
    createdAt: now.toISOString(),
    createdBy: by,
    updatedAt: now.toISOString(),
    updatedBy: by,
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
  };
  await deps.deliveries.create(delivery);
  await recordAudit(deps, { actor: by, action: 'delivery.created', target: `delivery:${deliveryId}`, ip: who.ip, after: snapshot(delivery) });
  return delivery;
}

export async function getDelivery(deps: StaffDeliveriesDeps, deliveryId: string): Promise<DeliveryDetail> {
  const delivery = await mustGet(deps, deliveryId);
  // Chunk counts by status (the console's progress: "N of chunksTotal"); states only, no recipient lists.
  const [chunks, links] = await Promise.all([deps.deliveries.chunkStates(deliveryId), linksOf(deps, delivery)]);
  const summary = { pending: 0, sent: 0, failed: 0 };
  for (const c of chunks) summary[c.status] += 1;
  return { delivery, chunks: summary, links };
}

async function linksOf(deps: StaffDeliveriesDeps, delivery: Delivery): Promise<LinkClicks[]> {
  const urls = collectLinks(delivery);
  if (urls.length === 0 || delivery.status === 'draft') return urls.map((url) => ({ url, clicks: 0 }));
  return deps.deliveries.linkClicks(delivery.deliveryId, urls);
}

/**
 * Edits a draft, a pending request (it goes back to draft) or a reservation (the schedule moves).
 * A reservation stays a reservation: to send it now, cancel it and send a copy.
 */
export async function updateDelivery(
  deps: StaffDeliveriesDeps,
  who: SignedIn,
  deliveryId: string,
  input: DeliveryInput & { version: number },
): Promise<Delivery> {
  const current = await mustGet(deps, deliveryId, true);
  if (!EDITABLE_STATUSES.includes(current.status)) throw new DeliveryStateError('送信を始めた配信は変更できません。');
  if (current.version !== input.version) throw new StaleVersionError();
  // Several segments at once (a disaster-mail route): the editor here picks one audience and would
  // silently widen or narrow it. Such a delivery is approved or corrected on the 防災メール連携 page.
  if (current.audience.anyOf?.length)
    throw new DeliveryStateError('複数のセグメントに送る防災メールの配信です。内容の修正と承認は「防災メール連携」の画面で行ってください。');
  if (current.status === 'scheduled') {
    if (input.timing.kind !== 'at') throw new ValidationError('予約中の配信を今すぐ送るには、予約を取り消してから送ってください。');
    checkTiming(deps, input.timing);
  }
  await checkContent(deps, input);
  const audience = await resolveAudience(deps, input.audience);
  const { rejectedReason: _r, ...rest } = current;
  const next: Delivery = {
    ...rest,
    title: input.title,
    category: input.category,
    variants: input.variants,
    audience,
    timing: input.timing,
    status: current.status === 'pending_approval' ? 'draft' : current.status,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
    version: current.version + 1,
  };
  if (current.status === 'scheduled' && input.timing.kind === 'at') {
    // Move the schedule first: if that fails, nothing changed.
    await deps.scheduler.upsert(current.scheduleName ?? deliveryScheduleName(deliveryId), new Date(input.timing.at), { type: 'plan', deliveryId });
  }
  try {
    await deps.deliveries.replace(next, current.version);
  } catch (error) {
    if (current.status === 'scheduled' && current.timing.kind === 'at') {
      // Put the schedule back where the stored delivery says it is.
      await deps.scheduler
        .upsert(current.scheduleName ?? deliveryScheduleName(deliveryId), new Date(current.timing.at), { type: 'plan', deliveryId })
        .catch(() => undefined);
    }
    if (error instanceof ConflictError) throw new StaleVersionError();
    throw error;
  }
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'delivery.updated',
    target: `delivery:${deliveryId}`,
    ip: who.ip,
    before: snapshot(current),
    after: snapshot(next),
  });
  return next;
}

export async function deleteDelivery(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string): Promise<void> {
  const current = await mustGet(deps, deliveryId, true);
  if (current.status !== 'draft') throw new DeliveryStateError('削除できるのは下書きだけです。');
  if (!(await deps.deliveries.deleteDraft(deliveryId))) throw new DeliveryStateError('削除できるのは下書きだけです。');
  await recordAudit(deps, { actor: who.account.loginId, action: 'delivery.deleted', target: `delivery:${deliveryId}`, ip: who.ip, before: snapshot(current) });
}

async function approvalRequiredFor(deps: StaffDeliveriesDeps, who: SignedIn): Promise<boolean> {
  if (who.account.role === 'admin') return false;
  return (await deps.settings.get()).approvalRequired;
}

export async function requestApproval(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string): Promise<Delivery> {
  const current = await mustGet(deps, deliveryId, true);
  if (current.status !== 'draft') throw new DeliveryStateError('承認を依頼できるのは下書きだけです。');
  checkTiming(deps, current.timing);
  const ok = await deps.deliveries.transition(deliveryId, ['draft'], 'pending_approval', {
    requestedBy: who.account.loginId,
    updatedAt: deps.clock.now().toISOString(),
  });
  if (!ok) throw new StaleVersionError();
  await recordAudit(deps, { actor: who.account.loginId, action: 'delivery.requested', target: `delivery:${deliveryId}`, ip: who.ip, after: snapshot(current) });
  return mustGet(deps, deliveryId, true);
}

export async function rejectRequest(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string, reason: string): Promise<Delivery> {
  if (who.account.role !== 'admin') throw new AdministratorOnlyError('差し戻し');
  const current = await mustGet(deps, deliveryId, true);
  if (current.status !== 'pending_approval') throw new DeliveryStateError('承認待ちの配信ではありません。');
  const ok = await deps.deliveries.transition(deliveryId, ['pending_approval'], 'draft', {
    rejectedReason: reason,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
  });
  if (!ok) throw new StaleVersionError();
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'delivery.rejected',
    target: `delivery:${deliveryId}`,
    ip: who.ip,
    summary: `配信の差し戻し（理由: ${reason}）`,
  });
  return mustGet(deps, deliveryId, true);
}

/** Send now or reserve, for an administrator or when approval is not required. */
export async function sendDelivery(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string, options: { force?: boolean } = {}): Promise<Delivery> {
  const current = await mustGet(deps, deliveryId, true);
  if (await approvalRequiredFor(deps, who)) throw new ApprovalRequiredError();
  if (current.status !== 'draft')
    throw new DeliveryStateError(
      current.status === 'pending_approval' ? '承認待ちの配信です。管理者が「承認して送信」を押してください。' : 'この配信はすでに送信または予約されています。',
    );
  return dispatch(deps, who, current, ['draft'], { sentBy: who.account.loginId }, options.force ?? false);
}

/** An administrator approves a pending request: it is sent (or reserved) at once. */
export async function approveDelivery(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string, options: { force?: boolean } = {}): Promise<Delivery> {
  if (who.account.role !== 'admin') throw new AdministratorOnlyError('承認');
  const current = await mustGet(deps, deliveryId, true);
  if (current.status !== 'pending_approval') throw new DeliveryStateError('承認待ちの配信ではありません。');
  const delivery = await dispatch(
    deps,
    who,
    current,
    ['pending_approval'],
    { approvedBy: who.account.loginId, sentBy: who.account.loginId },
    options.force ?? false,
  );
  await recordAudit(deps, { actor: who.account.loginId, action: 'delivery.approved', target: `delivery:${deliveryId}`, ip: who.ip, after: snapshot(delivery) });
  return delivery;
}

/**
 * Now: `queued` then the planner message (a planner only claims queued/scheduled deliveries, so
 * the order matters; if the message cannot be sent the delivery goes back). At a time: the
 * one-time schedule first, then `scheduled` (if the move fails, the schedule is removed again).
 */
async function dispatch(
  deps: StaffDeliveriesDeps,
  who: SignedIn,
  current: Delivery,
  from: DeliveryStatus[],
  fields: Partial<Delivery>,
  force: boolean,
): Promise<Delivery> {
  const deliveryId = current.deliveryId;
  checkTiming(deps, current.timing);
  if (!force) {
    // The stored audience as it is (all its segments' rules), not re-resolved.
    const [count, quota] = await Promise.all([countAudience(deps, audienceRules(current.audience), current), monthQuota(deps)]);
    if (quota?.remaining != null && count.matching > quota.remaining) throw new QuotaExceededError(count.matching, quota.remaining);
  }
  const now = deps.clock.now().toISOString();
  if (current.timing.kind === 'now') {
    if (!(await deps.deliveries.transition(deliveryId, from, 'queued', { ...fields, queuedAt: now, updatedAt: now }))) throw new StaleVersionError();
    try {
      await deps.planner.send([{ type: 'plan', deliveryId }]);
    } catch (error) {
      await deps.deliveries.transition(deliveryId, ['queued'], current.status, {});
      throw error;
    }
    await recordAudit(deps, {
      actor: who.account.loginId,
      action: 'delivery.sent',
      target: `delivery:${deliveryId}`,
      ip: who.ip,
      after: { ...snapshot(current), status: 'queued' },
    });
  } else {
    const name = deliveryScheduleName(deliveryId);
    await deps.scheduler.upsert(name, new Date(current.timing.at), { type: 'plan', deliveryId });
    if (!(await deps.deliveries.transition(deliveryId, from, 'scheduled', { ...fields, scheduleName: name, updatedAt: now }))) {
      await deps.scheduler.remove(name).catch(() => undefined);
      throw new StaleVersionError();
    }
    await recordAudit(deps, {
      actor: who.account.loginId,
      action: 'delivery.scheduled',
      target: `delivery:${deliveryId}`,
      ip: who.ip,
      summary: `配信の予約（${jstDateTime(current.timing.at)} に送信）`,
      after: { ...snapshot(current), status: 'scheduled' },
    });
  }
  return mustGet(deps, deliveryId, true);
}

/** A cancelled reservation never sends: the planner refuses anything but queued/scheduled. */
export async function cancelDelivery(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string): Promise<Delivery> {
  const current = await mustGet(deps, deliveryId, true);
  if (current.status !== 'scheduled')
    throw new DeliveryStateError(
      current.status === 'sending' || current.status === 'queued' ? '送信が始まっているため、取り消せません。' : '取り消せるのは予約中の配信だけです。',
    );
  const ok = await deps.deliveries.transition(deliveryId, ['scheduled'], 'cancelled', {
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
  });
  if (!ok) throw new DeliveryStateError('予約の時刻になり送信が始まったため、取り消せませんでした。');
  await deps.scheduler.remove(current.scheduleName ?? deliveryScheduleName(deliveryId));
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'delivery.cancelled',
    target: `delivery:${deliveryId}`,
    ip: who.ip,
    before: snapshot(current),
  });
  return mustGet(deps, deliveryId, true);
}

/** Failed chunks back to pending and onto the send queue, with their original retry keys. */
export async function resendFailed(deps: StaffDeliveriesDeps, who: SignedIn, deliveryId: string): Promise<Delivery> {
  const current = await mustGet(deps, deliveryId, true);
  if (current.status !== 'partly_failed' && current.status !== 'failed') throw new DeliveryStateError('再送できるのは、一部失敗または失敗した配信だけです。');
  if (await approvalRequiredFor(deps, who)) throw new ApprovalRequiredError();
  const since = Date.parse(current.queuedAt ?? current.updatedAt);
  if (deps.clock.now().getTime() - since > RESEND_WINDOW_MS) {
    throw new DeliveryStateError(
      '送信から24時間を過ぎたため、失敗分だけの再送はできません（二重に届くおそれがあるため）。「複製して新規作成」で送り直してください。',
    );
  }
  // 1. Chunks back to pending while the delivery is still failed, so nobody can finish it in
  //    between with the old outcome. 2. Then `→ sending`; only the winner of that move goes on
  //    (a second click loses it) and 3. enqueues every pending chunk — also those a losing
  //    concurrent click reset.
  const chunks = await deps.deliveries.resetFailedChunks(deliveryId);
  const ok = await deps.deliveries.transition(deliveryId, ['partly_failed', 'failed'], 'sending', { updatedAt: deps.clock.now().toISOString() });
  if (!ok) throw new StaleVersionError();
  const pending = (await deps.deliveries.chunkStates(deliveryId)).filter((c) => c.status === 'pending');
  if (pending.length > 0) await deps.send.send(pending.map((c) => ({ deliveryId, index: c.index })));
  // Nothing left to send (a "failed" chunk got through after all): finish now, not at the next reconcile.
  else await finishIfComplete(deps, deliveryId);
  const people = current.broadcast ? (current.failed ?? 0) : chunks.reduce((n, c) => n + c.recipients.length, 0);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'delivery.resent',
    target: `delivery:${deliveryId}`,
    ip: who.ip,
    summary: `配信の失敗分の再送（${people}人）`,
  });
  return mustGet(deps, deliveryId, true);
}

export type { Estimate } from './views';

/** Recipients, LINE requests and the month's quota, before sending. */
export async function estimateDelivery(deps: StaffDeliveriesDeps, input: Omit<DeliveryInput, 'timing'>): Promise<Estimate> {
  const audience = await resolveAudience(deps, input.audience);
  const [count, quota] = await Promise.all([countAudience(deps, audience.rule, input), monthQuota(deps)]);
  const mode = isBroadcast({ audience, variants: input.variants }) ? 'broadcast' : needsFriendName(input) ? 'push' : 'multicast';
  const requests = mode === 'broadcast' ? 1 : mode === 'push' ? count.matching : Object.values(count.byLang).reduce((n, k) => n + minimumRequests(k ?? 0), 0);
  return {
    recipients: count.matching,
    activeFriends: count.activeFriends,
    requests,
    minimumRequests: minimumRequests(count.matching),
    mode,
    quota,
    exceedsQuota: quota !== null && quota.remaining !== null && count.matching > quota.remaining,
  };
}

/** LINE's monthly quota; null when LINE cannot be asked right now (the send is not blocked by it). */
export async function monthQuota(deps: Pick<StaffDeliveriesDeps, 'line'>): Promise<MonthQuota | null> {
  try {
    const q = await deps.line.quota();
    return { limit: q.limit, used: q.used, remaining: q.limit === null ? null : Math.max(0, q.limit - q.used) };
  } catch {
    return null;
  }
}

export async function listDeliveries(deps: StaffDeliveriesDeps, query: DeliveryListQuery): Promise<DeliveryPage> {
  return deps.deliveries.list(query);
}

export async function getSettings(deps: StaffDeliveriesDeps): Promise<DeliverySettings> {
  return deps.settings.get();
}

export async function updateSettings(deps: StaffDeliveriesDeps, who: SignedIn, input: DeliverySettings): Promise<DeliverySettings> {
  if (who.account.role !== 'admin') throw new AdministratorOnlyError('配信設定の変更');
  const before = await deps.settings.get();
  await deps.settings.put(input);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'delivery_settings.updated',
    target: 'settings:deliveries',
    ip: who.ip,
    before: { ...before },
    after: { ...input },
  });
  return input;
}
