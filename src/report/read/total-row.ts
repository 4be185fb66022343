import type { RawCell } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell } from './cell-text.ts';
import { foldLabel } from '../../schema/text.ts';

/** What a total row is called in its first cell, folded: `Tổng cộng`, `Cộng`, `Tổng`, `Tổng số`, `Total`. */
const totalLabels = new Set(['tongcong', 'cong', 'tong', 'tongso', 'total', 'tongcongtoanxa', 'congtoanxa']);

/**
 * Whether a row of the table (its cells left to right) is its total row: its first non-empty
 * cell, in the row-number column or the next, says so. It is not data, and its figures are
 * checked against the rows' own (`checkTotals`).
 */
export function isTotalRow(cells: readonly RawCell[]): boolean {
  const first = cells.find((cell) => !isEmptyCell(cell));
  // Every label begins with T or C: a village name is folded only when it might be one.
  return (
    typeof first === 'string' &&
    first.length <= 24 &&
    /^\s*[TtCc]/u.test(first) &&
    totalLabels.has(foldLabel(cellText(first)))
  );
}
