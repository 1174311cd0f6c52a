/**
 * Staff use cases of reports: the list merged across categories in pages (sealed cursor), filters,
 * category-limited accounts (server-side: list, map, report, actions), status changes previewed and
 * pushed once with the citizen's language, 重複 with a pointer and the merge noted on the other,
 * stale revisions refused, nearby duplicates, the CSV (BOM, formula-safe, map link, CR/LF quoted).
 */
import {
  changeStatus,
  exportReports,
  getReport,
  listReports,
  noteReport,
  previewStatus,
  reportMap,
  saveReportSettings,
  type StaffReportsDeps,
} from '../../../functions/reports/staff-reports';
import { listQuery, settingsBody, statusBody } from '../../../functions/reports/schemas';
import type { Report } from '../../../functions/reports/model';
import type { SignedIn } from '../../../functions/staff/context';
import { MemoryAudit } from '../../support/admin-fakes';
import { FakeClock } from '../../support/fakes';
import { MemoryBlobs } from '../../support/form-fakes';
import { FakePush, MemoryReportSettings, MemoryReportStore, sampleReport, testSealer } from '../../support/report-fakes';

const who = (over: Partial<SignedIn['account']> = {}): SignedIn =>
  ({ ip: '127.0.0.1', account: { loginId: 'tanaka', displayName: '田中 一郎', role: 'general', permissions: ['reports'], ...over } }) as unknown as SignedIn;

function setup() {
  const deps = {
    audit: new MemoryAudit(),
    clock: new FakeClock(new Date('2026-12-08T01:00:00Z')),
    reports: new MemoryReportStore(),
    settings: new MemoryReportSettings(),
    blobs: new MemoryBlobs(),
    line: new FakePush(),
    friends: { get: async (userId: string) => ({ userId, displayName: 'x', status: 'active' as const, statusEventAt: 0, updatedAt: '' }) },
    sealer: testSealer(),
    publicBaseUrl: 'https://example.test',
  } satisfies StaffReportsDeps & Record<string, unknown>;
  return deps;
}

const id = (i: number) => `01KB${String(i).padStart(22, '0')}`;
function seed(deps: ReturnType<typeof setup>, count: number, over: (i: number) => Partial<Report> = () => ({})): Report[] {
  const made: Report[] = [];
  for (let i = 1; i <= count; i++) {
    const r = sampleReport({
      reportId: id(i),
      receiptNo: `2026-${String(i).padStart(6, '0')}`,
      createdAt: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 60_000).toISOString(),
      category: ['road', 'park', 'water'][i % 3]!,
      ...over(i),
    });
    deps.reports.reports.set(r.reportId, r);
    made.push(r);
  }
  return made;
}
const q = (raw: Record<string, string> = {}) => listQuery.parse(raw);

describe('the list and the map', () => {
  it('pages newest first across categories without a gap or a double', async () => {
    const deps = setup();
    seed(deps, 25);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listReports(deps, who(), q({ limit: '7', ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((i) => i.receiptNo));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `2026-${String(25 - i).padStart(6, '0')}`));
    // One query per category per page, never a scan of everything.
    expect(new Set(deps.reports.queries)).toEqual(new Set(deps.settings.current.categories.map((c) => c.id)));
  });

  it('refuses an edited or foreign cursor', async () => {
    const deps = setup();
    seed(deps, 5);
    const page = await listReports(deps, who(), q({ limit: '2' }));
    await expect(listReports(deps, who(), q({ limit: '2', cursor: `${page.cursor}x` }))).rejects.toThrow('ページの指定に誤りがあります');
    await expect(listReports(deps, who(), q({ limit: '2', status: 'done', cursor: page.cursor! }))).rejects.toThrow('ページの指定に誤りがあります');
  });

  it('filters by status and period, and a category-limited account sees only its categories everywhere', async () => {
    const deps = setup();
    seed(deps, 9, (i) => ({ status: i % 2 ? 'done' : 'received' }));
    const done = await listReports(deps, who(), q({ status: 'done' }));
    expect(done.items.every((i) => i.status === 'done')).toBe(true);
    expect(done.items).toHaveLength(5);
    const water = who({ reportCategories: ['water'] });
    const list = await listReports(deps, water, q({ category: 'road,water' }));
    expect(new Set(list.items.map((i) => i.category))).toEqual(new Set(['water']));
    const map = await reportMap(deps, water, q());
    expect(new Set(map.points.map((p) => p.category))).toEqual(new Set(['water']));
    const road = [...deps.reports.reports.values()].find((r) => r.category === 'road')!;
    await expect(getReport(deps, water, road.reportId)).rejects.toThrow('この通報は見つかりません。');
    await expect(noteReport(deps, water, road.reportId, { rev: 1, text: 'x' })).rejects.toThrow('この通報は見つかりません。');
    // An administrator is never limited.
    expect((await listReports(deps, who({ role: 'admin', reportCategories: ['water'] }), q())).items).toHaveLength(9);
  });
});

describe('a report and its status', () => {
  it('shows nearby reports of the same category as possible duplicates', async () => {
    const deps = setup();
    const [a] = seed(deps, 1, () => ({ category: 'road' }));
    const near = sampleReport({ reportId: id(50), receiptNo: '2026-000050', place: { latitude: 32.987, longitude: 130.4334 } });
    const far = sampleReport({ reportId: id(51), receiptNo: '2026-000051', place: { latitude: 32.99, longitude: 130.44 } });
    const other = sampleReport({ reportId: id(52), receiptNo: '2026-000052', category: 'park' });
    for (const r of [near, far, other]) deps.reports.reports.set(r.reportId, r);
    const view = await getReport(deps, who(), a!.reportId);
    expect(view.nearby.map((n) => n.receiptNo)).toEqual(['2026-000050']);
    expect(view.nearby[0]!.meters).toBeLessThanOrEqual(50);
    expect(view.photos[0]).toMatchObject({ url: `/api/admin/reports/${a!.reportId}/photos/700000000000000001` });
    expect(view.photos[0]).not.toHaveProperty('blobKey');
  });

  it('previews exactly what it then pushes once, in the citizen language, with 直っていない on 完了', async () => {
    const deps = setup();
    const [r] = seed(deps, 1, () => ({ lang: 'en' }));
    const body = statusBody.parse({ rev: 1, status: 'done', message: '舗装を直しました。' });
    const preview = await previewStatus(deps, who(), r!.reportId, body);
    const view = await changeStatus(deps, who(), r!.reportId, body);
    expect(deps.line.pushes).toHaveLength(1);
    expect(deps.line.pushes[0]!.messages).toEqual(preview.messages);
    const text = (preview.messages[0] as { text: string }).text;
    expect(text).toBe(`About your report ${r!.receiptNo}\nIt has been fixed. Thank you for your help.\n\n舗装を直しました。`);
    expect(JSON.stringify(preview.messages[0])).toContain(`report:notfixed:${r!.reportId}`);
    expect(view.status).toBe('done');
    expect(view.history.at(-1)).toMatchObject({ kind: 'status', status: 'done', by: 'tanaka', notified: 'sent', text });
    expect(deps.audit.entries.at(-1)).toMatchObject({ action: 'report.status_changed', after: { status: 'done', notified: 'sent' } });
  });

  it('refuses a change on a stale revision and changes nothing', async () => {
    const deps = setup();
    const [r] = seed(deps, 1);
    await changeStatus(deps, who(), r!.reportId, statusBody.parse({ rev: 1, status: 'in_progress' }));
    await expect(changeStatus(deps, who(), r!.reportId, statusBody.parse({ rev: 1, status: 'done' }))).rejects.toThrow('ほかの職員がこの通報を変更しました');
    expect((await deps.reports.get(r!.reportId))!.status).toBe('in_progress');
    expect(deps.line.pushes).toHaveLength(1);
  });

  it('marks a duplicate with its pointer, notes the merge on the other report, and records a failed push', async () => {
    const deps = setup();
    const [a, b] = seed(deps, 2);
    deps.line.fail = true;
    const view = await changeStatus(deps, who(), b!.reportId, statusBody.parse({ rev: 1, status: 'duplicate', duplicateOf: a!.receiptNo }));
    expect(view).toMatchObject({ status: 'duplicate', duplicateOf: { reportId: a!.reportId, receiptNo: a!.receiptNo } });
    expect(view.history.at(-1)).toMatchObject({ notified: 'failed', other: a!.receiptNo });
    expect((await deps.reports.get(a!.reportId))!.history.at(-1)).toMatchObject({ kind: 'merged', other: b!.receiptNo });
    await expect(changeStatus(deps, who(), a!.reportId, statusBody.parse({ rev: 2, status: 'duplicate', duplicateOf: '2026-999999' }))).rejects.toThrow(
      '受付番号 2026-999999 の通報は見つかりません。',
    );
    expect(statusBody.safeParse({ rev: 1, status: 'rejected' }).success).toBe(false);
  });
});

it('sends the repair photo after the text with the button on the last message, and keeps it on the history', async () => {
  const deps = setup();
  const media = { get: async (id: string) => (id === '01KB0000000000000000000PH7' ? ({ mediaId: id } as never) : null) };
  const withMedia = { ...deps, media };
  const [r] = seed(deps, 1);
  const body = statusBody.parse({ rev: 1, status: 'done', mediaId: '01KB0000000000000000000PH7' });
  const view = await changeStatus(withMedia, who(), r!.reportId, body);
  const sent = deps.line.pushes[0]!.messages;
  expect(sent.map((m) => m.type)).toEqual(['text', 'image']);
  expect(sent[0]).not.toHaveProperty('quickReply');
  expect(JSON.stringify(sent[1])).toContain(`report:notfixed:${r!.reportId}`);
  expect(view.history.at(-1)).toMatchObject({ kind: 'status', mediaId: '01KB0000000000000000000PH7' });
  await expect(
    previewStatus(withMedia, who(), r!.reportId, statusBody.parse({ rev: 2, status: 'done', mediaId: '01KB0000000000000000000ZZZ' })),
  ).rejects.toThrow('選んだ写真が見つかりません');
});

describe('the CSV and the settings', () => {
  it('writes an Excel-friendly CSV with a map link, formula-safe cells and quoted line breaks', async () => {
    const deps = setup();
    seed(deps, 2, (i) => (i === 1 ? { description: '=HYPERLINK("x")\r\n二行目' } : {}));
    const { body } = await exportReports(deps, who(), q());
    expect(body.startsWith('\uFEFF受付番号,受付日時,種類,状況')).toBe(true);
    expect(body).toContain('https://maps.gsi.go.jp/#17/32.986860/130.433410/');
    expect(body).toContain(`"'=HYPERLINK(""x"")\r\n二行目"`);
    expect(body.split('\r\n').filter((l) => l.startsWith('2026-')).length).toBe(2);
  });

  it('refuses removing a category and a department that is not listed; accepts a GeoJSON Feature as the boundary', async () => {
    const deps = setup();
    const current = deps.settings.current;
    const base = { ...current, rev: 0 };
    await expect(saveReportSettings(deps, who(), settingsBody.parse({ ...base, categories: current.categories.slice(1) }))).rejects.toThrow('削除できません');
    await expect(
      saveReportSettings(deps, who(), settingsBody.parse({ ...base, categories: current.categories.map((c) => ({ ...c, department: '存在しない課' })) })),
    ).rejects.toThrow('担当課の一覧にありません');
    const feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [130, 32],
            [131, 32],
            [131, 33],
            [130, 32],
          ],
        ],
      },
    };
    const saved = await saveReportSettings(deps, who(), settingsBody.parse({ ...base, boundary: feature }));
    expect(saved.boundary).toEqual(feature.geometry);
    expect(saved.rev).toBe(1);
    expect(settingsBody.safeParse({ ...base, boundary: { type: 'Point', coordinates: [1, 2] } }).success).toBe(false);
    expect(settingsBody.safeParse({ ...base, tiles: { url: 'javascript:alert(1)//{z}', attribution: '' } }).success).toBe(false);
    // An account limited to some categories may not change every category's settings.
    await expect(saveReportSettings(deps, who({ reportCategories: ['water'] }), settingsBody.parse({ ...base, rev: 1 }))).rejects.toThrow(
      '市民通報の設定は、種類を限られていない職員だけが変更できます。',
    );
  });
});
