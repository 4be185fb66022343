import type { Worksheet } from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../../../src/report/read/xlsx/read-xlsx.ts';
import {
  banHeaders,
  defaultLimits,
  readOut,
  rewriteXlsx,
  type ReadOutTable,
  xlsxOf,
  zipOf,
} from '../../../support/report-files.ts';

/** Writes values left to right from a cell, `B6` say. */
function put(sheet: Worksheet, from: string, values: readonly unknown[]): void {
  const start = sheet.getCell(from);
  values.forEach((value, i) => {
    sheet.getCell(Number(start.row), Number(start.col) + i).value = value as never;
  });
}

async function table(bytes: Buffer, limits = defaultLimits): Promise<ReadOutTable> {
  const result = await readOut(readXlsx(bytes, limits));
  if ('issues' in result) throw new Error(result.issues.map((found) => `${found.code} ${found.message.en}`).join('; '));
  return result.table;
}

async function issuesOf(bytes: Buffer, limits = defaultLimits): Promise<unknown> {
  const result = await readOut(readXlsx(bytes, limits));
  return 'issues' in result ? result.issues : result.table;
}

/** A commune report as officers fill it: a title, label cells, a blank row, the table from column B. */
async function report(): Promise<Buffer> {
  return xlsxOf((workbook) => {
    const sheet = workbook.addWorksheet('Số liệu');
    put(sheet, 'A1', ['BÁO CÁO HẠ TẦNG SỐ CẤP THÔN/BẢN']);
    put(sheet, 'A2', ['Biểu mẫu: HTS-BAN']);
    put(sheet, 'A3', ['Mã xã', '03214']);
    put(sheet, 'A4', ['Kỳ báo cáo:', null, 'Quý II/2023']);
    put(sheet, 'B6', banHeaders);
    put(sheet, 'B7', ['Bản Nậm Pồ', 120, 540, 'có', 'có', 'có', 250, 130]);
    put(sheet, 'B8', ['Huổi Lếch', 85, 390, 'không', 'có', 'không', 120, 60]);
    put(sheet, 'B10', ['Nà Hỳ', 40, 180, 'x', 'c', 'k', 30, 12]);
  });
}

describe('readXlsx', () => {
  it('takes label cells above the table as meta, keeps sheet row numbers and labels columns by letter and header', async () => {
    expect(await table(await report())).toEqual({
      format: 'xlsx',
      meta: { form: 'HTS-BAN', commune: '03214', period: 'Quý II/2023' },
      headers: banHeaders,
      columnLabels: banHeaders.map((header, i) => `${'BCDEFGHI'[i]} (${header})`),
      rows: [
        { row: 7, cells: ['Bản Nậm Pồ', 120, 540, 'có', 'có', 'có', 250, 130] },
        { row: 8, cells: ['Huổi Lếch', 85, 390, 'không', 'có', 'không', 120, 60] },
        { row: 10, cells: ['Nà Hỳ', 40, 180, 'x', 'c', 'k', 30, 12] },
      ],
    });
  });

  it('reads label and value side by side in one row, and ignores other `Label: value` rows', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Biểu mẫu', 'HTS-XA', 'Mã xã:', '03214', 'Kỳ báo cáo: 2023-Q2']);
      put(sheet, 'A2', ['Ngày lập: 01/07/2023', 'Người lập: Lò Văn A']);
      put(sheet, 'A3', ['Số máy tính', 'Số cán bộ, công chức']);
      put(sheet, 'A4', [12, 20]);
    });
    const parsed = await table(bytes);
    expect(parsed.meta).toEqual({ form: 'HTS-XA', commune: '03214', period: '2023-Q2' });
    expect(parsed.headers).toEqual(['Số máy tính', 'Số cán bộ, công chức']);
    expect(parsed.rows).toEqual([{ row: 4, cells: [12, 20] }]);
  });

  it('takes a note written beside a label and its value as a note, not as a table header', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Mã xã:', '03214', 'mã 5 chữ số, hỏi văn phòng huyện nếu chưa rõ']);
      put(sheet, 'A2', ['Kỳ báo cáo: Quý II/2023', 'ghi theo quý']);
      put(sheet, 'A3', ['Số máy tính', 'Số cán bộ, công chức']);
      put(sheet, 'A4', [12, 20]);
    });
    const parsed = await table(bytes);
    expect(parsed.meta).toEqual({ commune: '03214', period: 'Quý II/2023' });
    expect(parsed.headers).toEqual(['Số máy tính', 'Số cán bộ, công chức']);
    expect(parsed.rows).toEqual([{ row: 4, cells: [12, 20] }]);
  });

  it('reads a header naming metadata columns as the header, not as labels', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['form', 'commune', 'period', 'Tên thôn/bản']);
      put(sheet, 'A2', ['HTS-BAN', '03214', '2023-Q2', 'Bản Nậm Pồ']);
    });
    const parsed = await table(bytes);
    expect(parsed.meta).toEqual({ form: 'HTS-BAN', commune: '03214', period: '2023-Q2' });
    expect(parsed).toMatchObject({
      headers: ['Tên thôn/bản'],
      columnLabels: ['D (Tên thôn/bản)'],
      rows: [{ row: 2, cells: ['Bản Nậm Pồ'] }],
    });
  });

  it('rejects label cells that disagree with META_CONFLICT', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Mã xã: 03214']);
      put(sheet, 'A2', ['Mã xã', '03215']);
      put(sheet, 'A3', ['a', 'b']);
    });
    expect(await issuesOf(bytes)).toEqual([
      expect.objectContaining({ code: 'META_CONFLICT', row: 2, column: 'B', value: '03215' }),
    ]);
  });

  it('keeps a formula distinct from a value, with its cached result', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Số nhân khẩu', 'Số người dùng điện thoại thông minh']);
      put(sheet, 'A2', [540, { formula: 'A2/2', result: 270, shareType: 'shared', ref: 'B2:B3' }]);
      put(sheet, 'A3', [390, { sharedFormula: 'B2', result: 195 }]);
      put(sheet, 'A4', [1, { formula: 'NA()', result: { error: '#N/A' } }]);
    });
    expect((await table(bytes)).rows.map((row) => row.cells[1])).toEqual([
      { formula: 'A2/2', result: 270 },
      { formula: 'A3/2', result: 195 },
      { formula: 'NA()', result: '#N/A' },
    ]);
  });

  it('turns dates, rich text, hyperlinks and errors into text, and keeps numbers and booleans', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      put(sheet, 'A2', [
        new Date(Date.UTC(2023, 5, 30)),
        new Date(Date.UTC(2023, 5, 30, 8, 15)),
        { richText: [{ text: 'Bản ' }, { font: { bold: true }, text: 'Nậm Pồ' }] },
        { text: 'Huổi Lếch', hyperlink: 'https://example.org' },
        { error: '#DIV/0!' },
        1.5,
        false,
      ]);
    });
    expect((await table(bytes)).rows[0]?.cells).toEqual([
      '2023-06-30',
      '2023-06-30 08:15:00',
      'Bản Nậm Pồ',
      'Huổi Lếch',
      '#DIV/0!',
      1.5,
      false,
    ]);
  });

  it('composes decomposed (NFD) text into NFC', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Tên thôn/bản'.normalize('NFD'), 'Số hộ'.normalize('NFD')]);
      put(sheet, 'A2', ['Bản Nậm Pồ'.normalize('NFD'), 1]);
    });
    const parsed = await table(bytes);
    expect(parsed.headers).toEqual(['Tên thôn/bản', 'Số hộ']);
    expect(parsed.rows[0]?.cells[0]).toBe('Bản Nậm Pồ');
  });

  it('reads the first visible sheet that has a table, past instructions and hidden lists', async () => {
    const bytes = await xlsxOf((workbook) => {
      const lists = workbook.addWorksheet('Danh sách', { state: 'hidden' });
      put(lists, 'A1', ['Có', 'Không']);
      const help = workbook.addWorksheet('Hướng dẫn');
      put(help, 'A1', ['Điền mỗi thôn/bản một dòng.']);
      put(help, 'A2', ['Không sửa dòng tiêu đề.']);
      const data = workbook.addWorksheet('Số liệu');
      put(data, 'A1', ['Tên thôn/bản', 'Số hộ']);
      put(data, 'A2', ['Bản Nậm Pồ', 120]);
    });
    expect((await table(bytes)).rows).toEqual([{ row: 2, cells: ['Bản Nậm Pồ', 120] }]);
  });

  it('reads the sheet whose labels name the report, past an instructions sheet with a table of its own', async () => {
    const bytes = await xlsxOf((workbook) => {
      const help = workbook.addWorksheet('Hướng dẫn');
      put(help, 'A1', ['Cột', 'Cách ghi']);
      put(help, 'A2', ['Tên thôn/bản', 'Ghi tên thôn, bản']);
      put(help, 'A3', ['Mã xã: ghi mã 5 chữ số', 'Kỳ báo cáo: ghi như Quý II/2023']);
      const data = workbook.addWorksheet('Số liệu');
      put(data, 'A1', ['Biểu mẫu: HTS-BAN']);
      put(data, 'A2', ['Kỳ báo cáo: Quý II/2023']);
      put(data, 'A3', ['Tên thôn/bản', 'Số hộ']);
      put(data, 'A4', ['Bản Nậm Pồ', 120]);
    });
    expect(await table(bytes)).toMatchObject({
      meta: { form: 'HTS-BAN', period: 'Quý II/2023' },
      rows: [{ row: 4, cells: ['Bản Nậm Pồ', 120] }],
    });
  });

  it('reads the report beside an instructions sheet that names only the form, labelled or not', async () => {
    for (const labelled of [true, false]) {
      const bytes = await xlsxOf((workbook) => {
        const data = workbook.addWorksheet('Số liệu');
        if (labelled) put(data, 'A1', ['Mã xã: 03156']);
        put(data, 'A2', ['Tên thôn/bản', 'Số hộ']);
        put(data, 'A3', ['Bản Nậm Pồ', 120]);
        const help = workbook.addWorksheet('Hướng dẫn');
        put(help, 'A1', ['Biểu mẫu: HTS-BAN']);
        put(help, 'A2', ['Cột', 'Cách ghi']);
        put(help, 'A3', ['Tên thôn/bản', 'Ghi tên thôn, bản']);
      });
      expect((await table(bytes)).rows, `labelled ${labelled}`).toEqual([{ row: 3, cells: ['Bản Nậm Pồ', 120] }]);
    }
  });

  it('refuses a workbook with a report on each of two sheets, naming them, rather than read one and drop the other', async () => {
    const bytes = await xlsxOf((workbook) => {
      for (const quarter of ['I', 'II']) {
        const sheet = workbook.addWorksheet(`Quý ${quarter}`);
        put(sheet, 'A1', ['Biểu mẫu:', 'HTS-BAN']);
        put(sheet, 'A2', [`Kỳ báo cáo: Quý ${quarter}/2023`]);
        put(sheet, 'A3', ['Tên thôn/bản', 'Số hộ']);
        put(sheet, 'A4', ['Bản Nậm Pồ', 120]);
      }
    });
    expect(await issuesOf(bytes)).toEqual([
      expect.objectContaining({
        code: 'FILE_SEVERAL_REPORTS',
        message: { vi: expect.stringContaining('(Quý I, Quý II)'), en: expect.stringContaining('(Quý I, Quý II)') },
      }),
    ]);
  });

  it('reads the only sheet even when its header has a single column', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Mã xã: 03214']);
      put(sheet, 'A2', ['Tên thôn/bản']);
      put(sheet, 'A3', ['Bản Nậm Pồ']);
    });
    expect(await table(bytes)).toMatchObject({
      meta: { commune: '03214' },
      headers: ['Tên thôn/bản'],
      rows: [{ row: 3, cells: ['Bản Nậm Pồ'] }],
    });
  });

  it('calls a workbook with nothing in it empty', async () => {
    expect(await issuesOf(await xlsxOf((workbook) => workbook.addWorksheet('S')))).toEqual([
      expect.objectContaining({ code: 'FILE_EMPTY' }),
    ]);
  });

  it('reads quickly a template with merges, lists and column widths over whole columns', async () => {
    const template = rewriteXlsx(await report(), 'xl/worksheets/sheet1.xml', (xml) =>
      xml
        .replace('<sheetData>', '<cols><col min="1" max="16384" width="12" customWidth="1"/></cols><sheetData>')
        .replace(
          '</sheetData>',
          '</sheetData><mergeCells count="2"><mergeCell ref="A1:I1"/><mergeCell ref="A20:XFD1048576"/></mergeCells>' +
            '<dataValidations count="1"><dataValidation type="list" sqref="E7:G1048576"><formula1>"có,không"</formula1></dataValidation></dataValidations>',
        ),
    );
    expect((await table(template)).rows).toHaveLength(3);
    // Read naively, the merge alone is 17 billion cells and the test would time out.
  });

  it('rejects a workbook typed in a TCVN3 font, naming TCVN3', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      put(sheet, 'A1', ['Tªn th«n/b¶n', 'Sè hé']);
      put(sheet, 'A2', ['B¶n NËm På', 120]);
      put(sheet, 'A3', ['Huæi LÕch', 85]);
    });
    expect(await issuesOf(bytes)).toEqual([
      expect.objectContaining({
        code: 'ENCODING_LEGACY',
        message: expect.objectContaining({ en: expect.stringContaining('TCVN3') }),
      }),
    ]);
  });

  it('enforces the column, row and cell-length limits on the table', async () => {
    const bytes = await report();
    const tight = { ...defaultLimits, maxColumns: 7 };
    expect(await issuesOf(bytes, tight)).toEqual([expect.objectContaining({ code: 'LIMIT_EXCEEDED', row: 6 })]);
    expect(await issuesOf(bytes, { ...defaultLimits, maxRows: 2 })).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: expect.objectContaining({ en: expect.stringContaining(': 3 (at most 2)') }),
      }),
    ]);
    expect(await issuesOf(bytes, { ...defaultLimits, maxCellChars: 9 })).toEqual([
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', row: 6, column: 'B (Tên thôn/bản)' }),
    ]);
  });

  it('reads a package written by other tools: prefixed elements, inline strings, absolute part names, a hidden sheet first', async () => {
    const main = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const sheet = (rows: string): Buffer =>
      Buffer.from(`<?xml version="1.0"?><x:worksheet ${main}><x:sheetData>${rows}</x:sheetData></x:worksheet>`);
    const inline = (ref: string, text: string): string =>
      `<x:c r="${ref}" t="inlineStr"><x:is><x:t>${text}</x:t></x:is></x:c>`;
    const bytes = zipOf([
      {
        name: 'xl/workbook.xml',
        data: Buffer.from(
          `<x:workbook ${main} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets>` +
            '<x:sheet name="Danh sách" sheetId="1" state="hidden" r:id="R1"/><x:sheet name="Số liệu" sheetId="2" r:id="R2"/></x:sheets></x:workbook>',
        ),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="R1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/lists.xml"/>' +
            '<Relationship Id="R2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
            'Target="./worksheets/../worksheets/data.xml"/>' +
            '</Relationships>',
        ),
      },
      {
        name: 'xl/worksheets/lists.xml',
        data: sheet(`<x:row r="1">${inline('A1', 'Có')}${inline('B1', 'Không')}</x:row>`),
      },
      {
        name: 'xl/worksheets/data.xml',
        data: sheet(
          `<x:row r="1">${inline('A1', 'Mã xã:')}${inline('B1', '03214')}</x:row>` +
            `<x:row r="2">${inline('A2', 'Tên thôn/bản')}${inline('B2', 'Số hộ')}</x:row>` +
            `<x:row r="3">${inline('A3', 'Bản Nậm Pồ &amp; Nà Hỳ')}<x:c r="B3"><x:v>120</x:v></x:c></x:row>`,
        ),
      },
    ]);
    expect(await table(bytes)).toEqual({
      format: 'xlsx',
      meta: { commune: '03214' },
      headers: ['Tên thôn/bản', 'Số hộ'],
      columnLabels: ['A (Tên thôn/bản)', 'B (Số hộ)'],
      rows: [{ row: 3, cells: ['Bản Nậm Pồ & Nà Hỳ', 120] }],
    });
  });
});
