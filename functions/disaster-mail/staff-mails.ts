/**
 * Staff use cases of received alert mails (console page 防災メール連携, staff function
 * disasterMail): the log with each mail's decision and its delivery's progress, held mails
 * approved (optionally with an edited text) or discarded, the held count of the navigation's
 * badge, the test button (a sample mail through the whole path) and the dry run (what a pasted
 * mail would become: nothing stored or sent). Every change is audited. docs/disaster-mail-api.md.
 */
import { ulid } from 'ulid';
import { recordAudit, type AuditDeps } from '../audit/trail';
import { deliveryScheduleName } from '../deliveries/keys';
import { EVERYONE_ID, type Delivery, type DeliveryContent, type PlannerMessage } from '../deliveries/model';
import type { AudienceSource, DeliveryRepository, DeliveryScheduler, JsonQueue, SegmentRepository } from '../deliveries/ports';
import { audienceRules } from '../deliveries/segment';
import { countAudience, getSegment } from '../deliveries/staff-segments';
import type { BlobStore } from '../ports/blob-store';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { jstDateTime } from '../shared/japan-time';
import type { SignedIn } from '../staff/context';
import { duplicateReason, planMail, WAITING_STATUSES } from './intake';
import { testMailKey } from './keys';
import { APPROVED_TEXT_MAX, DEFAULT_BRIDGE_SETTINGS, type OtherLang } from './model';
import { readAlertMail } from './parse-mail';
import type { BridgeSettingsRepository, ReceivedMail, ReceivedMailRepository, StoredMailMessage } from './ports';
import type { DryRunAnswer, HeldCount, HeldMails, MailDeliveryProgress, MailLogPage, ReceivedMailDetail, ReceivedMailSummary, TestMailAnswer } from './views';

export interface StaffMailsDeps extends AuditDeps {
  mails: ReceivedMailRepository;
  bridgeSettings: Pick<BridgeSettingsRepository, 'get'>;
  segments: Pick<SegmentRepository, 'get'>;
  deliveries: Pick<DeliveryRepository, 'get' | 'replace' | 'transition'>;
  scheduler: Pick<DeliveryScheduler, 'remove'>;
  planner: JsonQueue<PlannerMessage>;
  audience: AudienceSource;
  /** Raw mail (the mail bucket in AWS). */
  mailStore: Pick<BlobStore, 'get' | 'put' | 'downloadUrl'>;
  /** The intake queue the received mail goes through (the test button puts its sample there). */
  intake: JsonQueue<StoredMailMessage>;
}

const MAIL_NOT_FOUND = 'メールが見つかりません。';
const NOT_HELD = 'このメールは承認待ちではありません（ほかの職員が処理したか、保留時間が過ぎて送信されました）。画面を読み込み直してください。';

function progressOf(delivery: Delivery): MailDeliveryProgress {
  const { deliveryId, status, recipients, succeeded, failed, chunksTotal, chunksDone, firstSentAt, finishedAt } = delivery;
  return { deliveryId, status, recipients, succeeded, failed, chunksTotal, chunksDone, firstSentAt, finishedAt };
}

/**
 * The mail as staff see it. A held mail can also be settled outside this page: its delivery went
 * out by itself (the hold time passed), or staff sent, cancelled or deleted it on the deliveries
 * page. Each reads as what happened.
 */
function present(mail: ReceivedMail, delivery: Delivery | null): ReceivedMailDetail {
  const { storageKey: _s, deliveryId: _d, phrases: _p, ...shown } = mail;
  const out: ReceivedMailDetail = { ...shown, ...(delivery ? { delivery: progressOf(delivery) } : {}) };
  if (mail.decision !== 'held' || (delivery && WAITING_STATUSES.has(delivery.status))) return out;
  if (!delivery || delivery.status === 'cancelled') {
    out.decision = 'discarded';
    out.hold = { ...mail.hold, outcome: 'discarded', ...(delivery ? { handledBy: delivery.updatedBy, handledAt: delivery.updatedAt } : {}) };
    out.reason = delivery
      ? '配信の画面で、承認待ちの配信が取り消されました（送信していません）。'
      : '配信の画面で、承認待ちの下書きが削除されました（送信していません）。';
    return out;
  }
  out.decision = 'sent';
  const at = jstDateTime(delivery.queuedAt ?? delivery.updatedAt);
  if (delivery.sentBy) {
    out.hold = { ...mail.hold, outcome: 'approved', handledBy: delivery.sentBy, ...(delivery.queuedAt ? { handledAt: delivery.queuedAt } : {}) };
    out.reason = `配信の画面から送信されました（${at}）。`;
  } else {
    out.hold = { ...mail.hold, outcome: 'released' };
    out.reason = `保留時間が過ぎたため自動で送信しました（${at}）。`;
  }
  return out;
}

const summaryOf = (detail: ReceivedMailDetail): ReceivedMailSummary => {
  const { messageId: _m, fromName: _f, sentAt: _s, text: _t, content: _c, audienceLabel: _a, ...summary } = detail;
  return summary;
};

export async function listMails(deps: StaffMailsDeps, query: { limit?: number; cursor?: string }): Promise<MailLogPage> {
  const page = await deps.mails.list({ limit: Math.min(Math.max(query.limit ?? 50, 1), 100), cursor: query.cursor });
  const items = await Promise.all(
    page.items.map(async (mail) => summaryOf(present(mail, mail.deliveryId ? await deps.deliveries.get(mail.deliveryId) : null))),
  );
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

async function mustGet(deps: Pick<StaffMailsDeps, 'mails'>, mailId: string): Promise<ReceivedMail> {
  const mail = await deps.mails.get(mailId);
  if (!mail) throw new NotFoundError(MAIL_NOT_FOUND);
  return mail;
}

export async function getMail(deps: StaffMailsDeps, mailId: string): Promise<ReceivedMailDetail> {
  const mail = await mustGet(deps, mailId);
  return present(mail, mail.deliveryId ? await deps.deliveries.get(mail.deliveryId, true) : null);
}

/** The mail as received (an unreadable one can be looked at): a short-lived link where the store signs one (S3), else the bytes. */
export async function rawMail(deps: StaffMailsDeps, mailId: string): Promise<{ url: string } | { raw: Buffer }> {
  const mail = await mustGet(deps, mailId);
  const url = await deps.mailStore.downloadUrl?.(mail.storageKey, `${mailId}.eml`, 300, 'attachment');
  if (url) return { url };
  const raw = await deps.mailStore.get(mail.storageKey);
  if (!raw) throw new NotFoundError('受信したメールの原文が見つかりません（保存期間を過ぎた可能性があります）。');
  return { raw };
}

/** Held mails still waiting, newest first; markers of mails settled elsewhere are removed on the way. */
export async function heldMails(deps: StaffMailsDeps): Promise<HeldMails> {
  const ids = await deps.mails.heldIds();
  const found = await Promise.all(
    ids.map(async (mailId) => {
      const mail = await deps.mails.get(mailId);
      // Consistent: the marker is written just after the delivery; a stale read must not remove it.
      const delivery = mail?.deliveryId ? await deps.deliveries.get(mail.deliveryId, true) : null;
      if (mail?.decision === 'held' && delivery && WAITING_STATUSES.has(delivery.status)) return present(mail, delivery);
      // Settled elsewhere (released, or sent, cancelled or deleted on the deliveries page): the marker goes.
      await deps.mails.dropHeldMarker(mailId);
      return null;
    }),
  );
  const items = found.filter((m) => m !== null).sort((x, y) => (x.receivedAt + x.mailId < y.receivedAt + y.mailId ? 1 : -1));
  return { items };
}

/** The navigation's badge. */
export async function heldCount(deps: StaffMailsDeps): Promise<HeldCount> {
  return { held: (await heldMails(deps)).items.length };
}

async function heldDelivery(deps: StaffMailsDeps, mail: ReceivedMail): Promise<Delivery> {
  if (mail.decision !== 'held' || !mail.deliveryId) throw new ConflictError(NOT_HELD);
  const delivery = await deps.deliveries.get(mail.deliveryId, true);
  if (!delivery || !WAITING_STATUSES.has(delivery.status)) throw new ConflictError(NOT_HELD);
  return delivery;
}

/** The approved text in every variant: Japanese as written, the other languages' standard sentence before it. */
function withText(content: DeliveryContent, text: string, phrases: Partial<Record<OtherLang, string>>): DeliveryContent {
  return {
    ...content,
    variants: content.variants.map((v) => {
      const phrase = v.lang === 'ja' ? undefined : phrases[v.lang as OtherLang];
      return { ...v, bubbles: [{ type: 'text' as const, text: phrase ? `${phrase}\n\n${text}` : text }] };
    }),
  };
}

/** Sends a held mail now, with `text` instead of the composed Japanese when staff edited it. */
export async function approveMail(deps: StaffMailsDeps, who: SignedIn, mailId: string, text?: string): Promise<ReceivedMailDetail> {
  const mail = await mustGet(deps, mailId);
  const delivery = await heldDelivery(deps, mail);
  const edited = text !== undefined && text.trim() !== '' && text.trim() !== jaText(delivery);
  if (edited && text.length > APPROVED_TEXT_MAX) throw new ValidationError(`本文は${APPROVED_TEXT_MAX.toLocaleString('ja-JP')}文字以内にしてください。`);
  const variants = edited ? withText(delivery, text.trim(), mail.phrases ?? {}).variants : delivery.variants;
  const now = deps.clock.now().toISOString();
  const from = delivery.status;
  // The edit and the move to queued are one conditional write: a release firing in between (the
  // planner claims a scheduled delivery) makes it fail whole, never sends the edit unrecorded.
  const moved = await deps.deliveries.transition(delivery.deliveryId, [from], 'queued', {
    ...(edited ? { variants } : {}),
    queuedAt: now,
    updatedAt: now,
    approvedBy: who.account.loginId,
    sentBy: who.account.loginId,
    updatedBy: who.account.loginId,
    timing: { kind: 'now' },
  });
  if (!moved) throw new ConflictError(NOT_HELD);
  try {
    await deps.planner.send([{ type: 'plan', deliveryId: delivery.deliveryId }]);
  } catch (error) {
    // Not planned: back to waiting as it was (nothing sweeps a queued delivery without its message).
    await deps.deliveries.transition(delivery.deliveryId, ['queued'], from, {
      variants: delivery.variants,
      timing: delivery.timing,
      updatedAt: delivery.updatedAt,
      updatedBy: delivery.updatedBy,
    });
    throw error;
  }
  if (from === 'scheduled') await deps.scheduler.remove(delivery.scheduleName ?? deliveryScheduleName(delivery.deliveryId)).catch(() => undefined);
  await deps.mails.resolveHold(mailId, {
    decision: 'sent',
    reason: `${jstDateTime(now)} に ${who.account.displayName || who.account.loginId} さんが${edited ? '本文を修正して' : ''}承認し、送信しました。`,
    hold: { ...mail.hold, outcome: 'approved', handledBy: who.account.loginId, handledAt: now },
    ...(edited ? { content: { title: delivery.title, category: delivery.category, variants } } : {}),
  });
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'disaster_mail.approved',
    target: `disaster_mail:${mailId}`,
    ip: who.ip,
    after: {
      subject: mail.subject ?? '',
      from: mail.from ?? '',
      audience: delivery.audience.label,
      edited: edited ? 'あり' : 'なし',
      text: jaText({ variants }),
    },
  });
  return getMail(deps, mailId);
}

const jaText = (content: Pick<DeliveryContent, 'variants'>): string => {
  const bubble = content.variants.find((v) => v.lang === 'ja')?.bubbles[0];
  return bubble?.type === 'text' ? bubble.text : '';
};

/** A held mail is never sent: its delivery is cancelled (a pending release with it). */
export async function discardMail(deps: StaffMailsDeps, who: SignedIn, mailId: string): Promise<ReceivedMailDetail> {
  const mail = await mustGet(deps, mailId);
  const delivery = await heldDelivery(deps, mail);
  const now = deps.clock.now().toISOString();
  if (!(await deps.deliveries.transition(delivery.deliveryId, [delivery.status], 'cancelled', { updatedAt: now, updatedBy: who.account.loginId }))) {
    throw new ConflictError(NOT_HELD);
  }
  if (delivery.status === 'scheduled') await deps.scheduler.remove(delivery.scheduleName ?? deliveryScheduleName(delivery.deliveryId)).catch(() => undefined);
  await deps.mails.resolveHold(mailId, {
    decision: 'discarded',
    reason: `${jstDateTime(now)} に ${who.account.displayName || who.account.loginId} さんが破棄しました（送信していません）。`,
    hold: { ...mail.hold, outcome: 'discarded', handledBy: who.account.loginId, handledAt: now },
  });
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'disaster_mail.discarded',
    target: `disaster_mail:${mailId}`,
    ip: who.ip,
    before: { subject: mail.subject ?? '', from: mail.from ?? '', audience: delivery.audience.label },
  });
  return getMail(deps, mailId);
}

const TEST_SUBJECT = '【テスト】防災メール連携の試験送信';
const TEST_BODY = [
  'これは防災メール連携のテスト送信です。',
  '市の防災システムからのメールが、LINE の友だちに届くまでの流れを確かめています。',
  '実際の災害情報ではありません。',
].join('\n');

/** A plain-text mail in UTF-8 (base64 body), as a mail server would store it: the test button's sample and a pasted text. */
function utf8Mail(m: { from: string; subject: string; body: string; date?: Date; messageId?: string }): Buffer {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return Buffer.from(
    [
      `From: ${m.from}`,
      'To: bousai@civic-line.invalid',
      `Subject: =?UTF-8?B?${b64(m.subject)}?=`,
      ...(m.date ? [`Date: ${m.date.toUTCString().replace('GMT', '+0000')}`] : []),
      ...(m.messageId ? [`Message-ID: <${m.messageId}>`] : []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64(m.body).replace(/.{76}/g, '$&\r\n'),
      '',
    ].join('\r\n'),
    'utf8',
  );
}

/** An address of the first accepted sender (a domain entry gives `<local>@<domain>`), else `fallback`. */
function firstSender(settings: { acceptedSenders: readonly string[] }, local: string, fallback: string): string {
  const first = settings.acceptedSenders[0];
  if (!first) return fallback;
  return first.includes('@') && !first.startsWith('@') ? first : `${local}@${first.replace(/^@/, '')}`;
}

/** The test button: a sample mail stored and queued like a received one, to one segment only. */
export async function sendTestMail(deps: StaffMailsDeps, who: SignedIn, segmentId: string): Promise<TestMailAnswer> {
  if (segmentId === EVERYONE_ID) throw new ValidationError('テスト送信は「全員」には送れません。テスト用のセグメントを選んでください。');
  const segment = await getSegment(deps, segmentId);
  const settings = (await deps.bridgeSettings.get())?.settings ?? DEFAULT_BRIDGE_SETTINGS;
  const now = deps.clock.now();
  const mailId = ulid(now.getTime());
  const from = firstSender(settings, 'test', 'test@civic-line.invalid');
  const storageKey = testMailKey(mailId);
  await deps.mailStore.put(
    storageKey,
    utf8Mail({ from, subject: TEST_SUBJECT, body: TEST_BODY, date: now, messageId: `${mailId}@test.civic-line.invalid` }),
    'message/rfc822',
  );
  await deps.intake.send([{ type: 'stored', mailId, receivedAt: now.toISOString(), storageKey, source: 'test', testSegmentId: segment.segmentId }]);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'disaster_mail.test_sent',
    target: `disaster_mail:${mailId}`,
    ip: who.ip,
    summary: `防災メール連携のテスト送信（送信先: ${segment.name}）`,
  });
  return { mailId };
}

/**
 * A pasted mail is characters, not the bytes a mail server received: a part sent 8bit in a
 * Japanese charset (its body pasted as text) is read as UTF-8. Parts in base64, quoted-printable
 * or 7bit (ISO-2022-JP's escapes are ASCII) keep their charset, and a paste without any non-ASCII
 * character is taken as it is.
 */
export function pastedMailBytes(raw: string): Buffer {
  if (!/[\u0080-\uffff]/.test(raw)) return Buffer.from(raw, 'utf8');
  const lines = raw.replace(/\r?\n/g, '\n').split('\n');
  const boundaries = new Set([...raw.matchAll(/boundary\s*=\s*"?([^";\r\n]+)"?/gi)].map((m) => `--${m[1]!.trim()}`));
  const asUtf8 = (block: number[]) => {
    const cte = /^content-transfer-encoding:\s*([^\s;]+)/im.exec(block.map((i) => lines[i]).join('\n'))?.[1]?.toLowerCase();
    if (cte && cte !== '8bit' && cte !== 'binary') return;
    for (const i of block) lines[i] = lines[i]!.replace(/charset\s*=\s*"?[^";\s]+"?/i, 'charset=UTF-8');
  };
  let header: number[] | null = [];
  lines.forEach((line, i) => {
    if (header) {
      if (line === '') {
        asUtf8(header);
        header = null;
      } else header.push(i);
    } else if (boundaries.has(line.trimEnd())) header = [];
  });
  if (header) asUtf8(header);
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A pasted text without a header block: its first line is the subject, the rest the body. */
function asMail(raw: string, from: string): Buffer {
  if (/^[A-Za-z-]+:[^\n]*\n/.test(raw) && /^from:/im.test(raw.split(/\r?\n\r?\n/)[0] ?? '')) return pastedMailBytes(raw);
  const [subject, ...rest] = raw.replace(/\r\n?/g, '\n').split('\n');
  return utf8Mail({ from, subject: subject ?? '', body: rest.join('\n') });
}

/** What a pasted mail would become, and to how many friends: nothing stored, claimed or sent. */
export async function dryRun(deps: StaffMailsDeps, raw: string): Promise<DryRunAnswer> {
  const settings = (await deps.bridgeSettings.get())?.settings ?? DEFAULT_BRIDGE_SETTINGS;
  const reading = await readAlertMail(asMail(raw, firstSender(settings, 'bousai', 'unknown@civic-line.invalid')));
  if (!reading.ok) return { decision: 'unreadable', reason: reading.reason };
  const mail = reading.mail;
  const shown = {
    from: mail.from,
    subject: mail.subject,
    text: mail.text.slice(0, 20_000),
    ...(mail.sentAt ? { sentAt: mail.sentAt } : {}),
    attachments: mail.attachments,
  };
  const now = deps.clock.now();
  const plan = await planMail(deps, settings, mail, { receivedAt: now.toISOString() });
  if (!('route' in plan)) return { decision: plan.decision, reason: plan.reason, mail: shown };
  const route = {
    id: plan.route.id,
    name: plan.route.name,
    position: plan.position === 'test' ? ('default' as const) : plan.position,
    mode: plan.route.mode,
    ...(plan.route.releaseAfterMinutes ? { releaseAfterMinutes: plan.route.releaseAfterMinutes } : {}),
  };
  const held = await deps.mails.peekKeys(plan.keys, Math.floor(now.getTime() / 1000));
  if (!held.claimed) return { decision: 'duplicate', reason: duplicateReason(held.holder), mail: shown, route, kind: plan.kind };
  const count = await countAudience(deps, audienceRules(plan.audience), plan.content);
  return {
    decision: plan.decision === 'sent' ? 'would_send' : 'would_hold',
    reason: plan.reason,
    mail: shown,
    route,
    kind: plan.kind,
    content: plan.content,
    audience: { label: plan.audience.label, recipients: count.matching },
  };
}
