/**
 * A received alert mail, from its raw bytes to the delivery it becomes (or why it becomes none).
 * One path for every source: SES in AWS, the local SMTP server, the console's test button.
 *
 * 1. Read it (parse-mail.ts); an unreadable mail is recorded with its reason (kept, shown, alarmed).
 * 2. The sender must be accepted (rules.ts); else refused and only logged.
 * 3. The route: the first that matches, else the default route (none: only logged). The test
 *    button's mail goes to its segment only.
 * 4. SES's verdicts: a mail failing SPF, DKIM, DMARC or the virus scan is held, never sent by itself.
 * 5. Duplicates: its Message-ID and its content are claimed in one conditional transaction; a key
 *    another mail holds within the window makes it a duplicate of that mail (two copies processed
 *    at once: one wins). Only mails that would be sent claim keys, so a refused or unauthenticated
 *    copy can never suppress the real one.
 * 6. The delivery (the deliveries' pipeline, ID = the mail's ID): queued now (auto), scheduled at
 *    the hold's release time, or a draft waiting for staff. Then the mail is recorded with its
 *    decision. Every step can run again: a redelivered message ends with the same result.
 */
import { ConflictError } from '../shared/errors';
import type { Clock } from '../ports/clock';
import type { BlobStore } from '../ports/blob-store';
import { EVERYONE } from '../deliveries/segment';
import { deliveryScheduleName, aggregationUnitOf } from '../deliveries/keys';
import { EVERYONE_ID, type Audience, type Delivery, type DeliveryContent, type PlannerMessage } from '../deliveries/model';
import type { DeliveryRepository, DeliveryScheduler, JsonQueue, SegmentRepository } from '../deliveries/ports';
import { jstDateTime } from '../shared/japan-time';
import { alertContent } from './compose-alert';
import type { AlertKind, BridgeSettings, MailAuthentication, MailDecision, OtherLang, Route } from './model';
import { DEFAULT_BRIDGE_SETTINGS, OTHER_LANGS } from './model';
import { readAlertMail, type ParsedMail } from './parse-mail';
import type { BridgeSettingsRepository, ClaimResult, MailKeyClaim, ReceivedMail, ReceivedMailRepository } from './ports';
import { alertKind, chooseRoute, duplicateKeys, senderAccepted } from './rules';

/** Who the log and the deliveries' history name as the creator of an alert's delivery. */
export const BRIDGE_ACTOR = '防災メール連携';
/** The text kept of a mail (the log's detail and the dry run); the delivery is trimmed to LINE's limit anyway. */
export const KEPT_TEXT_CHARS = 20_000;
/** What else is kept of a mail, bounded so its log item always fits DynamoDB's 400 KB whatever the mail holds. */
const KEPT = { subject: 1_000, fromName: 200, attachments: 100, filename: 200 } as const;
/** A held mail's delivery has not left yet (a request for approval made on the deliveries page has not either). */
export const WAITING_STATUSES: ReadonlySet<Delivery['status']> = new Set(['draft', 'scheduled', 'pending_approval']);
/** The audience of a held mail whose route's segments were all deleted: everyone, if staff approve it. */
const DELETED_SEGMENTS_LABEL = '全員（ルールの送信先セグメントが削除されたため）';
/** A Message-ID is the same mail whatever the window: it stays claimed at least a day. */
const MESSAGE_ID_HOLD_SEC = 24 * 3600;

export interface IntakeDeps {
  mails: ReceivedMailRepository;
  bridgeSettings: Pick<BridgeSettingsRepository, 'get'>;
  segments: Pick<SegmentRepository, 'get'>;
  deliveries: Pick<DeliveryRepository, 'get' | 'create'>;
  scheduler: Pick<DeliveryScheduler, 'upsert'>;
  planner: JsonQueue<PlannerMessage>;
  blobs: Pick<BlobStore, 'get'>;
  clock: Clock;
}

export interface IncomingMail {
  mailId: string;
  receivedAt: string;
  storageKey: string;
  source: 'mail' | 'test';
  testSegmentId?: string;
  authentication?: MailAuthentication;
}

/** The raw mail is not (yet) where the message says: retried by the queue, then its DLQ alarms. */
export class RawMailMissingError extends Error {
  constructor(key: string) {
    super(`The raw mail ${key} is not in the store`);
    this.name = 'RawMailMissingError';
  }
}

/** What the rules make of a readable mail, before anything is written. */
export type MailPlan =
  | { decision: 'refused' | 'no_route'; reason: string }
  | {
      decision: 'sent' | 'held';
      reason: string;
      route: Route;
      /** 1-based position in the order, or 'default' / 'test'. */
      position: number | 'default' | 'test';
      kind: AlertKind | null;
      content: DeliveryContent;
      audience: Audience;
      phrases: Partial<Record<OtherLang, string>>;
      releaseAt?: string;
      /** The keys this mail claims (none for a held-unauthenticated or a test mail). */
      keys: MailKeyClaim[];
    };

/**
 * The verdicts that hold a mail: SPF, DKIM, DMARC or the virus scan failing; and, unless staff
 * turned it off, DMARC not passing. The header From is what accepted senders match, and only
 * DMARC ties it to a checked domain: without it anyone could send "From: bousai@<city>" through
 * their own mail server with a passing SPF. No verdicts (local SMTP, the test button): nothing to check.
 */
export function failedChecks(auth: MailAuthentication | undefined, requireDmarcPass = true): string[] {
  if (!auth) return [];
  const failed: string[] = (['spf', 'dkim', 'dmarc', 'virus'] as const)
    .filter((k) => auth[k] === 'FAIL')
    .map((k) => (k === 'virus' ? 'ウイルス検査' : k.toUpperCase()));
  if (requireDmarcPass && auth.dmarc !== 'PASS' && auth.dmarc !== 'FAIL') failed.push(`DMARC（${auth.dmarc ?? '結果なし'}）`);
  return failed;
}

/** Where a route sends: everyone, or the friends of any of its segments (those that still exist). */
export async function routeAudience(deps: Pick<IntakeDeps, 'segments'>, route: Route): Promise<Audience | null> {
  if (route.target.kind === 'everyone') return { segmentId: null, rule: EVERYONE.rule, label: EVERYONE.name };
  const segments = (await Promise.all(route.target.segmentIds.map((id) => (id === EVERYONE_ID ? EVERYONE : deps.segments.get(id))))).filter((s) => s !== null);
  if (segments.some((s) => s.segmentId === EVERYONE_ID)) return { segmentId: null, rule: EVERYONE.rule, label: EVERYONE.name };
  if (segments.length === 0) return null;
  if (segments.length === 1) return { segmentId: segments[0]!.segmentId, rule: segments[0]!.rule, label: segments[0]!.name };
  return { segmentId: null, rule: segments[0]!.rule, anyOf: segments.map((s) => s.rule), label: segments.map((s) => s.name).join(' または ') };
}

/** The rules applied to a readable mail (shared by the intake and the dry run). */
export async function planMail(
  deps: Pick<IntakeDeps, 'segments' | 'clock'> & { mails: Pick<ReceivedMailRepository, 'peekKeys'> },
  settings: BridgeSettings,
  mail: ParsedMail,
  incoming: Pick<IncomingMail, 'receivedAt' | 'testSegmentId' | 'authentication'>,
): Promise<MailPlan> {
  let route: Route | null;
  let position: number | 'default' | 'test';
  if (incoming.testSegmentId) {
    route = { id: 'test', name: 'テスト送信', target: { kind: 'segments', segmentIds: [incoming.testSegmentId] }, mode: 'auto' };
    position = 'test';
  } else {
    const accepted = senderAccepted(mail.from, settings.acceptedSenders);
    if (!accepted) return { decision: 'refused', reason: `差出人 ${mail.from} は受け付ける差出人にありません。` };
    route = chooseRoute(settings, mail);
    if (!route) return { decision: 'no_route', reason: 'どのルールにも一致せず、どのルールにも当たらないときの送信先もないため、記録のみです。' };
    const index = settings.routes.indexOf(route);
    position = index >= 0 ? index + 1 : 'default';
  }
  const kind = alertKind(mail);
  const content = alertContent(mail, kind, settings);
  const phrases: Partial<Record<OtherLang, string>> = {};
  if (kind) for (const lang of OTHER_LANGS) if (settings.phrases[kind][lang].trim()) phrases[lang] = settings.phrases[kind][lang].trim();
  const audience = await routeAudience(deps, route);
  const ruleText =
    position === 'test'
      ? 'テスト送信'
      : position === 'default'
        ? `どのルールにも当たらないときのルール「${route.name}」`
        : `${position}番目のルール「${route.name}」に一致`;
  const base = { route, position, kind, content, phrases };
  const receivedMs = Date.parse(incoming.receivedAt);
  const keys: MailKeyClaim[] = [];
  if (!incoming.testSegmentId) {
    const k = duplicateKeys(mail);
    const windowSec = settings.duplicateWindowMinutes * 60;
    const at = Math.floor(receivedMs / 1000);
    if (k.messageId) keys.push({ kind: 'messageId', value: k.messageId, expiresAtSec: at + Math.max(windowSec, MESSAGE_ID_HOLD_SEC) });
    keys.push({ kind: 'content', value: k.content, expiresAtSec: at + windowSec });
  }
  const failed = failedChecks(incoming.authentication, settings.requireDmarcPass ?? true);
  if (failed.length > 0) {
    // Checked first and never claimed: a forged copy must not make the real alert a duplicate. Staff
    // are told when the same alert already went out (approving would send it again).
    const same = keys.length > 0 ? await deps.mails.peekKeys(keys, Math.floor(receivedMs / 1000)) : ({ claimed: true } as const);
    const already = same.claimed ? '' : `（${sameAs(same.holder)}です。承認すると二重に届きます）`;
    return {
      ...base,
      decision: 'held',
      reason: `${ruleText}。送信元の認証（${failed.join('・')}）を確認できないため保留しました。${already}`,
      audience: audience ?? { segmentId: null, rule: EVERYONE.rule, label: DELETED_SEGMENTS_LABEL },
      keys: [],
    };
  }
  if (!audience && incoming.testSegmentId) return { decision: 'no_route', reason: 'テストの送信先セグメントが削除されたため、送信しませんでした。' };
  if (!audience) {
    // An alert is never dropped for a stale rule: held, and a person decides (approving sends it to everyone).
    return {
      ...base,
      decision: 'held',
      reason: `${ruleText}。送信先のセグメントがすべて削除されているため保留しました。承認すると全員に送信します。`,
      audience: { segmentId: null, rule: EVERYONE.rule, label: DELETED_SEGMENTS_LABEL },
      keys,
    };
  }
  if (route.mode === 'hold') {
    // From the receipt (a retry or a queue backlog does not push it later), at least a minute ahead.
    const releaseAt = route.releaseAfterMinutes
      ? new Date(Math.max(receivedMs + route.releaseAfterMinutes * 60_000, deps.clock.now().getTime() + 60_000)).toISOString()
      : undefined;
    const when = releaseAt ? `${jstDateTime(releaseAt)} までに承認されなければ自動で送信します。` : '職員の承認を待っています。';
    return { ...base, decision: 'held', reason: `${ruleText}（承認してから送信）。${when}`, audience, releaseAt, keys };
  }
  return { ...base, decision: 'sent', reason: ruleText, audience, keys };
}

type Holder = Extract<ClaimResult, { claimed: false }>['holder'];
const sameAs = (holder: Holder) => `${jstDateTime(holder.receivedAt)} に受信したメールと${holder.by === 'messageId' ? '同じ Message-ID' : '同じ内容'}`;

export function duplicateReason(holder: Holder): string {
  return `${sameAs(holder)}のため、送信しませんでした。`;
}

export interface IntakeOutcome {
  mailId: string;
  decision: MailDecision;
  /** The mail had been recorded before (a redelivered message): nothing was done again. */
  repeated: boolean;
}

export async function receiveMail(deps: IntakeDeps, incoming: IncomingMail): Promise<IntakeOutcome> {
  const known = await deps.mails.get(incoming.mailId);
  if (known) {
    // A redelivered message: a first attempt may have died before queuing the mail's disaster-mode signal (queued again: it is idempotent).
    await signalIfSent(deps, known);
    return { mailId: known.mailId, decision: known.decision, repeated: true };
  }
  const raw = await deps.blobs.get(incoming.storageKey);
  if (!raw) throw new RawMailMissingError(incoming.storageKey);
  const base: ReceivedMail = {
    mailId: incoming.mailId,
    receivedAt: incoming.receivedAt,
    source: incoming.source,
    storageKey: incoming.storageKey,
    bytes: raw.byteLength,
    attachments: [],
    decision: 'unreadable',
    reason: '',
    ...(incoming.authentication ? { authentication: incoming.authentication } : {}),
  };
  const record = async (mail: ReceivedMail, held = false): Promise<IntakeOutcome> => {
    const created = await deps.mails.record(mail, { held });
    return { mailId: mail.mailId, decision: mail.decision, repeated: !created };
  };

  const reading = await readAlertMail(raw);
  if (!reading.ok) return record({ ...base, reason: reading.reason });
  const mail = reading.mail;
  const described: ReceivedMail = {
    ...base,
    ...(mail.messageId ? { messageId: mail.messageId.slice(0, 998) } : {}),
    from: mail.from.slice(0, 254),
    ...(mail.fromName ? { fromName: mail.fromName.slice(0, KEPT.fromName) } : {}),
    subject: mail.subject.slice(0, KEPT.subject),
    ...(mail.sentAt ? { sentAt: mail.sentAt } : {}),
    text: mail.text.slice(0, KEPT_TEXT_CHARS),
    attachments: mail.attachments.slice(0, KEPT.attachments).map((a) => ({ ...a, ...(a.filename ? { filename: a.filename.slice(0, KEPT.filename) } : {}) })),
    ...(mail.attachments.length > KEPT.attachments ? { attachmentCount: mail.attachments.length } : {}),
  };
  const [stored, existing] = await Promise.all([deps.bridgeSettings.get(), deps.deliveries.get(incoming.mailId, true)]);
  const settings = stored?.settings ?? DEFAULT_BRIDGE_SETTINGS;
  const plan = await planMail(deps, settings, mail, incoming);
  // A retry after a crash between the delivery and the record: the delivery made then is the decision,
  // whatever the settings say now (a route changed to hold must not leave a queued alert unplanned).
  if (existing) {
    const mailRecord = replayed(described, plan, existing);
    const outcome = await record(mailRecord, WAITING_STATUSES.has(existing.status)).finally(() => resume(deps, existing));
    await signalIfSent(deps, mailRecord);
    return outcome;
  }
  if (!('route' in plan)) return record({ ...described, decision: plan.decision, reason: plan.reason });

  const decided: ReceivedMail = {
    ...described,
    routeName: plan.route.name,
    kind: plan.kind,
    content: plan.content,
    audienceLabel: plan.audience.label,
    decision: plan.decision,
    reason: plan.reason,
    ...(plan.decision === 'held' ? { phrases: plan.phrases, hold: plan.releaseAt ? { releaseAt: plan.releaseAt } : {} } : {}),
  };
  if (plan.keys.length > 0) {
    // The window is measured between the copies' receipt times, not when each is processed (a queue backlog changes nothing).
    const claim = await deps.mails.claimKeys(incoming.mailId, incoming.receivedAt, plan.keys, Math.floor(Date.parse(incoming.receivedAt) / 1000));
    if (!claim.claimed) {
      const { content: _c, audienceLabel: _a, phrases: _p, hold: _h, ...rest } = decided;
      return record({ ...rest, decision: 'duplicate', reason: duplicateReason(claim.holder), duplicateOf: claim.holder });
    }
  }
  await startDelivery(deps, incoming.mailId, plan);
  const outcome = await record({ ...decided, deliveryId: incoming.mailId }, plan.decision === 'held');
  await signalIfSent(deps, decided);
  return outcome;
}

/**
 * A mail sent at once, now recorded: its alert kind may switch disaster mode (rich menus; the
 * planner does it for approved and released mails). Queued again on every retry (the switch is
 * idempotent); a test mail never switches anything.
 */
async function signalIfSent(deps: IntakeDeps, mail: Pick<ReceivedMail, 'mailId' | 'decision' | 'kind' | 'source'>): Promise<void> {
  if (mail.decision === 'sent' && mail.kind && mail.source !== 'test') await deps.planner.send([{ type: 'disasterSignal', mailId: mail.mailId }]);
}

/** The record of a mail whose delivery a first, interrupted run already made. */
function replayed(described: ReceivedMail, plan: MailPlan, delivery: Delivery): ReceivedMail {
  const held = WAITING_STATUSES.has(delivery.status);
  const decision = held ? 'held' : delivery.status === 'cancelled' ? 'discarded' : 'sent';
  const same = 'route' in plan && plan.decision === decision;
  return {
    ...described,
    ...('route' in plan ? { routeName: plan.route.name, kind: plan.kind, phrases: plan.phrases } : {}),
    content: { title: delivery.title, category: delivery.category, variants: delivery.variants },
    audienceLabel: delivery.audience.label,
    decision,
    reason: same ? plan.reason : `処理の途中で設定が変わったため、最初の判定（${held ? '承認待ち' : '送信'}）のまま記録しました。`,
    ...(held ? { hold: delivery.timing.kind === 'at' ? { releaseAt: delivery.timing.at } : {} } : {}),
    deliveryId: delivery.deliveryId,
  };
}

/** A queued delivery from an interrupted run may have missed its planner message: sent again (the planner plans a delivery once). */
async function resume(deps: IntakeDeps, delivery: Delivery): Promise<void> {
  if (delivery.status === 'queued') await deps.planner.send([{ type: 'plan', deliveryId: delivery.deliveryId }]);
}

/**
 * The alert's delivery, once (its ID is the mail's): queued and planned now, scheduled at the
 * release time, or a draft for staff. A retry finds it (`replayed`, `resume`).
 */
async function startDelivery(deps: IntakeDeps, deliveryId: string, plan: Extract<MailPlan, { decision: 'sent' | 'held' }>): Promise<void> {
  const now = deps.clock.now().toISOString();
  const status = plan.decision === 'sent' ? 'queued' : plan.releaseAt ? 'scheduled' : 'draft';
  const scheduleName = deliveryScheduleName(deliveryId);
  if (status === 'scheduled') await deps.scheduler.upsert(scheduleName, new Date(plan.releaseAt!), { type: 'plan', deliveryId });
  let delivery: Delivery = {
    deliveryId,
    ...plan.content,
    status,
    audience: plan.audience,
    timing: status === 'scheduled' ? { kind: 'at', at: plan.releaseAt! } : { kind: 'now' },
    ...(status === 'scheduled' ? { scheduleName } : {}),
    ...(status === 'queued' ? { queuedAt: now, sentBy: BRIDGE_ACTOR } : {}),
    aggregationUnit: aggregationUnitOf(deliveryId),
    createdAt: now,
    createdBy: BRIDGE_ACTOR,
    updatedAt: now,
    updatedBy: BRIDGE_ACTOR,
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
  };
  try {
    await deps.deliveries.create(delivery);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    delivery = (await deps.deliveries.get(deliveryId, true))!;
  }
  if (delivery.status === 'queued') await deps.planner.send([{ type: 'plan', deliveryId }]);
}
