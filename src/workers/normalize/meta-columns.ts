import type { RawCell } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell } from './cell-text.ts';
import { metaKeyOf } from './meta-label.ts';
import type { MetaSighting } from './settle-meta.ts';

type Row = { readonly row: number; readonly cells: readonly RawCell[] };

/**
 * Takes the metadata columns (`form`, `commune`, `period`, or `Biểu mẫu`, `Mã xã`, `Kỳ báo cáo`)
 * out of a table: their cells become sightings for `settleMeta`, the rest of the table stays in
 * column order. A row left with nothing but metadata is dropped: it carried no data.
 */
export function splitMetaColumns(table: { headers: readonly string[]; columnLabels: readonly string[]; rows: readonly Row[] }): {
  headers: string[];
  columnLabels: string[];
  rows: Row[];
  sightings: MetaSighting[];
} {
  const metaAt = table.headers.map((header) => metaKeyOf(header));
  if (metaAt.every((key) => key === null)) {
    return { headers: [...table.headers], columnLabels: [...table.columnLabels], rows: [...table.rows], sightings: [] };
  }
  const keep = metaAt.flatMap((key, index) => (key === null ? [index] : []));
  const sightings: MetaSighting[] = [];
  const rows: Row[] = [];
  for (const { row, cells } of table.rows) {
    metaAt.forEach((key, index) => {
      const cell = cells[index];
      if (key !== null && !isEmptyCell(cell)) {
        sightings.push({ key, value: cellText(cell), row, column: table.columnLabels[index] ?? null });
      }
    });
    const kept = keep.map((index) => cells[index] ?? null);
    if (!kept.every(isEmptyCell)) rows.push({ row, cells: kept });
  }
  return {
    headers: keep.map((index) => table.headers[index] ?? ''),
    columnLabels: keep.map((index) => table.columnLabels[index] ?? ''),
    rows,
    sightings,
  };
}
