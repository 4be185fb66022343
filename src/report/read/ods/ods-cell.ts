import type { RawCell } from '../../../schema/raw-table.ts';

/** The attributes of a `<table:table-cell>` that say what it holds (OpenDocument 1.3 §19.385–389, §19.642). */
export type OdsCellAttributes = {
  readonly valueType: string | undefined;
  readonly value: string | undefined;
  readonly dateValue: string | undefined;
  readonly booleanValue: string | undefined;
  readonly stringValue: string | undefined;
  readonly formula: string | undefined;
};

/** The attribute names, in the order `OdsCellAttributes` is filled from `attributesNamed`. */
export const odsCellAttributeNames = [
  'office:value-type',
  'office:value',
  'office:date-value',
  'office:boolean-value',
  'office:string-value',
  'table:formula',
] as const;

type Plain = string | number | boolean | null;

/**
 * A cell as the XLSX reader would give it: numbers (float, percentage, currency) as numbers,
 * booleans as booleans, dates as ISO text (`2023-06-30`, `2023-06-30 10:30:00`), text in NFC
 * (times and other types as they are shown), a formula with its computed value.
 */
export function odsCellValue(attributes: OdsCellAttributes, text: string | null): RawCell {
  const value = plainValue(attributes, text);
  if (attributes.formula !== undefined) return { formula: formulaText(attributes.formula), result: value };
  return value;
}

function plainValue(
  { valueType, value, dateValue, booleanValue, stringValue }: OdsCellAttributes,
  text: string | null,
): Plain {
  switch (valueType) {
    case 'float':
    case 'percentage':
    case 'currency': {
      const number = value === undefined ? Number.NaN : Number(value);
      return Number.isFinite(number) ? number : textOf(text);
    }
    case 'boolean':
      return booleanValue === undefined ? textOf(text) : booleanValue === 'true';
    case 'date':
      return dateValue === undefined ? textOf(text) : dateText(dateValue);
    case 'string':
      return stringValue !== undefined ? stringValue.normalize('NFC') : (textOf(text) ?? '');
    default:
      return textOf(text);
  }
}

function textOf(text: string | null): string | null {
  return text === null || text === '' ? null : text.normalize('NFC');
}

const dateValuePattern = /^(-?\d{4,}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}))?/u;

/** `2023-06-30T00:00:00` as the XLSX reader writes a date: the day alone at midnight, else day and time. */
function dateText(value: string): string {
  const parts = dateValuePattern.exec(value);
  if (parts === null) return value;
  const [, day, time] = parts as unknown as [string, string, string | undefined];
  return time === undefined || time === '00:00:00' ? day : `${day} ${time}`;
}

/**
 * An OpenFormula as an officer would type it in Excel: `of:=[.B5]*2` is `B5*2`, `[$Sheet2.A1]` is
 * `Sheet2!A1`; shown in the message that rejects it, never computed.
 */
export function formulaText(formula: string): string {
  return formula
    .replace(/^(?:of:|msoxl:)?=/u, '')
    .replace(
      /\[\$?([^\].]*)\.\$?([A-Z]+\$?[0-9]+)(?::\$?([^\].]*)\.\$?([A-Z]+\$?[0-9]+))?\]/gu,
      (_, sheet: string, from: string, _sheet2: string | undefined, to: string | undefined) =>
        `${sheet === '' ? '' : `${sheet}!`}${from}${to === undefined ? '' : `:${to}`}`,
    );
}
