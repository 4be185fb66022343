import ExcelJS from 'exceljs';
import type { Worksheet } from 'exceljs';
import { issue, type Issue } from '../../schema/issue.ts';
import type { RawCell, RawRow, RawTable, ReadLimits } from '../../schema/raw-table.ts';
import { assembleTable } from './assemble-table.ts';
import { cellText, isEmptyCell } from './cell-text.ts';
import { columnLetter } from './column-letter.ts';
import { detectLegacyText } from './legacy-text.ts';
import { limitExceeded } from './limit-exceeded.ts';
import type { MetaSighting } from './settle-meta.ts';
import { findSheetTable, type GridRow, type SheetTable } from './sheet-table.ts';
import { rawCellOf } from './xlsx-cell.ts';
import { guardXlsx } from './xlsx-guard.ts';

/**
 * Worksheet parts exceljs need not read. Besides saving work, this disarms parts that exceljs
 * expands cell by cell, so a few bytes of XML would cost millions of objects: merged ranges and
 * data validations over whole columns (templates put yes/no lists on `B2:H1048576`), column
 * ranges up to `max="16384"` and beyond. Hyperlinks are dropped too: their cells keep their text.
 */
const ignoredNodes = [
  'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'autoFilter', 'mergeCells', 'rowBreaks', 'hyperlinks',
  'pageMargins', 'dataValidations', 'pageSetup', 'headerFooter', 'printOptions', 'picture', 'drawing',
  'sheetProtection', 'tableParts', 'conditionalFormatting', 'extLst',
];

/**
 * An XLSX file as a table: the first visible sheet with a table (else the first sheet with
 * anything in it), label cells above the table as metadata, sheet row numbers, column letters as
 * labels. The package is checked (`guardXlsx`) before exceljs opens it; whatever exceljs throws
 * is FILE_CORRUPT.
 */
export async function readXlsx(bytes: Buffer, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const guard = guardXlsx(bytes, limits);
  if (guard.length > 0) return { issues: guard };
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer; a copy is one allocation of a file already checked for size.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer, { ignoreNodes: ignoredNodes });
  } catch (error) {
    return { issues: [issue('FILE_CORRUPT', {}, { detail: shortDetail(error) })] };
  }
  let found: SheetTable | null;
  try {
    // Reading cells runs exceljs code too (a shared formula is translated from its master cell).
    found = chooseTable(workbook.worksheets);
  } catch (error) {
    return { issues: [issue('FILE_CORRUPT', {}, { detail: shortDetail(error) })] };
  }
  if (found === null) return { issues: [issue('FILE_EMPTY')] };
  return tableOf(found, limits);
}

/** The first visible sheet with a header row of two or more text cells, else the first sheet with anything in it. */
function chooseTable(worksheets: readonly Worksheet[]): SheetTable | null {
  // Templates keep their yes/no lists on hidden sheets, which may come first.
  const ordered = [...worksheets.filter((sheet) => sheet.state === 'visible'), ...worksheets.filter((sheet) => sheet.state !== 'visible')];
  let fallback: SheetTable | null = null;
  for (const sheet of ordered) {
    const table = findSheetTable(gridOf(sheet));
    if (table?.confident) return table;
    fallback ??= table;
  }
  return fallback;
}

function gridOf(sheet: Worksheet): GridRow[] {
  const grid: GridRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    const cells: { column: number; value: RawCell }[] = [];
    row.eachCell((cell, column) => {
      const value = rawCellOf(cell);
      if (value !== null) cells.push({ column, value });
    });
    if (cells.length > 0) grid.push({ row: rowNumber, cells });
  });
  return grid;
}

async function tableOf(found: SheetTable, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const { headerRow, firstColumn, lastColumn } = found;
  const width = lastColumn - firstColumn + 1;
  if (width > limits.maxColumns) return { issues: [limitExceeded('columns', width, limits.maxColumns, { row: headerRow.row })] };
  const within = (row: GridRow): { row: number; cells: RawCell[] } => {
    const cells: RawCell[] = Array.from({ length: width }, () => null);
    for (const { column, value } of row.cells) if (column >= firstColumn && column <= lastColumn) cells[column - firstColumn] = value;
    return { row: row.row, cells };
  };
  const header = within(headerRow);
  const rows = found.dataRows.map(within).filter(({ cells }) => !cells.every(isEmptyCell));
  if (rows.length > limits.maxRows) return { issues: [limitExceeded('rows', rows.length, limits.maxRows)] };
  const columnLabels = Array.from({ length: width }, (_, i) => columnLetter(firstColumn + i));

  for (const { row, cells } of [header, ...rows]) {
    const long = cells.findIndex((cell) => typeof cell === 'string' && cell.length > limits.maxCellChars);
    const cell = cells[long];
    if (typeof cell === 'string') return { issues: [limitExceeded('cellChars', cell.length, limits.maxCellChars, { row, column: columnLabels[long] ?? null })] };
  }
  const legacy = detectLegacyText(textSample([header, ...rows], found.sightings));
  if (legacy !== null) return { issues: [issue('ENCODING_LEGACY', {}, { encoding: legacy })] };

  async function* rowsOf(): AsyncGenerator<RawRow> {
    yield* rows;
  }
  return assembleTable('xlsx', { headers: header.cells.map(cellText), columnLabels, rows: rowsOf }, found.sightings);
}

/** Enough of the workbook's text, label values first, for `detectLegacyText` to judge (it reads one MiB at most). */
function textSample(rows: readonly { cells: readonly RawCell[] }[], sightings: readonly MetaSighting[]): string {
  const texts = sightings.map((sighting) => sighting.value);
  let length = 0;
  for (const { cells } of rows) {
    for (const cell of cells) {
      if (typeof cell !== 'string') continue;
      texts.push(cell);
      length += cell.length + 1;
    }
    if (length > 1 << 20) break;
  }
  return texts.join('\n');
}

/** The first line of a library's error, short enough for an officer's message. */
function shortDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
