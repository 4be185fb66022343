import type { RawRow } from '../../schema/raw-table.ts';
import { foldLabel } from '../../schema/text.ts';
import { isEmptyCell } from './cell-text.ts';
import { cellsIn, type GridRow, type SheetTable } from './sheet-table.ts';
import { isSignatureRow } from './signature-block.ts';
import { isTotalRow } from './total-row.ts';

/** Headers of the row-number column, folded: `STT`, `TT`, `Số thứ tự`. */
export const rowNumberHeaders = new Set(['stt', 'tt', 'sott', 'sothutu']);

/** What a sheet row after the header is to the table. */
export type TableRowKind = { kind: 'data' | 'total'; row: RawRow } | { kind: 'blank' } | { kind: 'end' };

/**
 * The table's view of the rows after its header, as offices lay them out: the row-number (`STT`)
 * column is not the table's (its headers and cells are left out); a row with nothing else is
 * blank and skipped; a `Tổng cộng` row is the total row, not data; the first line of the
 * signature block, in whatever column, ends the table.
 */
export function tableRowsOf(found: Pick<SheetTable, 'headers' | 'firstColumn' | 'lastColumn'>): {
  readonly headers: readonly string[];
  /** Column numbers of the kept columns, left to right. */
  readonly columns: readonly number[];
  readonly kindOf: (row: GridRow) => TableRowKind;
} {
  const keep = found.headers.flatMap((header, i) => (rowNumberHeaders.has(foldLabel(header)) ? [] : [i]));
  const headers = keep.map((i) => found.headers[i] ?? '');
  const columns = keep.map((i) => found.firstColumn + i);
  return {
    headers,
    columns,
    kindOf: (row) => {
      if (isSignatureRow(row)) return { kind: 'end' };
      const all = cellsIn(row, found.firstColumn, found.lastColumn);
      const cells = keep.length === all.length ? all : keep.map((i) => all[i] ?? null);
      if (isTotalRow(all)) return { kind: 'total', row: { row: row.row, cells } };
      return cells.every(isEmptyCell) ? { kind: 'blank' } : { kind: 'data', row: { row: row.row, cells } };
    },
  };
}
