/**
 * Staff use cases of recurring deliveries: create, edit, pause, resume, end, preview the next
 * occurrences. Only the next occurrence has a one-time schedule (occurrences.ts keeps it moving).
 */
import { ulid } from 'ulid';
import type { AuditAction } from '../audit/audit';
import { recordAudit } from '../audit/trail';
import type { SignedIn } from '../staff/context';
import { ConflictError, ValidationError } from '../shared/errors';
import { ApprovalRequiredError, DeliveryNotFoundError, DeliveryStateError, StaleVersionError } from './errors';
import type { DeliveryContent, Recurring, RecurrenceRule, RecurringChange, RecurringStatus } from './model';
import type { RecurringDetail } from './views';
import type { RecurringRepository } from './ports';
import { scheduleRecurring, unscheduleRecurring } from './occurrences';
import { occurrences } from './recurrence';
import { resolveAudience, type AudienceInput, type StaffDeliveriesDeps } from './staff-deliveries';

export interface StaffRecurringsDeps extends StaffDeliveriesDeps {
  recurrings: RecurringRepository;
}

export interface RecurringInput extends DeliveryContent {
  audience: AudienceInput;
  rule: RecurrenceRule;
}

async function mustGet(deps: StaffRecurringsDeps, recurringId: string): Promise<Recurring> {
  const r = await deps.recurrings.get(recurringId, true);
  if (!r) throw new DeliveryNotFoundError('くり返し配信');
  return r;
}

/** Starting a recurring delivery sends on its own later: the same approval rule as sending. */
async function mayStart(deps: StaffRecurringsDeps, who: SignedIn): Promise<void> {
  if (who.account.role === 'admin') return;
  if ((await deps.settings.get()).approvalRequired) throw new ApprovalRequiredError();
}

/** The next `count` occurrences after now, as ISO strings (Asia/Tokyo wall times are in the rule). */
export function previewOccurrences(deps: Pick<StaffRecurringsDeps, 'clock'>, rule: RecurrenceRule, count = 10): string[] {
  return occurrences(rule, deps.clock.now(), count).map((d) => d.toISOString());
}

function requireOccurrence(deps: StaffRecurringsDeps, rule: RecurrenceRule): void {
  if (occurrences(rule, deps.clock.now(), 1).length === 0) {
    throw new ValidationError('この条件では、これから先に配信する日がありません。期間・除外日・曜日を見直してください。');
  }
}

const snapshot = (r: Recurring) => ({ title: r.title, category: r.category, status: r.status, audience: r.audience.label, rule: r.rule });

export async function createRecurring(deps: StaffRecurringsDeps, who: SignedIn, input: RecurringInput): Promise<Recurring> {
  await mayStart(deps, who);
  requireOccurrence(deps, input.rule);
  const audience = await resolveAudience(deps, input.audience);
  const now = deps.clock.now();
  const by = who.account.loginId;
  const recurring: Recurring = {
    recurringId: ulid(now.getTime()),
    title: input.title,
    category: input.category,
    variants: input.variants,
    status: 'active',
    audience,
    rule: input.rule,
    createdAt: now.toISOString(),
    createdBy: by,
    updatedAt: now.toISOString(),
    updatedBy: by,
    version: 1,
  };
  await deps.recurrings.create(recurring);
  const scheduled = await scheduleRecurring(deps, recurring, now);
  await recordAudit(deps, { actor: by, action: 'recurring.created', target: `recurring:${recurring.recurringId}`, ip: who.ip, after: snapshot(recurring) });
  return scheduled;
}

export async function getRecurring(deps: StaffRecurringsDeps, recurringId: string): Promise<RecurringDetail> {
  const recurring = await mustGet(deps, recurringId);
  const next = recurring.status === 'ended' ? [] : previewOccurrences(deps, recurring.rule);
  const { items } = await deps.deliveries.list({ recurringId, limit: 20 });
  return { recurring, next, deliveries: items };
}

export async function listRecurrings(deps: StaffRecurringsDeps): Promise<Recurring[]> {
  return deps.recurrings.list();
}

async function save(deps: StaffRecurringsDeps, current: Recurring, next: Recurring): Promise<Recurring> {
  try {
    await deps.recurrings.replace(next, current.version);
  } catch (error) {
    if (error instanceof ConflictError) throw new StaleVersionError();
    throw error;
  }
  return next;
}

export async function updateRecurring(
  deps: StaffRecurringsDeps,
  who: SignedIn,
  recurringId: string,
  input: RecurringInput & { version: number },
): Promise<Recurring> {
  await mayStart(deps, who);
  const current = await mustGet(deps, recurringId);
  if (current.status === 'ended') throw new DeliveryStateError('終了したくり返し配信は変更できません。');
  if (current.version !== input.version) throw new StaleVersionError();
  requireOccurrence(deps, input.rule);
  const audience = await resolveAudience(deps, input.audience);
  const next = await save(deps, current, {
    ...current,
    title: input.title,
    category: input.category,
    variants: input.variants,
    audience,
    rule: input.rule,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
    version: current.version + 1,
  });
  // The next occurrence follows the new rule.
  const result = next.status === 'active' ? await scheduleRecurring(deps, next, deps.clock.now()) : next;
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'recurring.updated',
    target: `recurring:${recurringId}`,
    ip: who.ip,
    before: snapshot(current),
    after: snapshot(next),
  });
  return result;
}

const STATUS_ACTIONS: Record<RecurringChange, { from: RecurringStatus[]; to: RecurringStatus; action: AuditAction; refused: string }> = {
  pause: { from: ['active'], to: 'paused', action: 'recurring.paused', refused: '一時停止できるのは、実行中のくり返し配信だけです。' },
  resume: { from: ['paused'], to: 'active', action: 'recurring.resumed', refused: '再開できるのは、一時停止中のくり返し配信だけです。' },
  end: { from: ['active', 'paused'], to: 'ended', action: 'recurring.ended', refused: 'このくり返し配信はすでに終了しています。' },
};

export async function changeRecurringStatus(deps: StaffRecurringsDeps, who: SignedIn, recurringId: string, change: RecurringChange): Promise<Recurring> {
  const spec = STATUS_ACTIONS[change];
  if (change === 'resume') await mayStart(deps, who);
  const current = await mustGet(deps, recurringId);
  if (!spec.from.includes(current.status)) throw new DeliveryStateError(spec.refused);
  if (change === 'resume') requireOccurrence(deps, current.rule);
  const next = await save(deps, current, {
    ...current,
    status: spec.to,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
    version: current.version + 1,
  });
  const result = spec.to === 'active' ? await scheduleRecurring(deps, next, deps.clock.now()) : await unscheduleRecurring(deps, next);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: spec.action,
    target: `recurring:${recurringId}`,
    ip: who.ip,
    before: snapshot(current),
    after: snapshot(result),
  });
  return result;
}
