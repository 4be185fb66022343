import { describe, expect, it } from 'vitest';
import type { ReadLimits } from '../../../../src/schema/raw-table.ts';
import {
  le,
  officeFile,
  readSpreadsheet,
  spreadsheetCodes,
  spreadsheetTable,
  withDirectoryEntry,
  withFatEntry,
  withWorkbookPatch,
} from '../../../support/office-files.ts';
import { banHeaders, defaultLimits, seededBytes } from '../../../support/report-files.ts';

const read = (bytes: Buffer, limits: ReadLimits = defaultLimits) => readSpreadsheet(bytes, 'bao-cao.xls', limits);
const table = (bytes: Buffer, limits: ReadLimits = defaultLimits) => spreadsheetTable(bytes, 'bao-cao.xls', limits);
const codes = (bytes: Buffer, limits: ReadLimits = defaultLimits) => spreadsheetCodes(bytes, 'bao-cao.xls', limits);

const SST = 0x00fc;
const CODEPAGE = 0x0042;
const FILEPASS = 0x002f;

describe('readXls', () => {
  it('reads a Nậm Pồ report saved by LibreOffice as Excel 97–2003 exactly as the same report saved as ODS', async () => {
    for (const name of ['03156-hts-ban-2023-Q2', '03199-hts-xa-2023-Q2']) {
      const xls = await table(officeFile(`nam-po/${name}.xls`));
      const ods = await table(officeFile(`nam-po/${name}.ods`));
      expect(xls.format).toBe('xls');
      expect({ ...xls, format: 'ods' }).toEqual(ods);
    }
    const read = await table(officeFile('nam-po/03156-hts-ban-2023-Q2.xls'));
    expect(read).toMatchObject({
      meta: { commune: '03156', period: 'Quý II/2023' },
      headers: banHeaders,
      columnLabels: banHeaders.map((header, i) => `${'ABCDEFGH'[i]} (${header})`),
    });
    expect(read.rows[0]).toEqual({ row: 6, cells: ['Bản Huổi Nậm 1', 50, 200, 'Có', 'Không', 'Không', 87, 45] });
  });

  it('gives dates as ISO text, numbers as numbers, formula cached values, shared strings whole across CONTINUE records; skips a hidden sheet', async () => {
    const read = await table(officeFile('features.xls'));
    expect(read.meta).toEqual({ commune: '03156' });
    expect(read.headers).toEqual([
      'Tên thôn/bản',
      'Số hộ',
      'Ngày lập',
      'Tỷ lệ',
      'Đúng',
      'Công thức',
      'Chữ công thức',
      'Ghi chú',
    ]);
    // LibreOffice writes a text formula's cached value as 0, with no STRING record after it.
    expect(read.rows.slice(0, 2)).toEqual([
      {
        row: 5,
        cells: [
          'Bản Nậm Pồ',
          120,
          '2023-06-30',
          0.25,
          { formula: 'TRUE', result: true },
          { formula: 'B5*2', result: 240 },
          { formula: 'A5&"!"', result: 0 },
          'dòng 1\ndòng 2',
        ],
      },
      {
        row: 6,
        cells: [
          'Huoi Lech',
          85.5,
          '2023-01-02 10:30:00',
          1.5,
          { formula: 'FALSE', result: false },
          { formula: 'SUM(B5:B6)', result: 205.5 },
          null,
          'a  b   c',
        ],
      },
    ]);
    expect(read.rows).toHaveLength(402);
    expect(read.rows.map((row) => row.cells[0])).toEqual([
      'Bản Nậm Pồ',
      'Huoi Lech',
      ...Array.from({ length: 400 }, (_, i) => `Thôn số ${i + 1} — ghi chú dài để bảng chuỗi vượt 8 KB`),
    ]);
    expect(read.rows.at(-1)!.cells[7]).toBe('Latin 400 café');
  });

  it('reads a string of 20,000 characters split over CONTINUE records, and refuses it past the cell limit naming its row and column', async () => {
    const giant = `${'Bản Nậm Pồ '.repeat(1000)}${'Ban Nam Po '.repeat(818)}`.slice(0, 20_000);
    const whole = await table(officeFile('giant-cell.xls'), { ...defaultLimits, maxCellChars: 30_000 });
    expect(whole.rows[1]!.cells[0]).toBe(giant);
    const refused = await read(officeFile('giant-cell.xls'), { ...defaultLimits, maxCellChars: 300 });
    expect('issues' in refused && refused.issues[0]).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      row: 5,
      column: 'A (Tên thôn/bản)',
    });
  });

  it('refuses a damaged container with a named code: truncated, a FAT loop, a sector past the end, a stream over its size or chain, a bad header', async () => {
    const small = officeFile('nam-po/03156-hts-ban-2023-Q2.xls');
    for (let k = 1; k <= 6; k += 1)
      expect(await codes(small.subarray(0, Math.floor((small.length * k) / 7))), `cut at ${k}/7`).toEqual([
        'FILE_CORRUPT',
      ]);
    expect(await codes(withFatEntry(small, 'Root Entry', (chain) => ({ sector: chain[1]!, next: chain[0]! })))).toEqual(
      ['FILE_CORRUPT'],
    );
    const good = officeFile('giant-cell.xls');
    for (let k = 1; k <= 6; k += 1)
      expect(await codes(good.subarray(0, Math.floor((good.length * k) / 7))), `cut at ${k}/7`).toEqual([
        'FILE_CORRUPT',
      ]);
    expect(await codes(withFatEntry(good, 'Workbook', (chain) => ({ sector: chain[3]!, next: chain[1]! })))).toEqual([
      'FILE_CORRUPT',
    ]);
    expect(await codes(withFatEntry(good, 'Workbook', (chain) => ({ sector: chain[0]!, next: chain[0]! })))).toEqual([
      'FILE_CORRUPT',
    ]);
    expect(await codes(withFatEntry(good, 'Workbook', (chain) => ({ sector: chain[2]!, next: 0x00ffffff })))).toEqual([
      'FILE_CORRUPT',
    ]);
    expect(await codes(withDirectoryEntry(good, 'Workbook', { size: 0xfffffff0 }))).toEqual(['LIMIT_EXCEEDED']);
    expect(await codes(withDirectoryEntry(good, 'Workbook', { size: good.length - 100 }))).toEqual(['FILE_CORRUPT']);
    expect(await codes(withDirectoryEntry(good, 'Workbook', { start: 0x7fffffff }))).toEqual(['FILE_CORRUPT']);
    const header = Buffer.from(good);
    header.writeUInt32LE(0x00ffffff, 48);
    expect(await codes(header)).toEqual(['FILE_CORRUPT']);
    const shift = Buffer.from(good);
    shift.writeUInt16LE(20, 30);
    expect(await codes(shift)).toEqual(['FILE_CORRUPT']);
    const fatCount = Buffer.from(good);
    fatCount.writeUInt32LE(0x7fffffff, 44);
    expect(await codes(fatCount)).toEqual(['FILE_CORRUPT']);
    expect(await codes(Buffer.concat([good.subarray(0, 8), seededBytes(4096, 3)]))).toEqual(['FILE_CORRUPT']);
  });

  it('refuses what its records say it cannot read: an SST that promises more strings than it holds, Excel 5/95, a password, another OLE document', async () => {
    const good = officeFile('giant-cell.xls');
    const lying = withWorkbookPatch(good, (stream, records) => {
      const sst = records.find((record) => record.type === SST)!;
      return [{ at: sst.at + 8, data: le(stream.readUInt32LE(sst.at + 8) + 1_000_000, 4) }];
    });
    expect(await codes(lying)).toEqual(['FILE_CORRUPT']);
    const stringsCut = withWorkbookPatch(good, (_, records) => {
      const sst = records.find((record) => record.type === SST)!;
      return [{ at: sst.at + 12, data: le(0xffff, 2) }];
    });
    expect(await codes(stringsCut)).toEqual(['FILE_CORRUPT']);
    expect(await codes(withWorkbookPatch(good, () => [{ at: 4, data: le(0x0500, 2) }]))).toEqual([
      'FILE_XLS_OLD_VERSION',
    ]);
    expect(await codes(withDirectoryEntry(good, 'Workbook', { rename: 'Book' }))).toEqual(['FILE_XLS_OLD_VERSION']);
    expect(await codes(withDirectoryEntry(good, 'Workbook', { rename: 'EncryptedPackage' }))).toEqual([
      'FILE_ENCRYPTED',
    ]);
    const password = withWorkbookPatch(good, (_, records) => [
      { at: records.find((record) => record.type === CODEPAGE)!.at, data: le(FILEPASS, 2) },
    ]);
    expect(await codes(password)).toEqual(['FILE_ENCRYPTED']);
    expect(await codes(withDirectoryEntry(good, 'Workbook', { rename: 'WordDocument' }))).toEqual([
      'FILE_FORMAT_UNKNOWN',
    ]);
  });

  it('never throws nor hangs on 300 files damaged at random, each read or refused with a named code', async () => {
    const good = officeFile('nam-po/03156-hts-ban-2023-Q2.xls');
    const named = new Set([
      'FILE_CORRUPT',
      'FILE_EMPTY',
      'FILE_FORMAT_UNKNOWN',
      'FILE_XLS_OLD_VERSION',
      'FILE_ENCRYPTED',
      'LIMIT_EXCEEDED',
      'ENCODING_LEGACY',
      'META_CONFLICT',
      '(read)',
    ]);
    const started = performance.now();
    const seen = new Set<string>();
    for (let seed = 1; seed <= 300; seed += 1) {
      const noise = seededBytes(16, seed);
      const broken = Buffer.from(good);
      // Eight bytes somewhere, the header and directory as often as the data.
      const at = noise.readUInt32LE(0) % (seed % 3 === 0 ? 1536 : broken.length - 8);
      noise.copy(broken, at, 8, 16);
      for (const code of await codes(broken)) {
        seen.add(code);
        expect(named.has(code), `seed ${seed}: ${code}`).toBe(true);
      }
    }
    expect(seen.has('FILE_CORRUPT')).toBe(true);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
