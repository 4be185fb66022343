// Loaded on first use: exceljs adds ~35 MB to a process, and most processes never write a workbook.
import type ExcelJS from 'exceljs';
import type { FieldDef, Form } from '../../schema/form.ts';

/** Data rows a template offers for a village form; a commune rarely has more. */
const templateRows = 150;

function validationOf(field: FieldDef): ExcelJS.DataValidation | null {
  switch (field.type) {
    case 'yesno':
      return {
        type: 'list',
        allowBlank: true,
        formulae: ['"Có,Không"'],
        showErrorMessage: true,
        errorTitle: 'Có / Không',
        error: 'Chọn "Có" hoặc "Không" / Choose yes (Có) or no (Không).',
      };
    case 'integer':
      return {
        type: 'whole',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [0],
        showErrorMessage: true,
        errorTitle: 'Số nguyên / Whole number',
        error: 'Nhập số nguyên không âm / Enter a whole number, 0 or more.',
      };
    case 'text':
      return null;
  }
}

/**
 * A ready-to-fill workbook for a form: label cells for the commune code and period above a
 * table with the Vietnamese headers, drop-downs for yes/no and whole-number checks, built from
 * the form definition alone. The normalize worker reads it back as it is.
 */
export async function buildTemplate(form: Form): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'tonghop';
  const ws = wb.addWorksheet(form.code, { views: [{ state: 'frozen', ySplit: 6 }] });
  ws.getCell('A1').value = `${form.title.vi} (${form.title.en})`;
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A2').value = 'Biểu mẫu:';
  ws.getCell('B2').value = form.code;
  ws.getCell('A3').value = 'Mã xã:';
  ws.getCell('B3').numFmt = '@';
  ws.getCell('A4').value = 'Kỳ báo cáo:';
  ws.getCell('B4').numFmt = '@';
  // Hints go in notes: a text cell beside a label would make the row read as a table header.
  ws.getCell('B3').note = 'Mã xã 5 chữ số, ví dụ 03166 / 5-digit commune code';
  ws.getCell('B4').note = 'Ví dụ Quý III/2026 hoặc 2026-Q3 / e.g. 2026-Q3';
  for (const ref of ['B3', 'B4']) ws.getCell(ref).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

  const headerRow = ws.getRow(6);
  form.fields.forEach((field, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = field.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    ws.getColumn(i + 1).width = Math.max(14, Math.min(32, field.header.length + 2));
  });
  headerRow.height = 45;

  const rows = form.rows === 'one' ? 1 : templateRows;
  form.fields.forEach((field, i) => {
    const validation = validationOf(field);
    if (!validation) return;
    for (let r = 7; r < 7 + rows; r += 1) ws.getRow(r).getCell(i + 1).dataValidation = validation;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
