/**
 * The 市民通報 pages' pure pieces: the filters as a query, category names and the options a limited
 * account gets, the status change's body, the preview's image address, the boundary typed or
 * uploaded by staff, the tiles' attribution as safe HTML, the settings' refusals in words, the
 * history's words, and the report categories a staff account keeps.
 */
import { DEFAULT_REPORT_SETTINGS, GSI_TILES } from '../../../functions/reports/defaults';
import { ARAO_OUTLINE } from '../../../functions/reports/geo';
import { REPORT_STATUSES } from '../../../functions/reports/labels';
import type { GeoPolygon, ReportEvent } from '../../../functions/reports/model';
import { filterQuery } from '../../../admin-web/src/api/reports';
import {
  STATUS_COLORS,
  boundaryPoints,
  boundaryRings,
  categoryName,
  categoryOptions,
  consoleImageSrc,
  eventBy,
  eventTitle,
  linesOf,
  metersText,
  parseBoundary,
  safeAttribution,
  settingsProblem,
  statusBodyOf,
  statusOutcome,
  type StatusForm,
} from '../../../admin-web/src/pages/reports/report-texts';
import { reportCategoriesFor } from '../../../admin-web/src/pages/staff-texts';

const categories = DEFAULT_REPORT_SETTINGS.categories;
const form = (over: Partial<StatusForm> = {}): StatusForm => ({ status: 'in_progress', reason: '', duplicateOf: '', message: '', notify: true, ...over });
const MEDIA = '01JD0000000000000000000000';

describe('filters', () => {
  it('sends only what is chosen, trimmed', () => {
    expect(filterQuery({ category: 'road', status: 'received,in_progress', district: ' ', department: '', from: '2026-12-01', to: undefined })).toEqual({
      category: 'road',
      status: 'received,in_progress',
      from: '2026-12-01',
    });
    expect(filterQuery({})).toEqual({});
  });
});

describe('categories', () => {
  it('names a category in Japanese, or by its id when the settings no longer have it', () => {
    expect(categoryName(categories, 'road')).toBe('道路');
    expect(categoryName(categories, 'snow')).toBe('snow');
  });

  it('offers every category to administrators and unlimited accounts, only its own to a limited one', () => {
    const all = categories.map((c) => c.id);
    expect(categoryOptions(categories, { role: 'admin', reportCategories: ['road'] }).map((c) => c.id)).toEqual(all);
    expect(categoryOptions(categories, { role: 'general' }).map((c) => c.id)).toEqual(all);
    expect(categoryOptions(categories, { role: 'general', reportCategories: [] }).map((c) => c.id)).toEqual(all);
    expect(categoryOptions(categories, { role: 'general', reportCategories: ['water', 'road', 'gone'] }).map((c) => c.id)).toEqual(['road', 'water']);
  });

  it('colours every status, each differently', () => {
    expect(Object.keys(STATUS_COLORS).sort()).toEqual([...REPORT_STATUSES].sort());
    expect(new Set(Object.values(STATUS_COLORS)).size).toBe(REPORT_STATUSES.length);
  });
});

describe('the status change', () => {
  it('sends the message and the repair photo with the status and the revision read', () => {
    expect(statusBodyOf(form({ status: 'done', message: '  舗装を直しました。\n安全に通れます。 ', mediaId: MEDIA }), 7, true)).toEqual({
      rev: 7,
      status: 'done',
      message: '舗装を直しました。\n安全に通れます。',
      mediaId: MEDIA,
      notify: true,
    });
  });

  it('keeps the reason only for 対応できません and the other receipt only for 重複 (typed in full width too)', () => {
    expect(statusBodyOf(form({ status: 'rejected', reason: ' 私有地のため ', duplicateOf: '2026-000001' }), 2, true)).toEqual({
      rev: 2,
      status: 'rejected',
      reason: '私有地のため',
      notify: true,
    });
    expect(statusBodyOf(form({ status: 'duplicate', reason: '古い理由', duplicateOf: '２０２６－０００１２３' }), 2, true)).toEqual({
      rev: 2,
      status: 'duplicate',
      duplicateOf: '2026-000123',
      notify: true,
    });
    expect(statusBodyOf(form({ status: 'rejected' }), 2, true)).not.toHaveProperty('reason');
  });

  it('sends nothing to the citizen when staff untick 知らせる, or when the citizen cannot be reached', () => {
    const quiet = { status: 'done' as const, message: '直しました', mediaId: MEDIA };
    expect(statusBodyOf(form({ ...quiet, notify: false }), 3, true)).toEqual({ rev: 3, status: 'done', notify: false });
    expect(statusBodyOf(form({ ...quiet, notify: true }), 3, false)).toEqual({ rev: 3, status: 'done', notify: false });
  });

  it('shows the preview image from the console’s own address', () => {
    expect(consoleImageSrc(`https://line.example.jp/media/${MEDIA}/preview`)).toBe(`/media/${MEDIA}/preview`);
    expect(consoleImageSrc(`https://line.example.jp/media/${MEDIA}/original`)).toBe(`/media/${MEDIA}/preview`);
    expect(consoleImageSrc('https://evil.example/x.png')).toBeNull();
    expect(consoleImageSrc(undefined)).toBeNull();
  });

  it('says what happened, and plainly when the message could not be sent', () => {
    const at = '2026-12-07T01:00:00.000Z';
    const line = (notified: ReportEvent['notified']): ReportEvent[] => [
      { at, kind: 'created' },
      { at, kind: 'status', status: 'done', notified },
    ];
    expect(statusOutcome(line('sent'))).toEqual({ kind: 'success', text: '状況を「完了」に変更しました。市民にお知らせを送りました。' });
    expect(statusOutcome(line('failed'))).toMatchObject({ kind: 'error', text: expect.stringContaining('お知らせは送れませんでした') });
    expect(statusOutcome(line('skipped'))?.text).toBe('状況を「完了」に変更しました。市民には知らせていません。');
    expect(statusOutcome([{ at, kind: 'created' }])).toBeNull();
  });
});

describe('the history', () => {
  const at = '2026-12-07T01:00:00.000Z';
  it('names each line and who wrote it', () => {
    expect(eventTitle({ at, kind: 'status', status: 'duplicate', other: '2026-000120' })).toBe('状況を変更：重複（重複先 2026-000120）');
    expect(eventTitle({ at, kind: 'assigned', department: '土木課' })).toBe('担当課を変更：土木課');
    expect(eventTitle({ at, kind: 'assigned' })).toBe('担当課を変更：未定');
    expect(eventTitle({ at, kind: 'merged', other: '2026-000125' })).toBe('重複をまとめました（受付番号 2026-000125 をこの通報の重複に）');
    expect(eventTitle({ at, kind: 'reopened' })).toBe('市民から「直っていない」（再開）');
    expect(eventBy({ at, kind: 'note', by: 'doboku01', byName: '土木 一郎' })).toBe('土木 一郎（doboku01）');
    expect(eventBy({ at, kind: 'citizen_comment' })).toBe('市民');
    expect(eventBy({ at, kind: 'photo_missing' })).toBe('システム');
  });

  it('writes distances in metres', () => {
    expect(metersText(35)).toBe('35 m');
    expect(metersText(1200)).toBe('1,200 m');
  });
});

describe('the boundary', () => {
  it('turns [lng, lat] rings into Leaflet’s [lat, lng] and counts the points', () => {
    expect(boundaryRings(ARAO_OUTLINE)[0]![0]).toEqual([33.0135, 130.4255]);
    expect(boundaryPoints(ARAO_OUTLINE)).toBe(16);
    const rings = (ARAO_OUTLINE as Extract<GeoPolygon, { type: 'Polygon' }>).coordinates;
    const multi: GeoPolygon = { type: 'MultiPolygon', coordinates: [rings, rings] };
    expect(boundaryRings(multi)).toHaveLength(2);
    expect(boundaryPoints(multi)).toBe(32);
    expect(boundaryRings(null)).toEqual([]);
  });

  it('reads a Polygon, a Feature or a FeatureCollection; empty is no boundary', () => {
    expect(parseBoundary('  ')).toEqual({ value: null });
    expect(parseBoundary(JSON.stringify(ARAO_OUTLINE))).toEqual({ value: ARAO_OUTLINE, points: 16 });
    const feature = { type: 'Feature', properties: { name: '荒尾市' }, geometry: ARAO_OUTLINE };
    expect(parseBoundary(JSON.stringify(feature))).toEqual({ value: ARAO_OUTLINE, points: 16 });
    expect(parseBoundary(JSON.stringify({ type: 'FeatureCollection', features: [feature] }))).toEqual({ value: ARAO_OUTLINE, points: 16 });
  });

  it('explains what is wrong instead of sending it', () => {
    expect(parseBoundary('{"type":')).toEqual({ error: expect.stringContaining('GeoJSONとして読めません') });
    expect(parseBoundary('{"type":"Point","coordinates":[130.4,32.9]}')).toEqual({ error: expect.stringContaining('PolygonかMultiPolygon') });
    expect(parseBoundary('{"type":"Polygon","coordinates":[[["130.4","32.9"]]]}')).toEqual({ error: expect.stringContaining('[経度, 緯度]') });
    expect(parseBoundary('{"type":"Polygon","coordinates":[]}')).toEqual({ error: expect.stringContaining('[経度, 緯度]') });
  });
});

describe('settings', () => {
  it('reads a textarea a line each, blank lines and repeats dropped', () => {
    expect(linesOf(' 土木課\r\n\n都市計画課 \n土木課\n')).toEqual(['土木課', '都市計画課']);
  });

  it('says where the server found a problem', () => {
    expect(settingsProblem({ path: ['categories', 2, 'label', 'ja'], message: '種類の名前（日本語）を入力してください。' })).toBe(
      '種類 3（日本語）：種類の名前（日本語）を入力してください。',
    );
    expect(settingsProblem({ path: ['categories', 0, 'label', 'zh-Hant'], message: '種類の名前は20文字以内にしてください。' })).toBe(
      '種類 1（中国語（繁体字））：種類の名前は20文字以内にしてください。',
    );
    expect(settingsProblem({ path: ['departments', 1], message: '担当課の名前を入力してください。' })).toBe('担当課 2行目：担当課の名前を入力してください。');
    expect(settingsProblem({ path: ['duplicate', 'meters'], message: '距離は5,000mまでです。' })).toBe('重複の目安：距離は5,000mまでです。');
    expect(settingsProblem({ path: 'tiles.url', message: 'URLが違います' })).toBe('地図タイル：URLが違います');
    expect(settingsProblem({ message: '種類「道路」は削除できません。' })).toBe('種類「道路」は削除できません。');
    expect(settingsProblem({ path: ['boundary'] })).toBeNull();
  });

  it('shows the tiles’ attribution with its https link only, everything else as text', () => {
    expect(safeAttribution(GSI_TILES.attribution)).toBe(
      '<a href="https://maps.gsi.go.jp/development/ichiran.html" target="_blank" rel="noopener noreferrer">地理院タイル</a>',
    );
    expect(safeAttribution('© <b>OpenStreetMap</b> contributors')).toBe('© OpenStreetMap contributors');
    expect(safeAttribution('<img src=x onerror="alert(1)">地図')).toBe('地図');
    expect(safeAttribution('<a href="javascript:alert(1)">押す</a>')).toBe('押す');
    expect(safeAttribution('<a href="https://x.example/" onclick="steal()"><script>alert(1)</script>出典</a> & 1 < 2')).toBe(
      '<a href="https://x.example/" target="_blank" rel="noopener noreferrer">alert(1)出典</a> &amp; 1 &lt; 2',
    );
    expect(safeAttribution('&lt;script&gt;')).toBe('&lt;script&gt;');
  });
});

describe('a staff account’s report categories', () => {
  it('are kept only for a general account with 市民通報', () => {
    expect(reportCategoriesFor('general', ['chat', 'reports'], ['road', 'park'])).toEqual(['road', 'park']);
    expect(reportCategoriesFor('general', ['chat'], ['road'])).toEqual([]);
    expect(reportCategoriesFor('admin', [], ['road'])).toEqual([]);
  });
});
