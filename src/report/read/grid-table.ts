import { issue, type Issue } from '../../schema/issue.ts';
import type { RawRow, RawTable, ReadLimits } from '../../schema/raw-table.ts';
import { normalizeText } from '../../schema/text.ts';
import { tableAssembler } from './assemble-table.ts';
import { columnLetter } from './column-letter.ts';
import { limitExceeded } from './limit-exceeded.ts';
import type { SheetGrid, SheetTable } from './sheet-table.ts';
import { tableRowsOf } from './table-rows.ts';
import { detectLegacyText } from './text/legacy-text.ts';

export type GridTableOptions = {
  /**
   * How an issue names a column: `letter`, as a spreadsheet shows it, with its header
   * (`D (Có internet cáp quang)`); `header`, for text files, by its header alone.
   */
  readonly labels: 'letter' | 'header';
  /** Whether to look for TCVN3/VNI text: a text file's decoding has already. */
  readonly legacyText: boolean;
};

/** Total rows kept for `checkTotals`: a table has one, a crafted file may repeat it. */
const maxTotalRows = 20;

/**
 * A sheet's table (found by `findSheetTable`) as a RawTable: the rows after its header as the
 * table layer sees them (`tableRowsOf`: no row-number column, blank rows skipped, total rows set
 * aside, the signature block ending it), metadata from the label cells and the metadata columns.
 * The rows are read once here, for all that needs them all: their count, the first cell too long,
 * a sample of the text, the metadata columns, the total rows; and again each time they are read.
 * Every spreadsheet format ends here, and CSV too.
 */
export async function gridTable(
  format: RawTable['format'],
  grid: SheetGrid,
  found: SheetTable,
  limits: ReadLimits,
  options: GridTableOptions,
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const width = found.lastColumn - found.firstColumn + 1;
  if (width > limits.maxColumns) return { issues: [limitExceeded('columns', width, limits.maxColumns, { row: found.headerRow })] };
  const layout = tableRowsOf(found);
  const headers = layout.headers;
  const columnLabels = layout.columns.map((column, i) => labelOf(column, headers[i] ?? '', options.labels));

  async function* walk(): AsyncGenerator<{ kind: 'data' | 'total'; row: RawRow }[]> {
    let index = -1;
    for await (const batch of grid.rows()) {
      const kept: { kind: 'data' | 'total'; row: RawRow }[] = [];
      for (const row of batch) {
        index += 1;
        if (index < found.dataIndex) continue;
        const kind = layout.kindOf(row);
        if (kind.kind === 'end') {
          yield kept;
          return;
        }
        if (kind.kind !== 'blank') kept.push(kind);
      }
      yield kept;
    }
  }
  async function* rows(): AsyncGenerator<RawRow[]> {
    for await (const batch of walk()) yield batch.flatMap((found) => (found.kind === 'data' ? [found.row] : []));
  }

  const assembler = tableAssembler({ headers, columnLabels }, found.sightings);
  const totals: RawRow[] = [];
  let count = 0;
  let tooLong = longCell({ row: found.headerRow, cells: headers }, columnLabels, limits);
  const sample = textSample(found.sightings.map((sighting) => sighting.value));
  sample.add(headers);
  for await (const batch of walk()) {
    for (const { kind, row } of batch) {
      tooLong ??= longCell(row, columnLabels, limits);
      if (kind === 'total') {
        if (totals.length < maxTotalRows) totals.push(row);
        continue;
      }
      count += 1;
      if (options.legacyText) sample.add(row.cells);
      assembler.add(row);
    }
  }
  if (count > limits.maxRows) return { issues: [limitExceeded('rows', count, limits.maxRows)] };
  if (tooLong !== null) return { issues: [tooLong] };
  const legacy = options.legacyText ? detectLegacyText(sample.text()) : null;
  if (legacy !== null) return { issues: [issue('ENCODING_LEGACY', {}, { encoding: legacy })] };
  return assembler.finish(format, { headers, columnLabels, rows, totals });
}

function labelOf(column: number, header: string, labels: GridTableOptions['labels']): string {
  const text = normalizeText(header);
  if (text === '') return columnLetter(column);
  return labels === 'header' ? header : `${columnLetter(column)} (${text})`;
}

function longCell({ row, cells }: RawRow, columnLabels: readonly string[], limits: ReadLimits): Issue | null {
  const long = cells.findIndex((cell) => typeof cell === 'string' && cell.length > limits.maxCellChars);
  const cell = cells[long];
  return typeof cell === 'string' ? limitExceeded('cellChars', cell.length, limits.maxCellChars, { row, column: columnLabels[long] ?? null }) : null;
}

/** Enough of the workbook's text, label values first, for `detectLegacyText` to judge (it reads one MiB at most). */
function textSample(texts: string[]): { add: (cells: RawRow['cells']) => void; text: () => string } {
  let length = 0;
  return {
    add: (cells) => {
      if (length > 1 << 20) return;
      for (const cell of cells) {
        if (typeof cell !== 'string') continue;
        texts.push(cell);
        length += cell.length + 1;
      }
    },
    text: () => texts.join('\n'),
  };
}
