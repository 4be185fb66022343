/**
 * Builders for the files commune officers upload, generated in the test rather than stored:
 * CSV text in any separator, text in any encoding, XLSX workbooks, raw ZIP packages.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Issue } from '../../src/schema/issue.ts';
import type { RawRow, RawTable, ReadLimits } from '../../src/schema/raw-table.ts';
import { readZipDirectory } from '../../src/report/read/zip/zip-directory.ts';
import { entryData } from '../../src/report/read/zip/zip-entry.ts';

/** The limits of `config.ts`'s defaults. */
export const defaultLimits: ReadLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 64,
  maxCellChars: 1000,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxSheets: 10,
  maxIssues: 1000,
};

export const banHeaders = [
  'Tên thôn/bản',
  'Số hộ',
  'Số nhân khẩu',
  'Có internet cáp quang',
  'Có sóng di động',
  'Có sóng 3G trở lên',
  'Số người dùng điện thoại thông minh',
  'Số người có tài khoản thanh toán điện tử',
];

/** Village rows as officers type them, with a separator, a quote and a line break inside fields. */
export const banRows = [
  ['Bản Nậm Pồ', '120', '540', 'có', 'có', 'có', '250', '130'],
  ['Huổi Lếch, khu 2', '85', '390', 'không', 'có', 'không', '120', '60'],
  ['Thôn "Nà Hỳ"', '1.234', '4 321', 'Có', 'Không', 'Không', '0', '0'],
  ['Bản Pá Kho\ndưới', '40', '180', 'x', 'c', 'k', '30', '12'],
];

/** CSV as Excel writes it: fields quoted when they hold the separator, a quote or a line break. */
export function csvOf(rows: readonly (readonly string[])[], separator = ',', lineEnd = '\r\n'): string {
  const field = (value: string): string =>
    value.includes(separator) || value.includes('"') || value.includes('\n') || value.includes('\r')
      ? `"${value.replaceAll('"', '""')}"`
      : value;
  return rows.map((row) => row.map(field).join(separator)).join(lineEnd) + lineEnd;
}

const toneMarks = /[\u0300\u0301\u0303\u0309\u0323]/u;

/**
 * Windows-1258 bytes as Vietnamese Windows writes them: a base letter (with its circumflex, breve
 * or horn) and the tone as a separate combining byte. iconv-lite encodes only precomposed letters
 * the code page has, so the tones are split off first.
 */
export function cp1258Of(text: string): Buffer {
  const split = [...text.normalize('NFC')]
    .map((char) => {
      const parts = [...char.normalize('NFD')];
      return (
        parts
          .filter((c) => !toneMarks.test(c))
          .join('')
          .normalize('NFC') + parts.filter((c) => toneMarks.test(c)).join('')
      );
    })
    .join('');
  return iconv.encode(split, 'windows1258');
}

export function utf16Of(text: string, endian: 'le' | 'be'): Buffer {
  const body = iconv.encode(text, endian === 'le' ? 'utf16le' : 'utf16be');
  return Buffer.concat([Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

/** An XLSX file built with exceljs; `build` fills a new workbook. */
export async function xlsxOf(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A deterministic byte source, so a failing corpus case can be reproduced. */
export function seededBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

export type ZipPart = {
  readonly name: string;
  readonly data: Buffer;
  /** Deflate (default) or store. */
  readonly store?: boolean;
  /** What the directory claims the entry inflates to, and its checksum, when a test wants it to lie. */
  readonly declaredSize?: number;
  readonly crc?: number;
  /** The name's bytes as an old tool wrote them, without the UTF-8 flag (bit 11) the name otherwise gets. */
  readonly rawName?: Buffer;
};

/** A ZIP package written byte by byte (APPNOTE.TXT), so tests can make it lie. */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = part.rawName ?? Buffer.from(part.name, 'utf8');
    const data = part.store ? part.data : deflateRawSync(part.data);
    const size = part.declaredSize ?? part.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.rawName ? 0 : 0x0800, 6);
    local.writeUInt16LE(part.store ? 0 : 8, 8);
    local.writeUInt32LE(part.crc ?? crc32(part.data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    // From "version needed" to the extra field's length, a directory entry repeats its local header.
    local.copy(central, 6, 4, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A Word document (.docx) as far as telling it from a spreadsheet goes: an OOXML package without a workbook. */
export function wordDocument(): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
  ]);
}

/** The entries of a ZIP package, inflated; for tests that rewrite a part of an XLSX. */
export function unzip(bytes: Buffer): { name: string; data: Buffer }[] {
  const directory = readZipDirectory(bytes, Infinity);
  if (!('entries' in directory)) throw new Error('not a readable zip');
  return directory.entries.map((entry) => {
    const data = entryData(bytes, entry);
    if (typeof data === 'string') throw new Error(`${entry.name}: ${data}`);
    return { name: entry.name, data: entry.method === 8 ? inflateRawSync(data) : Buffer.from(data) };
  });
}

/** An XLSX with one of its parts rewritten, e.g. XML injected into a worksheet. */
export function rewriteXlsx(bytes: Buffer, name: string, rewrite: (xml: string) => string): Buffer {
  return zipOf(
    unzip(bytes).map((part) =>
      part.name === name ? { name, data: Buffer.from(rewrite(part.data.toString('utf8')), 'utf8') } : part,
    ),
  );
}

/** A table as a reader gives it, its rows read out, its total rows only when it has any: what the readers' tests compare. */
export type ReadOutTable = Omit<RawTable, 'rows' | 'rowCount' | 'totals'> & {
  rows: RawRow[];
  totals?: readonly RawRow[];
};

/** Reads out the rows of a reader's table, checking that they are as many as it counted; issues pass through. */
export async function readOut(
  read: { table: RawTable } | { issues: Issue[] } | Promise<{ table: RawTable } | { issues: Issue[] }>,
): Promise<{ table: ReadOutTable } | { issues: Issue[] }> {
  const result = await read;
  if ('issues' in result) return result;
  const { rowCount, rows, totals, ...table } = result.table;
  const list: RawRow[] = [];
  for await (const batch of rows()) list.push(...batch);
  if (list.length !== rowCount) throw new Error(`the table counted ${rowCount} rows but gave ${list.length}`);
  return { table: { ...table, rows: list, ...(totals.length > 0 ? { totals } : {}) } };
}
