import { columnLetter, columnNumber } from '../column-letter.ts';

const candidate = /(([a-z_\-0-9]*)!)?([a-z0-9_$]{2,})([(])?/giu;
const reference = /^([$])?([a-z]+)([$])?([1-9][0-9]*)$/iu;

/**
 * The formula of a cell that shares its master's (`<f t="shared" si="0"/>`): the master's formula
 * with its relative references moved by the distance between the two cells, `A2/2` at B2 being
 * `A3/2` at B3. Ported from exceljs's `slideFormula`, so that a formula reads as it did.
 */
export function slideFormula(
  formula: string,
  from: { row: number; column: number },
  to: { row: number; column: number },
): string {
  return formula.replace(
    candidate,
    (whole, sheet: string | undefined, _name: string | undefined, address: string, call: string | undefined) => {
      if (call) return whole;
      const parts = reference.exec(address);
      if (parts === null) return whole;
      const [, columnFixed, letters, rowFixed, rowText] = parts as unknown as [
        string,
        string | undefined,
        string,
        string | undefined,
        string,
      ];
      const upper = letters.toUpperCase();
      // Past XFD, the last column, it is a name, not a reference.
      if (upper.length > 3 || (upper.length === 3 && upper > 'XFD')) return whole;
      let column = columnNumber(upper);
      let row = Number.parseInt(rowText, 10);
      if (!columnFixed) column += to.column - from.column;
      if (!rowFixed) row += to.row - from.row;
      return `${sheet ?? ''}${columnFixed ?? ''}${columnLetter(column)}${rowFixed ?? ''}${row}`;
    },
  );
}
