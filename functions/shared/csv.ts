/**
 * CSV helpers shared by every export (audit log, form responses, delivery history): UTF-8 with a
 * BOM so Excel opens Japanese text correctly, CRLF records, cells holding a CR or LF quoted, and
 * formula-safe cells — a cell beginning with = + - @ tab or CR is prefixed with a single quote so
 * a spreadsheet shows it as text instead of evaluating it (CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Options for csv-stringify (sync or streaming) used by every export. csv-stringify quotes a cell
 * that contains the record delimiter (`\r\n`) but not one with a bare `\n` or `\r`, so a
 * two-line answer would become two rows in Excel: `quoted_match` quotes any cell with CR or LF.
 */
export const CSV_OPTIONS = { bom: true, record_delimiter: 'windows', quoted_string: false, quoted_match: /[\r\n]/ } as const;
