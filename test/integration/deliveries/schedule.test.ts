/**
 * Scheduled and recurring deliveries on the local runtime, driven through the admin API with the
 * controllable clock (`/__local/clock`): a reservation fires once the clock reaches it (never
 * before), a cancelled one never fires, an edited one fires at its new time only, and a recurring
 * "every day 08:00, except tomorrow" creates each occurrence as its own delivery.
 *
 * The clock is shared by the whole runtime: the tests only move it forward and reset it at the end.
 *
 * The admin delivery routes are not mounted yet (functions/admin/api.ts), so reservations and
 * recurring deliveries are made here through the same code the routes call: the DynamoDB stores,
 * a LocalScheduler writing schedule items to the runtime's table (the runtime's own scheduler
 * fires them: it re-reads the table every 5 s) and occurrences.ts. Everything after the schedule
 * item — firing on the clock, the planner queue, occurrences, LINE — is the runtime's own.
 */
import { DynamoDeliveryStore, DynamoRecurringStore } from '../../../functions/adapters/aws/delivery-store';
import { LocalScheduler } from '../../../functions/adapters/local/local-scheduler';
import { aggregationUnitOf, deliveryScheduleName } from '../../../functions/deliveries/keys';
import type { Delivery, DeliveryContent, Recurring } from '../../../functions/deliveries/model';
import { occurrenceDeliveryId, scheduleRecurring, unscheduleRecurring } from '../../../functions/deliveries/occurrences';
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env, testDb } from '../../support/integration';

jest.setTimeout(90_000);

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const deliveries = new DynamoDeliveryStore(testDb(), env.tableName);
const recurrings = new DynamoRecurringStore(testDb(), env.tableName);
// Only writes schedule items (never started here): the runtime's scheduler fires them.
const scheduler = new LocalScheduler({ send: async () => undefined }, { now: () => new Date() }, { db: testDb(), table: env.tableName });
const tag = Date.now().toString(36);
const MIN = 60_000;
/** Several scheduler ticks (250 ms each) and a planner/sender round trip. */
const QUIET_MS = 2_000;

let userId: string;
// Friends whose LINE language is zh-Hant: few in the shared runtime, and each test looks only for its own marker.
const audience = { rule: { match: 'all', conditions: [{ kind: 'language', values: ['zh-Hant'] }] }, label: `schedule-${tag}` };

async function clock(body?: unknown): Promise<Date> {
  const res = await fetch(`${env.platformUrl}/__local/clock`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  expect(res.status).toBe(200);
  return new Date(((await res.json()) as { now: string }).now);
}

const content = (marker: string): DeliveryContent => ({ title: marker, category: 'お知らせ', variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: `${marker} 本日の配信です。` }] }] });

async function received(marker: string): Promise<number> {
  return (await sim.received(userId)).filter((m) => JSON.stringify(m).includes(marker)).length;
}

async function reserve(marker: string, at: Date): Promise<{ deliveryId: string; version: number }> {
  const now = new Date().toISOString();
  const deliveryId = `01SCHED${tag.toUpperCase()}${marker.length}${Math.random().toString(36).slice(2, 8).toUpperCase()}`.slice(0, 26);
  const delivery: Delivery = {
    deliveryId,
    ...content(marker),
    status: 'scheduled',
    audience: { segmentId: null, ...audience } as Delivery['audience'],
    timing: { kind: 'at', at: at.toISOString() },
    scheduleName: deliveryScheduleName(deliveryId),
    aggregationUnit: aggregationUnitOf(deliveryId),
    createdAt: now,
    createdBy: 'it',
    updatedAt: now,
    updatedBy: 'it',
    sentBy: 'it',
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
  } as Delivery;
  await deliveries.create(delivery);
  await scheduler.upsert(deliveryScheduleName(deliveryId), at, { type: 'plan', deliveryId });
  return { deliveryId, version: 1 };
}

const status = async (deliveryId: string) => (await getItem(`DELIVERY#${deliveryId}`, 'DELIVERY'))?.status as string;
const quiet = (ms = QUIET_MS) => new Promise((r) => setTimeout(r, ms));
/** The runtime's scheduler learns of items written by another process within its 5 s refresh. */
const REFRESH_MS = 5_500;

beforeAll(async () => {
  const { citizen } = await sim.createCitizen({ displayName: `予約 確認${tag}`, language: 'zh-Hant' });
  userId = citizen.userId;
  await eventually(() => getItem(`FRIEND#${userId}`, 'PROFILE'), 10_000, 'friend stored');
});

afterAll(async () => {
  await clock({ reset: true });
});

describe('the local clock', () => {
  it('answers now, moves forward and keeps running', async () => {
    const before = await clock();
    const moved = await clock({ advanceMs: 1000 });
    expect(moved.getTime() - before.getTime()).toBeGreaterThanOrEqual(1000);
    expect((await clock()).getTime()).toBeGreaterThanOrEqual(moved.getTime());
    const bad = await fetch(`${env.platformUrl}/__local/clock`, { method: 'POST', body: '{"advanceMs":"soon"}' });
    expect(bad.status).toBe(400);
  });
});

describe('scheduled deliveries', () => {
  it('fires a reservation for +10 minutes only once the clock reaches it', async () => {
    const marker = `予約A-${tag}`;
    const { deliveryId } = await reserve(marker, new Date((await clock()).getTime() + 10 * MIN));
    expect(await getItem(`SCHEDULE#delivery-${deliveryId}`, 'SCHEDULE')).toBeDefined();

    await clock({ advanceMs: 9 * MIN });
    await quiet(REFRESH_MS);
    expect(await status(deliveryId)).toBe('scheduled');
    expect(await received(marker)).toBe(0);

    await clock({ advanceMs: 1 * MIN + 5_000 });
    await eventually(async () => (await status(deliveryId)) === 'sent', 20_000, 'reservation sent');
    expect(await received(marker)).toBe(1);
    // One-time: the schedule is gone once it fired.
    expect(await getItem(`SCHEDULE#delivery-${deliveryId}`, 'SCHEDULE')).toBeUndefined();
  });

  it('never sends a cancelled reservation, even after its time', async () => {
    const marker = `予約B-${tag}`;
    const { deliveryId } = await reserve(marker, new Date((await clock()).getTime() + 10 * MIN));
    // What the cancel use case does: scheduled → cancelled, then the schedule removed.
    expect(await deliveries.transition(deliveryId, ['scheduled'], 'cancelled')).toBe(true);
    expect(await scheduler.remove(deliveryScheduleName(deliveryId))).toBe(true);
    expect(await getItem(`SCHEDULE#delivery-${deliveryId}`, 'SCHEDULE')).toBeUndefined();

    await clock({ advanceMs: 11 * MIN });
    await quiet(REFRESH_MS);
    expect(await status(deliveryId)).toBe('cancelled');
    expect(await received(marker)).toBe(0);
  });

  it('fires an edited reservation at its new time only', async () => {
    const marker = `予約C-${tag}`;
    const now = await clock();
    const { deliveryId } = await reserve(marker, new Date(now.getTime() + 10 * MIN));
    // What the edit use case does: the delivery's time changes and the same schedule is upserted.
    const newAt = new Date(now.getTime() + 30 * MIN);
    expect(await deliveries.transition(deliveryId, ['scheduled'], 'scheduled', { timing: { kind: 'at', at: newAt.toISOString() } })).toBe(true);
    await scheduler.upsert(deliveryScheduleName(deliveryId), newAt, { type: 'plan', deliveryId });

    await clock({ advanceMs: 11 * MIN });
    await quiet(REFRESH_MS);
    expect(await status(deliveryId)).toBe('scheduled');
    expect(await received(marker)).toBe(0);

    await clock({ advanceMs: 20 * MIN });
    await eventually(async () => (await status(deliveryId)) === 'sent', 20_000, 'edited reservation sent');
    await quiet();
    expect(await received(marker)).toBe(1);
  });
});

describe('recurring deliveries', () => {
  it('every day 08:00 except tomorrow: sends today, skips tomorrow, and each occurrence is its own delivery', async () => {
    // Day D is two days ahead of real time (the clock only moves forward); D+1 is excluded.
    const day = (offsetDays: number) => new Date(Date.now() + (2 + offsetDays) * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const jst = (date: string, time: string) => new Date(`${date}T${time}+09:00`);
    const [d0, d1, d2] = [day(0), day(1), day(2)];
    await clock({ set: jst(d0, '07:50:00').toISOString() });
    const marker = `毎朝-${tag}`;
    const now = new Date().toISOString();
    const recurringId = `01RECUR${tag.toUpperCase()}`.padEnd(26, '0').slice(0, 26);
    const recurring: Recurring = {
      recurringId,
      ...content(marker),
      status: 'active',
      audience: { segmentId: null, ...audience } as Recurring['audience'],
      rule: { freq: 'daily', interval: 1, time: '08:00', start: d0, excludeDates: [d1], excludeWeekdays: [], excludeHolidays: false },
      createdAt: now,
      createdBy: 'it',
      updatedAt: now,
      updatedBy: 'it',
      version: 1,
    };
    await recurrings.create(recurring);
    const scheduled = await scheduleRecurring({ recurrings, scheduler }, recurring, await clock());
    expect(scheduled.nextAt).toBe(jst(d0, '08:00:00').toISOString());
    await quiet(REFRESH_MS);

    // D 08:00 → the first occurrence.
    await clock({ set: jst(d0, '08:00:05').toISOString() });
    await eventually(async () => (await received(marker)) === 1, 20_000, 'first occurrence sent');
    const afterFirst = await eventually(async () => {
      const r = await recurrings.get(recurringId, true);
      return r?.lastOccurrenceAt ? r : undefined;
    }, 10_000, 'recurring moved on');
    expect(afterFirst.nextAt).toBe(jst(d2, '08:00:00').toISOString());
    expect(afterFirst.lastOccurrenceAt).toBe(jst(d0, '08:00:00').toISOString());

    // D+1 08:00 is excluded: nothing is sent.
    await clock({ set: jst(d1, '08:00:05').toISOString() });
    await quiet();
    expect(await received(marker)).toBe(1);

    // D+2 08:00 → the second occurrence.
    await clock({ set: jst(d2, '08:00:05').toISOString() });
    await eventually(async () => (await received(marker)) === 2, 20_000, 'second occurrence sent');

    const ids = [jst(d0, '08:00:00'), jst(d2, '08:00:00')].map((at) => occurrenceDeliveryId(recurringId, at.toISOString()));
    expect(new Set(ids).size).toBe(2);
    for (const [i, id] of ids.entries()) {
      const d = await eventually(async () => {
        const item = await getItem(`DELIVERY#${id}`, 'DELIVERY');
        return item?.status === 'sent' ? item : undefined;
      }, 20_000, `occurrence ${i} sent`);
      expect(d).toMatchObject({ recurringId, occurrenceAt: [jst(d0, '08:00:00'), jst(d2, '08:00:00')][i].toISOString(), title: marker });
    }
    // Nothing was created for the excluded day.
    expect(await getItem(`DELIVERY#${occurrenceDeliveryId(recurringId, jst(d1, '08:00:00').toISOString())}`, 'DELIVERY')).toBeUndefined();

    const current = (await recurrings.get(recurringId, true))!;
    const ended = { ...current, status: 'ended' as const, version: current.version + 1 };
    await recurrings.replace(ended, current.version);
    expect((await unscheduleRecurring({ recurrings, scheduler }, ended)).nextAt).toBeUndefined();
  });
});
