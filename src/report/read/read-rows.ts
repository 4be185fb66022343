import { issue, type Issue } from '../../schema/issue.ts';
import type { RawTable, ReadLimits } from '../../schema/raw-table.ts';
import { decodeText } from './text/decode.ts';
import { limitExceeded } from './limit-exceeded.ts';
import { readCsv } from './csv/read-csv.ts';
import { readJson } from './json/read-json.ts';
import { readOds } from './ods/read-ods.ts';
import { readXls } from './xls/read-xls.ts';
import { readXlsx } from './xlsx/read-xlsx.ts';
import { readZipDirectory } from './zip/zip-directory.ts';
import { entryData } from './zip/zip-entry.ts';

/** What the first bytes say a file is. */
function sniff(bytes: Buffer): 'zip' | 'ole' | 'text' {
  // Local file header, empty archive, spanned archive: all ZIP, read as XLSX or ODS.
  if (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    [0x0304, 0x0506, 0x0708].includes(((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0))
  )
    return 'zip';
  // OLE compound file: an Excel 97–2003 workbook, or an XLSX saved with a password.
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole';
  return 'text';
}

/** The OpenDocument spreadsheet types (a template is read as the sheet it holds). */
const odsTypes = new Set([
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet-template',
]);

/**
 * Which package a ZIP is: an ODS says so in its first entry, `mimetype`, stored uncompressed
 * (OpenDocument 1.3 part 2 §3.3); anything else is read as XLSX, whose guard refuses what is not one.
 */
function packageOf(bytes: Buffer): 'xlsx' | 'ods' {
  const directory = readZipDirectory(bytes, 1000);
  if (!('entries' in directory)) return 'xlsx';
  const mimetype = directory.entries.find((entry) => entry.name === 'mimetype');
  if (mimetype !== undefined && mimetype.method === 0 && mimetype.compressedSize < 100) {
    const data = entryData(bytes, mimetype);
    return typeof data !== 'string' && odsTypes.has(data.toString('latin1').trim()) ? 'ods' : 'xlsx';
  }
  const names = new Set(directory.entries.map((entry) => entry.name));
  return names.has('content.xml') && !names.has('xl/workbook.xml') ? 'ods' : 'xlsx';
}

/** Extensions of delimited text, as Excel saves it ("CSV", "Unicode text"). */
const textExtensions = new Set(['csv', 'tsv', 'txt']);

function extensionOf(filename: string | undefined): string {
  return /\.([a-z0-9]+)$/iu.exec(filename ?? '')?.[1]?.toLowerCase() ?? '';
}

/**
 * Reads an uploaded file into a RawTable, or says why it cannot. The table reads its rows again
 * from the file (or its decoded text) each time they are read. The content decides the format:
 * a ZIP is XLSX or ODS (`packageOf`), an OLE compound file XLS, text starting with `[` or `{` is JSON, text starting with `<` (HTML or XML
 * passed off as Excel) is refused, other text is CSV. The filename's extension
 * only settles what the content leaves open: a `.json` file that does not start like JSON is still
 * read as JSON (to report its syntax error), a `.csv` file starting with `[` that is no JSON is read
 * as CSV. A header without data rows is a table with no rows; saying so is the validator's job.
 * Never throws, whatever the bytes.
 */
export async function readTable(
  bytes: Buffer,
  opts: { filename?: string; limits: ReadLimits },
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const { limits } = opts;
  if (bytes.length > limits.maxBytes) return { issues: [limitExceeded('bytes', bytes.length, limits.maxBytes)] };
  if (bytes.length === 0) return { issues: [issue('FILE_EMPTY')] };
  const kind = sniff(bytes);
  if (kind === 'zip') return packageOf(bytes) === 'ods' ? readOds(bytes, limits) : readXlsx(bytes, limits);
  if (kind === 'ole') return readXls(bytes, limits);

  const decoded = decodeText(bytes);
  if ('issues' in decoded) return decoded;
  const text = decoded.text;
  const start = /\S/u.exec(text);
  if (start === null) return { issues: [issue('FILE_EMPTY')] };
  // HTML or XML: the "Excel" files some systems export are web pages or XML Spreadsheet 2003.
  if (start[0] === '<') return { issues: [issue('FILE_FORMAT_UNKNOWN')] };
  const extension = extensionOf(opts.filename);
  if (start[0] === '[' || start[0] === '{') {
    const json = await readJson(text, limits);
    const notJson = 'issues' in json && json.issues.every((found) => found.code === 'JSON_INVALID');
    return notJson && textExtensions.has(extension) ? readCsv(text, limits) : json;
  }
  return extension === 'json' ? readJson(text, limits) : readCsv(text, limits);
}
