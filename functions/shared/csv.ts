/**
 * CSV helpers shared by every export (audit log, form responses): UTF-8 with a BOM so Excel
 * opens Japanese text correctly, CRLF records, and formula-safe cells — a cell beginning with
 * = + - @ tab or CR is prefixed with a single quote so a spreadsheet shows it as text instead
 * of evaluating it (CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Options for csv-stringify (sync or streaming) used by every export. */
export const CSV_OPTIONS = { bom: true, record_delimiter: 'windows', quoted_string: false } as const;
