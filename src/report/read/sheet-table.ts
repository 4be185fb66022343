import type { RawCell } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell } from './cell-text.ts';
import { columnLetter } from './column-letter.ts';
import { metaKeyOf } from '../meta/meta-label.ts';
import type { MetaSighting } from '../meta/settle-meta.ts';

/** A sheet row as read: its sheet number and its non-empty cells by column number (1 = A), left to right. */
export type GridRow = { readonly row: number; readonly cells: readonly { readonly column: number; readonly value: RawCell }[] };

/** Where the table of a sheet is: its header row and columns, and the label cells above it. */
export type SheetTable = {
  /** False when no row has two text cells and the first row with anything in it was taken as the header. */
  readonly confident: boolean;
  readonly headerRow: GridRow;
  /** How many rows with anything in them come before the header: the data rows are the rows after it. */
  readonly headerIndex: number;
  readonly firstColumn: number;
  readonly lastColumn: number;
  readonly sightings: readonly MetaSighting[];
};

/**
 * Finds the table in a sheet, reading its rows (in batches) only as far as the header. Label rows above it
 * (`Biểu mẫu: <form code>` in one cell, or `Mã xã` then `03214` in the next non-empty cell) give
 * metadata; a row of other `Label: value` cells (`Ngày lập: 01/07/2023`) is a label row too and
 * gives nothing. The header row is the first row with two or more text cells that is not a label
 * row; its first to last non-empty cells are the table's columns. Without one, the whole sheet is
 * read and its first row with anything in it is taken. Null for a sheet with nothing in it, or
 * only labels.
 */
export async function findSheetTable(batches: AsyncIterable<readonly GridRow[]>): Promise<SheetTable | null> {
  let sightings: MetaSighting[] = [];
  let fallback: { row: GridRow; index: number; sightings: MetaSighting[] } | null = null;
  let index = -1;
  for await (const batch of batches) {
    for (const row of batch) {
      index += 1;
      const labels = labelsOf(row);
      if (labels !== null) {
        sightings = sightings.concat(labels);
        continue;
      }
      if (row.cells.filter(({ value }) => typeof value === 'string' && value.trim() !== '').length >= 2) {
        return tableAt(row, index, true, sightings);
      }
      // The labels above it, not those after it.
      if (fallback === null && row.cells.some(({ value }) => !isEmptyCell(value))) fallback = { row, index, sightings };
    }
  }
  return fallback === null ? null : tableAt(fallback.row, fallback.index, false, fallback.sightings);
}

function tableAt(headerRow: GridRow, headerIndex: number, confident: boolean, sightings: readonly MetaSighting[]): SheetTable {
  // Not Math.min(...columns): a crafted row may hold millions of cells, more than a call takes arguments.
  let firstColumn = Infinity;
  let lastColumn = -Infinity;
  for (const { column, value } of headerRow.cells) {
    if (isEmptyCell(value)) continue;
    firstColumn = Math.min(firstColumn, column);
    lastColumn = Math.max(lastColumn, column);
  }
  return { confident, headerRow, headerIndex, firstColumn, lastColumn, sightings };
}

/** `Label: value` in one cell: a short label, a colon, something after it. */
const labelWithValue = /^([^:]{1,40}):(.*)$/su;

/** The metadata of a label row, or null when the row is not made only of labels and their values. */
function labelsOf(row: GridRow): MetaSighting[] | null {
  const cells = row.cells.filter(({ value }) => !isEmptyCell(value));
  if (cells.length === 0) return null;
  const sightings: MetaSighting[] = [];
  const sighting = (key: NonNullable<ReturnType<typeof metaKeyOf>>, value: string, column: number): MetaSighting => ({
    key,
    value,
    row: row.row,
    column: columnLetter(column),
  });
  // A label written with its colon (`Mã xã:`) makes this a label row: what follows its value is an
  // officer's note, not a column. Without a colon, `Mã xã | Tên thôn/bản | …` is a table header.
  let colonLabel = false;
  for (let k = 0; k < cells.length; k++) {
    const { column, value } = cells[k]!;
    const text = cellText(value).trim();
    const colon = labelWithValue.exec(text);
    if (colon !== null && colon[2]!.trim() !== '') {
      const key = metaKeyOf(colon[1]!);
      if (key !== null) {
        sightings.push(sighting(key, colon[2]!, column));
        colonLabel = true;
      }
      continue;
    }
    const key = metaKeyOf(colon === null ? text : colon[1]!);
    if (key === null) return colonLabel ? sightings : null;
    if (colon !== null) colonLabel = true;
    // A bare label takes the next non-empty cell as its value. Two labels side by side are a
    // header row naming metadata columns (`form | commune | period`), not label cells.
    const next = cells[k + 1];
    if (next === undefined) continue;
    if (isLabel(cellText(next.value).trim())) return null;
    sightings.push(sighting(key, cellText(next.value), next.column));
    k += 1;
  }
  return sightings;
}

function isLabel(text: string): boolean {
  const colon = labelWithValue.exec(text);
  return colon !== null || metaKeyOf(text) !== null;
}
