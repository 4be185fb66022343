import type { RawCell } from '../../schema/raw-table.ts';

/** A cell as text, for reading labels and metadata: a formula gives its cached result, empty gives ''. */
export function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell.result === undefined || cell.result === null ? '' : String(cell.result);
  return String(cell);
}

/** Empty as an officer sees it: no value, or only spaces. */
export function isEmptyCell(cell: RawCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** A figure typed as text, as every CSV cell is: `120`, `1.234`, `4 321`. */
export function looksNumeric(text: string): boolean {
  return /^[\s\d.,-]+$/u.test(text) && /\d/u.test(text);
}
