/**
 * Recurring deliveries at run time. Only one-time schedules exist (EventBridge Scheduler in AWS,
 * the local scheduler locally): a recurring delivery keeps exactly one schedule, for its next
 * occurrence. When it fires, the planner queue carries `{type:'occurrence'}` here:
 *
 * 1. Read the recurring (strongly consistent). Only an `active` one whose `nextAt` is this very
 *    occurrence goes on (paused, ended, edited since or already handled → nothing).
 * 2. Create the occurrence's own delivery (`queued`) with an id derived from
 *    (recurringId, occurrenceAt): a duplicate firing hits ConflictError and creates nothing twice.
 * 3. Put `{type:'plan'}` for it on the planner queue (the planner claims a delivery once).
 * 4. Schedule the next occurrence after max(this occurrence, now) — occurrences missed while the
 *    system was down are not sent late in a burst — and move the recurring on (`nextAt`,
 *    `lastOccurrenceAt`, or `ended` when none is left) with optimistic concurrency.
 *
 * Steps 2–4 are idempotent, so a retried message (SQS redelivery after a crash) completes them.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../ports/clock';
import { ConflictError } from '../shared/errors';
import { aggregationUnitOf, recurringScheduleName } from './keys';
import type { Delivery, PlannerMessage, Recurring } from './model';
import type { DeliveryRepository, DeliveryScheduler, JsonQueue, RecurringRepository } from './ports';
import { nextOccurrence } from './recurrence';

export interface OccurrenceDeps {
  recurrings: RecurringRepository;
  deliveries: DeliveryRepository;
  scheduler: DeliveryScheduler;
  planner: JsonQueue<PlannerMessage>;
  clock: Clock;
}

export type SchedulingDeps = Pick<OccurrenceDeps, 'recurrings' | 'scheduler'>;

export type OccurrenceOutcome =
  | { kind: 'created'; deliveryId: string; nextAt?: string }
  | { kind: 'duplicate'; deliveryId: string; nextAt?: string }
  | { kind: 'skipped'; reason: 'not_found' | 'not_active' | 'stale' };

/** Optimistic-concurrency retries when staff and a firing change the recurring at once. */
const MAX_ATTEMPTS = 5;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A 26-character ULID-shaped id for an occurrence: the time part is the occurrence time (history
 * sorts like any ULID), the rest is derived from SHA-256(recurringId, occurrenceAt), so the same
 * occurrence always gets the same id and different ones never collide in practice (80 bits).
 */
export function occurrenceDeliveryId(recurringId: string, occurrenceAt: string): string {
  let ms = Date.parse(occurrenceAt);
  if (!Number.isFinite(ms)) throw new Error(`invalid occurrenceAt: ${occurrenceAt}`);
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  const digest = createHash('sha256')
    .update(`${recurringId}\n${new Date(occurrenceAt).toISOString()}`)
    .digest();
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[digest[i] % 32];
  return time + rest;
}

function occurrenceDelivery(r: Recurring, occurrenceAt: string, now: Date): Delivery {
  const deliveryId = occurrenceDeliveryId(r.recurringId, occurrenceAt);
  const at = now.toISOString();
  return {
    deliveryId,
    title: r.title,
    category: r.category,
    variants: r.variants,
    status: 'queued',
    audience: r.audience,
    timing: { kind: 'at', at: occurrenceAt },
    recurringId: r.recurringId,
    occurrenceAt,
    aggregationUnit: aggregationUnitOf(deliveryId),
    createdAt: at,
    createdBy: r.createdBy,
    updatedAt: at,
    updatedBy: r.updatedBy,
    // The staff member who last confirmed the recurring delivery is the sender of its occurrences.
    sentBy: r.updatedBy,
    queuedAt: at,
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
  };
}

/**
 * Re-reads and applies `change` until the conditional replace succeeds. `change` returns the
 * next value, or null to leave the recurring as it is (someone else already moved it).
 */
async function updateRecurring(deps: SchedulingDeps, recurringId: string, change: (current: Recurring) => Recurring | null): Promise<Recurring | null> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.recurrings.get(recurringId, true);
    if (!current) return null;
    const next = change(current);
    if (!next) return current;
    try {
      await deps.recurrings.replace({ ...next, version: current.version + 1 }, current.version);
      return { ...next, version: current.version + 1 };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

function withoutSchedule(r: Recurring): Recurring {
  const { nextAt: _nextAt, scheduleName: _scheduleName, ...rest } = r;
  return rest;
}

/** Handles one `{type:'occurrence'}` planner message (see the steps at the top of this file). */
export async function handleOccurrence(deps: OccurrenceDeps, msg: Extract<PlannerMessage, { type: 'occurrence' }>): Promise<OccurrenceOutcome> {
  const occurrenceAt = new Date(msg.occurrenceAt).toISOString();
  const recurring = await deps.recurrings.get(msg.recurringId, true);
  if (!recurring) return { kind: 'skipped', reason: 'not_found' };
  if (recurring.status !== 'active') return { kind: 'skipped', reason: 'not_active' };
  const deliveryId = occurrenceDeliveryId(recurring.recurringId, occurrenceAt);
  // A firing for an occurrence the recurring no longer expects: edited, paused and resumed, or
  // already handled (nextAt moved on). A crash after step 2 leaves nextAt unchanged, so a retry
  // still passes here and finishes the job.
  if (!recurring.nextAt || new Date(recurring.nextAt).toISOString() !== occurrenceAt) return { kind: 'skipped', reason: 'stale' };

  const now = deps.clock.now();
  let duplicate = false;
  try {
    await deps.deliveries.create(occurrenceDelivery(recurring, occurrenceAt, now));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    duplicate = true;
  }
  await deps.planner.send([{ type: 'plan', deliveryId }]);

  const after = new Date(Math.max(Date.parse(occurrenceAt), now.getTime()));
  const next = nextOccurrence(recurring.rule, after);
  const nextAt = next ? next.toISOString() : undefined;
  const scheduleName = nextAt ? recurringScheduleName(recurring.recurringId, nextAt) : undefined;
  if (nextAt && scheduleName) {
    await deps.scheduler.upsert(scheduleName, new Date(nextAt), { type: 'occurrence', recurringId: recurring.recurringId, occurrenceAt: nextAt });
  }
  const updated = await updateRecurring(deps, recurring.recurringId, (current) => {
    // Staff changed it meanwhile (edit, pause, end): their scheduling wins.
    if (current.status !== 'active' || !current.nextAt || new Date(current.nextAt).toISOString() !== occurrenceAt) return null;
    const base = { ...current, lastOccurrenceAt: occurrenceAt };
    if (!nextAt) return { ...withoutSchedule(base), status: 'ended' };
    return { ...base, nextAt, scheduleName };
  });
  // Our new schedule lost against a staff change: remove it unless it is the one they kept.
  if (scheduleName && updated && updated.scheduleName !== scheduleName) await deps.scheduler.remove(scheduleName);
  return { kind: duplicate ? 'duplicate' : 'created', deliveryId, nextAt };
}

/**
 * Gives an active recurring its schedule for the first occurrence after `now` (creation, edit,
 * resume) and stores `nextAt`/`scheduleName`; a previous schedule under another name is removed.
 * No occurrence left: the recurring becomes `ended`. Returns the stored recurring.
 */
export async function scheduleRecurring(deps: SchedulingDeps, recurring: Recurring, now: Date): Promise<Recurring> {
  const next = recurring.status === 'active' ? nextOccurrence(recurring.rule, now) : undefined;
  const nextAt = next ? next.toISOString() : undefined;
  const scheduleName = nextAt ? recurringScheduleName(recurring.recurringId, nextAt) : undefined;
  if (nextAt && scheduleName) {
    await deps.scheduler.upsert(scheduleName, new Date(nextAt), { type: 'occurrence', recurringId: recurring.recurringId, occurrenceAt: nextAt });
  }
  if (recurring.scheduleName && recurring.scheduleName !== scheduleName) await deps.scheduler.remove(recurring.scheduleName);
  const updated = await updateRecurring(deps, recurring.recurringId, (current) => {
    if (current.status !== 'active') return null;
    if (!nextAt) return { ...withoutSchedule(current), status: 'ended' };
    if (current.nextAt === nextAt && current.scheduleName === scheduleName) return null;
    return { ...current, nextAt, scheduleName };
  });
  return updated ?? recurring;
}

/** Removes the recurring's schedule (pause, end) and clears `nextAt`/`scheduleName`. Returns the stored recurring. */
export async function unscheduleRecurring(deps: SchedulingDeps, recurring: Recurring): Promise<Recurring> {
  if (recurring.scheduleName) await deps.scheduler.remove(recurring.scheduleName);
  const updated = await updateRecurring(deps, recurring.recurringId, (current) => {
    if (current.status === 'active') return null;
    if (!current.nextAt && !current.scheduleName) return null;
    return withoutSchedule(current);
  });
  return updated ?? recurring;
}
