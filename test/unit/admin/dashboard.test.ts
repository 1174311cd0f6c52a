/** The dashboard's 最近の配信 card (functions/admin/dashboard.ts): for staff who use 配信, newest first by 配信日時. */
import { MemoryReportSettings, MemoryReportStore, sampleReport, testSealer } from '../../support/report-fakes';
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

  it('says plainly that イベント予約 does not exist yet (null)', async () => {
    expect(await dashboard(deps(deliveriesOf([])), { role: 'admin', permissions: [] })).toMatchObject({ reservations: null });
  });

  it('counts the unfinished reports in the categories the account sees, with the newest; no card without 市民通報', async () => {
    const reports = new MemoryReportStore();
    const at = (h: number) => new Date(Date.parse('2026-12-07T00:00:00Z') + h * 3_600_000).toISOString();
    const rows = [
      sampleReport({ reportId: '01KB0000000000000000000001', receiptNo: '2026-000001', status: 'received', category: 'road', createdAt: at(1) }),
      sampleReport({ reportId: '01KB0000000000000000000002', receiptNo: '2026-000002', status: 'in_progress', category: 'water', createdAt: at(2) }),
      sampleReport({ reportId: '01KB0000000000000000000003', receiptNo: '2026-000003', status: 'done', category: 'road', createdAt: at(3) }),
      sampleReport({ reportId: '01KB0000000000000000000004', receiptNo: '2026-000004', status: 'received', category: 'water', createdAt: at(4) }),
    ];
    for (const r of rows) reports.reports.set(r.reportId, r);
    // A report from two years ago, still open: out of the card's year.
    const old = sampleReport({ reportId: '01KB0000000000000000000005', receiptNo: '2024-000001', status: 'received', createdAt: '2024-12-01T00:00:00.000Z' });
    reports.reports.set(old.reportId, old);
    const base = deps(undefined);
    const withReports = {
      ...base,
      reports: { reports, settings: new MemoryReportSettings(), sealer: testSealer(), clock: new FakeClock(new Date('2026-12-08T00:00:00Z')) },
    };
    const all = await dashboard(withReports, { role: 'general', permissions: ['reports'], loginId: 'doboku' });
    expect(all.reports).toMatchObject({ received: 2, inProgress: 1 });
    expect(all.reports!.recent.map((r) => r.receiptNo)).toEqual(['2026-000004', '2026-000002', '2026-000001']);
    const water = await dashboard(withReports, { role: 'general', permissions: ['reports'], reportCategories: ['water'] });
    expect(water.reports).toMatchObject({ received: 1, inProgress: 1 });
    expect(water.reports!.recent.map((r) => r.category)).toEqual(['water', 'water']);
    expect((await dashboard(withReports, { role: 'general', permissions: ['deliveries'] })).reports).toBeNull();
  });
});
