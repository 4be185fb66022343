import type { RawCell } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell, looksNumeric } from './cell-text.ts';
import { isColumnNumberRow } from './column-number-row.ts';
import { isDocumentHeading, labelsOf } from './sheet-labels.ts';
import type { MetaSighting } from '../meta/settle-meta.ts';

/** A sheet row as read: its sheet number and its non-empty cells by column number (1 = A), left to right. */
export type GridRow = {
  readonly row: number;
  readonly cells: readonly { readonly column: number; readonly value: RawCell }[];
};

/** A block of merged cells: sheet rows and column numbers (1 = A), both ends included. */
export type CellRange = {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
};

/**
 * A sheet as every spreadsheet reader (XLSX, XLS, ODS) hands it to the table layer, and CSV too:
 * its rows with anything in them, read again from the file at each call, in batches; and the
 * merged cells that start in a given row, asked of a header row only (none in a CSV).
 */
export type SheetGrid = {
  readonly rows: () => AsyncIterable<readonly GridRow[]>;
  readonly mergesFrom?: (row: number) => Promise<readonly CellRange[]>;
};

/** Where the table of a sheet is: its header, its columns, where its data starts, the label cells above it. */
export type SheetTable = {
  /** False when no row has two text cells and the first row with anything in it was taken as the header. */
  readonly confident: boolean;
  /** The sheet number of the header row (the upper one of a header over two rows). */
  readonly headerRow: number;
  /** The table's columns: the header's first to last non-empty cell (of either header row). */
  readonly firstColumn: number;
  readonly lastColumn: number;
  /** A header text per column; under a group title, the sub-column's own header. */
  readonly headers: readonly string[];
  /** How many rows with anything in them come before the data: titles, labels, header rows, the column-number row. */
  readonly dataIndex: number;
  readonly sightings: readonly MetaSighting[];
};

/**
 * How far down a header is looked for, in rows with anything in them: a title, a few label rows
 * and a two-row header take about ten. Past it, a sheet of nothing but labels is HEADER_NOT_FOUND
 * rather than read to its end.
 */
export const headerSearchRows = 100;

/** A sheet's columns, A to XFD. */
const maxSheetColumns = 16_384;

export type SheetSearch = { table: SheetTable } | { notFound: number } | null;

/**
 * Finds the table in a sheet, reading its rows only as far as the header. Label rows above it
 * give metadata (`labelsOf`); an official document's heading above its title is passed over. The header is the first row with two or more text cells that is
 * not a label row; its first to last non-empty cells are the table's columns. Under it may come a
 * second header row (a group title above its sub-columns: `isSubHeader`), then a row of column
 * numbers; neither is data. Without a header within `headerSearchRows` rows, the first row with
 * anything in it that is not a label is taken (`confident: false`), or, with none, `notFound`.
 * Null for a sheet with nothing in it, or only labels.
 */
export async function findSheetTable(grid: SheetGrid): Promise<SheetSearch> {
  const sightings: MetaSighting[] = [];
  let fallback: { row: GridRow; index: number; sightings: number } | null = null;
  let header: { row: GridRow; index: number } | null = null;
  const below: GridRow[] = [];
  let index = -1;
  search: for await (const batch of grid.rows()) {
    for (const row of batch) {
      index += 1;
      if (header !== null) {
        below.push(row);
        if (below.length === 2) break search;
        continue;
      }
      if (index >= headerSearchRows) break search;
      if (isDocumentHeading(row)) continue;
      const labels = labelsOf(row);
      if (labels !== null) {
        for (const sighting of labels) sightings.push(sighting);
        continue;
      }
      if (row.cells.filter(({ value }) => typeof value === 'string' && value.trim() !== '').length >= 2) {
        header = { row, index };
        continue;
      }
      // The labels above it, not those after it.
      if (fallback === null && row.cells.some(({ value }) => !isEmptyCell(value)))
        fallback = { row, index, sightings: sightings.length };
    }
  }
  if (header !== null) return { table: await headerOf(grid, header.row, header.index, below, sightings) };
  if (fallback !== null)
    return {
      table: {
        ...singleRowHeader(fallback.row, fallback.index, false),
        sightings: sightings.slice(0, fallback.sightings),
      },
    };
  return index >= headerSearchRows ? { notFound: headerSearchRows } : null;
}

/** The header starting at `top`, with the second header row and the column-number row under it, if there are. */
async function headerOf(
  grid: SheetGrid,
  top: GridRow,
  index: number,
  below: GridRow[],
  sightings: MetaSighting[],
): Promise<SheetTable> {
  const single = singleRowHeader(top, index, true);
  const [next, after] = below;
  if (next === undefined) return { ...single, sightings };
  if (isColumnNumberRow(cellsIn(next, single.firstColumn, single.lastColumn)))
    return { ...single, dataIndex: index + 2, sightings };
  if (!(await isSubHeader(grid, top, next))) return { ...single, sightings };
  const { firstColumn, lastColumn } = columnsOf([top, next]);
  const upper = cellsIn(top, firstColumn, lastColumn);
  const lower = cellsIn(next, firstColumn, lastColumn);
  const headers = upper.map((cell, i) => (isEmptyCell(lower[i]) ? cellText(cell) : cellText(lower[i])));
  const numbered = after !== undefined && isColumnNumberRow(cellsIn(after, firstColumn, lastColumn));
  return {
    confident: true,
    headerRow: top.row,
    firstColumn,
    lastColumn,
    headers,
    dataIndex: index + (numbered ? 3 : 2),
    sightings,
  };
}

function singleRowHeader(row: GridRow, index: number, confident: boolean): Omit<SheetTable, 'sightings'> {
  const { firstColumn, lastColumn } = columnsOf([row]);
  return {
    confident,
    headerRow: row.row,
    firstColumn,
    lastColumn,
    headers: cellsIn(row, firstColumn, lastColumn).map(cellText),
    dataIndex: index + 1,
  };
}

/**
 * Whether the row right under a header row is a second header row: sub-column headers under a
 * group title. It holds text only (no figure, as a data row would), and either a merged cell of
 * the header reaches down into it, or one of its cells stands under an empty cell of the header
 * (the columns a group title's merge covers, past the first).
 */
async function isSubHeader(grid: SheetGrid, top: GridRow, next: GridRow): Promise<boolean> {
  if (next.row !== top.row + 1) return false;
  if (labelsOf(next) !== null) return false;
  if (!next.cells.every(({ value }) => isEmptyCell(value) || (typeof value === 'string' && !looksNumeric(value))))
    return false;
  const above = new Set(top.cells.filter(({ value }) => !isEmptyCell(value)).map(({ column }) => column));
  if (next.cells.some(({ column, value }) => !isEmptyCell(value) && !above.has(column))) return true;
  const merges = grid.mergesFrom === undefined ? [] : await grid.mergesFrom(top.row);
  return merges.some((merge) => merge.top === top.row && merge.bottom > top.row);
}

/** The first and last columns with anything in them, over some rows. */
function columnsOf(rows: readonly GridRow[]): { firstColumn: number; lastColumn: number } {
  // Not Math.min(...columns): a crafted row may hold millions of cells, more than a call takes arguments.
  let firstColumn = Infinity;
  let lastColumn = -Infinity;
  for (const row of rows) {
    for (const { column, value } of row.cells) {
      if (isEmptyCell(value)) continue;
      firstColumn = Math.min(firstColumn, column);
      lastColumn = Math.max(lastColumn, column);
    }
  }
  return { firstColumn, lastColumn };
}

/** A row's cells from one column to another, null where it has none. */
export function cellsIn(row: GridRow, firstColumn: number, lastColumn: number): RawCell[] {
  // A crafted reference (`ZZZZZZ1`) names a column past any sheet's last; the table's width is checked against the limit later.
  const width = Math.min(maxSheetColumns, Math.max(0, lastColumn - firstColumn + 1));
  const cells: RawCell[] = Array.from({ length: width }, () => null);
  for (const { column, value } of row.cells)
    if (column >= firstColumn && column <= lastColumn) cells[column - firstColumn] = value;
  return cells;
}
