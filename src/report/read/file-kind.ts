import { looksBinary } from './text/decode.ts';
import { readZipDirectory, type ZipSource } from './zip/zip-directory.ts';
import { entryData } from './zip/zip-entry.ts';
import { oleDocumentOf } from './xls/ole-document.ts';

/**
 * What a file is by its content, whatever its name says: a spreadsheet (`xlsx`, `xls`, `ods`),
 * delimited text (`csv`), `json`, a plain `zip` archive (of report files, one hopes), or something
 * no reader takes — an office document other than a spreadsheet (`document`), `pdf`, an `image`,
 * `markup` (HTML or XML passed off as Excel), other `binary` content, or nothing (`empty`).
 */
export type FileKind =
  | 'xlsx'
  | 'xls'
  | 'ods'
  | 'csv'
  | 'json'
  | 'zip'
  | 'document'
  | 'pdf'
  | 'image'
  | 'markup'
  | 'binary'
  | 'empty';

/** How much of a text file is looked at: enough to tell text from binary, as decodeText does. */
const sampleBytes = 64 * 1024;
/** Most entries looked at to tell a package from an archive; more are an archive's business (it has its own limit). */
const maxDirectoryEntries = 100_000;

/** The OpenDocument spreadsheet types (a template is read as the sheet it holds). */
const odsTypes = new Set([
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet-template',
]);

const startsWith = (bytes: Buffer, ...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

/**
 * The kind of a file, from its first bytes and, for a ZIP, its directory. Reads no more than a
 * sample and the directory; never throws. A ZIP whose directory cannot be read is taken for the
 * damaged workbook it most likely is, so that the reader names the damage — unless it is named
 * `.zip`, the one case where the name decides, since the content no longer can.
 */
export function fileKind(bytes: Buffer, filename: string | null = null): FileKind {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, 0x50, 0x4b) && [0x0304, 0x0506, 0x0708].includes(((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)))
    return zipKind(bytes, filename);
  // An OLE file is a Word or Outlook document unless it holds a workbook; a damaged one is taken, for the XLS reader to name its damage.
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))
    return oleDocumentOf(bytes) === 'other' ? 'document' : 'xls';
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) return 'pdf';
  if (
    startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) ||
    startsWith(bytes, 0xff, 0xd8, 0xff) ||
    startsWith(bytes, 0x47, 0x49, 0x46, 0x38)
  )
    return 'image';
  return textKind(bytes);
}

/**
 * The kind of a file that starts like a ZIP, from its directory alone (and the few bytes of an
 * OpenDocument `mimetype`): a workbook is told from an archive of reports without reading either's
 * content, so an archive on disk (the upload spool) is not read whole to be told apart.
 */
export function zipKind(bytes: Buffer | ZipSource, filename: string | null): FileKind {
  const directory = readZipDirectory(bytes, maxDirectoryEntries);
  // A ZIP too damaged to list its parts says nothing of what it packs: its name is the only hint left.
  if ('corrupt' in directory) {
    if (/\.zip$/iu.test(filename ?? '')) return 'zip';
    return /\.(docx|odt|pptx|odp)$/iu.test(filename ?? '') ? 'document' : 'xlsx';
  }
  if ('tooManyEntries' in directory) return 'zip';
  const names = new Set(directory.entries.map((entry) => entry.name.replace(/^\//u, '')));
  if (names.has('xl/workbook.xml')) return 'xlsx';
  // An OpenDocument package names its type in a first entry `mimetype`, stored uncompressed
  // (OpenDocument 1.3 part 2 §3.3); one without it is taken for a spreadsheet, for its reader to judge.
  const mimetype = directory.entries.find((entry) => entry.name === 'mimetype');
  if (mimetype !== undefined && mimetype.method === 0 && mimetype.compressedSize < 100) {
    const data = entryData(bytes, mimetype);
    return typeof data !== 'string' && odsTypes.has(data.toString('latin1').trim()) ? 'ods' : 'document';
  }
  if (names.has('content.xml') && names.has('META-INF/manifest.xml')) return 'ods';
  if (names.has('[Content_Types].xml') || [...names].some((name) => /^(word|ppt)\//u.test(name))) return 'document';
  return 'zip';
}

function textKind(bytes: Buffer): FileKind {
  const sample = bytes.subarray(0, sampleBytes);
  let text: string;
  if (startsWith(sample, 0xff, 0xfe) || startsWith(sample, 0xfe, 0xff)) {
    text = new TextDecoder(sample[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(sample.subarray(2));
    if (looksBinary(Array.from(text, (char) => char.charCodeAt(0)))) return 'binary';
  } else {
    if (looksBinary(sample)) return 'binary';
    text = sample.toString('latin1', 0, 4096);
  }
  const start = /[^\s\ufeff\u00ef\u00bb\u00bf]/u.exec(text)?.[0];
  if (start === undefined) return 'empty';
  if (start === '<') return 'markup';
  return start === '[' || start === '{' ? 'json' : 'csv';
}

/** The extension and the Content-Type a file of this kind is served with; never one a browser renders. */
export const kindMedia: Record<FileKind, { extension: string; contentType: string }> = {
  xlsx: { extension: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  xls: { extension: 'xls', contentType: 'application/vnd.ms-excel' },
  ods: { extension: 'ods', contentType: 'application/vnd.oasis.opendocument.spreadsheet' },
  csv: { extension: 'csv', contentType: 'text/csv' },
  json: { extension: 'json', contentType: 'application/json' },
  zip: { extension: 'zip', contentType: 'application/zip' },
  document: { extension: 'bin', contentType: 'application/octet-stream' },
  pdf: { extension: 'bin', contentType: 'application/octet-stream' },
  image: { extension: 'bin', contentType: 'application/octet-stream' },
  markup: { extension: 'txt', contentType: 'application/octet-stream' },
  binary: { extension: 'bin', contentType: 'application/octet-stream' },
  empty: { extension: 'txt', contentType: 'application/octet-stream' },
};
