import { issue, type Issue } from '../../../schema/issue.ts';
import type { ReadLimits } from '../../../schema/raw-table.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { readZipDirectory } from './zip-directory.ts';
import { checkedEntry } from './zip-entry.ts';

/**
 * Most entries a spreadsheet package may have. Excel writes about ten plus a few per sheet, image
 * and comment, LibreOffice fewer; each entry costs a check whatever its size, so a package of
 * thousands of empty entries is refused before it is opened.
 */
const maxZipEntries = 1000;

/**
 * What makes a ZIP the package of one format: a part it must have. Sheets are not counted here:
 * each reader counts them as its workbook lists them, when it is opened (a part named twice is
 * still one sheet read, and sheets inside one part are still many).
 */
export type PackageKind = { readonly required: string };

/**
 * Checks a spreadsheet package (XLSX, ODS) before it is opened, so that reading it can trust what it declares: the
 * directory must be readable, the entry count and the declared uncompressed sizes
 * within the limits, and every entry must really inflate to its declared size, no more (a zip bomb
 * may understate it), without error and to its checksum (a damaged or truncated file). Returns the
 * first problem.
 */
export async function guardPackage(bytes: Buffer, limits: ReadLimits, kind: PackageKind): Promise<Issue[]> {
  const directory = readZipDirectory(bytes, maxZipEntries);
  if ('corrupt' in directory) return [issue('FILE_CORRUPT', {}, { detail: directory.corrupt })];
  if ('tooManyEntries' in directory) return [limitExceeded('zipEntries', directory.tooManyEntries, maxZipEntries)];
  const entries = directory.entries;
  const names = new Set(entries.map((entry) => entry.name.replace(/^\//u, '')));
  // A ZIP without its workbook part is some other document (.docx, a plain archive), not a damaged workbook.
  if (!names.has(kind.required)) return [issue('FILE_FORMAT_UNKNOWN')];
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > limits.maxUncompressedBytes)
    return [limitExceeded('uncompressedBytes', declared, limits.maxUncompressedBytes)];
  for (const entry of entries) {
    // Inflated a piece at a time and let go: a large sheet is checked without being held whole.
    const checked = await checkedEntry(bytes, entry, false);
    if ('problem' in checked) return [issue('FILE_CORRUPT', {}, { detail: `${entry.name}: ${checked.problem}` })];
  }
  return [];
}
