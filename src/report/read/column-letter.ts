/** The spreadsheet name of a column: 1 → `A`, 26 → `Z`, 27 → `AA`. */
export function columnLetter(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(0x41 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** The column of a cell reference, `AB12` → 28; 0 when it starts with no letter. */
export function columnNumber(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return column;
}
