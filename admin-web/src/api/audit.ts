import { API_BASE, request, withQuery } from './client';
import type { AuditFilter, AuditPage } from './types';

export const listAudit = (filter: AuditFilter, cursor?: string) =>
  request<AuditPage>('GET', '/audit', { query: { ...filter, cursor, limit: 100 } });

/** The CSV export with the same filters (a plain GET, so the browser downloads it with the session cookie). */
export const auditCsvUrl = (filter: AuditFilter) => withQuery(`${API_BASE}/audit.csv`, { ...filter });

/**
 * Fetches the CSV (so a 401/403 shows as a message rather than a downloaded error page)
 * and hands it to the browser as a file. The bytes are kept as sent, BOM included.
 */
export async function downloadAuditCsv(filter: AuditFilter): Promise<void> {
  const res = await fetch(auditCsvUrl(filter), { credentials: 'same-origin', headers: { accept: 'text/csv' } });
  if (!res.ok) {
    // Let the JSON error go through the shared mapper (401 → sign-in screen).
    await request('GET', '/audit.csv', { query: { ...filter } });
    return;
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : `audit-${filter.from}-${filter.to}.csv`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
