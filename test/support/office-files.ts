/**
 * The office-made fixtures (test/fixtures/office, written by LibreOffice from the Nậm Pồ
 * fixtures) and ways to damage them as files arrive damaged: an OLE compound file patched at the
 * place of its header, FAT, directory or workbook stream; an ODS package written byte by byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, namPoCommunes } from './builders.ts';
import { readOut, zipOf, type ReadOutTable, type ZipPart } from './report-files.ts';
import { readTable } from '../../src/report/read/read-rows.ts';
import type { ReadLimits } from '../../src/schema/raw-table.ts';
import { openCompoundFile } from '../../src/report/read/xls/compound-file.ts';
import { streamNamed } from '../../src/report/read/xls/ole-document.ts';
import { recordAt } from '../../src/report/read/xls/biff-record.ts';

export const office = join(fixtures, 'office');

export function officeFile(name: string): Buffer {
  return readFileSync(join(office, name));
}

/** A file read as the worker reads it, its rows read out. */
export function readSpreadsheet(bytes: Buffer, filename: string, limits: ReadLimits) {
  return readOut(readTable(bytes, { filename, limits }));
}

/** The table of a file that must read; throws with its issues when it does not. */
export async function spreadsheetTable(bytes: Buffer, filename: string, limits: ReadLimits): Promise<ReadOutTable> {
  const result = await readSpreadsheet(bytes, filename, limits);
  if ('issues' in result) throw new Error(result.issues.map((found) => `${found.code} ${found.message.en}`).join('; '));
  return result.table;
}

/** The codes a file is refused with, `(read)` when it reads. */
export async function spreadsheetCodes(bytes: Buffer, filename: string, limits: ReadLimits): Promise<string[]> {
  const result = await readSpreadsheet(bytes, filename, limits);
  return 'issues' in result ? result.issues.map((found) => found.code) : ['(read)'];
}

/** The 30 Nậm Pồ reports as LibreOffice saved them in one format. */
export function namPoOfficeFiles(format: 'xls' | 'ods'): { name: string; bytes: Buffer }[] {
  return namPoCommunes.flatMap((code) =>
    ['ban', 'xa'].map((form) => {
      const name = `${code}-hts-${form}-2023-Q2.${format}`;
      return { name, bytes: officeFile(join('nam-po', name)) };
    }),
  );
}

/** A version 3 compound file's layout, read as plainly as the format allows (512-byte sectors, FAT in the header's list). */
function layout(bytes: Buffer): {
  fat: (n: number) => number;
  fatAt: (n: number) => number;
  directoryAt: (name: string) => number;
} {
  const fatSectors = Array.from({ length: Math.min(109, bytes.readUInt32LE(44)) }, (_, k) =>
    bytes.readUInt32LE(76 + k * 4),
  );
  const fatAt = (n: number): number => (fatSectors[Math.floor(n / 128)]! + 1) * 512 + (n % 128) * 4;
  const fat = (n: number): number => bytes.readUInt32LE(fatAt(n));
  const directoryAt = (name: string): number => {
    for (let sector = bytes.readUInt32LE(48); sector < 0xfffffffa; sector = fat(sector)) {
      for (let k = 0; k < 4; k++) {
        const at = (sector + 1) * 512 + k * 128;
        if (bytes.toString('utf16le', at, at + Math.max(0, bytes.readUInt16LE(at + 64) - 2)) === name) return at;
      }
    }
    throw new Error(`no directory entry ${name}`);
  };
  return { fat, fatAt, directoryAt };
}

/**
 * An XLS whose FAT says `sector` is followed by `next` (a loop, a sector past the end), picked
 * from the chain of the stream `name` (`Workbook` when it has 4 KiB or more, else `Root Entry`, the mini stream holding it).
 */
export function withFatEntry(
  bytes: Buffer,
  name: string,
  pick: (chain: number[]) => { sector: number; next: number },
): Buffer {
  const copy = Buffer.from(bytes);
  const { fat, fatAt, directoryAt } = layout(copy);
  const chain: number[] = [];
  for (let n = copy.readUInt32LE(directoryAt(name) + 116); n < 0xfffffffa && chain.length < 100_000; n = fat(n))
    chain.push(n);
  const { sector, next } = pick(chain);
  copy.writeUInt32LE(next >>> 0, fatAt(sector));
  return copy;
}

/** An XLS whose directory entry for `name` is patched: its size, its name. */
export function withDirectoryEntry(
  bytes: Buffer,
  name: string,
  patch: { size?: number; start?: number; rename?: string },
): Buffer {
  const copy = Buffer.from(bytes);
  const at = layout(copy).directoryAt(name);
  if (patch.size !== undefined) copy.writeUInt32LE(patch.size >>> 0, at + 120);
  if (patch.start !== undefined) copy.writeUInt32LE(patch.start >>> 0, at + 116);
  if (patch.rename !== undefined) {
    copy.fill(0, at, at + 64);
    copy.write(patch.rename, at, 'utf16le');
    copy.writeUInt16LE((patch.rename.length + 1) * 2, at + 64);
  }
  return copy;
}

/**
 * An XLS (whose workbook has 4 KiB or more, so lies in the FAT's sectors) with bytes of its workbook
 * stream rewritten: `patch` gets the stream and the offset of each record, and returns what to write
 * where (stream offsets); mapped back through the FAT.
 */
export function withWorkbookPatch(
  bytes: Buffer,
  patch: (stream: Buffer, records: { type: number; at: number; length: number }[]) => { at: number; data: Buffer }[],
): Buffer {
  const file = openCompoundFile(bytes);
  const stream = file.read(streamNamed(file, 'Workbook')!);
  const records: { type: number; at: number; length: number }[] = [];
  for (let at = 0; at < stream.length; ) {
    const record = recordAt(stream, at);
    records.push({ type: record.type, at, length: record.data.length });
    at = record.next;
  }
  const copy = Buffer.from(bytes);
  const { fat, directoryAt } = layout(copy);
  const chain: number[] = [];
  for (let n = copy.readUInt32LE(directoryAt('Workbook') + 116); n < 0xfffffffa; n = fat(n)) chain.push(n);
  for (const { at, data } of patch(stream, records)) {
    for (let k = 0; k < data.length; k++) {
      const offset = at + k;
      copy[(chain[Math.floor(offset / 512)]! + 1) * 512 + (offset % 512)] = data[k]!;
    }
  }
  return copy;
}

/** A little-endian u16/u32 as bytes, for patches. */
export function le(value: number, size: 2 | 4): Buffer {
  const out = Buffer.alloc(size);
  if (size === 2) out.writeUInt16LE(value);
  else out.writeUInt32LE(value >>> 0);
  return out;
}

const namespaces =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"';

/** An ODS package around the sheets given as `<table:table>` XML (and automatic styles, if any), as LibreOffice lays it out. */
export function odsOf(tables: string, styles = '', extra: readonly ZipPart[] = []): Buffer {
  const content =
    `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${namespaces} ` +
    `office:version="1.3"><office:automatic-styles>${styles}</office:automatic-styles>` +
    `<office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
  return zipOf([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
    { name: 'content.xml', data: Buffer.from(content, 'utf8') },
    ...extra,
    {
      name: 'META-INF/manifest.xml',
      data: Buffer.from('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
    },
  ]);
}

/** An ODS row of text and number cells (`null` for an empty cell). */
export function odsRow(cells: readonly (string | number | null)[], attributes = ''): string {
  const xml = cells.map((cell) =>
    cell === null
      ? '<table:table-cell/>'
      : typeof cell === 'number'
        ? `<table:table-cell office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`
        : `<table:table-cell office:value-type="string"><text:p>${cell.replace(/&/gu, '&amp;').replace(/</gu, '&lt;')}</text:p></table:table-cell>`,
  );
  return `<table:table-row${attributes}>${xml.join('')}</table:table-row>`;
}
