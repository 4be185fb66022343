import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedFormCatalog } from '../../../../src/forms/shipped-forms.ts';
import { fingerprint } from '../../../../src/report/fingerprint.ts';
import { matchHeaders } from '../../../../src/report/match-headers.ts';
import { detectDelimiter } from '../../../../src/report/read/csv/csv-delimiter.ts';
import { readCsvAnyLayout } from '../../../../src/report/read/csv/read-csv.ts';
import { simpleCsvTable } from '../../../../src/report/read/csv/simple-csv.ts';
import { validateRows } from '../../../../src/report/validate.ts';
import type { Issue } from '../../../../src/schema/issue.ts';
import type { RawTable, ReadLimits } from '../../../../src/schema/raw-table.ts';
import { defaultLimits, readOut } from '../../../support/report-files.ts';

// The one-pass reader of the common CSV (simple-csv.ts) must make of a file exactly the table the
// general way makes, or leave the file to it. Generated files mostly take the one pass, and meet
// every rule of the general way it must keep or leave: blank and whitespace cells, total rows,
// the signature block, metadata columns, cells past the header, a row-number column, column
// numbers and second header rows under the header, label rows and headings above it, quotes,
// and limits set low enough to trip.
const catalog = shippedFormCatalog();
const ban = catalog.find('HTS-BAN')!;
const xa = catalog.find('HTS-XA')!;

const headerCell = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      ...ban.fields.flatMap((f) => [f.key, f.header]),
      ...xa.fields.flatMap((f) => [f.key, f.header]),
      'commune',
      'period',
      'form',
      'Mã xã',
      'Kỳ báo cáo',
      'Biểu mẫu',
      'Ghi chú',
      ' Số hộ ',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('STT', 'Mã xã: 03214', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', '(1)', '', ' '),
  },
);
const dataCell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5000 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('Bản 1', 'Thôn Nà Hỳ', 'Huổi Lếch', 'Bản', 'Có', 'Không', 'có', 'x', 'k') },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u00a0') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '03214',
      '2023-Q2',
      'Quý II/2023',
      'HTS-BAN',
      'Tổng cộng',
      'Cộng',
      'Người lập biểu',
      'Nậm Pồ, ngày 05 tháng 7 năm 2023',
      '(1)',
      '(2)',
      '1.234',
      '4 321',
      '12,5',
      '-3',
      'Mã xã:',
      'Mã xã: 03214',
      'a'.repeat(40),
    ),
  },
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** A CSV text: a header line (sometimes something above it), rows, blank lines, a separator, line ends. */
const csvText = fc
  .record({
    separator: fc.constantFrom(',', ';', '\t'),
    above: fc.oneof(
      { weight: 8, arbitrary: fc.constant([] as string[][]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.array(dataCell, { minLength: 0, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
      },
    ),
    header: fc.array(headerCell, { minLength: 1, maxLength: 10 }),
    rows: fc.array(fc.array(dataCell, { minLength: 0, maxLength: 12 }), { minLength: 0, maxLength: 12 }),
    columnNumbers: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    ends: fc.array(lineEnd, { minLength: 30, maxLength: 30 }),
    finalEnd: fc.boolean(),
    // A quoted field (holding the separator) on one line, now and then.
    quoted: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  })
  .map(({ separator, above, header, rows, columnNumbers, ends, finalEnd, quoted }) => {
    const numbers = columnNumbers ? [header.map((_, i) => `(${i + 1})`)] : [];
    const lines = [...above, header, ...numbers, ...rows].map((cells) => cells.join(separator));
    if (quoted !== null) lines[quoted % lines.length] += `${separator}"say ""hi""${separator} there"`;
    return lines.map((line, i) => line + (i < lines.length - 1 || finalEnd ? ends[i % ends.length]! : '')).join('');
  });

const low = (value: number, lowest: number, highest: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(value) },
    { weight: 1, arbitrary: fc.integer({ min: lowest, max: highest }) },
  );
const limits = fc.record({
  maxColumns: low(defaultLimits.maxColumns, 1, 12),
  maxCellChars: low(defaultLimits.maxCellChars, 1, 45),
  maxRows: low(defaultLimits.maxRows, 0, 12),
});

/** The table and what the worker makes of it as each form: its rows, issues and fingerprint. */
async function decided(read: { table: RawTable } | { issues: Issue[] }) {
  const out = await readOut(read);
  if (!('table' in read)) return { out };
  const forms = await Promise.all(
    [ban, xa].map(async (form) => {
      const matched = matchHeaders(form, read.table.headers, read.table.columnLabels);
      if ('issues' in matched) return matched;
      const validated = await validateRows(form, read.table, matched.map, 200, 100);
      return 'issues' in validated ? validated : { ...validated, fingerprint: fingerprint(form.code, validated.rows) };
    }),
  );
  return { out, forms };
}

describe('simpleCsvTable', () => {
  it('makes of every file it reads the table the general way makes, with the same rows, issues and fingerprint', async () => {
    let simple = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(csvText, limits, async (text, overrides) => {
        runs += 1;
        const chosen: ReadLimits = { ...defaultLimits, ...overrides };
        const delimiter = detectDelimiter(text);
        const fast = simpleCsvTable(text, delimiter, chosen);
        if (fast === null) return;
        simple += 1;
        expect(await decided(fast)).toEqual(await decided(await readCsvAnyLayout(text, delimiter, chosen)));
      }),
      { numRuns: 3000 },
    );
    // Most generated files take the one pass: the property says something of it.
    expect(simple).toBeGreaterThan(runs / 3);
  });

  it('reads the files of the national benchmark, a header of keys and metadata columns', async () => {
    const text =
      `commune,period,${ban.fields.map((f) => f.key).join(',')}\n` +
      '03214,2023-Q2,Bản 1,120,540,Có,Có,Không,250,130\n03214,2023-Q2,Bản 2,80,300,Không,Có,Có,100,40\n';
    const fast = simpleCsvTable(text, ',', defaultLimits);
    expect(fast).not.toBeNull();
    const general = await readCsvAnyLayout(text, ',', defaultLimits);
    expect(await decided(fast!)).toEqual(await decided(general));
    expect(await readOut(fast!)).toMatchObject({ table: { meta: { commune: '03214', period: '2023-Q2' } } });
  });

  it.each([
    ['a quoted field', 'a,b\n"1,2",3\n'],
    ['a blank first line', '\na,b\n1,2\n'],
    ['a row-number column', 'STT,a,b\n1,2,3\n'],
    ['a row of column numbers', 'a,b,c\n(1),(2),(3)\n4,5,6\n'],
    ['a text-only row under the header', 'a,b\nx,y\n1,2\n'],
    ['a label row first', 'Mã xã: 03214\na,b\n1,2\n'],
    ['a header with a gap', 'a,,b\n1,2,3\n'],
  ])('leaves to the general way a file with %s', (_, text) => {
    expect(simpleCsvTable(text, ',', defaultLimits)).toBeNull();
  });
});
