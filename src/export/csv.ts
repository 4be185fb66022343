import { spreadsheetValue } from './neutralize-formula.ts';
import { Utf8Chunks } from './utf8-chunks.ts';

/** A cell that needs quotes: it holds the separator, a quote or a line break (a tab, for readers that split on tabs). */
const needsQuotes = /[",;\t\n\r]/u;

function csvCell(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const safe = spreadsheetValue(value);
  if (safe === null) return '';
  const text = safe instanceof Date ? safe.toISOString() : String(safe);
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(columns: readonly string[], row: Record<string, unknown>): string {
  let line = csvCell(row[columns[0]!]);
  for (let i = 1; i < columns.length; i += 1) line += `,${csvCell(row[columns[i]!])}`;
  return line;
}

/** The CSV of rows already in memory (see csvChunks). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return `\uFEFF${[columns.join(','), ...rows.map((r) => csvLine(columns, r))].join('\r\n')}\r\n`;
}

/**
 * RFC 4180 CSV with a UTF-8 BOM, so Excel opens Vietnamese names correctly; text cells are
 * neutralized against formula injection. Written as it is read, a chunk of lines at a time, so an
 * export of any size is held in bounded memory.
 */
export async function* csvChunks(
  columns: readonly string[],
  rows: AsyncIterable<Record<string, unknown>>,
): AsyncGenerator<Buffer> {
  yield* chunked(columns.join(','), rows, (row) => csvLine(columns, row));
}

/**
 * csvChunks' bytes from lines Postgres wrote (export/csv-sql.ts): the rows' cells are already
 * the line's, so nothing is read into a value or formatted again here.
 */
export async function* csvLineChunks(
  columns: readonly string[],
  lines: AsyncIterable<{ readonly line: string }>,
): AsyncGenerator<Buffer> {
  yield* chunked(columns.join(','), lines, (row) => row.line);
}

/** The header line, then the rows' lines, in UTF-8 chunks of many lines (utf8-chunks.ts). */
async function* chunked<Row>(
  header: string,
  rows: AsyncIterable<Row>,
  line: (row: Row) => string,
): AsyncGenerator<Buffer> {
  const text = new Utf8Chunks();
  text.add(`\uFEFF${header}\r\n`);
  for await (const row of rows) if (text.add(`${line(row)}\r\n`)) yield* text.take();
  yield* text.take(true);
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
): AsyncGenerator<Buffer> {
  const header = columns.map((c) => localeCell('text', c.header, locale)).join(locale.separator);
  yield* chunked(header, rows, (row) =>
    columns.map((c) => localeCell(c.kind, row[c.key], locale)).join(locale.separator),
  );
}
