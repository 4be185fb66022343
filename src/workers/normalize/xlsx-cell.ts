import type { Cell, CellErrorValue, CellValue } from 'exceljs';
import type { RawCell } from '../../schema/raw-table.ts';

/**
 * An exceljs cell as the file had it. Numbers and booleans stay as they are; text, rich text and
 * hyperlinks become their text (NFC); dates become ISO text (`2023-06-30`); error values their
 * code (`#N/A`). A formula stays a formula, with its cached result, so the worker can reject it
 * rather than mistake a computed figure for a typed one.
 */
export function rawCellOf(cell: Cell): RawCell {
  const value = cell.value;
  if (isFormula(value)) return { formula: cell.formula ?? '', result: plainOf(value.result) ?? null };
  return plainOf(value) ?? null;
}

type Plain = string | number | boolean | null;

function isFormula(value: CellValue): value is Extract<CellValue, { result?: unknown }> {
  return typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);
}

function plainOf(value: CellValue | CellErrorValue): Plain | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.normalize('NFC');
  if (value instanceof Date) return isoText(value);
  if ('error' in value) return value.error;
  if ('richText' in value) return value.richText.map((run) => run.text).join('').normalize('NFC');
  // A hyperlink's text may itself be rich text.
  if ('hyperlink' in value) return plainOf(value.text as CellValue);
  return undefined;
}

/** exceljs reads a date serial as that date and time in UTC. */
function isoText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}
