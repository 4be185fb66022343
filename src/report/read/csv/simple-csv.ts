import type { Issue } from '../../../schema/issue.ts';
import type { RawRow, RawTable, ReadLimits } from '../../../schema/raw-table.ts';
import { foldLabel } from '../../../schema/text.ts';
import { tableAssembler } from '../assemble-table.ts';
import { isEmptyCell, looksNumeric } from '../cell-text.ts';
import { isColumnNumberRow } from '../column-number-row.ts';
import { inBatches } from '../../in-batches.ts';
import { isDocumentHeading, labelsOf } from '../sheet-labels.ts';
import type { GridRow } from '../sheet-table.ts';
import { isSignatureRow } from '../signature-block.ts';
import { isTotalRow } from '../total-row.ts';
import type { CsvDelimiter } from './csv-delimiter.ts';
import { pastFieldEnd, readUnquoted } from './csv-records.ts';
import { maxTotalRows } from '../grid-table.ts';
import { rowNumberHeaders } from '../table-rows.ts';

/**
 * Texts up to this length are read in one pass and their rows kept: the size of the files the
 * worker reads with their submission. A longer one goes the general way, which keeps no row.
 */
const maxSimpleChars = 256 * 1024;

/**
 * The common CSV — the header on its first line, every header cell filled, no quote anywhere,
 * nothing over a limit, no row-number column, no row of column numbers and no second header row
 * under it — read in one pass into the very table `readCsv`'s general way makes of it (records →
 * sheet rows → `findSheetTable` → `gridTable`), whose every step re-reads the text. Each rule of
 * the general way that such a file can still meet (blank rows, total rows, the signature block,
 * metadata columns, cells past the header) is applied by the same function here. Null for any
 * other file: the general way reads it. test/report/read/csv/simple-csv.test.ts checks both ways
 * give the same table on generated files.
 */
export function simpleCsvTable(
  text: string,
  delimiter: CsvDelimiter,
  limits: ReadLimits,
): { table: RawTable } | { issues: Issue[] } | null {
  if (text.length > maxSimpleChars || text.includes('"')) return null;
  const separator = delimiter.charCodeAt(0);
  let header: GridRow | null = null;
  let headers: string[] = [];
  let width = 0;
  let checkedBelow = false;
  let ended = false;
  let count = 0;
  const data: RawRow[] = [];
  const totals: RawRow[] = [];
  let assembler: ReturnType<typeof tableAssembler> | null = null;
  let i = 0;
  let row = 0;
  while (i < text.length) {
    row += 1;
    // One record: its fields up to the line break (no quote anywhere, so none is quoted).
    const fields: string[] = [];
    let filled = 0;
    for (;;) {
      const end = readUnquoted(text, i, separator);
      if (end - i > limits.maxCellChars) return null;
      fields.push(text.slice(i, end));
      if (end > i) filled = fields.length;
      const more = text.charCodeAt(end) === separator;
      i = pastFieldEnd(text, end);
      if (!more) break;
    }
    if (filled > limits.maxColumns) return null;
    if (ended) continue;
    const cells: { column: number; value: string }[] = [];
    for (let f = 0; f < filled; f++) if (fields[f] !== '') cells.push({ column: f + 1, value: fields[f]! });
    if (!cells.some(({ value }) => !isEmptyCell(value))) {
      // The header must be the first line: anything before it goes the general way.
      if (header === null) return null;
      continue;
    }
    const grid: GridRow = { row, cells };
    if (header === null) {
      if (!simpleHeader(grid, fields, filled)) return null;
      header = grid;
      width = filled;
      headers = fields.slice(0, width);
      assembler = tableAssembler({ headers, columnLabels: headers });
      continue;
    }
    const within = (fields.length > width ? fields.slice(0, width) : fields).map((value) =>
      value === '' ? null : value,
    );
    while (within.length < width) within.push(null);
    if (!checkedBelow) {
      checkedBelow = true;
      if (isColumnNumberRow(within) || mayBeSubHeader(header, grid)) return null;
    }
    if (isSignatureRow(grid)) {
      // The signature block ends the table; the records after it are still checked against the limits.
      ended = true;
      continue;
    }
    const raw = { row, cells: within };
    if (isTotalRow(within)) {
      if (totals.length < maxTotalRows) totals.push(raw);
      continue;
    }
    if (within.every(isEmptyCell)) continue;
    count += 1;
    if (count > limits.maxRows) return null;
    data.push(raw);
    assembler!.add(raw);
  }
  if (assembler === null) return null;
  return assembler.finish('csv', { headers, columnLabels: headers, rows: () => inBatches(data), totals });
}

/**
 * A header `findSheetTable` takes at the first line, spanning it whole (every field up to the last
 * filled, filled): not an official document's heading nor a label row, two or more text cells,
 * no row-number column (`tableRowsOf` would leave it out).
 */
function simpleHeader(grid: GridRow, fields: readonly string[], filled: number): boolean {
  if (grid.row !== 1 || filled < 2) return false;
  for (let f = 0; f < filled; f++) {
    const field = fields[f]!;
    if (field.trim() === '' || rowNumberHeaders.has(foldLabel(field))) return false;
  }
  return !isDocumentHeading(grid) && labelsOf(grid) === null;
}

/**
 * Whether the row right under the header might be a second header row (`isSubHeader` in
 * sheet-table.ts): right under it, no label row, and text only. Such a file goes the general way.
 */
function mayBeSubHeader(header: GridRow, next: GridRow): boolean {
  if (next.row !== header.row + 1 || labelsOf(next) !== null) return false;
  return next.cells.every(({ value }) => isEmptyCell(value) || (typeof value === 'string' && !looksNumeric(value)));
}
