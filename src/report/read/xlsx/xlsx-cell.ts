import type { RawCell } from '../../../schema/raw-table.ts';
import { serialDateText } from '../excel-date.ts';
import type { CellContext } from './xlsx-book.ts';

/** A `<c>` element as scanned: its type (`t`), style (`s`), the text of its `<v>`, of its inline string, of its `<f>`. */
export type CellParts = {
  readonly type: string;
  readonly style: number;
  readonly value: string | null;
  readonly inline: string | null;
  /** The formula, once a shared one is resolved; null for a plain value. */
  readonly formula: string | null;
};

type Plain = string | number | boolean | null;

/**
 * A cell as the file had it, read as exceljs read it. Numbers and booleans stay as they are;
 * shared, inline and rich text become their text (NFC); numbers styled as dates become ISO text
 * (`2023-06-30`); error values their code (`#N/A`). A formula stays a formula, with its cached
 * result, so the worker can reject it rather than mistake a computed figure for a typed one.
 * Throws on a shared string that is not there.
 */
export function rawCellOf(cell: CellParts, context: CellContext): RawCell {
  const isDate = context.dateStyles.has(cell.style);
  if (cell.formula !== null) {
    const result =
      cell.value === null || cell.value === '' ? null : formulaResult(cell.type, cell.value, isDate, context.date1904);
    return { formula: cell.formula, result };
  }
  switch (cell.type) {
    case 's': {
      if (cell.value === null) return null;
      const text = context.sharedStrings[Number.parseInt(cell.value, 10)];
      if (text === undefined) throw new Error(`không có chuỗi dùng chung / no shared string ${cell.value}`);
      return text;
    }
    case 'inlineStr':
      return cell.inline?.normalize('NFC') ?? null;
    default:
      return cell.value === null ? null : formulaResult(cell.type, cell.value, isDate, context.date1904);
  }
}

/** A value of type `str`, `b`, `e` or a number, as a formula's result or a cell's value is typed. */
function formulaResult(type: string, value: string, isDate: boolean, date1904: boolean): Plain {
  switch (type) {
    case 'str':
    case 's':
    case 'inlineStr':
      return value.normalize('NFC');
    case 'b':
      return Number.parseInt(value, 10) !== 0;
    case 'e':
      return value;
    default: {
      const number = Number.parseFloat(value);
      return isDate ? serialDateText(number, date1904) : number;
    }
  }
}
