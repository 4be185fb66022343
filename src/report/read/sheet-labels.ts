import { cellText, isEmptyCell } from './cell-text.ts';
import { foldLabel } from '../../schema/text.ts';
import { columnLetter } from './column-letter.ts';
import { metaKeyOf } from '../meta/meta-label.ts';
import { normalizeCommuneCode } from '../meta/resolve-meta.ts';
import { parsePeriod } from '../../schema/period.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import type { MetaSighting } from '../meta/settle-meta.ts';
import type { GridRow } from './sheet-table.ts';
import { dateLine } from './signature-block.ts';

/** `Label: value` in one cell: a short label, a colon, something after it. */
const labelWithValue = /^([^:]{1,40}):(.*)$/su;

/**
 * More non-empty cells than a label row ever has (three labels with their values, and notes):
 * such a row is read as a header, whatever its cells say, so that the labels kept above a table
 * stay few however a crafted row repeats them.
 */
const maxLabelRowCells = 12;

/**
 * The metadata of a label row above a table (`Biểu mẫu: <form code>` in one cell, or `Mã xã` then
 * `03214` in the next non-empty cell), or null when the row is not made only of labels and their
 * values. A row of other `Label: value` cells (`Ngày lập: 01/07/2023`) after a known label is a
 * label row too, and gives nothing more.
 */
export function labelsOf(row: GridRow): MetaSighting[] | null {
  const cells = row.cells.filter(({ value }) => !isEmptyCell(value));
  if (cells.length === 0 || cells.length > maxLabelRowCells) return null;
  const sightings: MetaSighting[] = [];
  const sighting = (key: NonNullable<ReturnType<typeof metaKeyOf>>, value: string, column: number): MetaSighting => ({
    key,
    value,
    row: row.row,
    column: columnLetter(column),
  });
  // A label written with its colon (`Mã xã:`) makes this a label row: what follows its value is an
  // officer's note, not a column. Without a colon, `Mã xã | Tên thôn/bản | …` is a table header.
  let colonLabel = false;
  for (let k = 0; k < cells.length; k++) {
    const { column, value } = cells[k]!;
    const text = cellText(value).trim();
    const colon = labelWithValue.exec(text);
    if (colon !== null && colon[2]!.trim() !== '') {
      const key = metaKeyOf(colon[1]!);
      if (key !== null) {
        sightings.push(sighting(key, colon[2]!, column));
        colonLabel = true;
      }
      continue;
    }
    const key = metaKeyOf(colon === null ? text : colon[1]!);
    if (key === null) return colonLabel ? sightings : null;
    if (colon !== null) colonLabel = true;
    // A bare label takes the next non-empty cell as its value. Two labels side by side are a
    // header row naming metadata columns (`form | commune | period`), not label cells.
    const next = cells[k + 1];
    if (next === undefined) continue;
    const nextText = cellText(next.value).trim();
    if (isLabel(nextText)) return null;
    // Nor is a label followed by what is no value of it: `Biểu mẫu | Tên thôn/bản | Mã xã | Số hộ`
    // is a header with metadata columns among the form's.
    if (colon === null && !valueShapes[key](nextText)) return null;
    sightings.push(sighting(key, cellText(next.value), next.column));
    k += 1;
  }
  return sightings;
}

/**
 * What a value of each metadata field looks like: a form code, up to five digits, a period, or
 * at least a year in it (`Quý 5/2023` is a period typed wrong, to be told so, not a header).
 */
const valueShapes: Readonly<Record<keyof RawMeta, (text: string) => boolean>> = {
  form: (text) => /^[A-Za-z0-9-]{2,16}$/u.test(text),
  commune: (text) => normalizeCommuneCode(text) !== null,
  period: (text) => parsePeriod(text) !== null || /(?:19|20)\d\d/u.test(text),
};

/**
 * Whether label cells say whose report a sheet holds: a commune code or a period (`Mã xã: ghi mã 5
 * chữ số` on an instructions sheet does not). A form code alone does not: a template's every sheet,
 * its instructions too, may carry it before the officer fills anything in.
 */
export function namesReport(sightings: readonly MetaSighting[]): boolean {
  return sightings.some(({ key, value }) => {
    const text = cellText(value).trim();
    return key === 'period' ? parsePeriod(text) !== null : key === 'commune' && valueShapes.commune(text);
  });
}

function isLabel(text: string): boolean {
  const colon = labelWithValue.exec(text);
  return colon !== null || metaKeyOf(text) !== null;
}

/** How the national heading of an official document begins, folded: `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh phúc`. */
const headingStarts = ['conghoaxahoichunghiavietnam', 'doclaptudohanhphuc'];

/**
 * The other lines of that heading (Nghị định 30/2020/NĐ-CP), under the motto: the document's
 * number on the left (`Số: 12/BC-UBND`, `Số:      /BC-UBND`) or what it is about (`V/v báo cáo …`),
 * and where and when it was signed on the right (`Nậm Tin, ngày 05 tháng 7 năm 2023`).
 */
const documentNumber = /^số\s*:\s*[\d\s.…_]*\/\s*[\p{L}\d.\s-]*$/iu;
const aboutLine = /^v\s*\/\s*v\b/iu;

function isHeadingLine(text: string): boolean {
  const line = text.normalize('NFC').trim();
  return documentNumber.test(line) || aboutLine.test(line) || dateLine.test(line.toLowerCase());
}

/** Longer than any line of an official document's heading; a longer text is something else. */
const maxHeadingChars = 200;

/**
 * Whether a row is the heading of an official document, above a report's title: the issuing
 * office on the left (`UBND XÃ NẬM PỒ`), the national motto on the right; or, under them, the
 * document's number or subject and its place and date, with nothing else (`isHeadingLine`). Two
 * text cells, yet no table header.
 */
export function isDocumentHeading(row: GridRow): boolean {
  const texts = row.cells.flatMap(({ value }) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= maxHeadingChars ? [value] : [],
  );
  if (texts.some((value) => headingStarts.some((start) => foldLabel(value).startsWith(start)))) return true;
  return texts.length > 0 && texts.length === row.cells.length && texts.every(isHeadingLine);
}
