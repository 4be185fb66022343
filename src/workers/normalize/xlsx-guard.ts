import { crc32, inflateRawSync } from 'node:zlib';
import { issue, type Issue } from '../../schema/issue.ts';
import type { ReadLimits } from '../../schema/raw-table.ts';
import { limitExceeded } from './limit-exceeded.ts';
import { readZipDirectory, type ZipEntry } from './zip-directory.ts';
import { entryData } from './zip-entry.ts';

/**
 * Most entries an XLSX package may have. Excel writes about ten plus a few per sheet, image and
 * comment; each entry costs a check whatever its size, so a package of thousands of empty
 * entries is refused before it is opened.
 */
const maxZipEntries = 1000;

/**
 * Checks an XLSX package before it is opened, so that reading it can trust what it declares: the
 * directory must be readable, the entry count, the sheet count and the declared uncompressed sizes
 * within the limits, and every entry must really inflate to its declared size, no more (a zip bomb
 * may understate it), without error and to its checksum (a damaged or truncated file). Returns the
 * first problem.
 */
export function guardXlsx(bytes: Buffer, limits: ReadLimits): Issue[] {
  const directory = readZipDirectory(bytes, maxZipEntries);
  if ('corrupt' in directory) return [issue('FILE_CORRUPT', {}, { detail: directory.corrupt })];
  if ('tooManyEntries' in directory) return [limitExceeded('zipEntries', directory.tooManyEntries, maxZipEntries)];
  const entries = directory.entries;
  const names = new Set(entries.map((entry) => entry.name.replace(/^\//u, '')));
  // A ZIP without a workbook is some other document (.docx, .ods, a plain archive), not a damaged XLSX.
  if (!names.has('xl/workbook.xml')) return [issue('FILE_FORMAT_UNKNOWN')];
  const sheets = [...names].filter((name) => /^xl\/worksheets\/[^/]+\.xml$/u.test(name)).length;
  if (sheets > limits.maxSheets) return [limitExceeded('sheets', sheets, limits.maxSheets)];
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > limits.maxUncompressedBytes) return [limitExceeded('uncompressedBytes', declared, limits.maxUncompressedBytes)];
  for (const entry of entries) {
    const problem = checkEntry(bytes, entry);
    if (problem !== null) return [issue('FILE_CORRUPT', {}, { detail: `${entry.name}: ${problem}` })];
  }
  return [];
}

/** Why an entry cannot be read as declared, in a few words, or null. */
function checkEntry(bytes: Buffer, entry: ZipEntry): string | null {
  if ((entry.flags & 0x0001) !== 0) return 'được mã hoá / encrypted';
  if (entry.method !== 0 && entry.method !== 8) return `kiểu nén ${entry.method} không hỗ trợ / unsupported compression ${entry.method}`;
  const data = entryData(bytes, entry);
  if (typeof data === 'string') return data;
  let inflated = data;
  if (entry.method === 8) {
    try {
      // One byte more than declared is enough to catch a lie without inflating the rest of a bomb.
      inflated = inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (error) {
      return error instanceof RangeError ? 'lớn hơn kích thước khai báo / larger than declared' : 'dữ liệu nén bị hỏng / damaged data';
    }
  }
  if (inflated.length !== entry.uncompressedSize) return 'sai kích thước / size mismatch';
  return crc32(inflated) === entry.crc32 ? null : 'sai mã kiểm tra CRC / CRC mismatch';
}
