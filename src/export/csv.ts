import { spreadsheetValue } from './neutralize-formula.ts';

function csvCell(value: unknown): string {
  const safe = spreadsheetValue(value);
  if (safe === null) return '';
  const text = safe instanceof Date ? safe.toISOString() : String(safe);
  return /[",\n\r]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens Vietnamese names correctly; text cells are neutralized against formula injection. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
