import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../../../src/report/read/csv/csv-delimiter.ts';
import { readCsv } from '../../../../src/report/read/csv/read-csv.ts';
import {
  banHeaders,
  banRows,
  csvOf,
  defaultLimits,
  readOut,
  type ReadOutTable,
} from '../../../support/report-files.ts';

async function table(text: string, limits = defaultLimits): Promise<ReadOutTable> {
  const result = await readOut(readCsv(text, limits));
  if ('issues' in result) throw new Error(result.issues.map((found) => `${found.code} ${found.message.en}`).join('; '));
  return result.table;
}

async function codes(text: string, limits = defaultLimits): Promise<string[]> {
  const result = await readOut(readCsv(text, limits));
  return 'issues' in result ? result.issues.map((found) => found.code) : [];
}

describe('readCsv', () => {
  it('reads the header row and the data rows, numbering them as Excel shows the file', async () => {
    expect(await table(csvOf([banHeaders, ...banRows]))).toEqual({
      format: 'csv',
      meta: {},
      headers: banHeaders,
      columnLabels: banHeaders,
      rows: banRows.map((cells, i) => ({ row: i + 2, cells })),
    });
  });

  it.each([',', ';', '\t'])(
    'detects the separator %j, with quoted fields holding separators, quotes and line breaks',
    async (separator) => {
      const parsed = await table(csvOf([banHeaders, ...banRows], separator));
      expect(parsed.headers).toEqual(banHeaders);
      expect(parsed.rows.map((row) => row.cells)).toEqual(banRows);
    },
  );

  it('is not misled by commas inside an unquoted header of a semicolon file', async () => {
    const xa = 'Số máy tính;Số cán bộ, công chức;Số cán bộ, công chức được trang bị máy tính\n12;20;18\n';
    expect(detectDelimiter(xa)).toBe(';');
    expect((await table(xa)).headers).toEqual([
      'Số máy tính',
      'Số cán bộ, công chức',
      'Số cán bộ, công chức được trang bị máy tính',
    ]);
  });

  it('ends records at CRLF, LF or CR alike', async () => {
    const rows = [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ];
    for (const lineEnd of ['\r\n', '\n', '\r'])
      expect((await table(csvOf(rows, ',', lineEnd))).rows.map((row) => row.cells)).toEqual([
        ['1', '2'],
        ['3', '4'],
      ]);
  });

  it('takes the first non-empty row as the header and skips empty rows, keeping Excel row numbers', async () => {
    const parsed = await table('\n;;\nTên thôn/bản;Số hộ\n\nBản Nậm Pồ;120\n ; \nHuổi Lếch;\n');
    expect(parsed.headers).toEqual(['Tên thôn/bản', 'Số hộ']);
    expect(parsed.rows).toEqual([
      { row: 5, cells: ['Bản Nậm Pồ', '120'] },
      { row: 7, cells: ['Huổi Lếch', null] },
    ]);
  });

  it('counts a record with a line break inside quotes as one row, as Excel does', async () => {
    expect((await table('a,b\n"x\ny",1\nz,2\n')).rows.map((row) => row.row)).toEqual([2, 3]);
  });

  it('keeps a header with no data rows as a table with no rows', async () => {
    expect((await table(csvOf([banHeaders]))).rows).toEqual([]);
  });

  it('drops the empty columns Excel writes as trailing separators, and pads short rows with nulls', async () => {
    const parsed = await table('a;b;;;\n1;;;;\n2\n');
    expect(parsed.headers).toEqual(['a', 'b']);
    expect(parsed.rows.map((row) => row.cells)).toEqual([
      ['1', null],
      ['2', null],
    ]);
  });

  it('labels a column without a header by its letter', async () => {
    expect((await table('a,,c\n1,2,3\n')).columnLabels).toEqual(['a', 'B', 'c']);
  });

  it('takes form, commune and period columns, English or Vietnamese, out of the table into meta', async () => {
    const parsed = await table(
      'Biểu mẫu,Tên thôn/bản,ma_xa,Số hộ,PERIOD\nHTS-BAN,Bản Nậm Pồ,03214,120,Quý II/2023\nHTS-BAN,Huổi Lếch,03214,85,\n',
    );
    expect(parsed.meta).toEqual({ form: 'HTS-BAN', commune: '03214', period: 'Quý II/2023' });
    expect(parsed.headers).toEqual(['Tên thôn/bản', 'Số hộ']);
    expect(parsed.rows).toEqual([
      { row: 2, cells: ['Bản Nậm Pồ', '120'] },
      { row: 3, cells: ['Huổi Lếch', '85'] },
    ]);
  });

  it('rejects metadata that differs between rows with META_CONFLICT at the cell', async () => {
    const result = await readOut(readCsv('commune,Tên thôn/bản\n03214,Bản Nậm Pồ\n03215,Huổi Lếch\n', defaultLimits));
    expect(result).toEqual({
      issues: [expect.objectContaining({ code: 'META_CONFLICT', row: 3, column: 'commune', value: '03215' })],
    });
  });

  it('keeps a quote inside an unquoted field, and text after a closing quote, as Excel does', async () => {
    expect((await table('a,b\nThôn "Mới",x\n"Bản" A,y\n')).rows.map((row) => row.cells)).toEqual([
      ['Thôn "Mới"', 'x'],
      ['Bản A', 'y'],
    ]);
  });

  it('reports a quote that is never closed at the row where it opens', async () => {
    expect(await readOut(readCsv('a,b\n1,2\n"Bản Nậm Pồ,3\n4,5\n', defaultLimits))).toEqual({
      issues: [expect.objectContaining({ code: 'CSV_QUOTE_UNCLOSED', row: 3 })],
    });
  });

  it('stops at the first row wider than the column limit, giving its real width', async () => {
    const limits = { ...defaultLimits, maxColumns: 3 };
    expect(await readOut(readCsv('a,b,c\n1,2,3,4,,,\n', limits))).toEqual({
      issues: [
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          row: 2,
          message: expect.objectContaining({ en: expect.stringContaining(': 4 (at most 3)') }),
        }),
      ],
    });
    expect(await codes('a,b,c,,,,\n1,2,3,,,\n', limits)).toEqual([]);
  });

  it('stops at the first cell longer than the limit, naming its row and column', async () => {
    const limits = { ...defaultLimits, maxCellChars: 10 };
    expect(await readOut(readCsv('a,b\n1,"12345678901"\n', limits))).toEqual({
      issues: [
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          row: 2,
          column: 'b',
          message: expect.objectContaining({ en: expect.stringContaining(': 11 (at most 10)') }),
        }),
      ],
    });
    expect(await codes('a,b\n1,"12345678""9"\n', limits)).toEqual([]);
  });

  it('counts every data row when there are too many, keeping none', async () => {
    const text = csvOf([['a'], ...Array.from({ length: 25 }, (_, i) => [String(i)])]);
    expect(await readOut(readCsv(text, { ...defaultLimits, maxRows: 20 }))).toEqual({
      issues: [
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          message: expect.objectContaining({ en: expect.stringContaining(': 25 (at most 20)') }),
        }),
      ],
    });
  });

  it('calls a file of separators and blank lines empty', async () => {
    expect(await codes(';;\n\n;\n')).toEqual(['FILE_EMPTY']);
  });
});
