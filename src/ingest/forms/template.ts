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
      return {
        ...check,
        type: 'list',
        formulae: ['"Có,Không"'],
        errorTitle: 'Có / Không',
        error: 'Chọn "Có" hoặc "Không" / Choose yes (Có) or no (Không).',
      };
    case 'choice':
      // A list longer than Excel's 255-character inline limit is left to the worker's check.
      return (field.choices ?? []).map((c) => c.vi).join(',').length > 250
        ? null
        : {
            ...check,
            type: 'list',
            formulae: [`"${(field.choices ?? []).map((c) => c.vi.replaceAll('"', '')).join(',')}"`],
            errorTitle: 'Lựa chọn / Choice',
            error: `Chọn một trong / Choose one of: ${(field.choices ?? []).map((c) => c.vi).join(', ')}`,
          };
    case 'integer':
    case 'decimal': {
      const type = field.type === 'integer' ? 'whole' : 'decimal';
      const bounds = `${field.min ?? ''}…${field.max ?? ''}`;
      if (field.min !== undefined && field.max !== undefined) {
        return {
          ...check,
          type,
          operator: 'between',
          formulae: [field.min, field.max],
          errorTitle: 'Số / Number',
          error: `Nhập số trong khoảng / Enter a number in ${bounds}`,
        };
      }
      if (field.min !== undefined)
        return {
          ...check,
          type,
          operator: 'greaterThanOrEqual',
          formulae: [field.min],
          errorTitle: 'Số / Number',
          error: `Nhập số từ ${field.min} / Enter a number, ${field.min} or more.`,
        };
      if (field.max !== undefined)
        return {
          ...check,
          type,
          operator: 'lessThanOrEqual',
          formulae: [field.max],
          errorTitle: 'Số / Number',
          error: `Nhập số đến ${field.max} / Enter a number, ${field.max} or less.`,
        };
      return null;
    }
    case 'date':
    case 'text':
      return null;
  }
}

/** Where the template's table starts: the header row, the column-number row under it, the first data row. */
const headerRow = 6;
const firstDataRow = headerRow + 2;

/**
 * A ready-to-fill workbook for a form, laid out as commune offices lay out a report: a title,
 * label cells for the form, the commune code and the period, a table with an `STT` column and
 * the Vietnamese headers, the column-number row under them, and the signature block below; drop-
 * downs for yes/no and choices and number checks. Built from the form version alone; the normalize
 * worker reads it back as it is (the table layer knows every part of this layout).
 */
export async function buildTemplate(form: Form): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'tonghop';
  const ws = wb.addWorksheet(form.code, { views: [{ state: 'frozen', ySplit: headerRow + 1 }] });
  const lastColumn = form.fields.length + 1;
  ws.getCell('A1').value = `${form.title.vi} (${form.title.en})`.toUpperCase();
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells(1, 1, 1, lastColumn);
  ws.getCell('B2').value = 'Biểu mẫu:';
  ws.getCell('C2').value = form.code;
  ws.getCell('B3').value = 'Mã xã:';
  ws.getCell('C3').numFmt = '@';
  ws.getCell('B4').value = 'Kỳ báo cáo:';
  ws.getCell('C4').numFmt = '@';
  // Hints go in notes: a text cell beside a label would make the row read as a table header.
  ws.getCell('C3').note = 'Mã xã 5 chữ số, ví dụ 03166 / 5-digit commune code';
  ws.getCell('C4').note = periodExamples[form.periodicity];
  for (const ref of ['C3', 'C4'])
    ws.getCell(ref).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

  const header = ws.getRow(headerRow);
  const numbers = ws.getRow(headerRow + 1);
  ['STT', ...form.fields.map((field) => field.header)].forEach((text, i) => {
    const cell = header.getCell(i + 1);
    cell.value = text;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    numbers.getCell(i + 1).value = `(${i + 1})`;
    numbers.getCell(i + 1).alignment = { horizontal: 'center' };
    numbers.getCell(i + 1).font = { italic: true };
    ws.getColumn(i + 1).width = i === 0 ? 6 : Math.max(14, Math.min(32, text.length + 2));
  });
  header.height = 45;

  const rows = form.rows === 'one' ? 1 : templateRows;
  for (let r = 0; r < rows; r += 1) ws.getRow(firstDataRow + r).getCell(1).value = r + 1;
  form.fields.forEach((field, i) => {
    const validation = validationOf(field);
    if (!validation) return;
    for (let r = firstDataRow; r < firstDataRow + rows; r += 1) ws.getRow(r).getCell(i + 2).dataValidation = validation;
  });

  // The signature block, which ends the table: the date line, who drew it up and who signs.
  const signature = firstDataRow + rows + 1;
  const signer = Math.max(3, lastColumn - 1);
  ws.getRow(signature).getCell(signer).value = '……, ngày … tháng … năm ……';
  ws.getRow(signature).getCell(signer).font = { italic: true };
  ws.getRow(signature + 1).getCell(2).value = 'Người lập biểu';
  ws.getRow(signature + 1).getCell(signer).value = 'Chủ tịch UBND xã';
  for (const column of [2, signer]) {
    ws.getRow(signature + 1).getCell(column).font = { bold: true };
    ws.getRow(signature + 2).getCell(column).value = '(Ký, ghi rõ họ tên)';
    ws.getRow(signature + 2).getCell(column).font = { italic: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
