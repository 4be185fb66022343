import type { RawCell, ReadLimits } from '../../../schema/raw-table.ts';
import { limitExceeded } from '../limit-exceeded.ts';
import { ReadFailure } from '../read-failure.ts';
import type { GridRow } from '../sheet-table.ts';
import { attributesNamed, xmlScanner, type XmlHandler } from '../xml/xml-scanner.ts';
import { entryText } from '../zip/zip-entry.ts';
import type { ZipEntry } from '../zip/zip-directory.ts';
import { odsCellValue, odsCellAttributeNames, type OdsCellAttributes } from './ods-cell.ts';
import { maxDepth } from './ods-book.ts';

/** The last column of a sheet (`XFD`, as in Excel and LibreOffice since 7.4): a repeat past it is not expanded. */
const maxColumn = 16_384;
/** Rows of labels, titles and blank lines a sheet may have besides its data rows before a repeat is refused. */
const rowSlack = 1000;

/**
 * The rows of the `index`th sheet (`<table:table>`) of `content.xml` with anything in them, read as
 * the part inflates, in batches: each row's non-empty cells by column number, as the XLSX reader
 * gives them. Repeats (`number-rows-repeated`, `number-columns-repeated`) are expanded only where
 * they repeat content: LibreOffice ends every sheet with a million repeated empty rows and a
 * thousand repeated empty columns, which cost nothing. Content repeated past what the limits could
 * accept is refused (LIMIT_EXCEEDED) before it is expanded.
 */
export async function* odsSheetRows(
  bytes: Buffer,
  content: ZipEntry,
  index: number,
  limits: ReadLimits,
): AsyncGenerator<GridRow[]> {
  let ready: GridRow[] = [];
  const scanner = xmlScanner(odsSheetHandler(index, limits, (row) => ready.push(row)));
  for await (const piece of entryText(bytes, content)) {
    scanner.feed(piece);
    if (ready.length > 0) yield ready;
    ready = [];
  }
  scanner.end();
  if (ready.length > 0) yield ready;
}

type Cells = { column: number; value: RawCell }[];

const rowAttributes = ['table:number-rows-repeated'];
const cellAttributes = [...odsCellAttributeNames, 'table:number-columns-repeated'];
const spaceAttributes = ['text:c'];

/** A scanner handler for one sheet of `content.xml`: `<table:table-row>`, its cells and their paragraphs. */
export function odsSheetHandler(index: number, limits: ReadLimits, emit: (row: GridRow) => void): XmlHandler {
  let depth = 0;
  let tables = -1;
  // Depth of the `<table:table>` being read, 0 outside it; tables nested in a cell are not rows of the sheet.
  let tableDepth = 0;
  let rowNumber = 0;
  let rowRepeat = 1;
  let cells: Cells = [];
  let column = 0;
  let cell: { attributes: OdsCellAttributes; repeat: number; text: string | null; paragraphs: number } | null = null;
  let inParagraph = 0;
  let annotation = 0;
  const maxRows = limits.maxRows + rowSlack;
  const maxCells = maxRows * limits.maxColumns;
  let rowsRead = 0;
  let copies = 0;

  const append = (text: string): void => {
    if (cell === null) return;
    const current = cell.text ?? '';
    // A cell longer than any limit is kept one character past it: enough for LIMIT_EXCEEDED to name it.
    if (current.length > limits.maxCellChars) return;
    cell.text = current + text.slice(0, limits.maxCellChars + 1 - current.length);
  };

  const finishCell = (): void => {
    if (cell === null) return;
    const value = odsCellValue(cell.attributes, cell.text);
    const repeat = cell.repeat;
    cell = null;
    if (value === null || (typeof value === 'string' && value === '')) {
      column += repeat;
      return;
    }
    const last = Math.min(column + repeat, maxColumn);
    copies += Math.max(0, last - column - 1);
    if (copies > maxCells) throw new ReadFailure(limitExceeded('cells', copies, maxCells));
    for (let at = column + 1; at <= last; at++) cells.push({ column: at, value });
    column += repeat;
  };

  const finishRow = (): void => {
    if (cells.length > 0) {
      rowsRead += rowRepeat;
      if (rowsRead > maxRows) throw new ReadFailure(limitExceeded('rows', rowsRead, limits.maxRows));
      copies += cells.length * (rowRepeat - 1);
      if (copies > maxCells) throw new ReadFailure(limitExceeded('cells', copies, maxCells));
      for (let k = 1; k <= rowRepeat; k++) emit({ row: rowNumber + k, cells: k === 1 ? cells : cells.slice() });
    }
    rowNumber += rowRepeat;
    cells = [];
  };

  // Every open is followed by its close, a self-closing element's at once.
  return {
    open: (name, attributes) => {
      if (++depth > maxDepth) throw new Error(`XML lồng quá ${maxDepth} tầng / XML nested deeper than ${maxDepth}`);
      if (name === 'table') {
        if (tableDepth > 0) tableDepth += 1;
        else if (++tables === index) tableDepth = 1;
        return;
      }
      if (tableDepth !== 1) return;
      switch (name) {
        case 'table-row': {
          const [repeated] = attributesNamed(attributes, rowAttributes);
          rowRepeat = count(repeated);
          cells = [];
          column = 0;
          return;
        }
        case 'table-cell':
        case 'covered-table-cell': {
          const [valueType, value, dateValue, booleanValue, stringValue, formula, repeated] = attributesNamed(
            attributes,
            cellAttributes,
          );
          cell = {
            attributes: { valueType, value, dateValue, booleanValue, stringValue, formula },
            repeat: count(repeated),
            text: null,
            paragraphs: 0,
          };
          return;
        }
        case 'annotation':
          annotation += 1;
          return;
      }
      if (cell === null || annotation > 0) return;
      switch (name) {
        case 'p':
        case 'h':
          if (inParagraph === 0) {
            if (cell.paragraphs > 0) append('\n');
            cell.paragraphs += 1;
            cell.text ??= '';
          }
          inParagraph += 1;
          return;
        case 's': {
          const [c] = attributesNamed(attributes, spaceAttributes);
          append(' '.repeat(Math.min(count(c), limits.maxCellChars + 1)));
          return;
        }
        case 'tab':
          append('\t');
          return;
        case 'line-break':
          append('\n');
          return;
      }
    },
    close: (name) => {
      depth -= 1;
      if (name === 'table' && tableDepth > 0) {
        tableDepth -= 1;
        return;
      }
      if (tableDepth !== 1) return;
      switch (name) {
        case 'annotation':
          annotation = Math.max(0, annotation - 1);
          return;
        case 'p':
        case 'h':
          if (annotation === 0 && cell !== null) inParagraph = Math.max(0, inParagraph - 1);
          return;
        case 'table-cell':
        case 'covered-table-cell':
          finishCell();
          inParagraph = 0;
          return;
        case 'table-row':
          finishRow();
          return;
      }
    },
    wantsText: () => cell !== null && inParagraph > 0 && annotation === 0,
    text: append,
  };
}

/** A repeat count as written, 1 when absent or not a positive integer. */
function count(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number.parseInt(text, 10);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}
