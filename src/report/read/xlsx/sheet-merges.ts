import { columnNumber } from '../column-letter.ts';
import type { CellRange } from '../sheet-table.ts';
import { attributesNamed, scanXml } from '../xml/xml-scanner.ts';
import { entryText } from '../zip/zip-entry.ts';
import type { XlsxBook, XlsxSheet } from './xlsx-book.ts';

/** More merges starting in one row than a header has columns: a crafted list is not kept past it. */
const maxMergesInRow = 16_384;
const refAttribute = ['ref'];

/**
 * The merged cells of a sheet (its `<mergeCells>`, after the cells in the part) that start in
 * one row: a scan of the part that reads nothing but `<mergeCell ref="D6:E6">`.
 */
export async function sheetMergesFrom(book: XlsxBook, sheet: XlsxSheet, row: number): Promise<CellRange[]> {
  const found: CellRange[] = [];
  await scanXml(entryText(book.bytes, sheet.entry), {
    open: (name, attributes) => {
      if (name !== 'mergeCell' || found.length >= maxMergesInRow) return;
      const range = rangeOf(attributesNamed(attributes, refAttribute)[0] ?? '');
      if (range !== null && range.top === row) found.push(range);
    },
  });
  return found;
}

/** `D6:E7` as a range; null for anything else. */
function rangeOf(ref: string): CellRange | null {
  const match = /^([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})$/u.exec(ref);
  if (match === null) return null;
  const [top, bottom] = [Number(match[2]), Number(match[4])];
  const [left, right] = [columnNumber(match[1]!), columnNumber(match[3]!)];
  return {
    top: Math.min(top, bottom),
    left: Math.min(left, right),
    bottom: Math.max(top, bottom),
    right: Math.max(left, right),
  };
}
