import { cellReadCap, limitExceeded, LimitExceededError } from '../limit-exceeded.ts';

/**
 * Most characters all shared strings may hold together. They are kept whole while the sheets are
 * read, so a package of thousands of strings each just under the cell cap (90 MB of them inflate
 * from 100 KB) would hold the heap; 200,000 rows of village names need a tenth of this.
 */
export const maxSharedChars = 16 * 1024 * 1024;
import { scanXml } from '../xml/xml-scanner.ts';

/**
 * The shared strings of a workbook (`xl/sharedStrings.xml`), by index, in NFC: the runs of a rich
 * text joined, phonetic guides (`<rPh>`, the furigana of Japanese files) left out, the `_x000D_`
 * escapes of OOXML undone. A string longer than a cell may be stops the reading (LimitExceededError).
 */
export async function sharedStringsOf(text: AsyncIterable<string>, maxCellChars: number): Promise<string[]> {
  const strings: string[] = [];
  const cap = cellReadCap(maxCellChars);
  let chars = 0;
  let total = 0;
  let current: string[] | null = null;
  // The text of the `<t>` being read, undone of its escapes once whole.
  let run: string[] | null = null;
  let phonetic = 0;
  await scanXml(text, {
    open: (name, _, selfClosing) => {
      if (name === 'si') {
        current = [];
        chars = 0;
      } else if (name === 't' && current !== null && phonetic === 0 && !selfClosing) run = [];
      else if (name === 'rPh' && !selfClosing) phonetic += 1;
    },
    close: (name) => {
      if (name === 't' && run !== null) {
        current?.push(unescapeOoxml(run.join('')));
        run = null;
      } else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 'si' && current !== null) {
        strings.push(current.join('').normalize('NFC'));
        current = null;
      }
    },
    wantsText: () => run !== null,
    text: (piece) => {
      chars += piece.length;
      total += piece.length;
      if (chars > cap)
        throw new LimitExceededError(
          limitExceeded('cellChars', chars, maxCellChars, { value: `sharedStrings #${strings.length}` }),
        );
      if (total > maxSharedChars) throw new LimitExceededError(limitExceeded('sharedChars', total, maxSharedChars));
      run?.push(piece);
    },
  });
  return strings;
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (a carriage return is `_x000D_`). */
export function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-F]{4})_/gu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
