import { inColumnOrder } from '../in-column-order.ts';
import { columnLetter, columnNumber } from '../column-letter.ts';
import { cellReadCap, limitExceeded, LimitExceededError } from '../limit-exceeded.ts';
import { slideFormula } from './shared-formula.ts';
import { unescapeOoxml } from './shared-strings.ts';
import type { GridRow } from '../sheet-table.ts';
import type { CellContext, XlsxBook, XlsxSheet } from './xlsx-book.ts';
import { rawCellOf } from './xlsx-cell.ts';
import { attributesNamed, xmlScanner, type XmlHandler } from '../xml/xml-scanner.ts';
import { entryText } from '../zip/zip-entry.ts';

/**
 * The rows of a sheet with anything in them, in file order, read from its part as it inflates and
 * handed on in batches, a piece of the part at a time: each row's non-empty cells by column
 * number, left to right, values as `rawCellOf` reads them. Only the current rows are held, and
 * the masters of shared formulas.
 */
export async function* sheetRows(book: XlsxBook, sheet: XlsxSheet): AsyncGenerator<GridRow[]> {
  let ready: GridRow[] = [];
  const scanner = xmlScanner(sheetHandler(book.cells, (row) => ready.push(row)));
  for await (const piece of entryText(book.bytes, sheet.entry)) {
    scanner.feed(piece);
    if (ready.length > 0) yield ready;
    ready = [];
  }
  scanner.end();
  if (ready.length > 0) yield ready;
}

type Cell = {
  readonly row: number;
  readonly column: number;
  readonly type: string;
  readonly style: number;
  value: string | null;
  inline: string[] | null;
  formula: string | null;
  /** The attributes of its `<f>`: `t` (`shared`, `array`), and for a shared formula its group `si` and whether it is the master (`ref`). */
  f: { readonly type: string | null; readonly id: string; readonly master: boolean } | null;
};
type Collecting = 'value' | 'formula' | 'inline';

const maxCellsInRow = 16_384;
const rowAttributes = ['r'];
const cellAttributes = ['r', 's', 't'];
const formulaAttributes = ['t', 'si', 'ref'];

type Masters = Map<string, { formula: string; row: number; column: number }>;

/**
 * A cell's formula: its own, or a shared formula's master slid to this cell; null for none. A
 * master is remembered for the cells after it. As exceljs reads it, an empty `<f></f>` without `t`
 * is no formula.
 */
function formulaOf(done: Cell, masters: Masters): string | null {
  let formula = done.formula;
  if (done.f?.type === 'shared') {
    if (done.f.master) masters.set(done.f.id, { formula: formula ?? '', row: done.row, column: done.column });
    else if (!formula) {
      const master = masters.get(done.f.id);
      formula = master === undefined ? '' : slideFormula(master.formula, master, done);
    }
  }
  return formula || done.f?.type ? (formula ?? '') : null;
}

/** A `<c>` opened: its column (the reference's, else the one after the last), type and style. */
function openedCell(attributes: string, row: number, lastColumn: number): Cell {
  const [reference, styleText, type] = attributesNamed(attributes, cellAttributes);
  const style = Number.parseInt(styleText ?? '0', 10);
  const column = reference === undefined ? lastColumn + 1 : columnNumber(reference);
  return {
    row,
    column,
    type: type ?? 'n',
    style: Number.isNaN(style) ? 0 : style,
    value: null,
    inline: null,
    formula: null,
    f: null,
  };
}

/** The text of a `<v>`, `<f>` or run added to its cell; exceljs sets a value only from text: `<v></v>` is no value. */
function addText(cell: Cell, into: Collecting, text: string): void {
  if (text === '') return;
  if (into === 'value') cell.value = (cell.value ?? '') + text;
  else if (into === 'formula') cell.formula = (cell.formula ?? '') + text;
  else (cell.inline ??= []).push(unescapeOoxml(text));
}

/** A scanner handler for the `<sheetData>` of a worksheet: `<row>`, `<c>`, `<v>`, `<f>`, `<is>` and its runs. */
export function sheetHandler(context: CellContext, emit: (row: GridRow) => void): XmlHandler {
  let rowNumber = 0;
  let cells: { column: number; value: GridRow['cells'][number]['value'] }[] = [];
  let column = 0;
  let cell: Cell | null = null;
  let collecting: Collecting | null = null;
  let text = '';
  // Characters collected for the current cell, over all its `<v>`, `<f>` and runs: stopped at the cap.
  let cellChars = 0;
  const cap = cellReadCap(context.maxCellChars);
  let phonetic = 0;
  const masters: Masters = new Map();

  const finishCell = (done: Cell): void => {
    const value = rawCellOf(
      {
        type: done.type,
        style: done.style,
        value: done.value,
        inline: done.inline?.join('') ?? null,
        formula: formulaOf(done, masters),
      },
      context,
    );
    if (value === null) return;
    // A row has at most 16,384 columns (A to XFD); a crafted one repeating cells is not held past that.
    if (cells.length >= maxCellsInRow)
      throw new Error(
        `dòng ${done.row} có quá ${maxCellsInRow} ô / row ${done.row} has more than ${maxCellsInRow} cells`,
      );
    cells.push({ column: done.column, value });
  };

  return {
    open: (name, attributes, selfClosing) => {
      switch (name) {
        case 'row': {
          const [r] = attributesNamed(attributes, rowAttributes);
          rowNumber = r === undefined ? rowNumber + 1 : Number.parseInt(r, 10);
          cells = [];
          column = 0;
          return;
        }
        case 'c':
          cell = openedCell(attributes, rowNumber, column);
          column = cell.column;
          cellChars = 0;
          return;
        case 'v':
        case 'f':
        case 't':
          if (cell === null) return;
          if (name === 'f') {
            const [type, id, ref] = attributesNamed(attributes, formulaAttributes);
            cell.f = { type: type ?? null, id: id ?? '', master: ref !== undefined };
          }
          if (selfClosing) return;
          if (name === 't' && phonetic > 0) return;
          collecting = name === 'v' ? 'value' : name === 'f' ? 'formula' : 'inline';
          text = '';
          return;
        case 'rPh':
          if (!selfClosing) phonetic += 1;
          return;
      }
    },
    close: (name) => {
      switch (name) {
        case 'v':
        case 'f':
        case 't': {
          if (cell === null || collecting === null) return;
          addText(cell, collecting, text);
          collecting = null;
          return;
        }
        case 'rPh':
          phonetic = Math.max(0, phonetic - 1);
          return;
        case 'c':
          if (cell !== null) finishCell(cell);
          cell = null;
          return;
        case 'row':
          if (cells.length > 0) emit({ row: rowNumber, cells: inColumnOrder(cells) });
          cells = [];
          return;
      }
    },
    wantsText: () => collecting !== null,
    text: (piece) => {
      cellChars += piece.length;
      if (cellChars > cap) {
        const at = { row: cell?.row ?? rowNumber, column: cell === null ? null : columnLetter(cell.column) };
        throw new LimitExceededError(limitExceeded('cellChars', cellChars, context.maxCellChars, at));
      }
      text += piece;
    },
  };
}
