/**
 * CSV export of audit entries: UTF-8 with a BOM (Excel opens Japanese text correctly) and
 * formula-safe cells — a cell beginning with = + - @ tab or CR is prefixed with a single quote
 * so a spreadsheet shows it as text instead of evaluating it (CSV injection).
 */
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS, neutraliseFormula } from '../shared/csv';
import { AUDIT_ACTIONS, tokyoDateTime, type AuditEntry } from './audit';

export { neutraliseFormula };

const COLUMNS = ['日時（日本時間）', '職員ID', '操作', '操作コード', '対象', '概要', 'IPアドレス', '変更前', '変更後', 'ID'];

export function auditCsv(entries: AuditEntry[]): string {
  const rows = entries.map((e) =>
    [
      tokyoDateTime(e.at),
      e.actor,
      AUDIT_ACTIONS[e.action] ?? e.action,
      e.action,
      e.target,
      e.summary,
      e.ip,
      e.before ? JSON.stringify(e.before) : '',
      e.after ? JSON.stringify(e.after) : '',
      e.id,
    ].map((cell) => neutraliseFormula(String(cell))),
  );
  return stringify([COLUMNS, ...rows], CSV_OPTIONS);
}
