/**
 * A spreadsheet takes a cell that starts with = + - @ (or a tab or carriage return, which some
 * strip before looking) as a formula: a unit name like `=HYPERLINK(…)` in an export would run
 * when an analyst opens it (CSV/formula injection). A leading apostrophe keeps it text.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
}

/**
 * A value as a CSV or XLSX export writes it: text neutralized; numbers, booleans and dates kept
 * as they are, since a spreadsheet never reads a typed number (-0.5) as a formula.
 */
export function spreadsheetValue(value: unknown): string | number | boolean | Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'bigint') return Number(value);
  return neutralizeFormula(String(value));
}
