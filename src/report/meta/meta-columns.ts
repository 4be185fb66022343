import type { RawCell, RawRow } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell } from '../read/cell-text.ts';
import { metaKeyOf } from './meta-label.ts';
import type { MetaSighting } from './settle-meta.ts';

/** A table's columns with its metadata columns taken out, and how to take them out of each row. */
export type MetaColumns = {
  readonly headers: readonly string[];
  readonly columnLabels: readonly string[];
  /**
   * The row's metadata cells as sightings, and the row without them; null when nothing but
   * metadata was in it. Cells past the headers are kept: a row may be read before it is padded.
   */
  readonly split: (row: RawRow) => { sightings: MetaSighting[]; row: RawRow | null };
};

/**
 * Finds the metadata columns (`form`, `commune`, `period`, or `Biểu mẫu`, `Mã xã`, `Kỳ báo cáo`) of
 * a table: their cells become sightings for `settleMeta`, the rest of the table stays in column
 * order. A row left with nothing but metadata is dropped: it carried no data.
 */
export function metaColumnsOf(table: { headers: readonly string[]; columnLabels: readonly string[] }): MetaColumns {
  const metaAt = table.headers.map((header) => metaKeyOf(header));
  if (metaAt.every((key) => key === null)) {
    return { headers: table.headers, columnLabels: table.columnLabels, split: (row) => ({ sightings: [], row }) };
  }
  const keep = metaAt.flatMap((key, index) => (key === null ? [index] : []));
  return {
    headers: keep.map((index) => table.headers[index] ?? ''),
    columnLabels: keep.map((index) => table.columnLabels[index] ?? ''),
    split: ({ row, cells }) => {
      const sightings: MetaSighting[] = [];
      const kept: RawCell[] = [];
      cells.forEach((cell, index) => {
        const key = metaAt[index] ?? null;
        if (key === null) kept.push(cell);
        else if (!isEmptyCell(cell))
          sightings.push({ key, value: cellText(cell), row, column: table.columnLabels[index] ?? null });
      });
      while (kept.length < keep.length) kept.push(null);
      return { sightings, row: kept.every(isEmptyCell) ? null : { row, cells: kept } };
    },
  };
}
