import { canonicalDecimal, compareDecimal, decimalPlaces, numberText } from '../schema/decimal.ts';
import type { FieldDefinition } from '../schema/form-definition.ts';
import type { IssueCode } from '../schema/issue.ts';
import type { RawCell } from '../schema/raw-table.ts';
import { foldLabel, normalizeText, villageName } from '../schema/text.ts';

export type Coerced =
  | { ok: true; value: string | number | boolean | null }
  | { ok: false; code: IssueCode; params?: Record<string, string | number> };

const yes = new Set(['co', 'c', 'yes', 'true', '1', 'x']);
const no = new Set(['khong', 'k', 'no', 'false', '0']);

// Vietnamese writes thousands with dots or spaces (1.234 / 1 234) and decimals with a comma.
const plainInteger = /^\d+$/u;
const dotThousands = /^\d{1,3}(?:\.\d{3})+$/u;
const spaceThousands = /^\d{1,3}(?: \d{3})+$/u;
const decimal = /^(?:\d+|\d{1,3}(?:\.\d{3})+)[.,]\d+$/u;

function integerFromText(text: string): Coerced {
  const compact = text.replace(/[\u00a0\u202f]/gu, ' ');
  const negative = compact.startsWith('-');
  const digits = negative ? compact.slice(1).trim() : compact;
  let value: number | null = null;
  if (plainInteger.test(digits)) value = Number(digits);
  else if (dotThousands.test(digits) || spaceThousands.test(digits)) value = Number(digits.replace(/[. ]/gu, ''));
  else if (decimal.test(digits)) return { ok: false, code: 'VALUE_DECIMAL' };
  if (value === null) return { ok: false, code: 'VALUE_NOT_INTEGER' };
  return integerFromNumber(negative ? -value : value);
}

function integerFromNumber(n: number): Coerced {
  if (!Number.isFinite(n)) return { ok: false, code: 'VALUE_NOT_INTEGER' };
  if (!Number.isInteger(n)) return { ok: false, code: 'VALUE_DECIMAL' };
  if (Math.abs(n) > Number.MAX_SAFE_INTEGER)
    return { ok: false, code: 'VALUE_TOO_LARGE', params: { limit: Number.MAX_SAFE_INTEGER } };
  return { ok: true, value: n };
}

// A decimal is written `12,5` or `12.5`; with both marks, the last is the decimal one (`1.234,5`, `1,234.5`).
const decimalText = /^-?\d+(?:[.,]\d+)?$/u;

function decimalFrom(raw: string | number): Coerced {
  if (typeof raw === 'number')
    return Number.isFinite(raw)
      ? { ok: true, value: canonicalDecimal(numberText(raw)) }
      : { ok: false, code: 'VALUE_NOT_NUMBER' };
  let text = raw.replace(/[\u00a0\u202f ]/gu, '');
  const comma = text.lastIndexOf(',');
  const dot = text.lastIndexOf('.');
  if (comma >= 0 && dot >= 0)
    text = comma > dot ? text.replaceAll('.', '').replace(',', '.') : text.replaceAll(',', '');
  else if (dotThousands.test(text.replace(/^-/u, '')) && (text.match(/\./gu) ?? []).length > 1)
    text = text.replaceAll('.', '');
  if (!decimalText.test(text)) return { ok: false, code: 'VALUE_NOT_NUMBER' };
  return { ok: true, value: canonicalDecimal(text.replace(',', '.')) };
}

/** A number's bounds and decimal places, as the field sets them. */
function bounded(field: FieldDefinition, result: Coerced): Coerced {
  if (!result.ok || result.value === null) return result;
  const value = result.value as string | number;
  if (field.type === 'decimal' && field.decimals !== undefined && decimalPlaces(String(value)) > field.decimals)
    return { ok: false, code: 'VALUE_DECIMALS', params: { decimals: field.decimals } };
  if (field.min !== undefined && compareDecimal(value, field.min) < 0)
    return field.min === 0
      ? { ok: false, code: 'VALUE_NEGATIVE' }
      : { ok: false, code: 'VALUE_BELOW_MIN', params: { limit: field.min } };
  if (field.max !== undefined && compareDecimal(value, field.max) > 0)
    return { ok: false, code: 'VALUE_ABOVE_MAX', params: { limit: field.max } };
  return result;
}

function choiceFrom(field: FieldDefinition, raw: string | number | boolean): Coerced {
  const folded = foldLabel(String(raw));
  const found = field.choices?.find((c) => [c.value, c.vi, c.en].some((l) => foldLabel(l) === folded));
  return found
    ? { ok: true, value: found.value }
    : { ok: false, code: 'VALUE_NOT_CHOICE', params: { choices: (field.choices ?? []).map((c) => c.vi).join(', ') } };
}

/** `2024-03-31`, `31/03/2024` (Vietnamese order) or an XLSX date serial. */
function dateFrom(raw: string | number): Coerced {
  let y: number, m: number, d: number;
  let found: RegExpMatchArray | null;
  if (typeof raw === 'number') {
    // Excel's day 25569 is 1970-01-01.
    const date = new Date(Math.round((raw - 25569) * 86400000));
    if (!Number.isFinite(raw) || Number.isNaN(date.getTime())) return { ok: false, code: 'VALUE_NOT_DATE' };
    [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else if ((found = raw.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/u)))
    [y, m, d] = [Number(found[1]), Number(found[2]), Number(found[3])];
  else if ((found = raw.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/u)))
    [y, m, d] = [Number(found[3]), Number(found[2]), Number(found[1])];
  else return { ok: false, code: 'VALUE_NOT_DATE' };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { ok: false, code: 'VALUE_NOT_DATE' };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

function yesNo(raw: string | number | boolean): Coerced {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const folded = foldLabel(String(raw));
  if (yes.has(folded)) return { ok: true, value: true };
  if (no.has(folded)) return { ok: true, value: false };
  return { ok: false, code: 'VALUE_NOT_YES_NO' };
}

/**
 * One cell of a file made into the field's type (SPEC §3). An empty cell is an error, never a
 * guessed zero or no; a decimal in an integer column is an error, never a rounding. `rowKey`:
 * the cell names the row (a village), and a prefix alone (`Bản`) names none.
 */
export function coerceCell(field: FieldDefinition, raw: RawCell, maxChars: number, rowKey = false): Coerced {
  if (raw !== null && typeof raw === 'object') return { ok: false, code: 'VALUE_FORMULA' };
  if (raw === null || (typeof raw === 'string' && normalizeText(raw) === ''))
    return field.required ? { ok: false, code: 'VALUE_REQUIRED' } : { ok: true, value: null };
  switch (field.type) {
    case 'text': {
      const text = normalizeText(String(raw));
      if (text.length > maxChars) return { ok: false, code: 'VALUE_TOO_LONG', params: { limit: maxChars } };
      // A row key is a name: `Bản` alone names no village.
      if (rowKey && villageName(text) === '') return { ok: false, code: 'VALUE_PREFIX_ONLY' };
      return { ok: true, value: text };
    }
    case 'integer':
      if (typeof raw === 'number') return bounded(field, integerFromNumber(raw));
      if (typeof raw === 'boolean') return { ok: false, code: 'VALUE_NOT_INTEGER' };
      return bounded(field, integerFromText(normalizeText(raw)));
    case 'decimal':
      if (typeof raw === 'boolean') return { ok: false, code: 'VALUE_NOT_NUMBER' };
      return bounded(field, decimalFrom(typeof raw === 'string' ? normalizeText(raw) : raw));
    case 'yesno':
      return yesNo(typeof raw === 'string' ? normalizeText(raw) : raw);
    case 'choice':
      return choiceFrom(field, typeof raw === 'string' ? normalizeText(raw) : raw);
    case 'date':
      if (typeof raw === 'boolean') return { ok: false, code: 'VALUE_NOT_DATE' };
      return dateFrom(typeof raw === 'string' ? normalizeText(raw) : raw);
  }
}
