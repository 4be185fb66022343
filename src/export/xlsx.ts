import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { spreadsheetValue } from './neutralize-formula.ts';

/** A column with a header other than its key, and a cell format (Excel's numFmt) for its numbers or dates. */
export type SheetColumn = { readonly key: string; readonly header: string; readonly numFmt?: string };

/** Rows a worksheet holds below its header (Excel's 1,048,576 rows): a larger export goes on in another sheet. */
export const rowsPerSheet = 1_048_575;

/**
 * A workbook with a bold header row on each sheet, written as the rows are read. Text cells are
 * neutralized as in CSV: an XLSX string cell is not a formula, but the sheet is often saved on as
 * CSV or pasted elsewhere, where it would be. exceljs's streaming writer commits row by row; a
 * workbook held whole costs about 15 KB per row (100,000 rows: 1.5 GB). The writer ignores
 * backpressure, so the reading waits whenever the client has not taken what was written.
 */
export function xlsxStream(
  columnsOrKeys: readonly (string | SheetColumn)[],
  rows: AsyncIterable<Record<string, unknown>>,
  sheetName = 'tonghop',
  perSheet = rowsPerSheet,
): Readable {
  const columns = columnsOrKeys.map((c) => (typeof c === 'string' ? { key: c, header: c } : c));
  const stream = new PassThrough();
  void (async () => {
    // Loaded on first use: exceljs adds ~35 MB to a process, and most processes never write a workbook.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    let sheets = 0;
    const addSheet = () => {
      sheets += 1;
      const sheet = workbook.addWorksheet(sheets === 1 ? sheetName : `${sheetName} (${sheets})`, {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      sheet.columns = columns.map((c) => ({
        key: c.key,
        width: Math.min(40, Math.max(10, c.header.length + 2)),
        style: c.numFmt ? { numFmt: c.numFmt } : {},
      }));
      const head = sheet.addRow(columns.map((c) => c.header));
      head.font = { bold: true };
      head.commit();
      return sheet;
    };
    let sheet = addSheet();
    let inSheet = 0;
    for await (const row of rows) {
      if (inSheet === perSheet) {
        sheet.commit();
        sheet = addSheet();
        inSheet = 0;
      }
      sheet.addRow(columns.map((c) => spreadsheetValue(row[c.key]))).commit();
      inSheet += 1;
      if (stream.writableNeedDrain) await once(stream, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))));
  return stream;
}

/** The workbook of rows already in memory, as one buffer. */
export async function toXlsx(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  sheetName = 'tonghop',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of xlsxStream(
    columns,
    (async function* () {
      yield* rows;
    })(),
    sheetName,
  ))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
