/** The dashboard's 最近の配信 card (functions/admin/dashboard.ts): for staff who use 配信, newest first by 配信日時. */
import { dashboard } from '../../../functions/admin/dashboard';
import type { Delivery } from '../../../functions/deliveries/model';
import type { DeliveryListQuery } from '../../../functions/deliveries/ports';
import { FakeClock } from '../../support/fakes';
import { StubFriendStats } from '../../support/admin-fakes';

const base = (over: Partial<Delivery>): Delivery =>
  ({
    deliveryId: '01KAAAAAAAAAAAAAAAAAAAAAAA',
    title: '市民祭りのお知らせ',
    category: 'イベント',
    variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'ぜひお越しください。' }] }],
    status: 'sent',
    audience: { segmentId: null, rule: { match: 'all', conditions: [] }, label: '全員' },
    timing: { kind: 'now' },
    aggregationUnit: 'd_x',
    createdAt: '2026-12-01T00:00:00.000Z',
    createdBy: 'sato',
    updatedAt: '2026-12-01T00:00:00.000Z',
    updatedBy: 'sato',
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 1,
    ...over,
  }) as Delivery;

function deliveriesOf(items: Delivery[]) {
  const queries: DeliveryListQuery[] = [];
  return {
    queries,
    async list(query: DeliveryListQuery) {
      queries.push(query);
      return { items: items.filter((d) => !query.status || query.status.includes(d.status)).slice(0, query.limit) };
    },
  };
}

const deps = (deliveries?: ReturnType<typeof deliveriesOf>) => ({
  friendStats: new StubFriendStats(),
  clock: new FakeClock(new Date('2026-12-07T03:00:00Z')),
  deliveries,
});

describe('最近の配信', () => {
  it('lists what left, newest first by 配信日時, with figures where known, for an account holding 配信', async () => {
    const store = deliveriesOf([
      // The history sorts a "send now" by its creation: created first, sent last.
      base({
        deliveryId: 'A',
        title: '断水のお知らせ',
        createdAt: '2026-12-01T00:00:00.000Z',
        firstSentAt: '2026-12-07T01:00:00.000Z',
        recipients: 1200,
        succeeded: 1200,
        failed: 0,
        stats: { state: 'available', opened: 640, lineClicked: null, clicked: 3 },
      }),
      base({
        deliveryId: 'B',
        title: 'ごみ収集日',
        status: 'sent',
        recurringId: 'R',
        timing: { kind: 'at', at: '2026-12-05T22:00:00.000Z' },
        queuedAt: '2026-12-05T22:00:00.000Z',
        firstSentAt: '2026-12-05T22:00:01.000Z',
        recipients: 900,
      }),
      base({ deliveryId: 'C', title: '送信中の配信', status: 'sending', queuedAt: '2026-12-06T00:00:00.000Z' }),
    ]);
    const d = await dashboard(deps(store), { role: 'general', permissions: ['deliveries'] });
    expect(d.deliveries?.recent.map((r) => [r.deliveryId, r.at])).toEqual([
      ['A', '2026-12-07T01:00:00.000Z'],
      ['C', '2026-12-06T00:00:00.000Z'],
      ['B', '2026-12-05T22:00:01.000Z'],
    ]);
    expect(d.deliveries?.recent[0]).toMatchObject({
      title: '断水のお知らせ',
      status: 'sent',
      recipients: 1200,
      succeeded: 1200,
      failed: 0,
      opened: 640,
      statsState: 'available',
      recurring: false,
    });
    expect(d.deliveries?.recent[2]).toMatchObject({ recurring: true, opened: null, statsState: 'not_yet' });
    expect(store.queries[0].status).toEqual(['queued', 'sending', 'sent', 'partly_failed', 'failed']);
  });

  it('is an empty list when nothing was sent, and no card (null) for an account without 配信', async () => {
    expect((await dashboard(deps(deliveriesOf([base({ status: 'draft' })])), { role: 'admin', permissions: [] })).deliveries).toEqual({ recent: [] });
    expect((await dashboard(deps(deliveriesOf([base({})])), { role: 'general', permissions: ['surveys'] })).deliveries).toBeNull();
    expect((await dashboard(deps(undefined), { role: 'admin', permissions: [] })).deliveries).toBeNull();
  });

  it('says plainly that 市民通報 and イベント予約 do not exist yet (null)', async () => {
    expect(await dashboard(deps(deliveriesOf([])), { role: 'admin', permissions: [] })).toMatchObject({ reports: null, reservations: null });
  });
});
