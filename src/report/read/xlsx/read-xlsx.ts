import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { gridTable } from '../grid-table.ts';
import { chooseSheetTable } from '../choose-sheet.ts';
import { sheetMergesFrom } from './sheet-merges.ts';
import { sheetRows } from './sheet-rows.ts';
import { openXlsxBook } from './xlsx-book.ts';
import { guardXlsx } from './xlsx-guard.ts';

/**
 * An XLSX file as a table: the first visible sheet with a table (else the first sheet with
 * anything in it), laid out as offices lay it out (`findSheetTable`, `gridTable`: label cells above
 * the table as metadata, merged header cells from `<mergeCells>`), sheet row numbers, columns
 * named by letter and header. The package is checked (`guardXlsx`) before it is opened; its
 * sheets are read as they inflate, row by row, again each time the rows are read, so a large
 * sheet is never held whole. Whatever does not hold together in the package is FILE_CORRUPT.
 */
export async function readXlsx(bytes: Buffer, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const guard = await guardXlsx(bytes, limits);
  if (guard.length > 0) return { issues: guard };
  try {
    const book = await openXlsxBook(bytes);
    const found = await chooseSheetTable(
      book.sheets.map((sheet) => ({ visible: sheet.visible, grid: { rows: () => sheetRows(book, sheet), mergesFrom: (row) => sheetMergesFrom(book, sheet, row) } })),
    );
    if ('issues' in found) return found;
    return await gridTable('xlsx', found.grid, found.table, limits, { labels: 'letter', legacyText: true });
  } catch (error) {
    return { issues: [issue('FILE_CORRUPT', {}, { detail: shortDetail(error) })] };
  }
}

/** The first line of an error, short enough for an officer's message. */
function shortDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
