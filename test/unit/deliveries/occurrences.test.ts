import type { Delivery, PlannerMessage, Recurring, RecurrenceRule } from '../../../functions/deliveries/model';
import type { DeliveryRepository, DeliveryScheduler, RecurringRepository } from '../../../functions/deliveries/ports';
import { handleOccurrence, occurrenceDeliveryId, scheduleRecurring, unscheduleRecurring, type OccurrenceDeps } from '../../../functions/deliveries/occurrences';
import { ConflictError } from '../../../functions/shared/errors';
import { FakeClock } from '../../support/fakes';

// 2026-11-24 (Tue) 10:00 JST.
const NOW = new Date('2026-11-24T01:00:00Z');
const at = (iso: string) => new Date(iso).toISOString();

class Recurrings implements RecurringRepository {
  items = new Map<string, Recurring>();
  /** Simulates a staff change landing between our read and our write. */
  beforeReplace?: () => void;
  async get(id: string) {
    const r = this.items.get(id);
    return r ? structuredClone(r) : null;
  }
  async list() {
    return [...this.items.values()];
  }
  async create(r: Recurring) {
    this.items.set(r.recurringId, structuredClone(r));
  }
  async replace(next: Recurring, expectedVersion: number) {
    const hook = this.beforeReplace;
    this.beforeReplace = undefined;
    hook?.();
    if (this.items.get(next.recurringId)?.version !== expectedVersion) throw new ConflictError('stale');
    this.items.set(next.recurringId, structuredClone(next));
  }
}

class Deliveries {
  items = new Map<string, Delivery>();
  async create(d: Delivery) {
    if (this.items.has(d.deliveryId)) throw new ConflictError('exists');
    this.items.set(d.deliveryId, structuredClone(d));
  }
}

class Scheduler implements DeliveryScheduler {
  schedules = new Map<string, { at: string; message: PlannerMessage }>();
  async upsert(name: string, when: Date, message: PlannerMessage) {
    this.schedules.set(name, { at: when.toISOString(), message });
  }
  async remove(name: string) {
    return this.schedules.delete(name);
  }
}

const dailyAt8: RecurrenceRule = {
  freq: 'daily',
  interval: 1,
  time: '08:00',
  start: '2026-11-24',
  excludeDates: ['2026-11-26'],
  excludeWeekdays: [],
  excludeHolidays: false,
};

function recurring(fields: Partial<Recurring> = {}): Recurring {
  return {
    recurringId: '01RECURRING0000000000000AA',
    title: '朝のお知らせ',
    category: 'お知らせ',
    variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'おはようございます' }] }],
    status: 'active',
    audience: { segmentId: null, rule: { match: 'all', conditions: [] }, label: '全員' },
    rule: dailyAt8,
    createdAt: NOW.toISOString(),
    createdBy: 'creator',
    updatedAt: NOW.toISOString(),
    updatedBy: 'editor',
    version: 1,
    ...fields,
  };
}

function harness(clockAt = NOW) {
  const recurrings = new Recurrings();
  const deliveries = new Deliveries();
  const scheduler = new Scheduler();
  const planned: PlannerMessage[] = [];
  const clock = new FakeClock(clockAt);
  const deps: OccurrenceDeps = {
    recurrings,
    deliveries: deliveries as unknown as DeliveryRepository,
    scheduler,
    planner: { send: async (m) => void planned.push(...m) },
    clock,
  };
  return { deps, recurrings, deliveries, scheduler, planned, clock };
}

describe('occurrenceDeliveryId', () => {
  it('is a 26-character ULID-shaped id, the same for the same occurrence and different otherwise', () => {
    const a = occurrenceDeliveryId('R1', '2026-11-25T23:00:00.000Z');
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(occurrenceDeliveryId('R1', '2026-11-25T23:00:00Z')).toBe(a);
    expect(occurrenceDeliveryId('R1', '2026-11-26T23:00:00.000Z')).not.toBe(a);
    expect(occurrenceDeliveryId('R2', '2026-11-25T23:00:00.000Z')).not.toBe(a);
    // Time-ordered like a ULID: a later occurrence sorts after an earlier one.
    expect(occurrenceDeliveryId('R9', '2026-11-27T23:00:00.000Z') > a).toBe(true);
  });
});

describe('scheduleRecurring / unscheduleRecurring', () => {
  it('schedules the first occurrence after now (tomorrow 08:00 JST, today 08:00 has passed) and stores it', async () => {
    const { deps, recurrings, scheduler } = harness();
    const r = recurring();
    await recurrings.create(r);

    const stored = await scheduleRecurring(deps, r, NOW);

    const nextAt = at('2026-11-24T23:00:00Z');
    expect(stored).toMatchObject({ nextAt, scheduleName: 'recurring-01RECURRING0000000000000AA-202611242300', version: 2 });
    expect(scheduler.schedules.get(stored.scheduleName!)).toEqual({
      at: nextAt,
      message: { type: 'occurrence', recurringId: r.recurringId, occurrenceAt: nextAt },
    });
    expect(recurrings.items.get(r.recurringId)).toMatchObject({ nextAt, version: 2 });
  });

  it('moves the schedule when the rule changes (the old one is removed)', async () => {
    const { deps, recurrings, scheduler } = harness();
    const first = await (async () => {
      const r = recurring();
      await recurrings.create(r);
      return scheduleRecurring(deps, r, NOW);
    })();
    const edited = { ...first, rule: { ...dailyAt8, time: '09:30' }, version: first.version + 1 };
    await recurrings.replace(edited, first.version);

    const stored = await scheduleRecurring(deps, edited, NOW);

    expect([...scheduler.schedules.keys()]).toEqual(['recurring-01RECURRING0000000000000AA-202611250030']);
    expect(stored.nextAt).toBe(at('2026-11-25T00:30:00Z'));
  });

  it('pausing removes the schedule and clears nextAt', async () => {
    const { deps, recurrings, scheduler } = harness();
    const r = recurring();
    await recurrings.create(r);
    const scheduled = await scheduleRecurring(deps, r, NOW);
    const paused = { ...scheduled, status: 'paused' as const, version: scheduled.version + 1 };
    await recurrings.replace(paused, scheduled.version);

    const stored = await unscheduleRecurring(deps, paused);

    expect(scheduler.schedules.size).toBe(0);
    expect(stored.nextAt).toBeUndefined();
    expect(stored.scheduleName).toBeUndefined();
    expect(stored.status).toBe('paused');
  });

  it('ends a recurring with no occurrence left', async () => {
    const { deps, recurrings, scheduler } = harness();
    const r = recurring({ rule: { ...dailyAt8, start: '2026-11-01', end: '2026-11-20' } });
    await recurrings.create(r);
    const stored = await scheduleRecurring(deps, r, NOW);
    expect(stored.status).toBe('ended');
    expect(scheduler.schedules.size).toBe(0);
  });
});

describe('handleOccurrence', () => {
  async function firedSetup() {
    const h = harness();
    const r = recurring();
    await h.recurrings.create(r);
    const scheduled = await scheduleRecurring(h.deps, r, NOW);
    // The clock reaches the first occurrence (2026-11-25 08:00 JST).
    h.clock.current = new Date('2026-11-24T23:00:05Z');
    return { ...h, scheduled };
  }

  it('creates the occurrence as its own queued delivery, plans it and schedules the next one (skipping the excluded day)', async () => {
    const { deps, deliveries, planned, scheduler, recurrings, scheduled } = await firedSetup();
    const occurrenceAt = scheduled.nextAt!;

    const outcome = await handleOccurrence(deps, { type: 'occurrence', recurringId: scheduled.recurringId, occurrenceAt });

    const deliveryId = occurrenceDeliveryId(scheduled.recurringId, occurrenceAt);
    expect(outcome).toEqual({ kind: 'created', deliveryId, nextAt: at('2026-11-26T23:00:00Z') });
    expect(deliveries.items.get(deliveryId)).toMatchObject({
      status: 'queued',
      recurringId: scheduled.recurringId,
      occurrenceAt,
      title: '朝のお知らせ',
      audience: { label: '全員' },
      aggregationUnit: `d_${deliveryId}`,
      timing: { kind: 'at', at: occurrenceAt },
      sentBy: 'editor',
      stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    });
    expect(planned).toEqual([{ type: 'plan', deliveryId }]);
    // 11-26 is excluded: the next is 11-27 08:00 JST (23:00 UTC the day before).
    expect(scheduler.schedules.get('recurring-01RECURRING0000000000000AA-202611262300')).toEqual({
      at: at('2026-11-26T23:00:00Z'),
      message: { type: 'occurrence', recurringId: scheduled.recurringId, occurrenceAt: at('2026-11-26T23:00:00Z') },
    });
    expect(recurrings.items.get(scheduled.recurringId)).toMatchObject({ nextAt: at('2026-11-26T23:00:00Z'), lastOccurrenceAt: occurrenceAt });
  });

  it('a duplicate firing creates nothing twice', async () => {
    const { deps, deliveries, planned, scheduled } = await firedSetup();
    const msg = { type: 'occurrence' as const, recurringId: scheduled.recurringId, occurrenceAt: scheduled.nextAt! };
    await handleOccurrence(deps, msg);
    const again = await handleOccurrence(deps, msg);
    expect(again).toEqual({ kind: 'skipped', reason: 'stale' });
    expect(deliveries.items.size).toBe(1);
    expect(planned).toHaveLength(1);
  });

  it('a retry after a crash between creating and moving on finishes the job without a second delivery', async () => {
    const { deps, deliveries, planned, recurrings, scheduled } = await firedSetup();
    const msg = { type: 'occurrence' as const, recurringId: scheduled.recurringId, occurrenceAt: scheduled.nextAt! };
    // The first attempt created the delivery and crashed before anything else.
    await deliveries.create({ deliveryId: occurrenceDeliveryId(msg.recurringId, msg.occurrenceAt) } as Delivery);

    const outcome = await handleOccurrence(deps, msg);

    expect(outcome.kind).toBe('duplicate');
    expect(deliveries.items.size).toBe(1);
    expect(planned).toHaveLength(1);
    expect(recurrings.items.get(msg.recurringId)!.nextAt).toBe(at('2026-11-26T23:00:00Z'));
  });

  it('does nothing for a paused or ended recurring', async () => {
    for (const status of ['paused', 'ended'] as const) {
      const { deps, deliveries, planned, recurrings, scheduled } = await firedSetup();
      recurrings.items.set(scheduled.recurringId, { ...recurrings.items.get(scheduled.recurringId)!, status });
      const outcome = await handleOccurrence(deps, { type: 'occurrence', recurringId: scheduled.recurringId, occurrenceAt: scheduled.nextAt! });
      expect(outcome).toEqual({ kind: 'skipped', reason: 'not_active' });
      expect(deliveries.items.size).toBe(0);
      expect(planned).toHaveLength(0);
    }
  });

  it('retries its update when staff saved the recurring meanwhile, keeping their change', async () => {
    const { deps, recurrings, scheduled } = await firedSetup();
    recurrings.beforeReplace = () => {
      const current = recurrings.items.get(scheduled.recurringId)!;
      recurrings.items.set(scheduled.recurringId, { ...current, title: '新しい題名', version: current.version + 1 });
    };
    await handleOccurrence(deps, { type: 'occurrence', recurringId: scheduled.recurringId, occurrenceAt: scheduled.nextAt! });
    expect(recurrings.items.get(scheduled.recurringId)).toMatchObject({ title: '新しい題名', nextAt: at('2026-11-26T23:00:00Z'), version: 4 });
  });

  it('the last occurrence ends the recurring and leaves no schedule', async () => {
    const h = harness();
    const r = recurring({ rule: { ...dailyAt8, end: '2026-11-25' } });
    await h.recurrings.create(r);
    const scheduled = await scheduleRecurring(h.deps, r, NOW);
    h.clock.current = new Date('2026-11-24T23:00:05Z');
    const outcome = await handleOccurrence(h.deps, { type: 'occurrence', recurringId: r.recurringId, occurrenceAt: scheduled.nextAt! });
    expect(outcome.kind).toBe('created');
    expect(h.recurrings.items.get(r.recurringId)).toMatchObject({ status: 'ended', lastOccurrenceAt: scheduled.nextAt });
    expect(h.recurrings.items.get(r.recurringId)!.nextAt).toBeUndefined();
    expect(h.scheduler.schedules.size).toBe(1); // the fired one: EventBridge deletes it after firing (ActionAfterCompletion)
  });
});
