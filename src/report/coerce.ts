import type { FieldDef } from '../schema/form.ts';
import type { IssueCode } from '../schema/issue.ts';
import type { RawCell } from '../schema/raw-table.ts';
import { foldLabel, normalizeText, villageName } from '../schema/text.ts';

export type Coerced = { ok: true; value: string | number | boolean } | { ok: false; code: IssueCode; params?: Record<string, string | number> };

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
  if (n < 0) return { ok: false, code: 'VALUE_NEGATIVE' };
  if (n > Number.MAX_SAFE_INTEGER) return { ok: false, code: 'VALUE_TOO_LARGE', params: { limit: Number.MAX_SAFE_INTEGER } };
  return { ok: true, value: n };
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
 * guessed zero or no; a decimal in an integer column is an error, never a rounding.
 */
export function coerceCell(field: FieldDef, raw: RawCell, maxChars: number): Coerced {
  if (raw !== null && typeof raw === 'object') return { ok: false, code: 'VALUE_FORMULA' };
  if (raw === null || (typeof raw === 'string' && normalizeText(raw) === '')) return { ok: false, code: 'VALUE_REQUIRED' };
  switch (field.type) {
    case 'text': {
      const text = normalizeText(String(raw));
      if (text.length > maxChars) return { ok: false, code: 'VALUE_TOO_LONG', params: { limit: maxChars } };
      // A row key is a name: `Bản` alone names no village.
      if (field.rowKey && villageName(text) === '') return { ok: false, code: 'VALUE_PREFIX_ONLY' };
      return { ok: true, value: text };
    }
    case 'integer':
      if (typeof raw === 'number') return integerFromNumber(raw);
      if (typeof raw === 'boolean') return { ok: false, code: 'VALUE_NOT_INTEGER' };
      return integerFromText(normalizeText(raw));
    case 'yesno':
      return yesNo(typeof raw === 'string' ? normalizeText(raw) : raw);
  }
}
