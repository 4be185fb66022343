import type { Issue } from '../../../schema/issue.ts';
import type { RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { tableOfSheets } from '../grid-table.ts';
import { issueOfFailure } from '../read-failure.ts';
import { guardPackage } from '../zip/guard-package.ts';
import { openOdsBook } from './ods-book.ts';
import { odsSheetRows } from './ods-rows.ts';

/**
 * An ODS file (OpenDocument spreadsheet, what LibreOffice saves) as a table, found in its sheets
 * as in an XLSX. The package passes the same guard as an XLSX (entries, declared and real sizes,
 * checksums: zip bombs and damage) before `content.xml` is read, as it inflates, once to list the
 * sheets and again each time a sheet's rows are read. Whatever does not hold together is
 * FILE_CORRUPT; a repeat that would expand past the limits is LIMIT_EXCEEDED.
 */
export async function readOds(bytes: Buffer, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const guard = await guardPackage(bytes, limits, { required: 'content.xml' });
  if (guard.length > 0) return { issues: guard };
  try {
    const book = await openOdsBook(bytes, limits);
    const sheets = book.sheets.map((sheet) => ({
      name: sheet.name,
      visible: sheet.visible,
      rows: () => odsSheetRows(bytes, book.content, sheet.index, limits),
    }));
    return await tableOfSheets(sheets, 'ods', limits);
  } catch (error) {
    return { issues: [issueOfFailure(error)] };
  }
}
