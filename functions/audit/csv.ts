/**
 * CSV export of audit entries: UTF-8 with a BOM (Excel opens Japanese text correctly) and
 * formula-safe cells — a cell beginning with = + - @ tab or CR is prefixed with a single quote
 * so a spreadsheet shows it as text instead of evaluating it (CSV injection).
 * The words are the console's (functions/audit/labels.ts): the same action names, targets and
 * before/after details in plain Japanese; the action code is kept in its own column for sorting.
 */
import { jstTimestamp } from '../shared/japan-time';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import type { AuditEntry } from './audit';
import { auditActionLabel, auditPictureText, auditSummaryText, auditTargetText, type AuditNames } from './labels';

export { neutraliseFormula };

export const AUDIT_CSV_COLUMNS = ['日時（日本時間）', '職員ID', '職員名', '操作', '操作コード', '対象', '概要', 'IPアドレス', '変更前', '変更後', 'ID'];

export function auditCsv(entries: AuditEntry[], names: AuditNames = {}): string {
  const rows = entries.map((e) =>
    [
      jstTimestamp(e.at),
      e.actor,
      e.actor === 'system' ? 'システム' : (names.staff?.[e.actor] ?? ''),
      auditActionLabel(e.action),
      e.action,
      auditTargetText(e, names),
      auditSummaryText(e),
      e.ip,
      auditPictureText(e, 'before', names),
      auditPictureText(e, 'after', names),
      e.id,
    ].map((cell) => neutraliseFormula(String(cell))),
  );
  return stringify([AUDIT_CSV_COLUMNS, ...rows], CSV_OPTIONS);
}
