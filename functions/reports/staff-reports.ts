/**
 * Staff use cases of citizen reports (console page 市民通報, staff with the reports function; a
 * general account may be limited to some categories — everything here checks it, server-side):
 * the list and the map (per category, newest first, never a scan), a report with its photos,
 * history and possible duplicates, status changes that tell the citizen (previewed first), the
 * department, internal notes, the CSV and the settings.
 */
import { stringify } from 'csv-stringify/sync';
import { recordAudit, type AuditDeps } from '../audit/trail';
import type { MediaRepository } from '../deliveries/ports';
import type { Friend } from '../friends/friend';
import type { BlobStore } from '../ports/blob-store';
import type { LineGateway, LineMessage } from '../ports/line-gateway';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { jstDateTime, jstDayRange } from '../shared/japan-time';
import { LANGUAGE_LABELS } from '../shared/languages';
import { logger } from '../shared/powertools';
import { retryKey } from '../shared/retry-key';
import type { Sealer } from '../shared/sealed';
import type { SignedIn } from '../staff/context';
import { reportCategoriesOf } from '../staff/staff';
import { REPORT_POSTBACK } from './citizen-reports';
import { distanceMeters } from './geo';
import { mapLink, PHOTO_STATUS_LABELS, REPORT_STATUS_LABELS, type ReportStatus } from './labels';
import { REPORT_LIMITS, type Report, type ReportEvent, type ReportSettings } from './model';
import type { ListQuery, ReportPoint, ReportSettingsStore, ReportStore } from './ports';
import type { ListInput, SettingsInput, StatusInput } from './schemas';
import { inLang } from '../scenarios/engine';
import { categoryLabel, REPORT_TEXTS, statusText } from './texts';
import type { NearbyReport, ReportListItem, ReportListView, ReportMapView, ReportView, StatusPreview } from './views';

export interface StaffReportsDeps extends AuditDeps {
  reports: ReportStore;
  settings: ReportSettingsStore;
  blobs: Pick<BlobStore, 'get'>;
  line: Pick<LineGateway, 'push'>;
  friends: { get(userId: string): Promise<Friend | null> };
  sealer: Sealer;
  /** Uploaded images (POST /media): a repair photo. */
  media?: Pick<MediaRepository, 'get'>;
  /** Where LINE fetches those images. */
  publicBaseUrl: string;
}

const GONE = 'この通報は見つかりません。';
const CHANGED = 'ほかの職員がこの通報を変更しました。画面を読み込み直してから、もう一度操作してください。';
const CURSOR = 'reports-list';

/** The categories this staff member sees (of those configured; a limit never widens). */
function visibleCategories(who: SignedIn, settings: ReportSettings, asked: string[]): string[] {
  const limit = reportCategoriesOf(who.account);
  const all = settings.categories.map((c) => c.id);
  return all.filter((c) => (!limit || limit.includes(c)) && (asked.length === 0 || asked.includes(c)));
}

const canSee = (who: SignedIn, report: Pick<Report, 'category'>) => {
  const limit = reportCategoriesOf(who.account);
  return !limit || limit.includes(report.category);
};

/** A report this staff member may see, or 404 (a limited account never learns the others exist). */
async function visible(deps: StaffReportsDeps, who: SignedIn, reportId: string): Promise<Report> {
  const report = await deps.reports.get(reportId);
  if (!report || !canSee(who, report)) throw new NotFoundError(GONE);
  return report;
}

/** The store's filters of a list query: the period as the key range, the rest as filters. */
function filtersOf(q: ListInput): Omit<ListQuery, 'category' | 'before' | 'limit'> {
  return {
    ...range(q),
    ...(q.status.length ? { statuses: q.status } : {}),
    ...(q.district ? { district: q.district } : {}),
    ...(q.department ? { department: q.department } : {}),
  };
}

function range(q: ListInput): { from?: string; to?: string } {
  if (!q.from && !q.to) return {};
  const { startIso, endIso } = jstDayRange(q.from ?? '2000-01-01', q.to ?? '2999-12-31');
  return { ...(q.from ? { from: startIso } : {}), ...(q.to ? { to: endIso } : {}) };
}

export const listItem = (r: Report): ReportListItem => ({
  reportId: r.reportId,
  receiptNo: r.receiptNo,
  category: r.category,
  status: r.status,
  createdAt: r.createdAt,
  statusAt: r.statusAt,
  ...(r.district ? { district: r.district } : {}),
  ...(r.department ? { department: r.department } : {}),
  description: [...r.description].slice(0, 80).join(''),
  ...(r.place ? { place: r.place } : {}),
  photos: r.photos.length,
  ...(r.displayName ? { displayName: r.displayName } : {}),
});

/**
 * The list, newest first: each visible category's partition read from the cursor on, merged by the
 * list key (`<createdAt>#<reportId>`, one order for all partitions), so a page is exact whatever
 * the number of categories. The cursor is that key, sealed for this query.
 */
export async function listReports(deps: StaffReportsDeps, who: SignedIn, q: ListInput): Promise<ReportListView> {
  const page = await pageOfReports(deps, who, q);
  return { items: page.reports.map(listItem), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** A page of whole reports (the list shows a summary of each, the CSV every field). */
async function pageOfReports(deps: StaffReportsDeps, who: SignedIn, q: ListInput): Promise<{ reports: Report[]; cursor?: string }> {
  const settings = await deps.settings.settings();
  const categories = visibleCategories(who, settings, q.category);
  const purpose = `${CURSOR}|${who.account.loginId}|${JSON.stringify({ ...q, cursor: undefined, limit: undefined })}`;
  let before: string | undefined;
  if (q.cursor) {
    const opened = await deps.sealer.open(purpose, q.cursor);
    if (typeof opened !== 'string') throw new ValidationError('ページの指定に誤りがあります。一覧を読み込み直してください。');
    before = opened;
  }
  const filters = filtersOf(q);
  const pages = await Promise.all(categories.map((category) => deps.reports.list({ category, ...filters, ...(before ? { before } : {}), limit: q.limit })));
  const merged = pages
    .flatMap((p) => p.items)
    .sort((a, b) => (keyOf(b) > keyOf(a) ? 1 : keyOf(b) < keyOf(a) ? -1 : 0))
    .slice(0, q.limit);
  const more = pages.some((p) => p.more) || pages.reduce((n, p) => n + p.items.length, 0) > merged.length;
  const last = merged.at(-1);
  return { reports: merged, ...(more && last ? { cursor: await deps.sealer.seal(purpose, keyOf(last)) } : {}) };
}

const keyOf = (r: Pick<Report, 'createdAt' | 'reportId'>) => `${r.createdAt}#${r.reportId}`;

/** The map: every matching report as a point (no history, no photos), categories read in parallel. */
export async function reportMap(deps: StaffReportsDeps, who: SignedIn, q: ListInput): Promise<ReportMapView> {
  const settings = await deps.settings.settings();
  const categories = visibleCategories(who, settings, q.category);
  const filters = filtersOf(q);
  const max = REPORT_LIMITS.mapPoints;
  const found = (await Promise.all(categories.map((category) => deps.reports.points({ category, ...filters, max: max + 1 })))).flat();
  found.sort((a, b) => (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : 0));
  return { points: found.slice(0, max), truncated: found.length > max };
}

/** Reports of the same category near this one in place and time (the settings' distance and hours). */
async function nearby(deps: StaffReportsDeps, report: Report, settings: ReportSettings): Promise<NearbyReport[]> {
  if (!report.place) return [];
  const span = settings.duplicate.hours * 3_600_000;
  const at = Date.parse(report.createdAt);
  const points = await deps.reports.points({
    category: report.category,
    from: new Date(at - span).toISOString(),
    to: new Date(at + span).toISOString(),
    max: 2_000,
  });
  return points
    .filter((p): p is ReportPoint & { place: NonNullable<ReportPoint['place']> } => p.reportId !== report.reportId && !!p.place)
    .map((p) => ({ ...p, meters: Math.round(distanceMeters(report.place!, p.place)) }))
    .filter((p) => p.meters <= settings.duplicate.meters)
    .sort((a, b) => a.meters - b.meters)
    .slice(0, 20);
}

export const photoUrl = (reportId: string, photoId: string, preview = false) =>
  `/api/admin/reports/${reportId}/photos/${encodeURIComponent(photoId)}${preview ? '?size=preview' : ''}`;

export async function getReport(deps: StaffReportsDeps, who: SignedIn, reportId: string): Promise<ReportView> {
  const report = await visible(deps, who, reportId);
  const [settings, friend] = await Promise.all([deps.settings.settings(), deps.friends.get(report.userId)]);
  const { photos, ...rest } = report;
  return {
    ...rest,
    photos: photos.map(({ blobKey: _b, previewKey: _p, rawKey: _r, ...p }) => ({
      ...p,
      ...(p.status === 'stored' ? { url: photoUrl(reportId, p.photoId), previewUrl: photoUrl(reportId, p.photoId, true) } : {}),
    })),
    nearby: await nearby(deps, report, settings),
    reachable: friend?.status === 'active',
  };
}

/** A stored photo's bytes (re-encoded without EXIF when it was stored). */
export async function reportPhoto(deps: StaffReportsDeps, who: SignedIn, reportId: string, photoId: string, preview: boolean) {
  const report = await visible(deps, who, reportId);
  const photo = report.photos.find((p) => p.photoId === photoId && p.status === 'stored');
  const key = photo && (preview ? photo.previewKey : photo.blobKey);
  const bytes = key ? await deps.blobs.get(key) : null;
  if (!photo || !bytes) throw new NotFoundError('この写真は見つかりません。');
  return { contentType: photo.contentType ?? 'image/jpeg', bytes };
}

/** The message a status change sends: the fixed text in the citizen's language, what staff add, the repair photo, and the button that fits. */
async function statusMessages(deps: StaffReportsDeps, report: Report, input: StatusInput, duplicateNo?: string): Promise<LineMessage[]> {
  const lang = report.lang;
  const text = [
    statusText(input.status, lang, { no: report.receiptNo, ...(input.reason ? { reason: input.reason } : {}), ...(duplicateNo ? { other: duplicateNo } : {}) }),
    input.message ?? '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const messages: LineMessage[] = [];
  if (input.mediaId) {
    const media = await deps.media?.get(input.mediaId);
    if (!media) throw new ValidationError('選んだ写真が見つかりません。もう一度アップロードしてください。');
    const base = `${deps.publicBaseUrl}/media/${encodeURIComponent(input.mediaId)}`;
    messages.push({ type: 'image', originalContentUrl: `${base}/original`, previewImageUrl: `${base}/preview` });
  }
  const action =
    input.status === 'done'
      ? { label: inLang(REPORT_TEXTS.notFixed, lang), data: `${REPORT_POSTBACK.notFixed}${report.reportId}` }
      : input.status === 'received' || input.status === 'in_progress'
        ? { label: inLang(REPORT_TEXTS.addMore, lang), data: `${REPORT_POSTBACK.add}${report.reportId}` }
        : null;
  messages.unshift({ type: 'text', text: text.slice(0, 5_000) });
  // LINE shows a quick reply only on the last message of a request.
  if (action) {
    const item = { type: 'action', action: { type: 'postback', label: [...action.label].slice(0, 20).join(''), data: action.data, displayText: action.label } };
    messages[messages.length - 1] = { ...messages[messages.length - 1]!, quickReply: { items: [item] } } as LineMessage;
  }
  return messages;
}

async function duplicateTarget(deps: StaffReportsDeps, who: SignedIn, report: Report, input: StatusInput): Promise<Report | undefined> {
  if (input.status !== 'duplicate') return undefined;
  const other = await deps.reports.findByReceipt(input.duplicateOf!);
  if (!other || !canSee(who, other)) throw new ValidationError(`受付番号 ${input.duplicateOf} の通報は見つかりません。`);
  if (other.reportId === report.reportId) throw new ValidationError('同じ通報を重複先にはできません。');
  return other;
}

export async function previewStatus(deps: StaffReportsDeps, who: SignedIn, reportId: string, input: StatusInput): Promise<StatusPreview> {
  const report = await visible(deps, who, reportId);
  const other = await duplicateTarget(deps, who, report, input);
  return { messages: await statusMessages(deps, report, input, other?.receiptNo) };
}

/** Writes a change on the revision staff read; ConflictError when someone changed it since. */
async function change(deps: StaffReportsDeps, report: Report, rev: number, apply: (next: Report, at: string) => void): Promise<Report> {
  if (report.rev !== rev) throw new ConflictError(CHANGED);
  const at = deps.clock.now().toISOString();
  const next: Report = { ...report, history: [...report.history], photos: [...report.photos], rev: report.rev + 1, updatedAt: at };
  apply(next, at);
  next.history = next.history.slice(-REPORT_LIMITS.history);
  if (!(await deps.reports.save(next, report.rev))) throw new ConflictError(CHANGED);
  return next;
}

const by = (who: SignedIn) => ({ by: who.account.loginId, byName: who.account.displayName });

/**
 * A status change: written first (with the message that goes out), then sent to the citizen by push
 * (its retry key is the report's new revision: a retried request never sends twice), then the
 * outcome recorded on the history line. 重複 also notes the merge on the other report.
 */
export async function changeStatus(deps: StaffReportsDeps, who: SignedIn, reportId: string, input: StatusInput): Promise<ReportView> {
  const report = await visible(deps, who, reportId);
  const other = await duplicateTarget(deps, who, report, input);
  const messages = input.notify ? await statusMessages(deps, report, input, other?.receiptNo) : [];
  const sentText = messages[0]?.type === 'text' ? messages[0].text : undefined;
  const saved = await change(deps, report, input.rev, (next, at) => {
    next.status = input.status;
    next.statusAt = at;
    if (input.status === 'rejected') next.reason = input.reason;
    else delete next.reason;
    if (other) next.duplicateOf = { reportId: other.reportId, receiptNo: other.receiptNo };
    else delete next.duplicateOf;
    next.history.push({
      at,
      kind: 'status',
      status: input.status,
      ...by(who),
      ...(sentText ? { text: sentText } : input.reason ? { text: input.reason } : {}),
      ...(other ? { other: other.receiptNo } : {}),
      ...(input.mediaId && messages.length > 0 ? { mediaId: input.mediaId } : {}),
      notified: 'skipped',
    });
  });
  let notified: ReportEvent['notified'] = 'skipped';
  if (messages.length > 0) {
    try {
      await deps.line.push(report.userId, messages, retryKey('report-status', reportId, saved.rev));
      notified = 'sent';
    } catch (error) {
      logger.warn('Report status message not sent', { reportId, error: (error as Error).message });
      notified = 'failed';
    }
  }
  const final = notified === 'skipped' ? saved : await markNotified(deps, saved, notified);
  if (other) await noteMerge(deps, other, report, who);
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: input.status === 'duplicate' ? 'report.merged' : 'report.status_changed',
    target: `report:${report.receiptNo}`,
    ip: who.ip,
    before: { status: report.status },
    after: { status: input.status, notified, ...(other ? { duplicateOf: other.receiptNo } : {}) },
  });
  return getReport(deps, who, final.reportId);
}

/** The status line's outcome (the report may have moved on meanwhile: then the line is found by time). */
async function markNotified(deps: StaffReportsDeps, saved: Report, notified: ReportEvent['notified']): Promise<Report> {
  for (let tries = 0; tries < 3; tries++) {
    const current = tries === 0 ? saved : await deps.reports.get(saved.reportId);
    if (!current) return saved;
    const line = [...current.history].reverse().find((h) => h.kind === 'status' && h.at === saved.statusAt);
    if (!line) return current;
    const next: Report = { ...current, history: current.history.map((h) => (h === line ? { ...h, notified } : h)), rev: current.rev + 1 };
    if (await deps.reports.save(next, current.rev)) return next;
  }
  return saved;
}

async function noteMerge(deps: StaffReportsDeps, other: Report, duplicate: Report, who: SignedIn): Promise<void> {
  for (let tries = 0; tries < 3; tries++) {
    const current = tries === 0 ? other : await deps.reports.get(other.reportId);
    if (!current) return;
    const at = deps.clock.now().toISOString();
    const next: Report = {
      ...current,
      history: [...current.history, { at, kind: 'merged', ...by(who), other: duplicate.receiptNo } satisfies ReportEvent].slice(-REPORT_LIMITS.history),
      rev: current.rev + 1,
      updatedAt: at,
    };
    if (await deps.reports.save(next, current.rev)) return;
  }
}

export async function assignReport(
  deps: StaffReportsDeps,
  who: SignedIn,
  reportId: string,
  input: { rev: number; department: string | null; district?: string | null },
): Promise<ReportView> {
  const report = await visible(deps, who, reportId);
  const settings = await deps.settings.settings();
  if (input.department && !settings.departments.includes(input.department)) throw new ValidationError('担当課は設定にある課から選んでください。');
  if (input.district && !settings.districts.includes(input.district)) throw new ValidationError('地区は設定にある地区から選んでください。');
  await change(deps, report, input.rev, (next, at) => {
    if (input.department) next.department = input.department;
    else delete next.department;
    if (input.district !== undefined) {
      if (input.district) next.district = input.district;
      else delete next.district;
    }
    next.history.push({ at, kind: 'assigned', ...by(who), ...(input.department ? { department: input.department } : {}) });
  });
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'report.assigned',
    target: `report:${report.receiptNo}`,
    ip: who.ip,
    before: { department: report.department ?? null, district: report.district ?? null },
    after: { department: input.department, ...(input.district !== undefined ? { district: input.district } : {}) },
  });
  return getReport(deps, who, reportId);
}

export async function noteReport(deps: StaffReportsDeps, who: SignedIn, reportId: string, input: { rev: number; text: string }): Promise<ReportView> {
  const report = await visible(deps, who, reportId);
  await change(deps, report, input.rev, (next, at) => next.history.push({ at, kind: 'note', ...by(who), text: input.text }));
  await recordAudit(deps, { actor: who.account.loginId, action: 'report.noted', target: `report:${report.receiptNo}`, ip: who.ip });
  return getReport(deps, who, reportId);
}

export const CSV_HEADER = [
  '受付番号',
  '受付日時',
  '種類',
  '状況',
  '状況の変更日時',
  '担当課',
  '地区',
  '内容',
  '住所',
  '緯度',
  '経度',
  '地図',
  '市の区域外',
  '写真',
  '氏名',
  '電話番号',
  '言語',
  '重複先',
  '理由',
  'その他の回答',
];

/** The CSV of what the list shows (every page), Excel-friendly: BOM, CRLF, formula-safe, a map link per row. */
export async function exportReports(deps: StaffReportsDeps, who: SignedIn, q: ListInput): Promise<{ filename: string; body: string }> {
  const settings = await deps.settings.settings();
  const rows: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await pageOfReports(deps, who, { ...q, limit: REPORT_LIMITS.pageSize, ...(cursor ? { cursor } : {}) });
    for (const r of page.reports) rows.push(csvRow(r, settings));
    cursor = page.cursor;
  } while (cursor && rows.length < 100_000);
  const body = stringify(
    [CSV_HEADER, ...rows].map((row) => row.map((cell) => neutraliseFormula(cell))),
    CSV_OPTIONS,
  );
  await recordAudit(deps, { actor: who.account.loginId, action: 'reports.exported', target: 'reports', ip: who.ip, after: { rows: rows.length } });
  return { filename: `reports-${deps.clock.now().toISOString().slice(0, 10)}.csv`, body };
}

function csvRow(r: Report, settings: ReportSettings): string[] {
  const photos = r.photos.map((p) => PHOTO_STATUS_LABELS[p.status]);
  return [
    r.receiptNo,
    jstDateTime(r.createdAt),
    categoryLabel(settings.categories, r.category, 'ja'),
    REPORT_STATUS_LABELS[r.status],
    jstDateTime(r.statusAt),
    r.department ?? '',
    r.district ?? '',
    r.description,
    r.place?.address ?? '',
    r.place ? r.place.latitude.toFixed(6) : '',
    r.place ? r.place.longitude.toFixed(6) : '',
    r.place ? mapLink(r.place.latitude, r.place.longitude) : '',
    r.place?.outside ? '区域外' : '',
    photos.length ? `${photos.length}枚（${[...new Set(photos)].join('・')}）` : '',
    r.contact?.name ?? '',
    r.contact?.phone ?? '',
    LANGUAGE_LABELS[r.lang] ?? r.lang,
    r.duplicateOf?.receiptNo ?? '',
    r.reason ?? '',
    Object.entries(r.extra)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  ];
}

export async function reportSettings(deps: StaffReportsDeps): Promise<ReportSettings> {
  return deps.settings.settings();
}

export async function saveReportSettings(deps: StaffReportsDeps, who: SignedIn, input: SettingsInput): Promise<ReportSettings> {
  // The settings are every category's: an account limited to some may not change them.
  if (reportCategoriesOf(who.account)) throw new ForbiddenError('市民通報の設定は、種類を限られていない職員だけが変更できます。');
  const current = await deps.settings.settings();
  if (current.rev !== input.rev) throw new ConflictError('ほかの職員が設定を変更しました。画面を読み込み直してください。');
  const bytes = Buffer.byteLength(JSON.stringify(input.boundary ?? null));
  if (bytes > REPORT_LIMITS.boundaryBytes) throw new ValidationError('市の区域のGeoJSONが大きすぎます（512KBまで）。点を間引いてください。');
  for (const c of input.categories)
    if (c.department && !input.departments.includes(c.department))
      throw new ValidationError(`種類「${c.label.ja}」の担当課「${c.department}」が担当課の一覧にありません。`);
  // A category with reports stays (retired), never removed: its reports keep their name.
  for (const old of current.categories)
    if (!input.categories.some((c) => c.id === old.id))
      throw new ValidationError(`種類「${old.label.ja}」は削除できません。受付を止めるときは「受付終了」にしてください。`);
  const next: ReportSettings = {
    categories: input.categories.map((c) => ({
      id: c.id,
      label: Object.fromEntries(Object.entries(c.label).filter(([, v]) => v)) as ReportSettings['categories'][number]['label'],
      ...(c.department ? { department: c.department } : {}),
      ...(c.retired ? { retired: true } : {}),
    })),
    departments: [...new Set(input.departments)],
    districts: [...new Set(input.districts)],
    duplicate: input.duplicate,
    boundary: input.boundary,
    tiles: input.tiles,
    rev: current.rev + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: who.account.loginId,
  };
  if (!(await deps.settings.save(next, current.rev))) throw new ConflictError('ほかの職員が設定を変更しました。画面を読み込み直してください。');
  await recordAudit(deps, {
    actor: who.account.loginId,
    action: 'report_settings.updated',
    target: 'reports:settings',
    ip: who.ip,
    before: { categories: current.categories.map((c) => c.id), departments: current.departments, duplicate: current.duplicate },
    after: { categories: next.categories.map((c) => c.id), departments: next.departments, duplicate: next.duplicate },
  });
  return next;
}

export type { ReportStatus };
