import { describe, expect, it } from 'vitest';
import { readJson } from '../../../../src/report/read/json/read-json.ts';
import { defaultLimits, readOut, type ReadOutTable } from '../../../support/report-files.ts';

async function table(value: unknown): Promise<ReadOutTable> {
  const result = await readOut(readJson(JSON.stringify(value), defaultLimits));
  if ('issues' in result) throw new Error(result.issues.map((found) => found.code).join(', '));
  return result.table;
}

async function issuesOf(text: string, limits = defaultLimits): Promise<unknown> {
  const result = await readOut(readJson(text, limits));
  return 'issues' in result ? result.issues : result.table;
}

const rows = [
  { 'Tên thôn/bản': 'Bản Nậm Pồ', 'Số hộ': 120, 'Có sóng di động': true },
  { 'Tên thôn/bản': 'Huổi Lếch', 'Có sóng di động': 'không', 'Số nhân khẩu': '390', 'Ghi chú': null },
];

const expected = {
  format: 'json',
  headers: ['Tên thôn/bản', 'Số hộ', 'Có sóng di động', 'Số nhân khẩu', 'Ghi chú'],
  columnLabels: ['Tên thôn/bản', 'Số hộ', 'Có sóng di động', 'Số nhân khẩu', 'Ghi chú'],
  rows: [
    { row: 1, cells: ['Bản Nậm Pồ', 120, true, null, null] },
    { row: 2, cells: ['Huổi Lếch', null, 'không', '390', null] },
  ],
};

describe('readJson', () => {
  it('reads an array of row objects: headers are the union of keys in first-seen order, numbers and booleans kept', async () => {
    expect(await table(rows)).toEqual({ ...expected, meta: {} });
  });

  it('reads { form, commune, period, rows } with the metadata into meta', async () => {
    expect(await table({ form: 'HTS-BAN', commune: '03214', period: '2023-Q2', rows })).toEqual({
      ...expected,
      meta: { form: 'HTS-BAN', commune: '03214', period: '2023-Q2' },
    });
  });

  it('takes form, commune and period fields of rows into meta, and a commune given as a number as its digits', async () => {
    const parsed = await table({
      period: 'Quý II/2023',
      rows: rows.map((row) => ({ form: 'HTS-BAN', ma_xa: 3214, ...row })),
    });
    expect(parsed.meta).toEqual({ form: 'HTS-BAN', commune: '3214', period: 'Quý II/2023' });
    expect(parsed.headers).toEqual(expected.headers);
  });

  it('rejects a row whose metadata differs from the top level with META_CONFLICT', async () => {
    expect(await issuesOf(JSON.stringify({ commune: '03214', rows: [{ commune: '03215', a: 1 }] }))).toEqual([
      expect.objectContaining({ code: 'META_CONFLICT', row: 1, column: 'commune', value: '03215' }),
    ]);
  });

  it('keeps an empty rows array as a table with no rows', async () => {
    expect((await table({ form: 'HTS-XA', rows: [] })).rows).toEqual([]);
  });

  it('composes decomposed (NFD) keys and strings, even when written as escapes', async () => {
    const parsed = await table([{ ['Số hộ'.normalize('NFD')]: 'Bản Nậm Pồ'.normalize('NFD') }]);
    expect(parsed.headers).toEqual(['Số hộ']);
    expect(parsed.rows[0]?.cells).toEqual(['Bản Nậm Pồ']);
    const escaped = await readOut(readJson('[{"a": "Na\\u0300"}]', defaultLimits));
    expect('table' in escaped && escaped.table.rows[0]?.cells).toEqual(['Nà']);
  });

  it('reports a syntax error with its line and column', async () => {
    expect(await issuesOf('[\n  {"a": 1,}\n]')).toEqual([
      expect.objectContaining({
        code: 'JSON_INVALID',
        message: expect.objectContaining({ en: 'The JSON file has a syntax error at line 2, column 11.' }),
      }),
    ]);
    expect(await issuesOf('[{"a": 1}')).toEqual([expect.objectContaining({ code: 'JSON_INVALID' })]);
  });

  it.each([
    ['a number', '42'],
    ['an object without rows', '{"form": "HTS-BAN"}'],
    ['rows that is not an array', '{"rows": {"a": 1}}'],
    ['a string', '"Bản Nậm Pồ"'],
  ])('rejects %s with JSON_SHAPE', async (_, text) => {
    expect(await issuesOf(text)).toEqual([expect.objectContaining({ code: 'JSON_SHAPE', row: null })]);
  });

  it('rejects each row that is not an object, at its row', async () => {
    expect(await issuesOf('[{"a": 1}, [1, 2], null, "x"]')).toEqual(
      [2, 3, 4].map((row) => expect.objectContaining({ code: 'JSON_SHAPE', row })),
    );
  });

  it('rejects deeply nested JSON without recursing into it', async () => {
    const depth = 100_000;
    expect(await issuesOf('['.repeat(depth) + ']'.repeat(depth))).toEqual([
      expect.objectContaining({ code: 'JSON_SHAPE', row: 1 }),
    ]);
    expect(await issuesOf(`[{"a": ${'['.repeat(depth)}${']'.repeat(depth)}}]`)).toEqual([
      expect.objectContaining({ code: 'JSON_VALUE_NESTED', row: 1, column: 'a' }),
    ]);
  });

  it('enforces the row, column and cell-length limits', async () => {
    const limits = { ...defaultLimits, maxRows: 2, maxColumns: 2, maxCellChars: 5 };
    expect(await issuesOf('[{"a":1},{"a":2},{"a":3}]', limits)).toEqual([
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    ]);
    expect(await issuesOf('[{"a":1,"b":2},{"c":3,"d":4}]', limits)).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        row: 2,
        message: expect.objectContaining({ en: expect.stringContaining(': 4 (at most 2)') }),
      }),
    ]);
    expect(await issuesOf('[{"a":"123456"}]', limits)).toEqual([
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', row: 1, column: 'a' }),
    ]);
  });

  it('does not let a "__proto__" key reach the prototype', async () => {
    const parsed = await table(JSON.parse('[{"__proto__": "x", "a": 1}]'));
    expect(parsed.headers).toEqual(['__proto__', 'a']);
    expect(parsed.rows[0]?.cells).toEqual(['x', 1]);
  });
});
