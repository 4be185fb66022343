import { spreadsheetValue } from './neutralize-formula.ts';

function csvCell(value: unknown): string {
  const safe = spreadsheetValue(value);
  if (safe === null) return '';
  const text = safe instanceof Date ? safe.toISOString() : String(safe);
  return /[",;\t\n\r]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (columns: readonly string[], row: Record<string, unknown>) =>
  columns.map((c) => csvCell(row[c])).join(',');

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
export async function* csvChunks(
  columns: readonly string[],
  rows: AsyncIterable<Record<string, unknown>>,
): AsyncGenerator<string> {
  yield* chunked(columns.join(','), rows, (row) => csvLine(columns, row));
}

/** The header line, then the rows' lines a chunk at a time. */
async function* chunked(
  header: string,
  rows: AsyncIterable<Record<string, unknown>>,
  line: (row: Record<string, unknown>) => string,
): AsyncGenerator<string> {
  yield `\uFEFF${header}\r\n`;
  let lines: string[] = [];
  for await (const row of rows) {
    lines.push(line(row));
    if (lines.length === linesPerChunk) {
      yield `${lines.join('\r\n')}\r\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\r\n')}\r\n`;
}

/** How a cell of a table made for people is written: a code stays text, a number takes the reader's decimal mark. */
export type CellKind = 'text' | 'code' | 'number';
export type LocaleColumn = { readonly key: string; readonly header: string; readonly kind: CellKind };
/** Vietnamese Excel splits a CSV on `;` and reads `0,5` as a half; English Excel, `,` and `0.5`. */
export type CsvLocale = { readonly separator: ';' | ','; readonly decimal: ',' | '.' };

function localeCell(kind: CellKind, value: unknown, locale: CsvLocale): string {
  if (value === null || value === undefined) return '';
  // Excel and LibreOffice turn a bare or quoted 03156 into the number 3156; both read the formula ="03156" back as the text 03156.
  if (kind === 'code' && /^\d+$/u.test(String(value))) return `"=""${String(value)}"""`;
  if (kind === 'number' && typeof value === 'number') return String(value).replace('.', locale.decimal);
  const text = String(spreadsheetValue(value));
  return text.includes(locale.separator) || /["\n\r]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV for a person's spreadsheet rather than a program: headers in their language, the
 * separator and decimal mark their Excel expects, codes kept as text, a UTF-8 BOM so Excel reads
 * the Vietnamese. Streamed like csvChunks.
 */
export async function* localeCsvChunks(
  columns: readonly LocaleColumn[],
  rows: AsyncIterable<Record<string, unknown>>,
  locale: CsvLocale,
): AsyncGenerator<string> {
  const header = columns.map((c) => localeCell('text', c.header, locale)).join(locale.separator);
  yield* chunked(header, rows, (row) =>
    columns.map((c) => localeCell(c.kind, row[c.key], locale)).join(locale.separator),
  );
}
