import { PassThrough } from 'node:stream';
import { spreadsheetValue } from './neutralize-formula.ts';

/**
 * One worksheet with a bold header row. Text cells are neutralized as in CSV: an XLSX string cell
 * is not a formula, but the sheet is often saved on as CSV or pasted elsewhere, where it would be.
 * Written with exceljs's streaming writer, row by row: a workbook held whole costs the ingest about
 * 15 KB per row (100,000 rows: 1.5 GB), a streamed one only what its rows take.
 */
export async function toXlsx(columns: readonly string[], rows: readonly Record<string, unknown>[], sheetName = 'tonghop'): Promise<Buffer> {
  // Loaded on first use: exceljs adds ~35 MB to a process, and most processes never write a workbook.
  const { default: Excel } = await import('exceljs');
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ key: c, width: Math.min(40, Math.max(10, c.length + 2)) }));
  const head = sheet.addRow([...columns]);
  head.font = { bold: true };
  head.commit();
  for (const row of rows) sheet.addRow(columns.map((c) => spreadsheetValue(row[c]))).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}
