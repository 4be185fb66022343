import { issue, type Issue } from '../../../schema/issue.ts';
import type { ReadLimits } from '../../../schema/raw-table.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { readZipDirectory } from '../zip/zip-directory.ts';
import { checkedEntry } from '../zip/zip-entry.ts';

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
export async function guardXlsx(bytes: Buffer, limits: ReadLimits): Promise<Issue[]> {
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
    const checked = await checkedEntry(bytes, entry, false);
    if ('problem' in checked) return [issue('FILE_CORRUPT', {}, { detail: `${entry.name}: ${checked.problem}` })];
  }
  return [];
}
