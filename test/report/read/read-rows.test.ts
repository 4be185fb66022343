import { describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/schema/issue.ts';
import type { ReadLimits } from '../../../src/schema/raw-table.ts';
import { readTable } from '../../../src/report/read/read-rows.ts';
import {
  banHeaders,
  banRows,
  cp1258Of,
  csvOf,
  defaultLimits,
  readOut,
  type ReadOutTable,
  seededBytes,
  utf16Of,
  xlsxOf,
  zipOf,
} from '../../support/report-files.ts';
import { officeFile } from '../../support/office-files.ts';

async function read(
  bytes: Buffer,
  options: { filename?: string; limits?: ReadLimits } = {},
): Promise<{ table: ReadOutTable } | { issues: Issue[] }> {
  return readOut(readTable(bytes, { filename: options.filename, limits: options.limits ?? defaultLimits }));
}

async function table(bytes: Buffer, filename?: string): Promise<ReadOutTable> {
  const result = await read(bytes, { filename });
  if ('issues' in result) throw new Error(result.issues.map((found) => `${found.code} ${found.message.en}`).join('; '));
  return result.table;
}

const report = [
  ['Biểu mẫu', 'Mã xã', 'Kỳ báo cáo', ...banHeaders],
  ...banRows.map((row) => ['HTS-BAN', '03214', 'Quý II/2023', ...row]),
];
const plain = Buffer.from(csvOf(report, ','), 'utf8');

const encodings: readonly (readonly [string, (text: string) => Buffer])[] = [
  ['UTF-8', (text) => Buffer.from(text, 'utf8')],
  ['UTF-8 with BOM', (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
  ['UTF-16 LE with BOM', (text) => utf16Of(text, 'le')],
  ['UTF-16 BE with BOM', (text) => utf16Of(text, 'be')],
  ['Windows-1258', cp1258Of],
];
const separators = [
  ['comma', ','],
  ['semicolon', ';'],
  ['tab', '\t'],
] as const;

describe('readTable', () => {
  it('reads the plain UTF-8 comma CSV of a village report', async () => {
    expect(await table(plain)).toEqual({
      format: 'csv',
      meta: { form: 'HTS-BAN', commune: '03214', period: 'Quý II/2023' },
      headers: banHeaders,
      columnLabels: banHeaders,
      rows: banRows.map((cells, i) => ({ row: i + 2, cells })),
    });
  });

  describe.each(encodings)('in %s', (_, encode) => {
    it.each(separators)(
      'a %s-separated file gives the same table as the plain UTF-8 comma CSV',
      async (__, separator) => {
        expect(await table(encode(csvOf(report, separator)))).toEqual(await table(plain));
      },
    );
  });

  it('gives the same table for a file that arrives decomposed (NFD), as macOS writes it', async () => {
    expect(await table(Buffer.from(csvOf(report, ';').normalize('NFD'), 'utf8'))).toEqual(await table(plain));
  });

  it('gives the same table for 8-bit TCVN3 and VNI files, converted with their tables', async () => {
    const tcvn3 = 'Tªn th«n/b¶n,Sè hé\r\nB¶n NËm På,120\r\n';
    const vni = 'Teân thoân/baûn,Soá hoä\r\nBaûn Naäm Poà,120\r\n';
    const expected = await table(Buffer.from('Tên thôn/bản,Số hộ\r\nBản Nậm Pồ,120\r\n'));
    expect(await table(Buffer.from(tcvn3, 'latin1'))).toEqual(expected);
    expect(await table(Buffer.from(vni, 'latin1'))).toEqual(expected);
  });

  it('tells the format from the content, the filename only settling what the content leaves open', async () => {
    const xlsx = await xlsxOf((workbook) => workbook.addWorksheet('S').addRow(['a', 'b']));
    expect((await table(xlsx, 'bao-cao.csv')).format).toBe('xlsx');
    expect((await table(Buffer.from('  [{"a": 1}]'), 'bao-cao.csv')).format).toBe('json');
    expect((await table(Buffer.from('a,b\n1,2\n'), 'bao-cao.xlsx')).format).toBe('csv');
    expect((await table(officeFile('nam-po/03156-hts-ban-2023-Q2.xls'), 'bao-cao.xlsx')).format).toBe('xls');
    expect((await table(officeFile('nam-po/03156-hts-ban-2023-Q2.ods'), 'bao-cao.xlsx')).format).toBe('ods');
    expect((await table(Buffer.from('[Tên thôn],b\n1,2\n'), 'bao-cao.csv')).headers).toEqual(['[Tên thôn]', 'b']);
    expect(await read(Buffer.from('[Tên thôn],b\n1,2\n'))).toEqual({
      issues: [expect.objectContaining({ code: 'JSON_INVALID' })],
    });
    expect(await read(Buffer.from('rows: []'), { filename: 'bao-cao.json' })).toEqual({
      issues: [expect.objectContaining({ code: 'JSON_INVALID' })],
    });
  });

  it('returns a header with no data rows as a table with no rows', async () => {
    expect((await table(Buffer.from(csvOf([banHeaders])))).rows).toEqual([]);
    expect((await table(Buffer.from('{"form": "HTS-BAN", "rows": []}'))).rows).toEqual([]);
  });

  it('refuses a file over the size limit before reading it', async () => {
    expect(await read(plain, { limits: { ...defaultLimits, maxBytes: 100 } })).toEqual({
      issues: [
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          message: expect.objectContaining({ en: expect.stringContaining(`: ${plain.length} (at most 100)`) }),
        }),
      ],
    });
  });

  it('stops reading a line of a million columns at once', async () => {
    const wide = Buffer.from(`${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`);
    expect(await read(wide)).toEqual({
      issues: [
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          row: 1,
          message: expect.objectContaining({ en: expect.stringContaining(': 1000000 (at most 64)') }),
        }),
      ],
    });
  });

  it('stops reading at a cell of 50 MB', async () => {
    const huge = Buffer.concat([
      Buffer.from('Tên thôn/bản,Số hộ\nBản Nậm Pồ,"'),
      Buffer.alloc(50 * 1024 * 1024, 'x'),
      Buffer.from('"\n'),
    ]);
    expect(await read(huge, { limits: { ...defaultLimits, maxBytes: 64 * 1024 * 1024 } })).toEqual({
      issues: [expect.objectContaining({ code: 'LIMIT_EXCEEDED', row: 2, column: 'Số hộ' })],
    });
  });

  describe('a malformed file gives a specific issue and never throws', async () => {
    const xlsx = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('Số liệu');
      sheet.addRow(banHeaders);
      for (const row of banRows) sheet.addRow(row);
    });
    const corrupted = Buffer.from(xlsx);
    corrupted.fill(0x55, 200, 400);
    const tooManySheets = await xlsxOf((workbook) => {
      for (let i = 0; i < 11; i++) workbook.addWorksheet(`S${i}`).addRow(['a', 'b']);
    });
    const corpus: readonly { name: string; bytes: Buffer; code: string; limits?: Partial<ReadLimits> }[] = [
      { name: 'an empty file', bytes: Buffer.alloc(0), code: 'FILE_EMPTY' },
      { name: 'a file of whitespace', bytes: Buffer.from(' \r\n\t \n'), code: 'FILE_EMPTY' },
      { name: 'a UTF-16 file of whitespace', bytes: utf16Of('  \r\n ', 'le'), code: 'FILE_EMPTY' },
      { name: 'a truncated XLSX', bytes: xlsx.subarray(0, Math.floor(xlsx.length * 0.6)), code: 'FILE_CORRUPT' },
      { name: 'an XLSX cut just before its end', bytes: xlsx.subarray(0, xlsx.length - 10), code: 'FILE_CORRUPT' },
      { name: 'a corrupt zip', bytes: corrupted, code: 'FILE_CORRUPT' },
      {
        name: 'a zip whose declared uncompressed size is huge',
        bytes: zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<w/>'), declaredSize: 4_000_000_000 }]),
        code: 'LIMIT_EXCEEDED',
      },
      {
        name: 'a zip of 300 MB of zeros',
        bytes: zipOf([{ name: 'xl/workbook.xml', data: Buffer.alloc(300 * 1024 * 1024) }]),
        code: 'LIMIT_EXCEEDED',
      },
      {
        name: 'a zip that is no workbook',
        bytes: zipOf([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]),
        code: 'FILE_FORMAT_UNKNOWN',
      },
      {
        name: 'an OLE file of random bytes',
        bytes: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), seededBytes(2048, 5)]),
        code: 'FILE_CORRUPT',
      },
      {
        name: 'an ODS zip without its content',
        bytes: zipOf([
          { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
        ]),
        code: 'FILE_FORMAT_UNKNOWN',
      },
      {
        name: 'binary garbage (a PNG)',
        bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), seededBytes(4096, 11)]),
        code: 'FILE_FORMAT_UNKNOWN',
      },
      {
        name: 'a web page saved as .xls',
        bytes: Buffer.from('<html><body><table><tr><td>Tên thôn/bản</td></tr></table></body></html>'),
        code: 'FILE_FORMAT_UNKNOWN',
      },
      { name: 'random bytes', bytes: seededBytes(10_000, 42), code: 'FILE_FORMAT_UNKNOWN' },
      {
        name: '8-bit text in no Vietnamese encoding',
        bytes: Buffer.from(Array.from({ length: 2000 }, (_, i) => (i % 5 === 0 ? 0x20 : 0xa0 + ((i * 13) % 0x5f)))),
        code: 'ENCODING_UNKNOWN',
      },
      {
        name: 'too many rows',
        bytes: Buffer.from(csvOf([['a'], ...Array.from({ length: 30 }, (_, i) => [String(i)])])),
        code: 'LIMIT_EXCEEDED',
        limits: { maxRows: 20 },
      },
      { name: 'too many sheets', bytes: tooManySheets, code: 'LIMIT_EXCEEDED' },
      { name: 'invalid JSON', bytes: Buffer.from('[{"Tên thôn/bản": "Bản Nậm Pồ",}]'), code: 'JSON_INVALID' },
      { name: 'truncated JSON', bytes: Buffer.from('{"rows": [{"a": 1}'), code: 'JSON_INVALID' },
      { name: 'JSON of the wrong shape', bytes: Buffer.from('{"villages": [{"a": 1}]}'), code: 'JSON_SHAPE' },
      {
        name: 'JSON rows that are arrays',
        bytes: Buffer.from('[["Tên thôn/bản", "Số hộ"], ["Bản Nậm Pồ", 120]]'),
        code: 'JSON_SHAPE',
      },
      {
        name: 'deeply nested JSON',
        bytes: Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000)),
        code: 'JSON_SHAPE',
        limits: { maxBytes: 4_000_000 },
      },
      { name: 'a CSV with an unclosed quote', bytes: Buffer.from('a,b\n"Bản Nậm Pồ,1\n'), code: 'CSV_QUOTE_UNCLOSED' },
      {
        name: 'a CSV typed in a VNI font, saved as UTF-8',
        bytes: Buffer.from('Teân thoân/baûn,Soá hoä\nBaûn Naäm Poà,120\n'),
        code: 'ENCODING_LEGACY',
      },
    ];
    it.each(corpus)('$name → $code', async ({ bytes, code, limits }) => {
      const result = await read(bytes, { limits: { ...defaultLimits, ...limits } });
      expect('issues' in result && [...new Set(result.issues.map((found) => found.code))]).toEqual([code]);
    });
  });

  it('never throws on damaged copies of good files', async () => {
    const xlsx = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('Số liệu');
      sheet.getCell('A1').value = 'Biểu mẫu: HTS-BAN';
      sheet.addRow(banHeaders);
      for (const row of banRows) sheet.addRow([...row.slice(0, 7), { formula: 'C3/2', result: 1 }]);
    });
    const originals = [
      xlsx,
      plain,
      Buffer.from(JSON.stringify({ form: 'HTS-BAN', rows: [{ a: 1, b: 'Bản Nậm Pồ' }] })),
      officeFile('nam-po/03156-hts-ban-2023-Q2.xls'),
      officeFile('nam-po/03156-hts-ban-2023-Q2.ods'),
    ];
    const noise = seededBytes(100_000, 2024);
    let k = 0;
    const next = (n: number): number => (noise[k++ % noise.length]! * 256 + noise[k++ % noise.length]!) % n;
    for (const original of originals) {
      for (let trial = 0; trial < 60; trial++) {
        const damaged = Buffer.from(original);
        for (let flips = 1 + next(8); flips > 0; flips--) damaged[next(damaged.length)] = next(256);
        const cut = trial % 3 === 0 ? damaged.subarray(0, next(damaged.length)) : damaged;
        const result = await read(cut);
        expect('table' in result || result.issues.length > 0).toBe(true);
      }
    }
  });
});
