import { issue, type Issue } from '../../schema/issue.ts';
import type { RawRow, RawTable, ReadLimits } from '../../schema/raw-table.ts';
import { normalizeText } from '../../schema/text.ts';
import { tableAssembler } from './assemble-table.ts';
import { columnLetter } from './column-letter.ts';
import { limitExceeded } from './limit-exceeded.ts';
import { namesReport } from './sheet-labels.ts';
import { findSheetTable, type SheetGrid, type SheetTable } from './sheet-table.ts';
import { tableRowsOf } from './table-rows.ts';
import { detectLegacyText } from './text/legacy-text.ts';

/**
 * A sheet of a workbook (XLSX, XLS or ODS, or a CSV as its one sheet) as the table finder sees it:
 * its rows with anything in them, in batches, read again from the file at each call, and the
 * merged cells starting in a row where the format has them (`SheetGrid`).
 */
export type GridSheet = SheetGrid & { readonly name: string; readonly visible: boolean };

export type GridTableOptions = {
  /**
   * How an issue names a column: `letter`, as a spreadsheet shows it, with its header
   * (`D (Có internet cáp quang)`); `header`, for text files, by its header alone.
   */
  readonly labels: 'letter' | 'header';
  /** Whether to look for TCVN3/VNI text: a text file's decoding has already. */
  readonly legacyText: boolean;
};

const spreadsheet: GridTableOptions = { labels: 'letter', legacyText: true };

/**
 * The table of a workbook, whatever its format: on the visible sheet whose label cells say what
 * report it is (`Biểu mẫu:`, `Mã xã:`, `Kỳ báo cáo:`), so that an instructions sheet before it is
 * passed over; without labels, on the first visible sheet with a header row of two or more text
 * cells; else on the first sheet with anything in it (`findSheetTable`); laid out as offices lay
 * it out (`gridTable`). Two visible sheets with labels and a table are two reports in one file:
 * FILE_SEVERAL_REPORTS, naming them, rather than one read and the other dropped unsaid. One rule
 * for every spreadsheet format, so that a report saved as .xls or .ods reads as the same report
 * saved as .xlsx. FILE_EMPTY for a workbook with nothing in it; HEADER_NOT_FOUND when its sheets
 * hold nothing but labels as far as a header is looked for. Throws as its sheets' rows throw.
 */
export async function tableOfSheets(
  sheets: readonly GridSheet[],
  format: RawTable['format'],
  limits: ReadLimits,
  options: GridTableOptions = spreadsheet,
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  // Templates keep their yes/no lists on hidden sheets, which may come first.
  const ordered = [...sheets.filter((sheet) => sheet.visible), ...sheets.filter((sheet) => !sheet.visible)];
  const confident: { sheet: GridSheet; table: SheetTable }[] = [];
  let fallback: { sheet: GridSheet; table: SheetTable } | null = null;
  let notFound: number | null = null;
  for (const sheet of ordered) {
    // A hidden sheet is read only when no visible one has a table.
    if (!sheet.visible && confident.length > 0) break;
    const search = await findSheetTable(sheet);
    if (search === null) continue;
    if ('notFound' in search) notFound ??= search.notFound;
    else if (search.table.confident) confident.push({ sheet, table: search.table });
    else fallback ??= { sheet, table: search.table };
  }
  const labelled = confident.filter(({ sheet, table }) => sheet.visible && namesReport(table.sightings));
  if (labelled.length > 1)
    return {
      issues: [issue('FILE_SEVERAL_REPORTS', {}, { sheets: labelled.map(({ sheet }) => sheet.name).join(', ') })],
    };
  const chosen = labelled[0] ?? confident[0] ?? fallback;
  if (chosen) return gridTable(format, chosen.sheet, chosen.table, limits, options);
  return { issues: [notFound === null ? issue('FILE_EMPTY') : issue('HEADER_NOT_FOUND', {}, { rows: notFound })] };
}

/** Total rows kept for `checkTotals`: a table has one, a crafted file may repeat it. */
export const maxTotalRows = 20;

/**
 * A sheet's table (found by `findSheetTable`) as a RawTable: the rows after its header as the
 * table layer sees them (`tableRowsOf`: no row-number column, blank rows skipped, total rows set
 * aside, the signature block ending it), metadata from the label cells and the metadata columns.
 * The rows are read once here, for all that needs them all: their count, the first cell too long,
 * a sample of the text, the metadata columns, the total rows; and again each time they are read.
 */
async function gridTable(
  format: RawTable['format'],
  grid: SheetGrid,
  found: SheetTable,
  limits: ReadLimits,
  options: GridTableOptions,
): Promise<{ table: RawTable } | { issues: Issue[] }> {
  const width = found.lastColumn - found.firstColumn + 1;
  if (width > limits.maxColumns)
    return { issues: [limitExceeded('columns', width, limits.maxColumns, { row: found.headerRow })] };
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
  return typeof cell === 'string'
    ? limitExceeded('cellChars', cell.length, limits.maxCellChars, { row, column: columnLabels[long] ?? null })
    : null;
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
