import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { tableOfSheets } from '../grid-table.ts';
import { LimitExceededError } from '../limit-exceeded.ts';
import { sheetMergesFrom } from './sheet-merges.ts';
import { sheetRows } from './sheet-rows.ts';
import { openXlsxBook } from './xlsx-book.ts';
import { guardXlsx } from './xlsx-guard.ts';

/**
 * An XLSX file as a table, found in its sheets as `tableOfSheets` finds it (merged header cells
 * from `<mergeCells>`). The package is checked (`guardXlsx`) before it is opened; its
 * sheets are read as they inflate, row by row, again each time the rows are read, so a large
 * sheet is never held whole. Whatever does not hold together in the package is FILE_CORRUPT.
 */
export async function readXlsx(bytes: Buffer, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const guard = await guardXlsx(bytes, limits);
  if (guard.length > 0) return { issues: guard };
  try {
    const book = await openXlsxBook(bytes, limits);
    const sheets = book.sheets.map((sheet) => ({
      name: sheet.name,
      visible: sheet.visible,
      rows: () => sheetRows(book, sheet),
      mergesFrom: (row: number) => sheetMergesFrom(book, sheet, row),
    }));
    return await tableOfSheets(sheets, 'xlsx', limits);
  } catch (error) {
    if (error instanceof LimitExceededError) return { issues: [error.issue] };
    return { issues: [issue('FILE_CORRUPT', {}, { detail: shortDetail(error) })] };
  }
}

/** The first line of an error, short enough for an officer's message. */
function shortDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
