import { describe, expect, it } from 'vitest';
import { coerceCell } from '../../src/report/coerce.ts';
import type { FieldDefinition } from '../../src/schema/form-definition.ts';

const field = (type: FieldDefinition['type'], more: Partial<FieldDefinition> = {}) =>
  ({ key: 'f', header: 'F', type, required: true, aliases: [], ...more }) as FieldDefinition;
const value = (f: FieldDefinition, raw: Parameters<typeof coerceCell>[1]) => coerceCell(f, raw, 200);

describe('coerceCell', () => {
  it('reads Vietnamese integers: dots or spaces for thousands, never a decimal rounded', () => {
    const int = field('integer', { min: 0 });
    expect(value(int, '1.234')).toEqual({ ok: true, value: 1234 });
    expect(value(int, '1 234 567')).toEqual({ ok: true, value: 1234567 });
    expect(value(int, 42)).toEqual({ ok: true, value: 42 });
    expect(value(int, '12,5')).toMatchObject({ ok: false, code: 'VALUE_DECIMAL' });
    expect(value(int, 12.5)).toMatchObject({ ok: false, code: 'VALUE_DECIMAL' });
    expect(value(int, '1.23')).toMatchObject({ ok: false, code: 'VALUE_DECIMAL' });
    expect(value(int, 'mười')).toMatchObject({ ok: false, code: 'VALUE_NOT_INTEGER' });
    expect(value(int, '-3')).toMatchObject({ ok: false, code: 'VALUE_NEGATIVE' });
    expect(value(int, 2 ** 60)).toMatchObject({ ok: false, code: 'VALUE_TOO_LARGE' });
  });

  it('reads a decimal by its last mark and keeps it exact', () => {
    const dec = field('decimal', { decimals: 2 });
    expect(value(dec, '1.234,5')).toEqual({ ok: true, value: '1234.5' });
    expect(value(dec, '1,234.5')).toEqual({ ok: true, value: '1234.5' });
    expect(value(dec, '12,50')).toEqual({ ok: true, value: '12.5' });
    expect(value(dec, '0,125')).toMatchObject({ ok: false, code: 'VALUE_DECIMALS', params: { decimals: 2 } });
    expect(value(dec, 'abc')).toMatchObject({ ok: false, code: 'VALUE_NOT_NUMBER' });
  });

  it('holds a number to the field’s bounds', () => {
    const bounded = field('integer', { min: 1, max: 10 });
    expect(value(bounded, 0)).toMatchObject({ ok: false, code: 'VALUE_BELOW_MIN', params: { limit: 1 } });
    expect(value(bounded, 11)).toMatchObject({ ok: false, code: 'VALUE_ABOVE_MAX', params: { limit: 10 } });
    expect(value(bounded, 10)).toEqual({ ok: true, value: 10 });
  });

  it('reads yes and no in Vietnamese and English, with or without diacritics', () => {
    const yn = field('yesno');
    for (const yes of ['Có', 'co', 'x', 'YES', true]) expect(value(yn, yes)).toEqual({ ok: true, value: true });
    for (const no of ['Không', 'khong', 'k', 'no', false]) expect(value(yn, no)).toEqual({ ok: true, value: false });
    expect(value(yn, 'có lẽ')).toMatchObject({ ok: false, code: 'VALUE_NOT_YES_NO' });
  });

  it('reads a date in ISO or Vietnamese order, or as an Excel serial, and refuses a day that does not exist', () => {
    const date = field('date');
    expect(value(date, '2024-03-31')).toEqual({ ok: true, value: '2024-03-31' });
    expect(value(date, '31/03/2024')).toEqual({ ok: true, value: '2024-03-31' });
    expect(value(date, 45382)).toEqual({ ok: true, value: '2024-03-31' });
    expect(value(date, '31/02/2024')).toMatchObject({ ok: false, code: 'VALUE_NOT_DATE' });
  });

  it('matches a choice by its value or either label, folded', () => {
    const choice = field('choice', {
      choices: [{ value: 'fiber', vi: 'Cáp quang', en: 'Fibre' }],
    } as Partial<FieldDefinition>);
    expect(value(choice, 'cap quang')).toEqual({ ok: true, value: 'fiber' });
    expect(value(choice, 'FIBRE')).toEqual({ ok: true, value: 'fiber' });
    expect(value(choice, 'vệ tinh')).toMatchObject({
      ok: false,
      code: 'VALUE_NOT_CHOICE',
      params: { choices: 'Cáp quang' },
    });
  });

  it('calls an empty cell an error when the field is required, never a zero', () => {
    expect(value(field('integer'), null)).toMatchObject({ ok: false, code: 'VALUE_REQUIRED' });
    expect(value(field('integer'), '  ')).toMatchObject({ ok: false, code: 'VALUE_REQUIRED' });
    expect(value(field('integer', { required: false }), null)).toEqual({ ok: true, value: null });
  });

  it('refuses a formula, a text over the limit, and a row key that is only a prefix', () => {
    expect(value(field('integer'), { formula: 'SUM(A1:A3)', result: 6 })).toMatchObject({
      ok: false,
      code: 'VALUE_FORMULA',
    });
    expect(coerceCell(field('text'), 'x'.repeat(11), 10)).toMatchObject({
      ok: false,
      code: 'VALUE_TOO_LONG',
      params: { limit: 10 },
    });
    expect(coerceCell(field('text'), 'Bản', 200, true)).toMatchObject({ ok: false, code: 'VALUE_PREFIX_ONLY' });
    expect(coerceCell(field('text'), 'Bản  Chà   Cang', 200, true)).toEqual({ ok: true, value: 'Bản Chà Cang' });
  });
});
