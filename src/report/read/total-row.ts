import type { RawCell } from '../../schema/raw-table.ts';
import { cellText, isEmptyCell } from './cell-text.ts';
import { foldLabel } from '../../schema/text.ts';

/** What a total may say it totals, folded: `xã`, `phường`, `thị trấn`, `thôn`, `bản`, `huyện`, `tỉnh`, `đơn vị`. */
const totalled = '(?:xa|phuong|thitran|thon|ban|huyen|tinh|donvi)';

/**
 * What a total row is called in its first cell, folded: `Tổng cộng`, `Tổng số`, maybe with what
 * they total (`Tổng cộng xã`, `Tổng số toàn thôn`); `Cộng`, `Tổng`, alone or with `toàn` and what
 * (`Cộng toàn xã`, `Tổng toàn xã`); `Toàn xã`; `Total`. A grammar, not a prefix: folded, `Tống
 * Xá`, `Cống Thôn`, `Công Xã`, `Cống Khê` or `Tổng Tây` are villages, and stay so.
 */
const totalLabel = new RegExp(
  `^(?:(?:tongcong|tongso)(?:toan)?${totalled}?|(?:tong|cong)(?:toan${totalled})?|total|toan(?:xa|phuong|thitran))$`,
  'u',
);

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
