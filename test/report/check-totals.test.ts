import { describe, expect, it } from 'vitest';
import { matchHeaders } from '../../src/report/match-headers.ts';
import { readTable } from '../../src/report/read/read-rows.ts';
import { validateRows } from '../../src/report/validate.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import type { Issue } from '../../src/schema/issue.ts';
import { banHeaders, defaultLimits, xlsxOf } from '../support/report-files.ts';

const shipped = shippedFormCatalog();
const htsBan = shipped.find('HTS-BAN')!;

type Cell = string | number | null | { formula: string; result: number };

const villages: Cell[][] = [
  [1, 'Bản Nậm Pồ', 120, 540, 'Có', 'Có', 'Có', 250, 130],
  [2, 'Huổi Lếch', 85, 390, 'Không', 'Có', 'Không', 120, 60],
  [3, 'Nà Hỳ', 40, 180, 'x', 'c', 'k', 30, 12],
];

/** A village report with an STT column and the given total row under its villages, judged as the worker judges it. */
async function judged(total: Cell[], rows: Cell[][] = villages): Promise<{ rows: unknown[] } | { issues: Issue[] }> {
  const bytes = await xlsxOf((workbook) => {
    const ws = workbook.addWorksheet('S');
    ws.addRow(['STT', ...banHeaders]);
    for (const row of [...rows, total]) ws.addRow(row);
  });
  const read = await readTable(bytes, { filename: 'bao-cao.xlsx', limits: defaultLimits });
  if ('issues' in read) return read;
  const matched = matchHeaders(htsBan, read.table.headers, read.table.columnLabels);
  if ('issues' in matched) return matched;
  return validateRows(htsBan, read.table, matched.map, defaultLimits.maxCellChars, defaultLimits.maxIssues);
}

describe('a total row (SPEC §3)', () => {
  it('is no village, and is accepted when it adds up: sums of whole numbers, counts of yes', async () => {
    const result = await judged(['Tổng cộng', null, 245, 1110, 2, 3, 1, 400, 202]);
    expect(result).toEqual({ rows: expect.any(Array) });
    expect('rows' in result && result.rows).toHaveLength(3);
  });

  it('is checked only where it states a whole number: an empty cell, a dash or a mark state nothing', async () => {
    expect(
      await judged(['Cộng', '3 thôn', 245, null, '-', 'x', null, { formula: 'SUM(H2:H4)', result: 400 }, null]),
    ).toEqual({ rows: expect.any(Array) });
  });

  it('that does not add up is rejected, naming the column by letter and header, both figures and the row', async () => {
    const result = await judged(['Tổng cộng', null, 250, 1110, 3, 3, 1, { formula: 'SUM(H2:H4)', result: 401 }, 202]);
    expect(result).toEqual({
      issues: [
        expect.objectContaining({ code: 'TOTAL_MISMATCH', row: 5, column: 'C (Số hộ)', value: '250' }),
        expect.objectContaining({ code: 'TOTAL_MISMATCH', row: 5, column: 'E (Có internet cáp quang)', value: '3' }),
        expect.objectContaining({
          code: 'TOTAL_MISMATCH',
          row: 5,
          column: 'H (Số người dùng điện thoại thông minh)',
          value: '401',
        }),
      ],
    });
    const [households, fibre] = 'issues' in result ? result.issues : [];
    expect(households!.message).toEqual({
      vi: 'Dòng tổng cộng (dòng 5) ghi 250 ở cột C (Số hộ), nhưng tổng các dòng phía trên là 245.',
      en: 'The total row (row 5) says 250 in column C (Số hộ), but the rows above add up to 245.',
    });
    expect(fibre!.message.en).toBe(
      'The total row (row 5) says 3 in column E (Có internet cáp quang), but the rows above count 2 yes.',
    );
  });

  it('is not checked in a column with a cell that could not be read: that cell is the error', async () => {
    const rows = villages.map((row, i) => (i === 0 ? row.map((cell, c) => (c === 2 ? 'một trăm' : cell)) : row));
    const result = await judged(['Tổng cộng', null, 999, 1110, 2, 3, 1, 400, 202], rows);
    expect('issues' in result && result.issues.map((found) => `${found.code} ${found.column}`)).toEqual([
      'VALUE_NOT_INTEGER C (Số hộ)',
    ]);
  });
});

describe('a village name', () => {
  it.each(['Bản', 'THÔN', ' Tổ ', 'xóm'])('that is only its prefix (%j) is no name', async (name) => {
    const result = await judged([4, name, 1, 1, 'Có', 'Có', 'Có', 1, 1]);
    expect(result).toEqual({
      issues: [expect.objectContaining({ code: 'VALUE_PREFIX_ONLY', row: 5, column: 'B (Tên thôn/bản)', value: name })],
    });
  });

  it('that begins like a prefix is a name', async () => {
    expect(await judged([4, 'Bảnh', 1, 1, 'Có', 'Có', 'Có', 1, 1])).toEqual({ rows: expect.any(Array) });
  });
});
