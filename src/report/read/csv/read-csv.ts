import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { isEmptyCell } from '../cell-text.ts';
import { columnLetter } from '../column-letter.ts';
import { csvRecords } from './csv-records.ts';
import { detectDelimiter, type CsvDelimiter } from './csv-delimiter.ts';
import { tableOfSheets } from '../grid-table.ts';
import { simpleCsvTable } from './simple-csv.ts';
import { inBatches } from '../../in-batches.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import type { GridRow } from '../sheet-table.ts';

/**
 * A CSV text (already decoded) as a table, laid out as a sheet is (a CSV saved from an office's
 * workbook keeps its title, label rows, column numbers, total row and signature block): the
 * separator is detected, the records become sheet rows and the table layer finds the table in
 * them (`tableOfSheets`). Rows are numbered as Excel shows the file, so the
 * header is row 1 unless something precedes it; fully empty rows are skipped; empty fields are
 * null; columns are named by their header. The text is read once to check it against the limits,
 * then as the table layer reads its rows, each time: no record is kept. The common file (the
 * header on its first line, nothing of an office's layout) is read in one pass instead
 * (`simpleCsvTable`), into the same table.
 */
export async function readCsv(text: string, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const delimiter = detectDelimiter(text);
  return simpleCsvTable(text, delimiter, limits) ?? readCsvAnyLayout(text, delimiter, limits);
}

/** `readCsv` the general way, for any file: also what `simpleCsvTable` is checked against. */
export async function readCsvAnyLayout(
  text: string,
  delimiter: CsvDelimiter,
  limits: ReadLimits,
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  let header: readonly string[] | null = null;
  const label = (column: number): string => (header?.[column - 1] ? header[column - 1]! : columnLetter(column));
  for (const item of csvRecords(text, delimiter, limits)) {
    switch (item.kind) {
      case 'unclosedQuote':
        return { issues: [issue('CSV_QUOTE_UNCLOSED', { row: item.row })] };
      case 'columns':
        return { issues: [limitExceeded('columns', item.actual, limits.maxColumns, { row: item.row })] };
      case 'cellChars':
        return {
          issues: [
            limitExceeded('cellChars', item.actual, limits.maxCellChars, { row: item.row, column: label(item.column) }),
          ],
        };
      case 'record':
        if (header === null && item.fields.some((field) => !isEmptyCell(field))) header = item.fields;
    }
  }
  // Only separators and blank lines: nothing an officer would call content.
  if (header === null) return { issues: [issue('FILE_EMPTY')] };
  const sheet = { name: 'csv', visible: true, rows: () => inBatches(gridRowsOf(text, delimiter, limits)) };
  return tableOfSheets([sheet], 'csv', limits, { labels: 'header', legacyText: false });
}

/** The records with anything in them as sheet rows: their non-empty fields by column. Reads a text `readCsv` has checked. */
function* gridRowsOf(text: string, delimiter: CsvDelimiter, limits: ReadLimits): Generator<GridRow> {
  for (const item of csvRecords(text, delimiter, limits)) {
    if (item.kind !== 'record') continue;
    const cells = item.fields.flatMap((value, i) => (value === '' ? [] : [{ column: i + 1, value }]));
    if (cells.some(({ value }) => !isEmptyCell(value))) yield { row: item.row, cells };
  }
}
