// Loaded on first use: exceljs adds ~35 MB to a process, and most processes never write a workbook.
import type ExcelJS from 'exceljs';
import type { FieldDefinition } from '../../schema/form-definition.ts';
import type { Form } from '../../schema/form.ts';

/** Data rows a template offers for a village form; a commune rarely has more. */
const templateRows = 150;

/** How the period cell is filled, for the form's periodicity. */
const periodExamples: Record<Form['periodicity'], string> = {
  month: 'Ví dụ Tháng 9/2026 hoặc 2026-09 / e.g. 2026-09',
  quarter: 'Ví dụ Quý III/2026 hoặc 2026-Q3 / e.g. 2026-Q3',
  half_year: 'Ví dụ 6 tháng đầu năm 2026 hoặc 2026-H1 / e.g. 2026-H1',
  nine_months: 'Ví dụ 9 tháng năm 2026 hoặc 2026-9M / e.g. 2026-9M',
  year: 'Ví dụ 2026 / e.g. 2026',
};

/** The cell check Excel applies as the officer types, from the field's type and bounds. */
function validationOf(field: FieldDefinition): ExcelJS.DataValidation | null {
  const allowBlank = !field.required;
  const check = { allowBlank, showErrorMessage: true };
  switch (field.type) {
    case 'yesno':
      return { ...check, type: 'list', formulae: ['"Có,Không"'], errorTitle: 'Có / Không', error: 'Chọn "Có" hoặc "Không" / Choose yes (Có) or no (Không).' };
    case 'choice':
      // A list longer than Excel's 255-character inline limit is left to the worker's check.
      return (field.choices ?? []).map((c) => c.vi).join(',').length > 250
        ? null
        : { ...check, type: 'list', formulae: [`"${(field.choices ?? []).map((c) => c.vi.replaceAll('"', '')).join(',')}"`], errorTitle: 'Lựa chọn / Choice', error: `Chọn một trong / Choose one of: ${(field.choices ?? []).map((c) => c.vi).join(', ')}` };
    case 'integer':
    case 'decimal': {
      const type = field.type === 'integer' ? 'whole' : 'decimal';
      const bounds = `${field.min ?? ''}…${field.max ?? ''}`;
      if (field.min !== undefined && field.max !== undefined) {
        return { ...check, type, operator: 'between', formulae: [field.min, field.max], errorTitle: 'Số / Number', error: `Nhập số trong khoảng / Enter a number in ${bounds}` };
      }
      if (field.min !== undefined) return { ...check, type, operator: 'greaterThanOrEqual', formulae: [field.min], errorTitle: 'Số / Number', error: `Nhập số từ ${field.min} / Enter a number, ${field.min} or more.` };
      if (field.max !== undefined) return { ...check, type, operator: 'lessThanOrEqual', formulae: [field.max], errorTitle: 'Số / Number', error: `Nhập số đến ${field.max} / Enter a number, ${field.max} or less.` };
      return null;
    }
    case 'date':
    case 'text':
      return null;
  }
}

/**
 * A ready-to-fill workbook for a form: label cells for the commune code and period above a
 * table with the Vietnamese headers, drop-downs for yes/no and choices and number checks, built
 * from the form version alone. The normalize worker reads it back as it is.
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
  ws.getCell('B4').note = periodExamples[form.periodicity];
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
