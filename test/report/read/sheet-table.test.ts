import { describe, expect, it } from 'vitest';
import type { RawCell } from '../../../src/schema/raw-table.ts';
import {
  findSheetTable,
  headerSearchRows,
  type CellRange,
  type GridRow,
  type SheetGrid,
} from '../../../src/report/read/sheet-table.ts';
import { readXlsx } from '../../../src/report/read/xlsx/read-xlsx.ts';
import { banHeaders, defaultLimits, readOut, rewriteXlsx, xlsxOf } from '../../support/report-files.ts';

/** A grid from rows of cells, from column A, row 1 down; null leaves a cell empty, an empty row is no row. */
function grid(rows: readonly (readonly RawCell[])[], merges: readonly CellRange[] = []): SheetGrid {
  const gridRows: GridRow[] = rows.flatMap((cells, i) => {
    const kept = cells.flatMap((value, c) => (value === null ? [] : [{ column: c + 1, value }]));
    return kept.length === 0 ? [] : [{ row: i + 1, cells: kept }];
  });
  return {
    rows: async function* () {
      yield gridRows;
    },
    mergesFrom: async (row) => merges.filter((merge) => merge.top === row),
  };
}

async function tableOf(rows: readonly (readonly RawCell[])[], merges: readonly CellRange[] = []) {
  const found = await findSheetTable(grid(rows, merges));
  if (found === null || 'notFound' in found) throw new Error(`no table: ${JSON.stringify(found)}`);
  return found.table;
}

describe('findSheetTable', () => {
  it('takes a group title over its sub-columns as a header over two rows: the sub-column header is the column’s', async () => {
    const table = await tableOf([
      ['Biểu mẫu:', 'HTS-BAN'],
      [],
      ['STT', 'Tên thôn/bản', 'Số hộ', 'Hạ tầng', null, 'Ghi chú'],
      [null, null, null, 'Có internet cáp quang', 'Có sóng di động', null],
      [1, 'Bản Nậm Pồ', 120, 'Có', 'Có', null],
    ]);
    expect(table).toMatchObject({
      confident: true,
      headerRow: 3,
      firstColumn: 1,
      lastColumn: 6,
      headers: ['STT', 'Tên thôn/bản', 'Số hộ', 'Có internet cáp quang', 'Có sóng di động', 'Ghi chú'],
      dataIndex: 3,
    });
  });

  it('knows a second header row by the merged cells reaching down into it, when no sub-column stands under an empty cell', async () => {
    const rows = [
      ['STT', 'Tên thôn/bản', 'Hạ tầng'],
      [null, null, 'Có internet cáp quang'],
      [1, 'Bản Nậm Pồ', 'Có'],
    ];
    expect(
      (
        await tableOf(rows, [
          { top: 1, left: 1, bottom: 2, right: 1 },
          { top: 1, left: 2, bottom: 2, right: 2 },
        ])
      ).headers,
    ).toEqual(['STT', 'Tên thôn/bản', 'Có internet cáp quang']);
    // Without the merges, the second row is a row of text under a full header: the first data row.
    expect((await tableOf(rows)).headers).toEqual(['STT', 'Tên thôn/bản', 'Hạ tầng']);
  });

  it.each([
    ['(1) (2) (3)', ['(1)', '(2)', '(3)']],
    ['1 2 3 as numbers', [1, 2, 3]],
    ['1 2 3 as text', ['1', '2', '3']],
    ['A B then numbers', ['A', 'B', '(1)']],
    ['with a computed column', ['(1)', '(2)', '(3)=(2)/(1)']],
  ])('skips the column-number row under the header: %s', async (_, numbers) => {
    const table = await tableOf([['Tên thôn/bản', 'Số hộ', 'Số nhân khẩu'], numbers, ['Bản Nậm Pồ', 120, 540]]);
    expect(table.dataIndex).toBe(2);
  });

  it.each([
    ['rising by more than one', [1, 3, 5]],
    ['small counts', [3, 1, 2]],
    ['two bare numbers of a two-column table', [1, 2, null]],
    ['a village and figures', ['Bản A', 1, 2]],
  ])('keeps a data row that only resembles column numbers: %s', async (_, cells) => {
    const table = await tableOf([['Tên thôn/bản', 'Số hộ', 'Số nhân khẩu'], cells, ['Bản Nậm Pồ', 120, 540]]);
    expect(table.dataIndex).toBe(1);
  });

  it('skips the column-number row under a header over two rows', async () => {
    const table = await tableOf([
      ['Tên thôn/bản', 'Hạ tầng', null],
      [null, 'Có internet cáp quang', 'Có sóng di động'],
      ['(1)', '(2)', '(3)'],
      ['Bản Nậm Pồ', 'Có', 'Có'],
    ]);
    expect(table).toMatchObject({
      headers: ['Tên thôn/bản', 'Có internet cáp quang', 'Có sóng di động'],
      dataIndex: 3,
    });
  });

  it('passes over the national heading of an official document above the title', async () => {
    const table = await tableOf([
      ['UBND XÃ NẬM PỒ', null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
      ['Số: 12/BC-UBND', null, 'Độc lập - Tự do - Hạnh phúc'],
      ['BÁO CÁO HẠ TẦNG SỐ'],
      ['Tên thôn/bản', 'Số hộ'],
      ['Bản Nậm Pồ', 120],
    ]);
    expect(table).toMatchObject({ headerRow: 4, headers: ['Tên thôn/bản', 'Số hộ'] });
  });

  it('passes over the number, subject and date lines under the motto (Nghị định 30/2020), and takes a header beside a date', async () => {
    for (const third of [
      ['Số: 12/BC-UBND', null, 'Nậm Tin, ngày 05 tháng 7 năm 2023'],
      ['Số:      /BC-UBND', null, '……, ngày … tháng … năm 2023'],
      ['V/v báo cáo hạ tầng số', null, 'Nậm Tin, ngày 05 tháng 7 năm 2023'],
    ]) {
      const table = await tableOf([
        ['UBND HUYỆN NẬM PỒ', null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
        ['UBND XÃ NẬM TIN', null, 'Độc lập - Tự do - Hạnh phúc'],
        third,
        ['BÁO CÁO HẠ TẦNG SỐ'],
        ['Tên thôn/bản', 'Số hộ'],
        ['Bản Nậm Pồ', 120],
      ]);
      expect(table, JSON.stringify(third)).toMatchObject({ headerRow: 5, headers: ['Tên thôn/bản', 'Số hộ'] });
    }
    // A row with anything else in it is no heading: a header that names a date column stays a header.
    const dated = await tableOf([
      ['Số hộ', 'Nậm Tin, ngày 05 tháng 7 năm 2023'],
      ['120', 'x'],
    ]);
    expect(dated).toMatchObject({ headerRow: 1 });
  });

  it(`looks for the header in the first ${headerSearchRows} rows, and says HEADER_NOT_FOUND of a sheet of labels past them`, async () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => [`Ngày lập ${i}: 01/07/2023`]);
    expect((await tableOf([...labels(headerSearchRows - 1), ['Tên thôn/bản', 'Số hộ']])).headerRow).toBe(
      headerSearchRows,
    );
    expect(await findSheetTable(grid([...labels(headerSearchRows), ['Tên thôn/bản', 'Số hộ']]))).toEqual({
      notFound: headerSearchRows,
    });
  });

  it('reads 80,000 label rows of an XLSX file into a named rejection, not quadratic time', async () => {
    const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const labelRows = Array.from(
      { length: 80_000 },
      (_, i) => `<row r="${i + 1}">${inline(`A${i + 1}`, `Mã xã: 0321${i % 10}`)}</row>`,
    ).join('');
    const header = `<row r="80001">${inline('A80001', 'Tên thôn/bản')}${inline('B80001', 'Số hộ')}</row>`;
    const bytes = rewriteXlsx(
      await xlsxOf((workbook) => (workbook.addWorksheet('S').getCell('A1').value = 'x')),
      'xl/worksheets/sheet1.xml',
      (xml) => xml.replace(/<sheetData>.*<\/sheetData>/su, `<sheetData>${labelRows}${header}</sheetData>`),
    );
    expect(bytes.length).toBeLessThan(1_000_000);
    const started = performance.now();
    const result = await readOut(readXlsx(bytes, defaultLimits));
    // Generous: the timing figure is the bench's (bench/office-layout.ts); before the fix this took ~15 s.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result).toEqual({
      issues: [
        expect.objectContaining({
          code: 'HEADER_NOT_FOUND',
          message: expect.objectContaining({ en: 'No table header row in the first 100 rows of the sheet.' }),
        }),
      ],
    });
  });

  it('reads a header over two rows from the merged cells of an XLSX file, naming the columns by letter and sub-column header', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.getCell('A1').value = 'STT';
      banHeaders.slice(0, 3).forEach((header, i) => (sheet.getCell(1, i + 2).value = header));
      sheet.getCell('E1').value = 'Hạ tầng';
      banHeaders.slice(3).forEach((header, i) => (sheet.getCell(2, i + 5).value = header));
      for (const column of ['A', 'B', 'C', 'D']) sheet.mergeCells(`${column}1:${column}2`);
      sheet.mergeCells('E1:I1');
      [1, 'Bản Nậm Pồ', 120, 540, 'có', 'có', 'có', 250, 130].forEach(
        (value, i) => (sheet.getCell(3, i + 1).value = value),
      );
    });
    const result = await readOut(readXlsx(bytes, defaultLimits));
    if ('issues' in result) throw new Error(JSON.stringify(result.issues));
    expect(result.table).toMatchObject({
      headers: banHeaders,
      columnLabels: banHeaders.map((header, i) => `${'BCDEFGHI'[i]} (${header})`),
      rows: [{ row: 3, cells: ['Bản Nậm Pồ', 120, 540, 'có', 'có', 'có', 250, 130] }],
    });
  });
});
