import { inColumnOrder } from '../in-column-order.ts';
import type { RawCell } from '../../../schema/raw-table.ts';
import { serialDateText } from '../excel-date.ts';
import type { GridRow } from '../sheet-table.ts';
import { biffReader } from './biff-reader.ts';
import { recordAt, recordWithContinues } from './biff-record.ts';
import { formulaText } from './biff-formula.ts';
import type { XlsBook, XlsSheet } from './xls-book.ts';

const BOF = 0x0809;
const EOF = 0x000a;
const LABELSST = 0x00fd;
const LABEL = 0x0204;
const RSTRING = 0x00d6;
const NUMBER = 0x0203;
const RK = 0x027e;
const MULRK = 0x00bd;
const FORMULA = 0x0006;
const STRING = 0x0207;
const BOOLERR = 0x0205;

/** Rows handed on together: about what a piece of an XLSX sheet gives. */
const batchRows = 64;

/** The error values of BOOLERR and FORMULA ([MS-XLS] 2.5.97.2 BErr). */
const errors: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
};

type Cell = { column: number; value: RawCell };

/**
 * The rows of a worksheet with anything in them, in file order, in batches, each row's non-empty
 * cells by column number (1 = A) as the XLSX reader gives them: text in NFC, numbers, booleans,
 * error values as their code, numbers formatted as dates as ISO text, formulas with their cached
 * result. Blank cells (BLANK, MULBLANK, the covered cells of a merge) are empty, as in an XLSX.
 * Cells after the substream's end are never read; a chart's substream inside the sheet is skipped.
 */
export async function* xlsSheetRows(book: XlsBook, sheet: XlsSheet): AsyncGenerator<GridRow[]> {
  const { stream, cells: context } = book;
  let batch: GridRow[] = [];
  let rowNumber = -1;
  let cells: Cell[] = [];
  let pendingString: { row: number; column: number; formula: string } | null = null;
  const flush = (): void => {
    if (cells.length > 0) batch.push({ row: rowNumber, cells: inColumnOrder(cells) });
    cells = [];
  };
  const put = (row: number, column: number, value: RawCell): void => {
    if (row + 1 !== rowNumber) {
      flush();
      rowNumber = row + 1;
    }
    if (value !== null && value !== '') cells.push({ column: column + 1, value });
  };
  const numberOf = (xf: number, value: number): string | number =>
    context.dateXfs.has(xf) ? serialDateText(value, context.date1904) : value;

  let depth = 0;
  for (let at = sheet.offset; ; ) {
    if (at >= stream.length) throw new Error(`trang "${sheet.name}" thiếu EOF / sheet "${sheet.name}" has no EOF`);
    const record = recordAt(stream, at);
    const data = record.data;
    let next = record.next;
    if (record.type === BOF) depth += 1;
    else if (record.type === EOF && --depth === 0) break;
    else if (depth === 1 && data.length >= 6) {
      const row = data.readUInt16LE(0);
      const column = data.readUInt16LE(2);
      const xf = data.readUInt16LE(4);
      switch (record.type) {
        case LABELSST: {
          const index = data.readUInt32LE(6);
          const text = context.sharedStrings[index];
          if (text === undefined) throw new Error(`không có chuỗi dùng chung / no shared string ${index}`);
          put(row, column, text);
          break;
        }
        case LABEL:
        case RSTRING: {
          const whole = recordWithContinues(stream, at);
          const reader = biffReader(whole.segments, context.codepage);
          reader.skip(6);
          put(row, column, reader.string().normalize('NFC'));
          next = whole.next;
          break;
        }
        case NUMBER:
          put(row, column, numberOf(xf, data.readDoubleLE(6)));
          break;
        case RK:
          put(row, column, numberOf(xf, rkNumber(data.readUInt32LE(6))));
          break;
        case MULRK: {
          const count = Math.floor((data.length - 6) / 6);
          for (let k = 0; k < count; k++)
            put(row, column + k, numberOf(data.readUInt16LE(4 + k * 6), rkNumber(data.readUInt32LE(6 + k * 6))));
          break;
        }
        case BOOLERR:
          put(row, column, data[7] === 1 ? (errors[data[6]!] ?? '#ERR') : data[6] !== 0);
          break;
        case FORMULA: {
          const formula = formulaText(data.subarray(22, 22 + data.readUInt16LE(20)));
          pendingString = null;
          if (data.readUInt16LE(12) !== 0xffff)
            put(row, column, { formula, result: numberOf(xf, data.readDoubleLE(6)) });
          else if (data[6] === 0) pendingString = { row, column, formula };
          else if (data[6] === 1) put(row, column, { formula, result: data[8] !== 0 });
          else if (data[6] === 2) put(row, column, { formula, result: errors[data[8]!] ?? '#ERR' });
          else put(row, column, { formula, result: '' });
          break;
        }
      }
    }
    if (record.type === STRING && pendingString !== null) {
      const whole = recordWithContinues(stream, at);
      const { row, column, formula } = pendingString;
      put(row, column, { formula, result: biffReader(whole.segments, context.codepage).string().normalize('NFC') });
      pendingString = null;
      next = whole.next;
    }
    if (batch.length >= batchRows) {
      yield batch;
      batch = [];
    }
    at = next;
  }
  flush();
  if (batch.length > 0) yield batch;
}

/** An RK number ([MS-XLS] 2.5.217): a 30-bit integer or the high 30 bits of a double, maybe hundredths. */
function rkNumber(rk: number): number {
  const hundredths = (rk & 0x01) !== 0;
  let value: number;
  if ((rk & 0x02) !== 0) value = (rk | 0) >> 2;
  else {
    const double = Buffer.alloc(8);
    double.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    value = double.readDoubleLE(0);
  }
  return hundredths ? value / 100 : value;
}
