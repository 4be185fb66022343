import type { RawCell } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell } from './cell-text.ts';
import { foldLabel } from '../../schema/text.ts';

/**
 * What a total row is called in its first cell, folded: `Tổng cộng`, `Cộng`, `Tổng`, `Tổng số`,
 * `Total`, each maybe followed by what it totals (`Tổng cộng xã`, `Cộng toàn xã`, `Tổng số toàn
 * thôn`), or `Toàn xã` alone. A grammar, not a prefix: `Cống Khê` or `Tổng Tây` may be villages.
 */
const totalLabel =
  /^(?:(?:tongcong|tongso|tong|cong)(?:toan)?(?:xa|phuong|thitran|thon|ban|huyen|tinh|donvi)?|total|toan(?:xa|phuong|thitran))$/u;

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
    totalLabel.test(foldLabel(cellText(first)))
  );
}
