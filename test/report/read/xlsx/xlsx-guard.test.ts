import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { guardXlsx } from '../../../../src/report/read/xlsx/xlsx-guard.ts';
import { readZipDirectory } from '../../../../src/report/read/zip/zip-directory.ts';
import { defaultLimits, unzip, xlsxOf, zipOf, type ZipPart } from '../../../support/report-files.ts';

const workbook: ZipPart = { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') };

async function codeOf(bytes: Buffer, limits = defaultLimits): Promise<string | null> {
  return (await guardXlsx(bytes, limits))[0]?.code ?? null;
}

describe('guardXlsx', () => {
  it('passes a workbook exceljs wrote', async () => {
    const bytes = await xlsxOf((book) => book.addWorksheet('S').addRow(['a', 'b']));
    expect(await guardXlsx(bytes, defaultLimits)).toEqual([]);
  });

  it('refuses a zip bomb by its declared size, before inflating anything', async () => {
    const bomb = zipOf([
      workbook,
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), declaredSize: 0xfffffff0 },
    ]);
    expect(await guardXlsx(bomb, defaultLimits)).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: expect.objectContaining({ en: expect.stringContaining('uncompressed') }),
      }),
    ]);
  });

  it('refuses a real zip bomb whose parts add up to more than the limit', async () => {
    const zeros = Buffer.alloc(4 * 1024 * 1024);
    const bomb = zipOf([
      workbook,
      ...Array.from({ length: 3 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: zeros })),
    ]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await codeOf(bomb, { ...defaultLimits, maxUncompressedBytes: 10 * 1024 * 1024 })).toBe('LIMIT_EXCEEDED');
  });

  it('catches an entry that inflates to more than it declares, without inflating all of it', async () => {
    const liar = zipOf([
      workbook,
      // 50 MB of zeros deflate to ~50 KB: declared as 100 KB, the record is in proportion (zip-entry.ts storedAtMost).
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 100_000 },
    ]);
    // "larger than declared" comes from inflation stopping at the declared size plus one byte.
    expect(await guardXlsx(liar, defaultLimits)).toEqual([
      expect.objectContaining({
        code: 'FILE_CORRUPT',
        message: expect.objectContaining({ en: expect.stringContaining('larger than declared') }),
      }),
    ]);
  });

  it('catches damaged compressed data and a wrong checksum', async () => {
    const good = await xlsxOf((book) => book.addWorksheet('S').addRow(['a', 'b']));
    const entries = unzip(good);
    const sheet = entries.find((entry) => entry.name === 'xl/worksheets/sheet1.xml')!;
    const flipped = Buffer.from(sheet.data);
    flipped[flipped.length - 20]! ^= 0xff;
    const tampered = zipOf(
      entries.map((entry) => (entry === sheet ? { ...entry, data: flipped, crc: crc32(sheet.data) } : entry)),
    );
    expect((await guardXlsx(tampered, defaultLimits))[0]?.message.en).toContain('CRC mismatch');

    const garbage = zipOf([workbook]);
    const dataAt = 30 + 'xl/workbook.xml'.length;
    garbage.fill(0xff, dataAt, dataAt + 4);
    expect(await codeOf(garbage)).toBe('FILE_CORRUPT');
  });

  it('says a truncated file is corrupt', async () => {
    const good = await xlsxOf((book) => book.addWorksheet('S').addRow(['a', 'b']));
    for (const keep of [10, good.length / 2, good.length - 30])
      expect(await codeOf(good.subarray(0, Math.floor(keep)))).toBe('FILE_CORRUPT');
  });

  it('refuses too many entries; sheets are counted as the workbook lists them, when it is opened (test/pipeline/hostile-files.test.ts)', async () => {
    const sheets = Array.from({ length: 11 }, (_, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: Buffer.from('<worksheet/>'),
    }));
    expect(await guardXlsx(zipOf([workbook, ...sheets]), defaultLimits)).toEqual([]);
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `xl/x${i}.xml`, data: Buffer.alloc(0) }));
    expect(await codeOf(zipOf([workbook, ...many]))).toBe('LIMIT_EXCEEDED');
  });

  it('says a ZIP without a workbook is not a spreadsheet', async () => {
    expect(await codeOf(zipOf([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]))).toBe('FILE_FORMAT_UNKNOWN');
  });

  it('refuses encrypted entries and compression methods XLSX does not use', async () => {
    const encrypted = zipOf([workbook]);
    encrypted.writeUInt16LE(0x0801, encrypted.lastIndexOf(Buffer.from('xl/workbook.xml')) - 46 + 8);
    expect((await guardXlsx(encrypted, defaultLimits))[0]?.message.en).toContain('encrypted');
    const bzip2 = zipOf([workbook]);
    bzip2.writeUInt16LE(12, bzip2.lastIndexOf(Buffer.from('xl/workbook.xml')) - 46 + 10);
    expect((await guardXlsx(bzip2, defaultLimits))[0]?.message.en).toContain('unsupported compression 12');
  });
});

describe('readZipDirectory', () => {
  it('reads sizes from the ZIP64 extra field when the 32-bit ones are all ones', async () => {
    const data = Buffer.from('<workbook/>');
    const zip = zipOf([workbook]);
    const at = zip.lastIndexOf(Buffer.from('xl/workbook.xml')) - 46;
    // Rebuild the directory entry with ZIP64 sizes: 0xffffffff in place, real sizes in the extra field.
    const name = Buffer.from('xl/workbook.xml');
    const extra = Buffer.alloc(4 + 16);
    extra.writeUInt16LE(1, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(data.length), 4);
    extra.writeBigUInt64LE(BigInt(deflateRawSync(data).length), 12);
    const central = Buffer.from(zip.subarray(at, at + 46));
    central.writeUInt32LE(0xffffffff, 20);
    central.writeUInt32LE(0xffffffff, 24);
    central.writeUInt16LE(extra.length, 30);
    const directory = Buffer.concat([central, name, extra]);
    const end = Buffer.from(zip.subarray(zip.length - 22));
    end.writeUInt32LE(directory.length, 12);
    const zip64 = Buffer.concat([zip.subarray(0, at), directory, end]);
    expect(readZipDirectory(zip64, 10)).toEqual({
      entries: [
        expect.objectContaining({
          name: 'xl/workbook.xml',
          uncompressedSize: data.length,
          compressedSize: deflateRawSync(data).length,
        }),
      ],
    });
    expect(await guardXlsx(zip64, defaultLimits)).toEqual([]);
  });

  it('says where there is no directory at all', async () => {
    expect(readZipDirectory(Buffer.from('PK\u0003\u0004 not really'), 10)).toEqual({
      corrupt: expect.stringContaining('no zip directory'),
    });
  });
});
