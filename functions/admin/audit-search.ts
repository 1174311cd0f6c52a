/** Use cases of reading the audit log (admin, or a general account with the `audit` function). */
import type { AuditEntry, AuditLog, AuditQuery } from '../audit/audit';
import { auditCsv } from '../audit/csv';
import type { AuditNames } from '../audit/labels';
import type { FormRepository } from '../forms/ports';
import { attributeDefinitions, type StaffFormsDeps } from '../forms/staff-forms';
import { LANGUAGE_LABELS } from '../shared/languages';
import { logger } from '../shared/powertools';
import type { StaffRepository } from '../staff/staff';
import type { AuditSearchAnswer } from './views';

/** The most rows one CSV export holds; narrow the dates for more. */
export const CSV_MAX_ROWS = 50_000;

export interface AuditReadDeps {
  audit: AuditLog;
  /** For names: staff display names, the profile form's attribute and choice names, form titles. */
  staff?: Pick<StaffRepository, 'list'>;
  forms?: FormRepository;
}

/**
 * The names the details read with (functions/audit/labels.ts `AuditNames`): who each login ID is,
 * and what the profile form calls each attribute and choice (segment conditions). A name that
 * cannot be read leaves the ID in place; the log itself is never held back for it.
 */
export async function auditNames(deps: AuditReadDeps): Promise<AuditNames> {
  const [staff, rule] = await Promise.all([
    (deps.staff?.list() ?? Promise.resolve([])).then(
      (accounts) => Object.fromEntries(accounts.map((a) => [a.loginId, a.displayName])),
      (error: Error) => (logger.warn('Staff names not read for the audit log', { error }), {}),
    ),
    deps.forms
      ? Promise.all([attributeDefinitions({ forms: deps.forms } as StaffFormsDeps), deps.forms.list()]).then(
          ([{ attributes }, forms]) => ({
            attributes,
            forms: forms.map((f) => ({ formId: f.formId, title: f.title.ja })),
            languages: Object.entries(LANGUAGE_LABELS).map(([id, label]) => ({ id, label })),
          }),
          (error: Error) => (logger.warn('Form names not read for the audit log', { error }), null),
        )
      : Promise.resolve(null),
  ]);
  return { staff, rule };
}

/** Use case: one page of entries matching the filters, newest first, with the names to read them by. */
export async function searchAudit(deps: AuditReadDeps, query: AuditQuery): Promise<AuditSearchAnswer> {
  const [page, names] = await Promise.all([deps.audit.search(query), auditNames(deps)]);
  // Only the people this page names (actors, accounts acted on).
  const named = new Set(page.items.flatMap((e) => [e.actor, ...(e.target.startsWith('staff:') ? [e.target.slice(6)] : [])]));
  const staff = Object.fromEntries(Object.entries(names.staff ?? {}).filter(([loginId]) => named.has(loginId)));
  return { ...page, names: { ...names, staff } };
}

/**
 * Use case: CSV export.
 *
 * 1. Read every page matching the filters (up to CSV_MAX_ROWS).
 * 2. Render UTF-8 CSV with a BOM and formula-safe cells, in the console's words.
 */
export async function exportAuditCsv(deps: AuditReadDeps, query: Omit<AuditQuery, 'cursor' | 'limit'>): Promise<{ csv: string; rows: number }> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  const names = auditNames(deps);
  do {
    const page = await deps.audit.search({ ...query, limit: 1000, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && entries.length < CSV_MAX_ROWS);
  const rows = entries.slice(0, CSV_MAX_ROWS);
  return { csv: auditCsv(rows, await names), rows: rows.length };
}
