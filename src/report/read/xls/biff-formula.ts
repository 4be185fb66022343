import { columnLetter } from '../column-letter.ts';

const binary: Readonly<Record<number, string>> = {
  0x03: '+',
  0x04: '-',
  0x05: '*',
  0x06: '/',
  0x07: '^',
  0x08: '&',
  0x09: '<',
  0x0a: '<=',
  0x0b: '=',
  0x0c: '>=',
  0x0d: '>',
  0x0e: '<>',
  0x11: ':',
};
/** Functions by their Ftab index ([MS-XLS] 2.5.198.17), with their argument count when it is fixed. */
const functions: Readonly<Record<number, { name: string; args?: number }>> = {
  0: { name: 'COUNT' },
  1: { name: 'IF' },
  4: { name: 'SUM' },
  5: { name: 'AVERAGE' },
  6: { name: 'MIN' },
  7: { name: 'MAX' },
  15: { name: 'SIN', args: 1 },
  24: { name: 'ABS', args: 1 },
  25: { name: 'INT', args: 1 },
  27: { name: 'ROUND', args: 2 },
  36: { name: 'AND' },
  37: { name: 'OR' },
  38: { name: 'NOT', args: 1 },
  39: { name: 'MOD', args: 2 },
  65: { name: 'DATE', args: 3 },
  169: { name: 'COUNTA' },
  345: { name: 'SUMIF' },
  346: { name: 'COUNTIF', args: 2 },
};

/**
 * A formula's parsed tokens (rgce, [MS-XLS] 2.5.198) back as text (`B5*2`, `SUM(C3:C9)`), for the
 * message that rejects a formula; the common tokens only, `…` for a formula using others. A
 * formula is never computed: its cached result is the value.
 */
export function formulaText(tokens: Buffer): string {
  const stack: string[] = [];
  try {
    for (let at = 0; at < tokens.length; ) {
      const token = tokens[at]!;
      const base = token >= 0x20 ? (token & 0x1f) | 0x20 : token;
      at += 1;
      if (binary[token] !== undefined) {
        const right = stack.pop()!;
        stack.push(`${stack.pop()!}${binary[token]}${right}`);
      } else if (token === 0x12 || token === 0x13) stack.push(`${token === 0x13 ? '-' : '+'}${stack.pop()!}`);
      else if (token === 0x14) stack.push(`${stack.pop()!}%`);
      else if (token === 0x15) stack.push(`(${stack.pop()!})`);
      else if (token === 0x16) stack.push('');
      else if (token === 0x17) {
        const count = tokens[at]!;
        const wide = (tokens[at + 1]! & 1) !== 0;
        const end = at + 2 + count * (wide ? 2 : 1);
        stack.push(`"${tokens.toString(wide ? 'utf16le' : 'latin1', at + 2, end)}"`);
        at = end;
      } else if (token === 0x19) {
        const flags = tokens[at]!;
        const word = tokens.readUInt16LE(at + 1);
        at += 3 + ((flags & 0x04) !== 0 ? (word + 1) * 2 : 0);
        if ((flags & 0x10) !== 0) stack.push(`SUM(${stack.pop()!})`);
      } else if (token === 0x1c || token === 0x1d) {
        stack.push(token === 0x1d ? (tokens[at] ? 'TRUE' : 'FALSE') : '#ERR');
        at += 1;
      } else if (token === 0x1e) {
        stack.push(String(tokens.readUInt16LE(at)));
        at += 2;
      } else if (token === 0x1f) {
        stack.push(String(tokens.readDoubleLE(at)));
        at += 8;
      } else if (base === 0x21 || base === 0x22) {
        const variable = base === 0x22;
        const count = variable ? tokens[at]! & 0x7f : undefined;
        const index = tokens.readUInt16LE(at + (variable ? 1 : 0)) & 0x7fff;
        at += variable ? 3 : 2;
        const fn = functions[index];
        const args = count ?? fn?.args;
        if (fn === undefined || args === undefined || args > stack.length) return '…';
        stack.push(`${fn.name}(${stack.splice(stack.length - args, args).join(',')})`);
      } else if (base === 0x24) {
        stack.push(cellReference(tokens.readUInt16LE(at), tokens.readUInt16LE(at + 2)));
        at += 4;
      } else if (base === 0x25) {
        stack.push(
          `${cellReference(tokens.readUInt16LE(at), tokens.readUInt16LE(at + 4))}:${cellReference(tokens.readUInt16LE(at + 2), tokens.readUInt16LE(at + 6))}`,
        );
        at += 8;
      } else return '…';
    }
  } catch {
    return '…';
  }
  return stack.length === 1 && stack[0] !== undefined ? stack[0] : '…';
}

/** A row and a column field (its high bits saying relative or absolute) as `B5` or `$B$5`. */
function cellReference(row: number, column: number): string {
  return `${(column & 0x8000) === 0 ? '$' : ''}${columnLetter((column & 0x3fff) + 1)}${(column & 0x4000) === 0 ? '$' : ''}${row + 1}`;
}
