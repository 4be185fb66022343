import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawCell, RawRow, RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { tableAssembler } from '../assemble-table.ts';
import { cellText, isEmptyCell } from '../cell-text.ts';
import { columnLetter } from '../column-letter.ts';
import { detectLegacyText } from '../text/legacy-text.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { sheetRows } from './sheet-rows.ts';
import { findSheetTable, type GridRow, type SheetTable } from '../sheet-table.ts';
import { openXlsxBook, type XlsxBook, type XlsxSheet } from './xlsx-book.ts';
import { guardXlsx } from './xlsx-guard.ts';

/**
 * An XLSX file as a table: the first visible sheet with a table (else the first sheet with
 * anything in it), label cells above the table as metadata, sheet row numbers, column letters as
 * labels. The package is checked (`guardXlsx`) before it is opened; its sheets are read as they
 * inflate, row by row, again each time the rows are read, so a large sheet is never held whole.
 * Whatever does not hold together in the package is FILE_CORRUPT.
 */
export async function readXlsx(bytes: Buffer, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const guard = await guardXlsx(bytes, limits);
  if (guard.length > 0) return { issues: guard };
  try {
    const book = await openXlsxBook(bytes);
    const found = await chooseTable(book);
    if (found === null) return { issues: [issue('FILE_EMPTY')] };
    return await tableOf(book, found.sheet, found.table, limits);
  } catch (error) {
    return { issues: [issue('FILE_CORRUPT', {}, { detail: shortDetail(error) })] };
  }
}

type Found = { sheet: XlsxSheet; table: SheetTable };

/** The first visible sheet with a header row of two or more text cells, else the first sheet with anything in it. */
async function chooseTable(book: XlsxBook): Promise<Found | null> {
  // Templates keep their yes/no lists on hidden sheets, which may come first.
  const ordered = [...book.sheets.filter((sheet) => sheet.visible), ...book.sheets.filter((sheet) => !sheet.visible)];
  let fallback: Found | null = null;
  for (const sheet of ordered) {
    const table = await findSheetTable(sheetRows(book, sheet));
    if (table?.confident) return { sheet, table };
    if (table !== null) fallback ??= { sheet, table };
  }
  return fallback;
}

async function tableOf(book: XlsxBook, sheet: XlsxSheet, found: SheetTable, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const { headerRow, headerIndex, firstColumn, lastColumn } = found;
  const width = lastColumn - firstColumn + 1;
  if (width > limits.maxColumns) return { issues: [limitExceeded('columns', width, limits.maxColumns, { row: headerRow.row })] };
  const within = (row: GridRow): RawRow => {
    const cells: RawCell[] = Array.from({ length: width }, () => null);
    for (const { column, value } of row.cells) if (column >= firstColumn && column <= lastColumn) cells[column - firstColumn] = value;
    return { row: row.row, cells };
  };
  const header = within(headerRow);
  const columnLabels = Array.from({ length: width }, (_, i) => columnLetter(firstColumn + i));
  async function* rows(): AsyncGenerator<RawRow[]> {
    let index = -1;
    for await (const batch of sheetRows(book, sheet)) {
      const kept: RawRow[] = [];
      for (const row of batch) {
        index += 1;
        if (index <= headerIndex) continue;
        const data = within(row);
        if (!data.cells.every(isEmptyCell)) kept.push(data);
      }
      yield kept;
    }
  }

  // One reading of the rows for all that needs them all: their count, the first cell too long, a
  // sample of the text, the metadata columns.
  const headers = header.cells.map(cellText);
  const assembler = tableAssembler({ headers, columnLabels }, found.sightings);
  let count = 0;
  let tooLong = longCell(header, columnLabels, limits);
  const sample = textSample(found.sightings.map((sighting) => sighting.value));
  sample.add(header);
  for await (const batch of rows()) {
    for (const row of batch) {
      count += 1;
      tooLong ??= longCell(row, columnLabels, limits);
      sample.add(row);
      assembler.add(row);
    }
  }
  if (count > limits.maxRows) return { issues: [limitExceeded('rows', count, limits.maxRows)] };
  if (tooLong !== null) return { issues: [tooLong] };
  const legacy = detectLegacyText(sample.text());
  if (legacy !== null) return { issues: [issue('ENCODING_LEGACY', {}, { encoding: legacy })] };
  return assembler.finish('xlsx', { headers, columnLabels, rows });
}

function longCell({ row, cells }: RawRow, columnLabels: readonly string[], limits: ReadLimits): Issue | null {
  const long = cells.findIndex((cell) => typeof cell === 'string' && cell.length > limits.maxCellChars);
  const cell = cells[long];
  return typeof cell === 'string' ? limitExceeded('cellChars', cell.length, limits.maxCellChars, { row, column: columnLabels[long] ?? null }) : null;
}

/** Enough of the workbook's text, label values first, for `detectLegacyText` to judge (it reads one MiB at most). */
function textSample(texts: string[]): { add: (row: RawRow) => void; text: () => string } {
  let length = 0;
  return {
    add: ({ cells }) => {
      if (length > 1 << 20) return;
      for (const cell of cells) {
        if (typeof cell !== 'string') continue;
        texts.push(cell);
        length += cell.length + 1;
      }
    },
    text: () => texts.join('\n'),
  };
}

/** The first line of an error, short enough for an officer's message. */
function shortDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
