import { issue, type Issue } from '../../../schema/issue.ts';
import type { RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { tableOfSheets } from '../grid-table.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { issueOfFailure } from '../read-failure.ts';
import { openCompoundFile } from './compound-file.ts';
import { streamNamed } from './ole-document.ts';
import { isWorksheetAt, openXlsBook } from './xls-book.ts';
import { xlsSheetRows } from './xls-rows.ts';

/**
 * An OLE2 compound file as a table: an Excel 97–2003 workbook (BIFF8, the `Workbook` stream), its
 * table found in its sheets as in an XLSX. The container is opened with every declared size,
 * sector number and chain checked (`openCompoundFile`); the workbook stream, at most the size of
 * the file, is read whole once, its sheets' records again each time their rows are read. An
 * Excel 5/95 workbook (`Book`) is FILE_XLS_OLD_VERSION, an XLSX saved with a password (an OLE file
 * holding `EncryptedPackage`) or an encrypted workbook FILE_ENCRYPTED, another OLE document
 * (.doc, .msg) FILE_FORMAT_UNKNOWN; whatever does not hold together is FILE_CORRUPT.
 */
export async function readXls(bytes: Buffer, limits: ReadLimits): Promise<{ table: RawTable } | { issues: Issue[] }> {
  try {
    const file = openCompoundFile(bytes);
    const workbook = streamNamed(file, 'Workbook');
    if (workbook === undefined) {
      if (streamNamed(file, 'Book') !== undefined) return { issues: [issue('FILE_XLS_OLD_VERSION')] };
      if (streamNamed(file, 'EncryptedPackage') !== undefined) return { issues: [issue('FILE_ENCRYPTED')] };
      return { issues: [issue('FILE_FORMAT_UNKNOWN')] };
    }
    if (workbook.size > limits.maxUncompressedBytes)
      return { issues: [limitExceeded('streamBytes', workbook.size, limits.maxUncompressedBytes)] };
    const book = openXlsBook(file.read(workbook));
    const worksheets = book.sheets.filter((sheet) => isWorksheetAt(book.stream, sheet.offset));
    if (worksheets.length > limits.maxSheets)
      return { issues: [limitExceeded('sheets', worksheets.length, limits.maxSheets)] };
    const sheets = worksheets.map((sheet) => ({
      name: sheet.name,
      visible: sheet.visible,
      rows: () => xlsSheetRows(book, sheet),
    }));
    return await tableOfSheets(sheets, 'xls', limits);
  } catch (error) {
    return { issues: [issueOfFailure(error)] };
  }
}
