import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type SheetColumn, xlsxStream } from '../../src/export/xlsx.ts';
import { readZipDirectory } from '../../src/report/read/zip/zip-directory.ts';
import { entryText } from '../../src/report/read/zip/zip-entry.ts';

async function workbookOf(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* yielded<T>(rows: readonly T[]) {
  yield* rows;
}

/**
 * Each sheet as LibreOffice reads the workbook and saves it as CSV (UTF-8, `,`, every sheet, cells
 * as shown): what an office makes of the file, not what our own code thinks it wrote.
 */
async function officeSheets(workbook: Buffer): Promise<Map<string, string[][]>> {
  const dir = await mkdtemp(join(tmpdir(), 'tonghop-xlsx-'));
  try {
    await writeFile(join(dir, 'book.xlsx'), workbook);
    await promisify(execFile)(
      'soffice',
      [
        '--headless',
        `-env:UserInstallation=file://${dir}/profile`,
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
        '--outdir',
        dir,
        join(dir, 'book.xlsx'),
      ],
      { timeout: 100_000 },
    );
    const sheets = new Map<string, string[][]>();
    for (const file of (await readdir(dir)).filter((f) => f.startsWith('book-') && f.endsWith('.csv')).sort())
      sheets.set(
        file.slice('book-'.length, -'.csv'.length),
        parse(await readFile(join(dir, file)), { relax_column_count: true }),
      );
    return sheets;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OOXML spells a character XML forbids `_xHHHH_` (and a literal `_x` as `_x005F_x`); exceljs leaves inline strings spelled. */
const ooxmlText = (text: string) =>
  text.replace(/_x([0-9A-Fa-f]{4})_/gu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

async function excelSheets(workbook: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(workbook as any);
  return book;
}

const hostile = [
  '=cmd|" /C calc"!A0',
  '+1+1',
  '-2',
  '@SUM(A1:A2)',
  '\tTab first',
  'bell\u0007 and\u0001 nul\u0000 vt\u000b ff\u000c us\u001f',
  'a ]]> b',
  '<b>&amp;</b> & "quoted" \'single\'',
  'Xã Nậm Pồ, Tỉnh Điện Biên 😀👍🏽',
  '  spaced  ',
  'line\nbreak\r\nand cr',
  'lone \ud800 half',
  'non-characters \ufffe \uffff',
  '_x0041_ is not A, _x005f_ not _',
];
/** The text a reader should find: formulas neutralized with `'`, each character kept, half a surrogate pair as U+FFFD. */
const expectedText = (s: string) => (/^[=+\-@\t\r]/u.test(s) ? `'${s}` : s).toWellFormed();

describe('the XLSX writer, read back by exceljs and by LibreOffice', () => {
  it('hostile text, numbers, booleans, dates, empty cells: every value as written, formulas neutralized', {
    timeout: 120_000,
  }, async () => {
    const when = new Date('2025-07-01T03:04:00Z');
    const columns: SheetColumn[] = [
      { key: 'i', header: 'Số' },
      { key: 'text', header: 'Tên <đơn vị> & "mã"' },
      { key: 'n', header: 'Giá trị' },
      { key: 'when', header: 'Lúc', numFmt: 'dd/mm/yyyy hh:mm' },
      { key: 'ok', header: 'Đúng' },
      { key: 'none', header: 'Trống' },
      { key: 'pct', header: 'Tỷ lệ', numFmt: '0.0' },
    ];
    const rows = hostile.map((text, i) => ({
      i: i + 1,
      text,
      n: 0.25 * i - 1,
      when,
      ok: i % 2 === 0,
      none: null,
      pct: 53.75,
    }));
    const workbook = await workbookOf(xlsxStream(columns, yielded(rows), 'Số liệu'));

    const book = await excelSheets(workbook);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Số liệu');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns.map((c) => c.header)]);
    expect(sheet.getRow(1).font).toMatchObject({ bold: true });
    for (let c = 1; c <= columns.length; c += 1) expect(sheet.getRow(1).getCell(c).font).toMatchObject({ bold: true });
    expect(sheet.actualRowCount).toBe(rows.length + 1);
    rows.forEach((row, i) => {
      const cells = sheet.getRow(i + 2);
      expect(cells.getCell(1).value).toBe(row.i);
      expect(ooxmlText(cells.getCell(2).value as string)).toBe(expectedText(row.text));
      expect(cells.getCell(3).value).toBe(row.n);
      expect(cells.getCell(4).value).toEqual(when);
      expect(cells.getCell(4).numFmt).toBe('dd/mm/yyyy hh:mm');
      expect(cells.getCell(5).value).toBe(row.ok);
      expect(cells.getCell(6).value).toBeNull();
      expect(cells.getCell(7).value).toBe(53.75);
      expect(cells.getCell(7).numFmt).toBe('0.0');
    });

    const office = await officeSheets(workbook);
    expect([...office.keys()]).toEqual(['Số liệu']);
    const [head, ...lines] = office.get('Số liệu')!;
    expect(head).toEqual(columns.map((c) => c.header));
    expect(lines).toEqual(
      rows.map((row) => [
        String(row.i),
        // A cell's line break is one character in LibreOffice: it reads CR LF as LF (exceljs above reads the CR too).
        expectedText(row.text).replaceAll('\r\n', '\n'),
        String(row.n),
        '01/07/2025 03:04',
        row.ok ? 'TRUE' : 'FALSE',
        '',
        '53.8',
      ]),
    );
  });

  it('past perSheet rows the export goes on in numbered sheets, every row once, each with its header', {
    timeout: 120_000,
  }, async () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ n: i + 1, name: `Xã ${i + 1}` }));
    const workbook = await workbookOf(xlsxStream(['n', 'name'], yielded(rows), 'rows', 4));
    const names = ['rows', 'rows (2)', 'rows (3)'];

    const book = await excelSheets(workbook);
    expect(book.worksheets.map((s) => s.name)).toEqual(names);
    const excelRows = book.worksheets.flatMap((s) => {
      expect(s.getRow(1).values).toEqual([undefined, 'n', 'name']);
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      return s.getRows(2, s.actualRowCount - 1)!.map((r) => ({ n: r.getCell(1).value, name: r.getCell(2).value }));
    });
    expect(excelRows).toEqual(rows);

    const office = await officeSheets(workbook);
    expect([...office.keys()].sort()).toEqual(names);
    const officeRows = names.flatMap((name) => {
      const [head, ...lines] = office.get(name)!;
      expect(head).toEqual(['n', 'name']);
      return lines.map(([n, name]) => ({ n: Number(n), name }));
    });
    expect(officeRows).toEqual(rows);
    expect(office.get('rows (3)')).toHaveLength(1 + 3);
  });

  it('a number or a date that is none (NaN, ±Infinity, an Invalid Date) is an error cell, never `NaN` as a value', async () => {
    const workbook = await workbookOf(
      xlsxStream(
        ['n', 'when'],
        yielded([
          { n: Number.NaN, when: new Date(Number.NaN) },
          { n: Number.NEGATIVE_INFINITY, when: new Date('2025-07-01T00:00:00Z') },
        ]),
      ),
    );
    const directory = readZipDirectory(workbook, 100);
    if (!('entries' in directory)) throw new Error('no ZIP directory');
    let xml = '';
    for await (const piece of entryText(
      workbook,
      directory.entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!,
    ))
      xml += piece;
    const values = [...xml.matchAll(/<c r="([A-Z]+\d+)"[^>]*>(?:<v>([^<]*)<\/v>)?/gu)].map(([, ref, v]) => [ref, v]);
    expect(values.slice(2)).toEqual([
      ['A2', '#NUM!'],
      ['B2', '#NUM!'],
      ['A3', '#NUM!'],
      ['B3', String(Date.UTC(2025, 6, 1) / 86_400_000 + 25_569)],
    ]);
    expect(xml).toMatch(/<c r="B2"[^>]* t="e">/u);
  });

  it('an empty export is a sheet with its header', async () => {
    const book = await excelSheets(await workbookOf(xlsxStream(['a', 'b'], yielded([]))));
    expect(book.worksheets.map((s) => [s.name, s.actualRowCount])).toEqual([['tonghop', 1]]);
  });

  it('reads no further than the client has taken (backpressure), then writes every row', async () => {
    let read = 0;
    const total = 200_000;
    async function* counted() {
      for (let i = 0; i < total; i += 1) {
        read += 1;
        yield { n: i, name: `Xã Nậm Pồ ${i}` };
      }
    }
    const stream = xlsxStream(['n', 'name'], counted());
    // Nobody reads: the writer stops once the buffers between it and the client are full.
    let before = -1;
    while (read !== before) {
      before = read;
      for (let i = 0; i < 50; i += 1) await nextTurn();
    }
    expect(read).toBeLessThan(total / 4);
    const book = await excelSheets(await workbookOf(stream));
    expect(book.worksheets[0]!.actualRowCount).toBe(total + 1);
  });

  it('a client that goes away ends the reading: the rows (a cursor) are closed, not left waiting', async () => {
    let closed = false;
    async function* endless() {
      try {
        for (let i = 0; ; i += 1) yield { n: i, name: `Xã ${i}` };
      } finally {
        closed = true;
      }
    }
    const stream = xlsxStream(['n', 'name'], endless());
    for await (const _ of stream) break;
    while (!closed) await nextTurn();
    expect(closed).toBe(true);
  });

  it('a failure while reading the rows fails the stream: no workbook that looks whole', async () => {
    async function* failing() {
      yield { n: 1 };
      throw new Error('the cursor broke');
    }
    await expect(workbookOf(xlsxStream(['n'], failing()))).rejects.toThrow('the cursor broke');
  });
});
