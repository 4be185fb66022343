import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../src/report/read/csv/read-csv.ts';
import { readXlsx } from '../../../src/report/read/xlsx/read-xlsx.ts';
import { csvOf, defaultLimits, readOut, xlsxOf, type ReadOutTable } from '../../support/report-files.ts';

type Cell = string | number | null;

/** A sheet from rows of cells from column A, row 1 down; null leaves a cell empty. */
async function sheet(rows: readonly (readonly Cell[])[]): Promise<ReadOutTable> {
  const bytes = await xlsxOf((workbook) => {
    const ws = workbook.addWorksheet('S');
    rows.forEach((cells, r) => cells.forEach((value, c) => value !== null && (ws.getCell(r + 1, c + 1).value = value)));
  });
  const result = await readOut(readXlsx(bytes, defaultLimits));
  if ('issues' in result) throw new Error(JSON.stringify(result.issues));
  return result.table;
}

const header = ['STT', 'Tên thôn/bản', 'Số hộ', 'Có internet cáp quang'];

describe('the rows of a table as offices lay them out', () => {
  it('leaves the STT column out, and the rows with nothing but their number', async () => {
    const table = await sheet([
      header,
      [1, 'Bản Nậm Pồ', 120, 'Có'],
      [2, null, null, null],
      [3, 'Huổi Lếch', 85, 'Không'],
    ]);
    expect(table).toMatchObject({
      headers: header.slice(1),
      columnLabels: ['B (Tên thôn/bản)', 'C (Số hộ)', 'D (Có internet cáp quang)'],
    });
    expect(table.rows).toEqual([
      { row: 2, cells: ['Bản Nậm Pồ', 120, 'Có'] },
      { row: 4, cells: ['Huổi Lếch', 85, 'Không'] },
    ]);
  });

  it('skips blank rows inside the table', async () => {
    const table = await sheet([header, [1, 'Bản Nậm Pồ', 120, 'Có'], [], [], [2, 'Huổi Lếch', 85, 'Không']]);
    expect(table.rows.map((row) => row.row)).toEqual([2, 5]);
  });

  it.each([
    'Tổng cộng',
    'Cộng',
    'Tổng',
    'TỔNG CỘNG:',
    'Tổng số',
    'TỔNG CỘNG XÃ',
    'Tổng toàn xã',
    'Toàn xã',
    'Cộng toàn thôn',
  ])('sets a total row called %j aside, at the bottom or at the top', async (label) => {
    const bottom = await sheet([
      header,
      [1, 'Bản Nậm Pồ', 120, 'Có'],
      [2, 'Huổi Lếch', 85, 'Không'],
      [label, null, 205, 1],
    ]);
    expect(bottom.rows.map((row) => row.row)).toEqual([2, 3]);
    expect(bottom.totals).toEqual([{ row: 4, cells: [null, 205, 1] }]);
    const top = await sheet([
      header,
      [null, label, 205, 1],
      [1, 'Bản Nậm Pồ', 120, 'Có'],
      [2, 'Huổi Lếch', 85, 'Không'],
    ]);
    expect(top.rows.map((row) => row.row)).toEqual([3, 4]);
    expect(top.totals).toEqual([{ row: 2, cells: [label, 205, 1] }]);
  });

  it('keeps a village whose name only begins like a total', async () => {
    expect((await sheet([header, [1, 'Bản Tổng Khao', 120, 'Có']])).rows).toHaveLength(1);
    // With no row-number column, the name is the first cell: `Cống Khê` (a sluice) and `Tổng Tây` are villages.
    for (const name of [
      'Cống Khê',
      'Tổng Tây',
      'Cộng Hòa',
      'Toàn Thắng',
      'Tống Xá',
      'Cống Thôn',
      'Tòng Bản',
      'Công Xã',
    ])
      expect(
        (
          await sheet([
            ['Tên thôn/bản', 'Số hộ', 'Có internet cáp quang'],
            [name, 120, 'Có'],
          ])
        ).rows,
      ).toHaveLength(1);
  });

  it.each([
    [
      'right under the table',
      [
        ['Nậm Pồ, ngày 05 tháng 7 năm 2023'],
        [null, 'Người lập biểu', null, 'Chủ tịch UBND xã'],
        [null, '(Ký, ghi rõ họ tên)', null, '(Ký, ghi rõ họ tên)'],
      ],
    ],
    [
      'after blank rows, in columns past the table',
      [
        [],
        [],
        [null, null, null, null, null, null, '……, ngày … tháng … năm ……'],
        [null, null, null, null, null, 'Thủ trưởng đơn vị'],
      ],
    ],
    ['as the names of the signers', [[null, 'Người lập biểu'], [], [], [null, 'Lò Văn A', null, 'Vàng A Sình']]],
    [
      'after the distribution list',
      [
        [null, 'Nơi nhận:', null, 'TM. UBND XÃ'],
        [null, '- UBND huyện;'],
        [null, '- Lưu VT.'],
      ],
    ],
  ])('ends the table at the signature block, %s', async (_, block) => {
    const table = await sheet([header, [1, 'Bản Nậm Pồ', 120, 'Có'], ...block, [9, 'Bản sau chữ ký', 1, 'Có']]);
    expect(table.rows).toEqual([{ row: 2, cells: ['Bản Nậm Pồ', 120, 'Có'] }]);
  });

  it('keeps a data row with a figure in it, whatever its text says', async () => {
    expect((await sheet([header, [1, 'Chủ tịch', 120, 'Có']])).rows).toHaveLength(1);
  });

  it('reads a CSV laid out the same way: title and labels above, column numbers, total row, signature block', async () => {
    const text = csvOf([
      ['BÁO CÁO HẠ TẦNG SỐ CẤP THÔN/BẢN', '', '', ''],
      ['Mã xã:', '03156', '', ''],
      ['Kỳ báo cáo: Quý II/2023', '', '', ''],
      header,
      ['(1)', '(2)', '(3)', '(4)'],
      ['1', 'Bản Nậm Pồ', '120', 'Có'],
      ['', '', '', ''],
      ['2', 'Huổi Lếch', '85', 'Không'],
      ['Tổng cộng', '', '205', '1'],
      ['', 'Người lập biểu', '', 'Chủ tịch UBND xã'],
    ]);
    const result = await readOut(readCsv(text, defaultLimits));
    if ('issues' in result) throw new Error(JSON.stringify(result.issues));
    expect(result.table).toEqual({
      format: 'csv',
      meta: { commune: '03156', period: 'Quý II/2023' },
      headers: header.slice(1),
      columnLabels: header.slice(1),
      rows: [
        { row: 6, cells: ['Bản Nậm Pồ', '120', 'Có'] },
        { row: 8, cells: ['Huổi Lếch', '85', 'Không'] },
      ],
      totals: [{ row: 9, cells: [null, '205', '1'] }],
    });
  });
});
