import iconv from 'iconv-lite';
import { issue } from '../../../schema/issue.ts';
import { builtInDateFormats, isDateFormat } from '../excel-date.ts';
import { ReadFailure } from '../read-failure.ts';
import { biffReader } from './biff-reader.ts';
import { recordAt, recordWithContinues } from './biff-record.ts';

export type XlsSheet = { readonly name: string; readonly visible: boolean; readonly offset: number };

/** What reading a sheet's cells needs from the workbook globals. */
export type XlsCellContext = {
  readonly sharedStrings: readonly string[];
  /** Cell formats (XF indexes) whose number format shows a date. */
  readonly dateXfs: ReadonlySet<number>;
  readonly date1904: boolean;
  /** The iconv name of the 8-bit code page of compressed strings, null for Latin-1. */
  readonly codepage: string | null;
};

export type XlsBook = { readonly stream: Buffer; readonly sheets: readonly XlsSheet[]; readonly cells: XlsCellContext };

const BOF = 0x0809;
const EOF = 0x000a;
const FILEPASS = 0x002f;
const CODEPAGE = 0x0042;
const DATEMODE = 0x0022;
const FORMAT = 0x041e;
const XF = 0x00e0;
const BOUNDSHEET = 0x0085;
const SST = 0x00fc;
/** The BOF records of BIFF2, BIFF3 and BIFF4. */
const oldBofs = new Set([0x0009, 0x0209, 0x0409]);
const worksheetType = 0x0010;

/** Refuses a workbook older than Excel 97 (BIFF5 and before): said so, with what to do. */
export function oldVersion(): ReadFailure {
  return new ReadFailure(issue('FILE_XLS_OLD_VERSION'));
}

/**
 * Reads the globals of a BIFF8 workbook stream ([MS-XLS] 2.1.7.20.1): its sheets (worksheets
 * only, charts and macro sheets left out), the shared strings, which cell formats are dates, the
 * date system and the code page. An encrypted workbook (FILEPASS) is FILE_ENCRYPTED, a BIFF5 or
 * older one FILE_XLS_OLD_VERSION. The shared strings are read as many as are there, never as
 * many as the SST says (a lying count costs nothing), and a count larger than what is there is
 * an error. Throws on records that do not hold together.
 */
export function openXlsBook(stream: Buffer): XlsBook {
  const first = recordAt(stream, 0);
  if (oldBofs.has(first.type)) throw oldVersion();
  if (first.type !== BOF || first.data.length < 4) throw new Error('không có bản ghi BOF / no BOF record');
  if (first.data.readUInt16LE(0) !== 0x0600) throw oldVersion();

  let codepage: string | null = null;
  let date1904 = false;
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  const sheets: XlsSheet[] = [];
  let sharedStrings: string[] = [];
  for (let at = first.next; ; ) {
    if (at >= stream.length) throw new Error('thiếu EOF của phần chung / workbook globals without EOF');
    const record = recordAt(stream, at);
    switch (record.type) {
      case EOF:
        return { stream, sheets, cells: { sharedStrings, dateXfs: dateXfsOf(xfFormats, formats), date1904, codepage } };
      case FILEPASS:
        throw new ReadFailure(issue('FILE_ENCRYPTED'));
      case CODEPAGE:
        codepage = codepageName(record.data.readUInt16LE(0));
        break;
      case DATEMODE:
        date1904 = record.data.readUInt16LE(0) === 1;
        break;
      case XF:
        xfFormats.push(record.data.readUInt16LE(2));
        break;
      case FORMAT: {
        const whole = recordWithContinues(stream, at);
        const reader = biffReader(whole.segments, codepage);
        const id = reader.u16();
        formats.set(id, reader.string());
        at = whole.next;
        continue;
      }
      case BOUNDSHEET: {
        const reader = biffReader([record.data], codepage);
        const offset = reader.u32();
        const state = reader.u8() & 0x03;
        const type = reader.u8();
        const name = reader.string(true);
        if (type === 0) sheets.push({ name, visible: state === 0, offset });
        break;
      }
      case SST: {
        const whole = recordWithContinues(stream, at);
        sharedStrings = sharedStringsOf(whole.segments, codepage);
        at = whole.next;
        continue;
      }
    }
    at = record.next;
  }
}

function sharedStringsOf(segments: Buffer[], codepage: string | null): string[] {
  const reader = biffReader(segments, codepage);
  reader.u32();
  const unique = reader.u32();
  const strings: string[] = [];
  while (strings.length < unique) {
    if (reader.atEnd())
      throw new Error(
        `bảng chuỗi khai báo ${unique} chuỗi, chỉ có ${strings.length} / SST declares ${unique} strings, holds ${strings.length}`,
      );
    strings.push(reader.string().normalize('NFC'));
  }
  return strings;
}

/** XF indexes whose format shows a date, by the same rule as XLSX styles: format 0 never does. */
function dateXfsOf(xfFormats: readonly number[], formats: ReadonlyMap<number, string>): ReadonlySet<number> {
  const dates = new Set<number>();
  xfFormats.forEach((format, xf) => {
    if (!format) return;
    const code = formats.get(format);
    if (code !== undefined ? isDateFormat(code) : builtInDateFormats.has(format)) dates.add(xf);
  });
  return dates;
}

/** The iconv name of a CODEPAGE value, null for Unicode (1200), Latin-1 (1252) and what iconv does not know. */
function codepageName(value: number): string | null {
  if (value === 1200 || value === 1252 || value === 0x8000 || value === 0x04b0) return null;
  const name = `cp${value}`;
  return iconv.encodingExists(name) ? name : null;
}

/** Whether a sheet's substream is a worksheet: a BIFF8 BOF of type worksheet. */
export function isWorksheetAt(stream: Buffer, offset: number): boolean {
  if (offset + 8 > stream.length) return false;
  const record = recordAt(stream, offset);
  return record.type === BOF && record.data.length >= 4 && record.data.readUInt16LE(2) === worksheetType;
}
