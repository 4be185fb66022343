import type { RawCell } from '../../schema/raw-table.ts';
import { isEmptyCell } from './cell-text.ts';

/** `(3)`, `3`, `(A)`, `A`, and the computed columns' `(5)=(3)/(4)`: what offices write under each header. */
const columnNumber = /^\(?\s*(\d{1,3}|[A-Za-z])\s*\)?(?:\s*=.*)?$/su;

/**
 * Whether a row of cells, the table's columns left to right, is the row of column numbers
 * offices put under a header (`(1) (2) (3)…` or `1 2 3…`, letters `A B` first in some forms):
 * each cell a column number, the numbers rising one by one; two or more in parentheses, or three
 * or more bare. Rising one by one keeps a data row of small counts (`3 | 1 | 2`) a data row, and
 * the third bare number a row `1 | 2` of a two-column table.
 */
export function isColumnNumberRow(cells: readonly RawCell[]): boolean {
  let numbers = 0;
  let bracketed = false;
  let last: number | null = null;
  for (const cell of cells) {
    if (isEmptyCell(cell)) continue;
    const text = typeof cell === 'number' || typeof cell === 'string' ? String(cell).trim() : null;
    const found = text === null ? null : columnNumber.exec(text);
    if (found === null) return false;
    const digits = found[1]!;
    if (text!.startsWith('(')) bracketed = true;
    if (!/^\d+$/u.test(digits)) {
      // Letters name the first columns only, before any number.
      if (last !== null) return false;
      numbers += 1;
      continue;
    }
    const n = Number(digits);
    if (last !== null && n !== last + 1) return false;
    last = n;
    numbers += 1;
  }
  return last !== null && numbers >= (bracketed ? 2 : 3);
}
