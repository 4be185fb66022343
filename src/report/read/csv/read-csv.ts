import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawCell, RawRow, RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { tableAssembler } from '../assemble-table.ts';
import { isEmptyCell } from '../cell-text.ts';
import { columnLetter } from '../column-letter.ts';
import { csvRecords } from './csv-records.ts';
import { detectDelimiter, type CsvDelimiter } from './csv-delimiter.ts';
import { inBatches } from '../../in-batches.ts';
import { limitExceeded } from '../limit-exceeded.ts';

/**
 * A CSV text (already decoded) as a table. The separator is detected; the header is the first
 * non-empty row; fully empty rows are skipped; rows are numbered as Excel shows the file, so the
 * header is row 1 unless blank lines precede it. Empty fields are null. Metadata columns (`form`,
 * `commune`, `period`, `Biểu mẫu`, `Mã xã`, `Kỳ báo cáo`) go into `meta`. The text is read once to
 * check it, measure the table and settle its metadata, and again each time the rows are read: no
 * record is kept.
 */
export function readCsv(text: string, limits: ReadLimits): { table: RawTable } | { issues: Issue[] } {
  const delimiter = detectDelimiter(text);
  let header: readonly string[] | null = null;
  let assembler: ReturnType<typeof tableAssembler> | null = null;
  let dataRows = 0;
  // Excel writes trailing separators for formatted but empty columns; those columns are not the table's.
  let width = 0;
  const label = (column: number): string => (header?.[column - 1] ? header[column - 1]! : columnLetter(column));
  for (const item of csvRecords(text, delimiter, limits)) {
    // Past the row limit, reading goes on only to count the rows.
    if (item.kind !== 'record' && dataRows > limits.maxRows) break;
    switch (item.kind) {
      case 'unclosedQuote':
        return { issues: [issue('CSV_QUOTE_UNCLOSED', { row: item.row })] };
      case 'columns':
        return { issues: [limitExceeded('columns', item.actual, limits.maxColumns, { row: item.row })] };
      case 'cellChars':
        return { issues: [limitExceeded('cellChars', item.actual, limits.maxCellChars, { row: item.row, column: label(item.column) })] };
    }
    const filled = lastFilled(item.fields);
    if (filled === 0) continue;
    width = Math.max(width, filled);
    if (header === null) {
      header = item.fields;
      assembler = tableAssembler({ headers: header, columnLabels: header });
      continue;
    }
    dataRows += 1;
    if (dataRows <= limits.maxRows) assembler?.add({ row: item.row, cells: item.fields });
  }
  if (dataRows > limits.maxRows) return { issues: [limitExceeded('rows', dataRows, limits.maxRows)] };
  // Only separators and blank lines: nothing an officer would call content.
  if (header === null || assembler === null) return { issues: [issue('FILE_EMPTY')] };
  const headers = Array.from({ length: width }, (_, i) => header[i] ?? '');
  return assembler.finish('csv', {
    headers,
    columnLabels: headers.map((name, i) => (name.trim() === '' ? columnLetter(i + 1) : name)),
    rows: () => inBatches(dataRowsOf(text, delimiter, limits, width)),
  });
}

/** The records after the header that hold something, `width` cells each. Reads a text `readCsv` has checked. */
function* dataRowsOf(text: string, delimiter: CsvDelimiter, limits: ReadLimits, width: number): Generator<RawRow> {
  let afterHeader = false;
  for (const item of csvRecords(text, delimiter, limits)) {
    if (item.kind !== 'record' || lastFilled(item.fields) === 0) continue;
    if (!afterHeader) {
      afterHeader = true;
      continue;
    }
    yield { row: item.row, cells: Array.from({ length: width }, (_, i): RawCell => (item.fields[i] === '' ? null : (item.fields[i] ?? null))) };
  }
}

/** How many leading cells a record needs to keep everything it holds. */
function lastFilled(cells: readonly (RawCell | undefined)[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (!isEmptyCell(cells[i])) return i + 1;
  return 0;
}
