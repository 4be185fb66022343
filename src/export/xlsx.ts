// Loaded on first use: exceljs adds ~35 MB to a process, and most processes never write a workbook.
import type ExcelJS from 'exceljs';
import { spreadsheetValue } from './neutralize-formula.ts';

/**
 * One worksheet with a bold header row. Text cells are neutralized as in CSV: an XLSX string cell
 * is not a formula, but the sheet is often saved on as CSV or pasted elsewhere, where it would be.
 */
export async function toXlsx(columns: readonly string[], rows: readonly Record<string, unknown>[], sheetName = 'tonghop'): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...columns]).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(columns.map((c) => spreadsheetValue(row[c])));
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
