/**
 * Scheduled and recurring deliveries on the local runtime, made the way staff make them: over HTTP
 * through the admin API (functions/admin/delivery-routes.ts, docs/deliveries-api.md) with a signed-in
 * console client, while the controllable clock (`/__local/clock`) stands in for waiting. A
 * reservation fires once the clock reaches it (never before) and reaches each matching friend once,
 * a cancelled one never fires, an edited one fires at its new time only, a reservation too close to
 * the local clock is refused; a recurring "every day 08:00, except tomorrow" creates each
 * occurrence as its own delivery in the history, and pausing, resuming and ending a rule start and
 * stop its occurrences. What citizens receive is read from the LINE simulator; state is read back
 * through the history and detail routes; the table is read only for what the API does not show
 * (the one-time schedule items of the local scheduler).
 *
 * "Nothing fired" is shown without sleeping: a reservation for nobody, due just after the time in
 * question, is a barrier — once it has been sent and the pipeline is idle, everything due before
 * it has fired and been handled (schedule-support.ts).
 *
 * The clock is shared by the whole runtime: the tests only move it forward and reset it at the end.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { recurringScheduleName } from '../../../functions/deliveries/keys';
import { deliveryTime } from '../../../functions/deliveries/labels';
import { jstDateTime } from '../../../functions/shared/japan-time';
import { occurrenceDeliveryId } from '../../../functions/deliveries/occurrences';
import { LineSimulatorClient } from '../../../simulator/client';
import { eventually, getItem, it_env } from '../../support/integration';
import { ConsoleClient } from '../admin/console-client';
import { clock, DAY, jst, MIN, pipelineIdle, schedulerBarrier, StaffDeliveries, type Content } from './schedule-support';

jest.setTimeout(90_000);

const env = it_env();
const sim = new LineSimulatorClient(env.simulatorUrl);
const admin = new ConsoleClient(env.platformUrl);
const staff = new StaffDeliveries(admin);
const adminLogin = process.env.IT_ADMIN_LOGIN_ID!;
const tag = Date.now().toString(36);

// Friends whose LINE language is zh-Hant (a saved segment): two of ours match, one Japanese friend does not.
let hant1: string;
let hant2: string;
let japanese: string;
let segmentId: string;

const content = (marker: string): Content => ({
  title: marker,
  category: 'お知らせ',
  variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: `${marker} 本日の配信です。` }] }],
});

async function received(userId: string, marker: string): Promise<number> {
  return (await sim.received(userId)).filter((m) => JSON.stringify(m).includes(marker)).length;
}

/** How many messages with `marker` each of our friends has: [zh-Hant 1, zh-Hant 2, Japanese]. */
const receivedByAll = (marker: string) => Promise.all([hant1, hant2, japanese].map((u) => received(u, marker)));

const scheduleItem = (name: string) => getItem(`SCHEDULE#${name}`, 'SCHEDULE');

async function citizen(displayName: string, language: string): Promise<string> {
  const { citizen: c } = await sim.createCitizen({ displayName, language });
  await eventually(() => getItem(`FRIEND#${c.userId}`, 'PROFILE'), 10_000, 'friend stored');
  return c.userId;
}

/** The JST date `days` after the local clock's current JST date. */
async function jstDateFromClock(days: number): Promise<string> {
  return new Date((await clock()).getTime() + days * DAY + 9 * 3_600_000).toISOString().slice(0, 10);
}
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  expect((await admin.signIn(adminLogin, process.env.IT_ADMIN_PASSWORD!)).status).toBe(200);
  [hant1, hant2, japanese] = await Promise.all([
    citizen(`予約 確認${tag}`, 'zh-Hant'),
    citizen(`予約 確認二${tag}`, 'zh-Hant'),
    citizen(`予約 日本語${tag}`, 'ja'),
  ]);
  const segment = await admin.call('POST', '/segments', {
    name: `繁体字${tag}`,
    rule: { match: 'all', conditions: [{ kind: 'language', values: ['zh-Hant'] }] },
  });
  expect(segment.status).toBe(201);
  segmentId = segment.body.segmentId;
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
  /** Moves the clock by `advanceMs`; once everything due by `barrierAt` fired, the delivery is still `status` and nobody got `marker`. */
  async function nothingSent(deliveryId: string, marker: string, barrierAt: Date, label: string, advanceMs: number, status: string): Promise<void> {
    const barrier = await schedulerBarrier(staff, barrierAt, `${label}-${tag}`);
    await clock({ advanceMs });
    await barrier.passed();
    expect(await staff.status(deliveryId)).toBe(status);
    expect(await receivedByAll(marker)).toEqual([0, 0, 0]);
  }

  it('fires a reservation for +10 minutes only once the clock reaches it, once for each matching friend', async () => {
    const marker = `予約A-${tag}`;
    const at = new Date((await clock()).getTime() + 10 * MIN);
    const reserved = await staff.reserve(content(marker), { segmentId }, at);
    const { deliveryId } = reserved;
    expect(reserved).toMatchObject({
      status: 'scheduled',
      timing: { kind: 'at', at: at.toISOString() },
      scheduleName: `delivery-${deliveryId}`,
      sentBy: adminLogin,
    });
    // The one-time schedule (the API does not show schedules; EventBridge Scheduler holds them in AWS).
    expect(await scheduleItem(`delivery-${deliveryId}`)).toMatchObject({ at: at.toISOString(), message: { type: 'plan', deliveryId } });
    const listed = await staff.history({ q: marker, status: 'scheduled' });
    expect(listed.map((d) => d.deliveryId)).toEqual([deliveryId]);

    // 9 minutes later: everything due by then has fired, the reservation has not.
    await nothingSent(deliveryId, marker, new Date(at.getTime() - MIN), 'A', 9 * MIN + 5_000, 'scheduled');

    // Its time: sent to every active zh-Hant friend (ours and any other), none failed.
    await clock({ advanceMs: 1 * MIN });
    const done = await staff.reaches(deliveryId, 'sent', 'reservation sent');
    expect(done.delivery.recipients).toBeGreaterThanOrEqual(2);
    expect(done.delivery).toMatchObject({ succeeded: done.delivery.recipients, failed: 0 });
    expect(done.chunks).toEqual({ pending: 0, sent: done.delivery.chunksTotal, failed: 0 });
    await pipelineIdle();
    expect(await receivedByAll(marker)).toEqual([1, 1, 0]);
    // One-time: the schedule is gone once it fired, and a sent reservation cannot be cancelled.
    expect(await scheduleItem(`delivery-${deliveryId}`)).toBeUndefined();
    const cancel = await admin.call('POST', `/deliveries/${deliveryId}/cancel`, {});
    expect(cancel.status).toBe(409);
    expect(await staff.status(deliveryId)).toBe('sent');
    expect(await receivedByAll(marker)).toEqual([1, 1, 0]);
  });

  it('never sends a cancelled reservation, even after its time', async () => {
    const marker = `予約B-${tag}`;
    const at = new Date((await clock()).getTime() + 10 * MIN);
    const { deliveryId } = await staff.reserve(content(marker), { segmentId }, at);
    expect(await scheduleItem(`delivery-${deliveryId}`)).toBeDefined();

    const cancelled = await admin.call('POST', `/deliveries/${deliveryId}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ deliveryId, status: 'cancelled', updatedBy: adminLogin });
    expect(await scheduleItem(`delivery-${deliveryId}`)).toBeUndefined();
    // Cancelled is final: neither cancelled again nor edited back into a reservation.
    expect((await admin.call('POST', `/deliveries/${deliveryId}/cancel`, {})).status).toBe(409);
    const edit = await admin.call('PUT', `/deliveries/${deliveryId}`, {
      ...content(marker),
      audience: { segmentId },
      timing: { kind: 'at', at: at.toISOString() },
      version: cancelled.body.version,
    });
    expect(edit.status).toBe(409);

    await nothingSent(deliveryId, marker, new Date(at.getTime() + 1_000), 'B', 11 * MIN, 'cancelled');
    expect((await staff.history({ q: marker })).map((d) => [d.deliveryId, d.status])).toEqual([[deliveryId, 'cancelled']]);
  });

  it('fires an edited reservation at its new time only', async () => {
    const marker = `予約C-${tag}`;
    const now = await clock();
    const oldAt = new Date(now.getTime() + 10 * MIN);
    const reserved = await staff.reserve(content(marker), { segmentId }, oldAt);
    const { deliveryId } = reserved;
    const edit = (at: Date, version: number) =>
      admin.call('PUT', `/deliveries/${deliveryId}`, { ...content(marker), audience: { segmentId }, timing: { kind: 'at', at: at.toISOString() }, version });

    // A new time under a minute ahead of the (local) clock is refused and changes nothing.
    const tooSoon = await edit(new Date(now.getTime() + 30_000), reserved.version);
    expect(tooSoon.status).toBe(400);
    expect((await staff.detail(deliveryId)).delivery).toMatchObject({ status: 'scheduled', timing: { at: oldAt.toISOString() }, version: reserved.version });
    expect(await scheduleItem(`delivery-${deliveryId}`)).toMatchObject({ at: oldAt.toISOString() });
    // A stale version is refused too.
    expect((await edit(new Date(now.getTime() + 30 * MIN), reserved.version - 1)).status).toBe(409);

    const newAt = new Date(now.getTime() + 30 * MIN);
    const edited = await edit(newAt, reserved.version);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'scheduled', timing: { kind: 'at', at: newAt.toISOString() }, version: reserved.version + 1 });
    // The same schedule moved (no second one at the old time).
    expect(await scheduleItem(`delivery-${deliveryId}`)).toMatchObject({ at: newAt.toISOString() });

    // Past the old time: nothing.
    await nothingSent(deliveryId, marker, new Date(oldAt.getTime() + MIN), 'C', 11 * MIN + 5_000, 'scheduled');

    // The new time: sent once.
    await clock({ advanceMs: 19 * MIN });
    const done = await staff.reaches(deliveryId, 'sent', 'edited reservation sent');
    expect(done.delivery).toMatchObject({ timing: { at: newAt.toISOString() }, failed: 0 });
    await pipelineIdle();
    expect(await receivedByAll(marker)).toEqual([1, 1, 0]);
  });

  it('refuses a reservation under a minute ahead of the local clock, even when it is ahead of real time', async () => {
    const marker = `予約D-${tag}`;
    await clock({ advanceMs: 10 * MIN });
    const now = await clock();
    for (const at of [new Date(now.getTime() + 30_000), new Date(Date.now() + 5 * MIN)]) {
      const draft = await admin.call('POST', '/deliveries', { ...content(marker), audience: { segmentId }, timing: { kind: 'at', at: at.toISOString() } });
      expect(draft.status).toBe(201);
      const send = await admin.call('POST', `/deliveries/${draft.body.deliveryId}/send`, {});
      expect(send.status).toBe(400);
      expect(send.body.error.message).toContain('1分以上あと');
      expect(await staff.status(draft.body.deliveryId)).toBe('draft');
      expect(await scheduleItem(`delivery-${draft.body.deliveryId}`)).toBeUndefined();
      expect((await admin.call('DELETE', `/deliveries/${draft.body.deliveryId}`)).status).toBe(204);
    }
  });
});

describe('recurring deliveries', () => {
  const daily = (start: string, excludeDates: string[] = []) => ({
    freq: 'daily',
    interval: 1,
    time: '08:00',
    start,
    excludeDates,
    excludeWeekdays: [],
    excludeHolidays: false,
  });

  /** Creates the rule through the API with the clock at 07:50 of `start`; answers the stored recurring. */
  async function startDaily(marker: string, start: string, excludeDates: string[] = []): Promise<any> {
    await clock({ set: jst(start, '07:50').toISOString() });
    const created = await admin.call('POST', '/recurrings', { ...content(marker), audience: { segmentId }, rule: daily(start, excludeDates) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', nextAt: jst(start, '08:00').toISOString(), createdBy: adminLogin });
    expect(await scheduleItem(created.body.scheduleName)).toMatchObject({ at: jst(start, '08:00').toISOString() });
    return created.body;
  }

  /** Moves the clock to 08:00:05 of `date` and waits until the occurrence reached our two friends `count` times in all. */
  async function occurrenceSent(marker: string, date: string, count: number): Promise<void> {
    await clock({ set: jst(date, '08:00:05').toISOString() });
    await eventually(async () => (await receivedByAll(marker)).every((n, i) => n === (i < 2 ? count : 0)), 20_000, `occurrence ${count} of ${marker} received`);
  }

  /** Moves the clock past 08:00 of `date` and shows that no occurrence fired (barrier at 08:00:01). */
  async function nothingAt(marker: string, date: string, expected: number): Promise<void> {
    const barrier = await schedulerBarrier(staff, jst(date, '08:00:01'), `${tag}-${date}`);
    await clock({ set: jst(date, '08:00:05').toISOString() });
    await barrier.passed();
    expect(await receivedByAll(marker)).toEqual([expected, expected, 0]);
  }

  /** The occurrences in the history (`GET /deliveries?recurringId=`), oldest first, once none is still going. */
  async function occurrencesInHistory(recurringId: string, count: number): Promise<any[]> {
    return eventually(
      async () => {
        const items = await staff.history({ recurringId });
        return items.length === count && items.every((d) => d.status === 'sent') ? items.reverse() : undefined;
      },
      20_000,
      `${count} occurrences sent`,
    );
  }

  it('every day 08:00 except tomorrow: sends today, skips tomorrow, and each occurrence is its own delivery', async () => {
    // Day D is two days ahead of the clock (it only moves forward); D+1 is excluded.
    const d0 = await jstDateFromClock(2);
    const [d1, d2] = [addDays(d0, 1), addDays(d0, 2)];
    const marker = `毎朝-${tag}`;
    await clock({ set: jst(d0, '07:50').toISOString() });
    const preview = await admin.call('POST', '/recurrings/preview', { rule: daily(d0, [d1]) });
    expect(preview.body.next.slice(0, 3)).toEqual([jst(d0, '08:00'), jst(d2, '08:00'), jst(addDays(d0, 3), '08:00')].map((d) => d.toISOString()));
    const { recurringId } = await startDaily(marker, d0, [d1]);

    // D 08:00 → the first occurrence; the rule moves on to D+2 (D+1 is excluded).
    await occurrenceSent(marker, d0, 1);
    const afterFirst = await eventually(
      async () => {
        const r = (await staff.recurring(recurringId)).recurring;
        return r.lastOccurrenceAt ? r : undefined;
      },
      10_000,
      'recurring moved on',
    );
    expect(afterFirst).toMatchObject({ status: 'active', lastOccurrenceAt: jst(d0, '08:00').toISOString(), nextAt: jst(d2, '08:00').toISOString() });
    expect(await scheduleItem(recurringScheduleName(recurringId, jst(d2, '08:00').toISOString()))).toBeDefined();

    // D+1 08:00 is excluded: nothing is sent, no delivery is made for it.
    await nothingAt(marker, d1, 1);
    const excluded = await admin.call('GET', `/deliveries/${occurrenceDeliveryId(recurringId, jst(d1, '08:00').toISOString())}`);
    expect(excluded.status).toBe(404);

    // D+2 08:00 → the second occurrence.
    await occurrenceSent(marker, d2, 2);
    const occurrences = await occurrencesInHistory(recurringId, 2);
    const times = [jst(d0, '08:00'), jst(d2, '08:00')].map((d) => d.toISOString());
    expect(occurrences.map((d) => d.deliveryId)).toEqual(times.map((t) => occurrenceDeliveryId(recurringId, t)));
    for (const [i, d] of occurrences.entries()) {
      expect(d).toMatchObject({ recurringId, occurrenceAt: times[i], title: marker, status: 'sent', failed: 0, sentBy: adminLogin, audience: { segmentId } });
      expect(d.recipients).toBeGreaterThanOrEqual(2);
    }
    // The rule's own page lists the same occurrences.
    const page = await eventually(
      async () => {
        const p = await staff.recurring(recurringId);
        return p.recurring.lastOccurrenceAt ? p : undefined;
      },
      10_000,
      'recurring moved on',
    );
    expect(page.deliveries.map((d: { deliveryId: string }) => d.deliveryId).sort()).toEqual(occurrences.map((d) => d.deliveryId).sort());
    expect(page.recurring.nextAt).toBe(jst(addDays(d0, 3), '08:00').toISOString());

    const ended = await admin.call('POST', `/recurrings/${recurringId}/end`, {});
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ended');
    expect(ended.body.nextAt).toBeUndefined();
  });

  it('pausing skips occurrences, resuming picks up at the next one (none sent late), ending stops them for good', async () => {
    const d0 = await jstDateFromClock(2);
    const [d1, d2, d3] = [1, 2, 3].map((n) => addDays(d0, n));
    const marker = `毎朝停止-${tag}`;
    const { recurringId } = await startDaily(marker, d0);
    await occurrenceSent(marker, d0, 1);
    const first = await eventually(
      async () => {
        const r = (await staff.recurring(recurringId)).recurring;
        return r.nextAt === jst(d1, '08:00').toISOString() ? r : undefined;
      },
      10_000,
      'recurring moved on',
    );

    // Paused: the schedule is gone and D+1 passes without an occurrence.
    const paused = await admin.call('POST', `/recurrings/${recurringId}/pause`, {});
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect(paused.body.version).toBeGreaterThan(first.version);
    expect(paused.body.nextAt).toBeUndefined();
    expect(await scheduleItem(first.scheduleName)).toBeUndefined();
    await nothingAt(marker, d1, 1);

    // Resumed after D+1 08:00: the next occurrence is D+2 (D+1 is not sent late).
    const resumed = await admin.call('POST', `/recurrings/${recurringId}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'active', nextAt: jst(d2, '08:00').toISOString() });
    expect((await admin.call('GET', `/deliveries/${occurrenceDeliveryId(recurringId, jst(d1, '08:00').toISOString())}`)).status).toBe(404);
    await occurrenceSent(marker, d2, 2);
    await eventually(async () => (await staff.recurring(recurringId)).recurring.nextAt === jst(d3, '08:00').toISOString(), 10_000, 'recurring moved on to D+3');

    // Ended: no schedule, no next occurrences, D+3 passes without one, and it cannot be resumed.
    const ended = await admin.call('POST', `/recurrings/${recurringId}/end`, {});
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ended');
    expect(ended.body.nextAt).toBeUndefined();
    expect(await scheduleItem(recurringScheduleName(recurringId, jst(d3, '08:00').toISOString()))).toBeUndefined();
    expect((await staff.recurring(recurringId)).next).toEqual([]);
    await nothingAt(marker, d3, 2);
    expect((await admin.call('POST', `/recurrings/${recurringId}/resume`, {})).status).toBe(409);

    const occurrences = await occurrencesInHistory(recurringId, 2);
    expect(occurrences.map((d) => d.occurrenceAt)).toEqual([jst(d0, '08:00'), jst(d2, '08:00')].map((d) => d.toISOString()));
    const listed = (await admin.call('GET', '/recurrings')).body.items.find((r: { recurringId: string }) => r.recurringId === recurringId);
    expect(listed).toMatchObject({ status: 'ended', lastOccurrenceAt: jst(d2, '08:00').toISOString() });
  });

  it('a clock jump over several days behaves like downtime: the one scheduled occurrence is sent late, the missed ones are not, the rule moves on', async () => {
    const d0 = await jstDateFromClock(2);
    const d4 = addDays(d0, 4);
    const marker = `毎朝飛び-${tag}`;
    const { recurringId } = await startDaily(marker, d0);
    await occurrenceSent(marker, d0, 1);
    await eventually(
      async () => (await staff.recurring(recurringId)).recurring.nextAt === jst(addDays(d0, 1), '08:00').toISOString(),
      10_000,
      'recurring moved on to D+1',
    );

    // Jump to D+3 08:00:05: D+1's schedule fires late, D+2 and D+3 are skipped, next is D+4.
    await occurrenceSent(marker, addDays(d0, 3), 2);
    await eventually(async () => (await staff.recurring(recurringId)).recurring.nextAt === jst(d4, '08:00').toISOString(), 10_000, 'recurring moved on to D+4');
    const occurrences = await occurrencesInHistory(recurringId, 2);
    expect(occurrences.map((d) => d.occurrenceAt)).toEqual([jst(d0, '08:00'), jst(addDays(d0, 1), '08:00')].map((d) => d.toISOString()));
    await pipelineIdle();
    expect(await receivedByAll(marker)).toEqual([2, 2, 0]);
    expect((await admin.call('POST', `/recurrings/${recurringId}/end`, {})).status).toBe(200);
  });
});

describe('the times staff see come from the clock that fired the delivery', () => {
  /** The history CSV's rows (`GET /deliveries.csv`) whose title is `marker`, as column → cell. */
  async function csvRows(marker: string): Promise<Record<string, string>[]> {
    const res = await admin.call('GET', '/deliveries.csv', undefined, { query: { q: marker } });
    expect(res.status).toBe(200);
    const rows: Record<string, string>[] = parseCsv(res.raw.toString('utf8').replace(/^\uFEFF/, ''), { columns: true });
    return rows.filter((r) => r['タイトル'] === marker);
  }

  /** 配信日時 of a CSV row (`yyyy-mm-dd hh:mm:ss`, Japan time) as the screens show it (`yyyy/mm/dd hh:mm`). */
  const csvMinute = (cell: string) => cell.slice(0, 16).replaceAll('-', '/');

  it('a reservation fired by the moved clock shows its moved time as 配信日時 in the detail, the history and the CSV', async () => {
    // Arrange: days ahead of real time, the clock at 09:50 and a reservation for 10:00 (Japan time)
    const day = await jstDateFromClock(3);
    const at = jst(day, '10:00');
    await clock({ set: jst(day, '09:50').toISOString() });
    const marker = `時刻予約-${tag}`;
    const { deliveryId } = await staff.reserve(content(marker), { segmentId }, at);

    // Act: the clock reaches 10:00:02 and the schedule fires
    await clock({ set: jst(day, '10:00:02').toISOString() });
    const { delivery } = await staff.reaches(deliveryId, 'sent', 'reservation sent on the moved clock');

    // Assert: every recorded time is on the moved clock (not today's real time), a few seconds after 10:00
    for (const field of ['firstSentAt', 'finishedAt'] as const) {
      const ms = Date.parse(delivery[field]);
      expect(ms).toBeGreaterThanOrEqual(at.getTime());
      expect(ms).toBeLessThan(at.getTime() + 60_000);
    }
    const shown = `${day.replaceAll('-', '/')} 10:00`;
    expect(jstDateTime(deliveryTime(delivery))).toBe(shown);
    const [listed] = await staff.history({ q: marker });
    expect(listed.deliveryId).toBe(deliveryId);
    expect(jstDateTime(deliveryTime(listed))).toBe(shown);
    const rows = await csvRows(marker);
    expect(rows).toHaveLength(1);
    expect(csvMinute(rows[0]['配信日時'])).toBe(shown);
  });

  it('a recurring occurrence shows the same moved time on the recurring page, in the history, its detail and the CSV', async () => {
    // Arrange: every day 07:00 from a day ahead, created with the clock at 06:50
    const day = await jstDateFromClock(2);
    const marker = `時刻くり返し-${tag}`;
    await clock({ set: jst(day, '06:50').toISOString() });
    const created = await admin.call('POST', '/recurrings', {
      ...content(marker),
      audience: { segmentId },
      rule: { freq: 'daily', interval: 1, time: '07:00', start: day, excludeDates: [], excludeWeekdays: [], excludeHolidays: false },
    });
    expect(created.status).toBe(201);
    const { recurringId } = created.body;

    // Act: 07:00:02, the occurrence fires and is sent
    await clock({ set: jst(day, '07:00:02').toISOString() });
    const [occurrence] = await eventually(
      async () => {
        const items = await staff.history({ recurringId });
        return items.length === 1 && items[0].status === 'sent' ? items : undefined;
      },
      20_000,
      'occurrence sent',
    );

    // Assert: the rule's page (its past occurrences and next one), the history, the detail and the CSV agree
    const shown = `${day.replaceAll('-', '/')} 07:00`;
    const page = await eventually(
      async () => {
        const p = await staff.recurring(recurringId);
        return p.recurring.lastOccurrenceAt ? p : undefined;
      },
      10_000,
      'recurring moved on',
    );
    expect(page.deliveries.map((d: any) => jstDateTime(deliveryTime(d)))).toEqual([shown]);
    expect(jstDateTime(page.recurring.lastOccurrenceAt)).toBe(shown);
    expect(jstDateTime(page.recurring.nextAt)).toBe(`${addDays(day, 1).replaceAll('-', '/')} 07:00`);
    expect(jstDateTime(occurrence.occurrenceAt)).toBe(shown);
    expect(jstDateTime(deliveryTime(occurrence))).toBe(shown);
    expect(jstDateTime(deliveryTime((await staff.detail(occurrence.deliveryId)).delivery))).toBe(shown);
    const rows = await csvRows(marker);
    expect(rows.map((r) => csvMinute(r['配信日時']))).toEqual([shown]);
    expect((await admin.call('POST', `/recurrings/${recurringId}/end`, {})).status).toBe(200);
  });
});
