import { LineRateLimitError, type DeliveryRepository } from '../../../functions/deliveries/ports';
import type { Delivery, DeliveryStatus } from '../../../functions/deliveries/model';
import { lineDay, refreshStatistics, statsFrom, STUCK_SENDING_MS } from '../../../functions/deliveries/stats';
import { FakeClock } from '../../support/fakes';

const NOW = new Date('2026-11-24T03:00:00Z'); // 12:00 JST
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();

function delivery(id: string, fields: Partial<Delivery> = {}): Delivery {
  return {
    deliveryId: id,
    title: id,
    category: 'お知らせ',
    variants: [{ lang: 'ja', bubbles: [{ type: 'text', text: 'x' }] }],
    status: 'sent',
    audience: { segmentId: null, rule: { match: 'all', conditions: [] }, label: '全員' },
    timing: { kind: 'now' },
    aggregationUnit: `d_${id}`,
    createdAt: hoursAgo(30),
    createdBy: 'staff',
    updatedAt: hoursAgo(30),
    updatedBy: 'staff',
    firstSentAt: hoursAgo(29),
    stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0 },
    version: 3,
    ...fields,
  };
}

/** The parts of the repository the job uses, in memory. */
class Deliveries {
  items = new Map<string, Delivery>();
  clickCounts = new Map<string, number>();
  iterated: unknown[] = [];
  constructor(list: Delivery[]) {
    for (const d of list) this.items.set(d.deliveryId, d);
  }
  async *iterate(query: { from?: string; status?: DeliveryStatus[] }) {
    this.iterated.push(query);
    for (const d of this.items.values()) if (!query.status || query.status.includes(d.status)) yield d;
  }
  async clicks(id: string) {
    return this.clickCounts.get(id) ?? 0;
  }
  async transition(id: string, from: DeliveryStatus[], to: DeliveryStatus, fields: Partial<Delivery>) {
    const d = this.items.get(id);
    if (!d || !from.includes(d.status)) return false;
    this.items.set(id, { ...d, ...fields, status: to, version: d.version + 1 });
    return true;
  }
  asRepo() {
    return this as unknown as DeliveryRepository;
  }
}

class Line {
  calls: [string, string, string][] = [];
  constructor(private readonly answers: Record<string, { uniqueImpression: number | null; uniqueClick: number | null } | null | Error>) {}
  async unitStatistics(unit: string, from: string, to: string) {
    this.calls.push([unit, from, to]);
    const a = this.answers[unit];
    if (a instanceof Error) throw a;
    return a ?? null;
  }
  async requestStatistics(requestId: string) {
    this.calls.push(['request', requestId, '']);
    const a = this.answers[`request:${requestId}`];
    if (a instanceof Error) throw a;
    return a ?? null;
  }
}

describe('statsFrom', () => {
  const sent = new Date('2026-11-22T01:00:00Z');
  it('maps LINE answers to honest states', () => {
    expect(statsFrom(null, sent, NOW)).toEqual({ state: 'not_yet', opened: null, lineClicked: null });
    expect(statsFrom({ uniqueImpression: null, uniqueClick: null }, sent, NOW)).toEqual({ state: 'under_threshold', opened: null, lineClicked: null });
    expect(statsFrom({ uniqueImpression: 120, uniqueClick: null }, sent, NOW)).toEqual({ state: 'available', opened: 120, lineClicked: null });
    // Nulls on the day of sending: not counted yet, not "fewer than 20".
    expect(statsFrom({ uniqueImpression: null, uniqueClick: null }, new Date(hoursAgo(1)), NOW).state).toBe('not_yet');
  });
  it('formats LINE days in UTC+9', () => {
    expect(lineDay(new Date('2026-11-23T15:30:00Z'))).toBe('20261124');
  });
});

describe('refreshStatistics', () => {
  it('reads each delivery of the last 14 days from its send day to today and stores the states and click counts', async () => {
    // Arrange
    const deliveries = new Deliveries([
      delivery('A'),
      delivery('B'),
      delivery('C', { stats: { state: 'unavailable', opened: null, lineClicked: null, clicked: 0 } }),
      delivery('OLD', { firstSentAt: hoursAgo(15 * 24) }),
      delivery('DRAFT', { status: 'draft', firstSentAt: undefined }),
    ]);
    deliveries.clickCounts.set('A', 7);
    const line = new Line({ d_A: { uniqueImpression: 250, uniqueClick: 31 }, d_B: { uniqueImpression: null, uniqueClick: null } });
    // Act
    const summary = await refreshStatistics({ deliveries: deliveries.asRepo(), line, clock: new FakeClock(NOW) });
    // Assert
    expect(line.calls.sort()).toEqual([
      ['d_A', '20261123', '20261124'],
      ['d_B', '20261123', '20261124'],
    ]);
    expect(deliveries.items.get('A')!.stats).toEqual({ state: 'available', opened: 250, lineClicked: 31, clicked: 7, updatedAt: NOW.toISOString() });
    expect(deliveries.items.get('B')!.stats.state).toBe('under_threshold');
    expect(deliveries.items.get('C')!.stats).toMatchObject({ state: 'unavailable', clicked: 0, updatedAt: NOW.toISOString() });
    expect(deliveries.items.get('OLD')!.stats.updatedAt).toBeUndefined();
    expect(summary).toMatchObject({ considered: 3, refreshed: 3, lineRequests: 2, byState: { available: 1, under_threshold: 1, unavailable: 1, not_yet: 0 } });
  });

  it('makes at most maxLineRequests LINE calls, least recently refreshed first', async () => {
    const list = Array.from({ length: 6 }, (_, i) =>
      delivery(`D${i}`, { stats: { state: 'not_yet', opened: null, lineClicked: null, clicked: 0, ...(i < 3 ? { updatedAt: hoursAgo(i + 1) } : {}) } }),
    );
    const deliveries = new Deliveries(list);
    const line = new Line({});
    const summary = await refreshStatistics({ deliveries: deliveries.asRepo(), line, clock: new FakeClock(NOW) }, { maxLineRequests: 4 });
    // Never refreshed (D3–D5) first, then the oldest refresh (D2 at 3 h ago).
    expect(line.calls.map((c) => c[0])).toEqual(['d_D3', 'd_D4', 'd_D5', 'd_D2']);
    expect(summary.lineRequests).toBe(4);
  });

  it('stops calling LINE for the run after a 429', async () => {
    const deliveries = new Deliveries([delivery('A'), delivery('B'), delivery('C')]);
    const line = new Line({ d_A: new LineRateLimitError(1000) });
    const summary = await refreshStatistics({ deliveries: deliveries.asRepo(), line, clock: new FakeClock(NOW) });
    expect(line.calls).toHaveLength(1);
    expect(summary.rateLimited).toBe(true);
    expect(summary.refreshed).toBe(0);
  });

  it('reconciles deliveries stuck in sending for more than 15 minutes, not younger ones', async () => {
    const stuckSince = new Date(NOW.getTime() - STUCK_SENDING_MS - 60_000).toISOString();
    const deliveries = new Deliveries([
      delivery('STUCK', { status: 'sending', firstSentAt: stuckSince }),
      delivery('FRESH', { status: 'sending', firstSentAt: hoursAgo(0.1) }),
      delivery('PLANNING', { status: 'sending', firstSentAt: undefined, queuedAt: stuckSince }),
    ]);
    const reconciled: string[] = [];
    const summary = await refreshStatistics({
      deliveries: deliveries.asRepo(),
      line: new Line({}),
      clock: new FakeClock(NOW),
      reconcile: async (id) => void reconciled.push(id),
    });
    expect(reconciled.sort()).toEqual(['PLANNING', 'STUCK']);
    expect(summary.reconciled).toBe(2);
  });

  it('reads a broadcast by its LINE request ID (no aggregation unit), not yet while the ID is unknown', async () => {
    const deliveries = new Deliveries([delivery('BC', { broadcast: true, lineRequestId: 'req-1' }), delivery('BC2', { broadcast: true })]);
    const line = new Line({ 'request:req-1': { uniqueImpression: 812, uniqueClick: 40 } });
    const summary = await refreshStatistics({ deliveries: deliveries.asRepo(), line, clock: new FakeClock(NOW) });
    expect(line.calls).toEqual([['request', 'req-1', '']]);
    expect(deliveries.items.get('BC')!.stats).toMatchObject({ state: 'available', opened: 812, lineClicked: 40 });
    expect(deliveries.items.get('BC2')!.stats.state).toBe('not_yet');
    expect(summary.lineRequests).toBe(1);
  });

  it('does not overwrite a delivery whose status moved meanwhile', async () => {
    const deliveries = new Deliveries([delivery('A', { status: 'sending' })]);
    const line = {
      requestStatistics: async () => null,
      unitStatistics: async () => {
        deliveries.items.set('A', { ...deliveries.items.get('A')!, status: 'sent' });
        return { uniqueImpression: 40, uniqueClick: 2 };
      },
    };
    const summary = await refreshStatistics({ deliveries: deliveries.asRepo(), line, clock: new FakeClock(NOW) });
    expect(summary.refreshed).toBe(0);
    expect(deliveries.items.get('A')!.stats.state).toBe('not_yet');
  });
});
