import { issue, type Issue } from '../../schema/issue.ts';
import { findSheetTable, type SheetGrid, type SheetTable } from './sheet-table.ts';

/** A sheet of a workbook, in workbook order, as the spreadsheet readers list them. */
export type WorkbookSheet = { readonly grid: SheetGrid; readonly visible: boolean };

/**
 * The table of a workbook: on the first visible sheet with a header row of two or more text
 * cells, else on the first sheet with anything in it. FILE_EMPTY for a workbook with nothing in
 * it; HEADER_NOT_FOUND when sheets hold nothing but labels as far as a header is looked for.
 */
export async function chooseSheetTable(sheets: readonly WorkbookSheet[]): Promise<{ grid: SheetGrid; table: SheetTable } | { issues: Issue[] }> {
  // Templates keep their yes/no lists on hidden sheets, which may come first.
  const ordered = [...sheets.filter((sheet) => sheet.visible), ...sheets.filter((sheet) => !sheet.visible)];
  let fallback: { grid: SheetGrid; table: SheetTable } | null = null;
  let notFound: number | null = null;
  for (const { grid } of ordered) {
    const search = await findSheetTable(grid);
    if (search === null) continue;
    if ('notFound' in search) notFound ??= search.notFound;
    else if (search.table.confident) return { grid, table: search.table };
    else fallback ??= { grid, table: search.table };
  }
  if (fallback !== null) return fallback;
  return { issues: [notFound === null ? issue('FILE_EMPTY') : issue('HEADER_NOT_FOUND', {}, { rows: notFound })] };
}
