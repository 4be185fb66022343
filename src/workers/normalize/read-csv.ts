import { issue, type Issue } from '../../schema/issue.ts';
import type { RawCell, RawTable, ReadLimits } from '../../schema/raw-table.ts';
import { assembleTable } from './assemble-table.ts';
import { isEmptyCell } from './cell-text.ts';
import { columnLetter } from './column-letter.ts';
import { csvRecords } from './csv-records.ts';
import { detectDelimiter } from './csv-delimiter.ts';
import { limitExceeded } from './limit-exceeded.ts';

type Row = { row: number; cells: RawCell[] };

/**
 * A CSV text (already decoded) as a table. The separator is detected; the header is the first
 * non-empty row; fully empty rows are skipped; rows are numbered as Excel shows the file, so the
 * header is row 1 unless blank lines precede it. Empty fields are null. Metadata columns (`form`,
 * `commune`, `period`, `Biểu mẫu`, `Mã xã`, `Kỳ báo cáo`) go into `meta`.
 */
export function readCsv(text: string, limits: ReadLimits): { table: RawTable } | { issues: Issue[] } {
  let header: readonly string[] | null = null;
  const rows: Row[] = [];
  let dataRows = 0;
  const label = (column: number): string => (header?.[column - 1] ? header[column - 1]! : columnLetter(column));
  for (const item of csvRecords(text, detectDelimiter(text), limits)) {
    // Past the row limit, reading goes on only to count the rows, keeping nothing.
    if (item.kind !== 'record' && dataRows > limits.maxRows) break;
    switch (item.kind) {
      case 'unclosedQuote':
        return { issues: [issue('CSV_QUOTE_UNCLOSED', { row: item.row })] };
      case 'columns':
        return { issues: [limitExceeded('columns', item.actual, limits.maxColumns, { row: item.row })] };
      case 'cellChars':
        return { issues: [limitExceeded('cellChars', item.actual, limits.maxCellChars, { row: item.row, column: label(item.column) })] };
    }
    if (item.fields.every((field) => isEmptyCell(field))) continue;
    if (header === null) {
      header = item.fields;
      continue;
    }
    dataRows += 1;
    if (dataRows <= limits.maxRows) rows.push({ row: item.row, cells: item.fields.map((field) => (field === '' ? null : field)) });
  }
  if (dataRows > limits.maxRows) return { issues: [limitExceeded('rows', dataRows, limits.maxRows)] };
  // Only separators and blank lines: nothing an officer would call content.
  if (header === null) return { issues: [issue('FILE_EMPTY')] };
  return tableOf(header, rows);
}

function tableOf(header: readonly string[], rows: readonly Row[]): { table: RawTable } | { issues: Issue[] } {
  // Excel writes trailing separators for formatted but empty columns; those columns are not the table's.
  const width = rows.reduce((widest, row) => Math.max(widest, lastFilled(row.cells)), lastFilled(header));
  const headers = Array.from({ length: width }, (_, i) => header[i] ?? '');
  return assembleTable('csv', {
    headers,
    columnLabels: headers.map((text, i) => (text.trim() === '' ? columnLetter(i + 1) : text)),
    rows: rows.map(({ row, cells }) => ({ row, cells: Array.from({ length: width }, (_, i) => cells[i] ?? null) })),
  });
}

/** How many leading cells a row needs to keep everything it holds. */
function lastFilled(cells: readonly (RawCell | undefined)[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (!isEmptyCell(cells[i])) return i + 1;
  return 0;
}
