import { downloadCsv, request } from './client';
import type { AuditFilter, AuditSearchAnswer } from './types';

export const listAudit = (filter: AuditFilter, cursor?: string) => request<AuditSearchAnswer>('GET', '/audit', { query: { ...filter, cursor, limit: 100 } });

/** The CSV with the same filters, downloaded as a file (errors shown as messages). */
export const downloadAuditCsv = (filter: AuditFilter) => downloadCsv('/audit.csv', { ...filter }, `audit-${filter.from}-${filter.to}.csv`);
