import { spreadsheetValue } from './neutralize-formula.ts';

function csvCell(value: unknown): string {
  const safe = spreadsheetValue(value);
  if (safe === null) return '';
  const text = safe instanceof Date ? safe.toISOString() : String(safe);
  return /[",;\t\n\r]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (columns: readonly string[], row: Record<string, unknown>) => columns.map((c) => csvCell(row[c])).join(',');

/** The CSV of rows already in memory (see csvChunks). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return `\uFEFF${[columns.join(','), ...rows.map((r) => csvLine(columns, r))].join('\r\n')}\r\n`;
}

/** Lines a chunk of CSV carries: large enough that a chunk is not a write per row. */
const linesPerChunk = 500;

/**
 * RFC 4180 CSV with a UTF-8 BOM, so Excel opens Vietnamese names correctly; text cells are
 * neutralized against formula injection. Written as it is read, a chunk of lines at a time, so an
 * export of any size is held in bounded memory.
 */
export async function* csvChunks(columns: readonly string[], rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  yield `\uFEFF${columns.join(',')}\r\n`;
  let lines: string[] = [];
  for await (const row of rows) {
    lines.push(csvLine(columns, row));
    if (lines.length === linesPerChunk) {
      yield `${lines.join('\r\n')}\r\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\r\n')}\r\n`;
}
