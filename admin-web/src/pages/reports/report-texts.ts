/**
 * Pure pieces of the 市民通報 pages (no React, no Leaflet: unit-tested in test/unit/admin-web/):
 * category names, marker colours, the status form's body, the boundary GeoJSON typed or uploaded by
 * staff, the tiles' attribution as safe HTML, and the settings' problems in words.
 */
import type { Me } from '../../api/types';
import type { ErrorDetail } from '../../api/client';
import {
  REPORT_EVENT_LABELS,
  REPORT_STATUS_LABELS,
  type GeoPolygon,
  type ReportCategory,
  type ReportEvent,
  type ReportStatus,
  type StatusChange,
} from '../../api/reports';
import { LANGUAGE_LABELS, isLang } from '../../../../functions/shared/languages';

/** A category's Japanese name; the id itself when the settings no longer know it. */
export function categoryName(categories: readonly ReportCategory[], id: string): string {
  return categories.find((c) => c.id === id)?.label.ja ?? id;
}

/**
 * The categories a staff member may filter by: those of the settings, within the account's limit
 * (administrators and unlimited accounts: all). The server applies the limit anyway.
 */
export function categoryOptions(categories: readonly ReportCategory[], me: Pick<Me, 'role' | 'reportCategories'>): ReportCategory[] {
  const limit = me.role === 'admin' || !me.reportCategories?.length ? null : me.reportCategories;
  return categories.filter((c) => !limit || limit.includes(c.id));
}

/** Marker colours by status (the map's legend shows the same): open ones warm, closed ones cool or grey. */
export const STATUS_COLORS: Record<ReportStatus, string> = {
  received: '#d93025',
  in_progress: '#e37400',
  done: '#188038',
  rejected: '#5f6368',
  duplicate: '#7e57c2',
};

/** The history's word for whether a status change reached the citizen. */
export const NOTIFIED_LABELS: Record<NonNullable<ReportEvent['notified']>, string> = {
  sent: '送信済み',
  failed: '送れませんでした',
  skipped: '送っていません',
};

/** What a status change did, from the report it answered (its newest status line): the notice staff see. */
export function statusOutcome(history: readonly ReportEvent[]): { kind: 'success' | 'error'; text: string } | null {
  const line = [...history].reverse().find((h) => h.kind === 'status');
  if (!line?.status) return null;
  const changed = `状況を「${REPORT_STATUS_LABELS[line.status]}」に変更しました。`;
  if (line.notified === 'sent') return { kind: 'success', text: `${changed}市民にお知らせを送りました。` };
  if (line.notified === 'failed')
    return { kind: 'error', text: `${changed}ただし、市民へのお知らせは送れませんでした（LINEにつながりません）。必要なら、時間をおいて知らせてください。` };
  return { kind: 'success', text: `${changed}市民には知らせていません。` };
}

/** A history line's heading: 「状況を変更：完了」, 「担当課を変更：土木課」, …. */
export function eventTitle(e: ReportEvent): string {
  const label = REPORT_EVENT_LABELS[e.kind];
  if (e.kind === 'status' && e.status) return `${label}：${REPORT_STATUS_LABELS[e.status]}${e.other ? `（重複先 ${e.other}）` : ''}`;
  if (e.kind === 'assigned') return `${label}：${e.department ?? '未定'}`;
  if (e.kind === 'merged' && e.other) return `${label}（受付番号 ${e.other} をこの通報の重複に）`;
  return label;
}

/** Who wrote a history line: staff by name, otherwise the citizen (or the system for a photo LINE would not give). */
export function eventBy(e: ReportEvent): string {
  if (e.by) return e.byName ? `${e.byName}（${e.by}）` : e.by;
  return e.kind === 'photo_missing' ? 'システム' : '市民';
}

/** The status form as staff fill it in. */
export interface StatusForm {
  status: ReportStatus;
  reason: string;
  duplicateOf: string;
  message: string;
  mediaId?: string;
  notify: boolean;
}

/** The request of a status change: only the fields its status uses, nothing empty; no message is sent to someone who cannot get it. */
export function statusBodyOf(form: StatusForm, rev: number, reachable: boolean): StatusChange {
  const notify = form.notify && reachable;
  const reason = form.reason.trim();
  // 2026－000123 typed with the Japanese input on: the same number.
  const duplicateOf = form.duplicateOf.normalize('NFKC').trim();
  const message = form.message.trim();
  return {
    rev,
    status: form.status,
    ...(form.status === 'rejected' && reason ? { reason } : {}),
    ...(form.status === 'duplicate' && duplicateOf ? { duplicateOf } : {}),
    ...(notify && message ? { message } : {}),
    ...(notify && form.mediaId ? { mediaId: form.mediaId } : {}),
    notify,
  };
}

/**
 * The console's own address of an image the preview names by its public address
 * (`https://…/media/<id>/preview`): the console shows it from its own origin.
 */
export function consoleImageSrc(url: string | undefined): string | null {
  const m = /\/media\/([0-9A-Z]{26})\/(preview|original)$/.exec(url ?? '');
  return m ? `/media/${m[1]}/preview` : null;
}

/** The polygons' rings as Leaflet takes them ([lat, lng]). */
export function boundaryRings(boundary: GeoPolygon | null): [number, number][][] {
  if (!boundary) return [];
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  return polygons.flatMap((rings) => rings.map((ring) => ring.map(([lng, lat]) => [lat!, lng!] as [number, number])));
}

/** How many points the boundary has (its rings' positions). */
export function boundaryPoints(boundary: GeoPolygon | null): number {
  return boundaryRings(boundary).reduce((n, ring) => n + ring.length, 0);
}

export type BoundaryText = { value: null } | { value: GeoPolygon; points: number } | { error: string };

/**
 * The boundary typed or uploaded (a GeoJSON Polygon or MultiPolygon, or a Feature or FeatureCollection
 * holding one, as the server takes it); empty = no boundary. What the page can tell at once; the
 * server checks the rest when the settings are saved.
 */
export function parseBoundary(text: string): BoundaryText {
  if (!text.trim()) return { value: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'GeoJSONとして読めません。ファイルの中身を確認してください。' };
  }
  const o = (parsed && typeof parsed === 'object' ? parsed : {}) as { type?: unknown; geometry?: unknown; features?: unknown; coordinates?: unknown };
  const geometry = (
    o.type === 'Feature'
      ? o.geometry
      : o.type === 'FeatureCollection' && Array.isArray(o.features)
        ? (o.features[0] as { geometry?: unknown } | undefined)?.geometry
        : o
  ) as { type?: unknown; coordinates?: unknown } | undefined;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') || !Array.isArray(geometry.coordinates))
    return { error: '市の区域はGeoJSONのPolygonかMultiPolygonで指定してください。' };
  const value = { type: geometry.type, coordinates: geometry.coordinates } as GeoPolygon;
  const depth = value.type === 'Polygon' ? 3 : 4;
  if (!hasPositions(value.coordinates, depth)) return { error: '座標の形が正しくありません（[経度, 緯度] の並びにしてください）。' };
  return { value, points: boundaryPoints(value) };
}

/** Nested arrays `depth` deep ending in [lng, lat] number pairs. */
function hasPositions(v: unknown, depth: number): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  if (depth === 1) return v.length >= 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  return v.every((x) => hasPositions(x, depth - 1));
}

/** A textarea's lines as a list: trimmed, blank lines dropped, each once. */
export function linesOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!);
const textOf = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, ''));

/**
 * The tiles' attribution (staff-written, 地理院タイル's is a link) as HTML Leaflet may show: every
 * tag dropped except https links, which are written anew (their text escaped, opening a new tab).
 */
export function safeAttribution(html: string): string {
  const out: string[] = [];
  const link = /<a\b[^>]*?\bhref\s*=\s*(["'])(https:\/\/[^"'<>\s]+)\1[^>]*>([\s\S]*?)<\/a\s*>/gi;
  let last = 0;
  for (const m of html.matchAll(link)) {
    out.push(escapeHtml(textOf(html.slice(last, m.index))));
    const href = decodeEntities(m[2]!);
    out.push(`<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(textOf(m[3]!))}</a>`);
    last = m.index + m[0].length;
  }
  out.push(escapeHtml(textOf(html.slice(last))));
  return out.join('');
}

const SETTINGS_PARTS: Record<string, string> = {
  categories: '種類',
  departments: '担当課',
  districts: '地区',
  duplicate: '重複の目安',
  boundary: '市の区域',
  tiles: '地図タイル',
};

/** A refusal of the settings in words, naming where: 「種類 3（日本語）: …」. */
export function settingsProblem(detail: ErrorDetail): string | null {
  if (!detail.message) return null;
  const path = Array.isArray(detail.path)
    ? detail.path
    : typeof detail.path === 'string'
      ? detail.path.split('.')
      : detail.field
        ? String(detail.field).split('.')
        : [];
  const [head, index, ...rest] = path.map(String);
  const part = head ? SETTINGS_PARTS[head] : undefined;
  if (!part) return detail.message;
  const n = index !== undefined && /^\d+$/.test(index) ? ` ${Number(index) + 1}${head === 'categories' ? '' : '行目'}` : '';
  const lang = rest[0] === 'label' && isLang(rest[1]) ? `（${LANGUAGE_LABELS[rest[1]]}）` : '';
  return `${part}${n}${lang}：${detail.message}`;
}

/** 35 m, 1,200 m. */
export const metersText = (m: number) => `${m.toLocaleString('ja-JP')} m`;
