/** In-memory report stores and a sample report for the reports' unit tests and the admin harness. */
import { DEFAULT_REPORT_SETTINGS } from '../../functions/reports/defaults';
import type { Report, ReportSettings } from '../../functions/reports/model';
import type { ListQuery, ReportPoint, ReportSettingsStore, ReportStore } from '../../functions/reports/ports';
import type { LineMessage } from '../../functions/ports/line-gateway';
import { hmacSealer } from '../../functions/shared/sealed';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryReportStore implements ReportStore {
  reports = new Map<string, Report>();
  adding = new Map<string, { reportId: string; until: string } | null>();
  counters = new Map<number, number>();
  /** Queries made (the list reads per category, never a scan). */
  queries: string[] = [];

  async get(reportId: string) {
    const r = this.reports.get(reportId);
    return r ? clone(r) : null;
  }
  async findByReceipt(receiptNo: string) {
    const r = [...this.reports.values()].find((x) => x.receiptNo === receiptNo);
    return r ? clone(r) : null;
  }
  async create(report: Report) {
    if (this.reports.has(report.reportId)) return 'exists' as const;
    this.reports.set(report.reportId, clone(report));
    return 'created' as const;
  }
  async save(report: Report, expectedRev: number) {
    const current = this.reports.get(report.reportId);
    if (!current || current.rev !== expectedRev) return false;
    this.reports.set(report.reportId, clone(report));
    return true;
  }
  async nextReceiptNo(year: number) {
    const n = (this.counters.get(year) ?? 0) + 1;
    this.counters.set(year, n);
    return n;
  }
  async markAdding(userId: string, adding: { reportId: string; until: string } | null) {
    this.adding.set(userId, adding);
    return true;
  }
  private matching(q: Omit<ListQuery, 'limit'>): Report[] {
    this.queries.push(q.category);
    return [...this.reports.values()]
      .filter((r) => r.category === q.category)
      .filter((r) => !q.from || r.createdAt >= q.from)
      .filter((r) => !q.to || r.createdAt <= q.to)
      .filter((r) => !q.before || `${r.createdAt}#${r.reportId}` < q.before)
      .filter((r) => !q.statuses?.length || q.statuses.includes(r.status))
      .filter((r) => !q.district || r.district === q.district)
      .filter((r) => !q.department || r.department === q.department)
      .sort((a, b) => (`${b.createdAt}#${b.reportId}` > `${a.createdAt}#${a.reportId}` ? 1 : -1));
  }
  async list(q: ListQuery) {
    const all = this.matching(q);
    return { items: all.slice(0, q.limit).map(clone), more: all.length > q.limit };
  }
  async points(q: Omit<ListQuery, 'before' | 'limit'> & { max: number }): Promise<ReportPoint[]> {
    return this.matching(q)
      .slice(0, q.max)
      .map(({ reportId, receiptNo, category, status, place, createdAt, district, department, description }) => ({
        reportId,
        receiptNo,
        category,
        status,
        createdAt,
        description,
        ...(place ? { place } : {}),
        ...(district ? { district } : {}),
        ...(department ? { department } : {}),
      }));
  }
}

export class MemoryReportSettings implements ReportSettingsStore {
  current: ReportSettings = clone(DEFAULT_REPORT_SETTINGS);
  async settings() {
    return clone(this.current);
  }
  async save(next: ReportSettings, expectedRev: number) {
    if (this.current.rev !== expectedRev) return false;
    this.current = clone(next);
    return true;
  }
}

export class FakePush {
  pushes: { to: string; messages: LineMessage[]; retryKey: string }[] = [];
  fail = false;
  async push(to: string, messages: LineMessage[], retryKey: string) {
    if (this.fail) throw new Error('LINE is down');
    this.pushes.push({ to, messages, retryKey });
  }
}

export const testSealer = () => hmacSealer(async () => 'report-test-key');

/** A report as the intake makes it (Arao City Hall's place, one stored photo). */
export function sampleReport(overrides: Partial<Report> = {}): Report {
  const at = overrides.createdAt ?? '2026-12-01T01:00:00.000Z';
  return {
    reportId: '01KB0000000000000000000001',
    receiptNo: '2026-000001',
    userId: `U${'a'.repeat(32)}`,
    lang: 'ja',
    displayName: '荒尾 花子',
    category: 'road',
    description: '市役所前の歩道に穴があいています。\n自転車が通ると危ないです。',
    place: { latitude: 32.98686, longitude: 130.43341, address: '熊本県荒尾市宮内出目390' },
    district: '宮内',
    photos: [
      {
        photoId: '700000000000000001',
        from: 'citizen',
        status: 'stored',
        blobKey: 'reports/r/1',
        previewKey: 'reports/r/1.preview',
        contentType: 'image/jpeg',
        addedAt: at,
      },
    ],
    status: 'received',
    department: '土木課',
    extra: {},
    scenarioId: '01KB00000000000000000SCEN1',
    createdAt: at,
    updatedAt: at,
    statusAt: at,
    history: [{ at, kind: 'created', status: 'received' }],
    rev: 1,
    ...overrides,
  };
}
