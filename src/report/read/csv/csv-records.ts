import type { CsvDelimiter } from './csv-delimiter.ts';

/** A CSV record and the row Excel shows it on: every record is a row, an empty line too. */
export type CsvRecord = { readonly kind: 'record'; readonly row: number; readonly fields: readonly string[] };

/** Why reading stopped before the end of the text. */
export type CsvStop =
  | { readonly kind: 'columns'; readonly row: number; readonly actual: number }
  | { readonly kind: 'cellChars'; readonly row: number; readonly column: number; readonly actual: number }
  | { readonly kind: 'unclosedQuote'; readonly row: number };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits CSV text into records as Excel reads it: fields in double quotes may hold separators,
 * line breaks and doubled quotes (`""`); a quote inside an unquoted field is a plain character;
 * CRLF, LF and CR all end a record. Enforces the limits as it goes rather than after a record is
 * built, so a line of a million separators or a cell of 50 MB costs one pass and no copies:
 * csv-parse measures bytes per record and hands over whole records, which cannot do that.
 * After a stop nothing more is yielded.
 */
export function* csvRecords(
  text: string,
  delimiter: CsvDelimiter,
  limits: { readonly maxColumns: number; readonly maxCellChars: number },
): Generator<CsvRecord | CsvStop> {
  const separator = delimiter.charCodeAt(0);
  let i = 0;
  let row = 0;
  while (i < text.length) {
    row += 1;
    const fields: string[] = [];
    // Fields past the column limit are not kept: only whether one of them holds something matters.
    let width = 0;
    let column = 0;
    for (;;) {
      column += 1;
      const kept = column <= limits.maxColumns;
      let filled: boolean;
      if (text.charCodeAt(i) === QUOTE) {
        const quoted = readQuoted(text, i);
        if (quoted === null) {
          yield { kind: 'unclosedQuote', row };
          return;
        }
        // Excel keeps what follows the closing quote, up to the separator: `"a"b` is `ab`.
        const rest = readUnquoted(text, quoted.end, separator);
        const length = quoted.length + (rest - quoted.end);
        if (length > limits.maxCellChars) {
          yield { kind: 'cellChars', row, column, actual: length };
          return;
        }
        if (kept) fields.push(text.slice(i + 1, quoted.end - 1).replaceAll('""', '"') + text.slice(quoted.end, rest));
        filled = length > 0;
        i = rest;
      } else {
        const end = readUnquoted(text, i, separator);
        if (end - i > limits.maxCellChars) {
          yield { kind: 'cellChars', row, column, actual: end - i };
          return;
        }
        if (kept) fields.push(text.slice(i, end));
        filled = end > i;
        i = end;
      }
      if (filled) width = column;
      const more = text.charCodeAt(i) === separator;
      i = pastFieldEnd(text, i);
      if (!more) break;
    }
    if (width > limits.maxColumns) {
      yield { kind: 'columns', row, actual: width };
      return;
    }
    yield { kind: 'record', row, fields };
  }
}

/** Past the separator or line break (CRLF, LF or CR) at `at` that ends a field: where what follows starts. */
export function pastFieldEnd(text: string, at: number): number {
  if (at >= text.length) return at;
  return at + (text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF ? 2 : 1);
}

/** End of an unquoted stretch: the next separator or line break, or the end of the text. */
export function readUnquoted(text: string, from: number, separator: number): number {
  let j = from;
  for (; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === separator || code === LF || code === CR) break;
  }
  return j;
}

/** A quoted field starting at `from`: the index after its closing quote, and its length once `""` is undone. */
function readQuoted(text: string, from: number): { end: number; length: number } | null {
  let j = from + 1;
  let doubled = 0;
  for (;;) {
    const close = text.indexOf('"', j);
    if (close === -1) return null;
    if (text.charCodeAt(close + 1) !== QUOTE) return { end: close + 1, length: close - from - 1 - doubled };
    doubled += 1;
    j = close + 2;
  }
}
