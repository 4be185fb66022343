import { describe, expect, it } from 'vitest';
import { formCatalogOf } from '../../src/forms/form-catalog.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { decimalSum } from '../../src/schema/decimal.ts';
import { definitionOf } from '../../src/schema/form.ts';
import { parsePeriod } from '../../src/schema/period.ts';
import { measureReport } from '../../src/figures/measures.ts';
import { indicatorFigures } from '../../src/figures/indicator-figures.ts';

const ban = definitionOf(shippedFormCatalog().find('HTS-BAN')!);

describe('the version that serves a period', () => {
  it('is the one with the latest valid_from on or before its last day, a later import winning a tie', () => {
    const catalog = formCatalogOf([
      { version: 1, definition: ban },
      { version: 2, definition: { ...ban, valid_from: '2024-01-01' } },
      { version: 3, definition: { ...ban, valid_from: '2026-07-01' } },
      { version: 4, definition: { ...ban, valid_from: '2024-01-01', title: { vi: 'x', en: 'x' } } },
    ]);
    const at = (period: string) => catalog.find('hts-ban', parsePeriod(period)!.lastDay)?.version;
    expect([at('2023-Q4'), at('2024-Q1'), at('2026-Q2'), at('2026-Q3')]).toEqual([1, 4, 4, 3]);
    expect(catalog.find('HTS-BAN')?.version).toBe(3);
    expect(catalog.list('2023-12-31').map((f) => [f.code, f.version])).toEqual([['HTS-BAN', 1]]);
    expect(catalog.find('HTS-BAN', '2019-12-31')?.version).toBe(1);
    const later = formCatalogOf([{ version: 1, definition: { ...ban, valid_from: '2024-01-01' } }]);
    expect(later.find('HTS-BAN', '2023-06-30')).toBeUndefined();
  });
});

describe('measures and figures', () => {
  it('are exact decimal sums, missing (not 0) where a stored row lacks the field, and cover only the communes that give them', () => {
    const form = {
      measures: {
        total: { sum: 'pct' },
        yes: { count_yes: 'flag', where: 'flag' },
        some: { sum: 'pct', where: 'flag' },
      },
    } as const;
    const a = measureReport(form, [
      { pct: '0.1', flag: true },
      { pct: '0.2', flag: false },
    ]);
    const b = measureReport(form, [{ pct: '80.5' }]);
    expect(a).toEqual({ communes_reporting: '1', total: '0.3', yes: '1', some: '0.1' });
    expect(b).toEqual({ communes_reporting: '1', total: '80.5', yes: null, some: null });
    const figures = indicatorFigures(
      {
        indicators: [
          { code: 't', name: { vi: '', en: '' }, numerator: 'total' },
          { code: 'r', name: { vi: '', en: '' }, numerator: 'yes', denominator: 'communes_reporting' },
        ],
      },
      [a, b],
    );
    expect(figures).toEqual([
      { indicator: 't', numerator: '80.8', denominator: null, value: 80.8, communes_covered: 2 },
      { indicator: 'r', numerator: '1', denominator: '1', value: 1, communes_covered: 1 },
    ]);
    expect(decimalSum(['12.25', '0.1', '0.2'])).toBe('12.55');
    expect(decimalSum([0.1, 0.2, '-0.3'])).toBe('0');
    // Whole numbers add as doubles only while the total is a safe integer; past it, or from a fraction on, exactly.
    expect(decimalSum(['007', -0, '-0', 12])).toBe('19');
    expect(decimalSum([Number.MAX_SAFE_INTEGER, 2, '1'])).toBe('9007199254740994');
    expect(decimalSum(['999999999999999', '9999999999999999', 1])).toBe('10999999999999999');
    expect(decimalSum([3, '0.5', 2])).toBe('5.5');
    expect(decimalSum([])).toBe('0');
  });
});

describe('periods of every periodicity', () => {
  it('read half-years and nine months in their Vietnamese spellings', () => {
    const read = (s: string) => {
      const p = parsePeriod(s);
      return p && [p.canonical, p.kind, p.firstDay, p.lastDay];
    };
    expect(read('2024-H1')).toEqual(['2024-H1', 'half_year', '2024-01-01', '2024-06-30']);
    expect(read('6 tháng cuối năm 2024')).toEqual(['2024-H2', 'half_year', '2024-07-01', '2024-12-31']);
    expect(read('H1/2024')?.[0]).toBe('2024-H1');
    expect(read('9 tháng năm 2024')).toEqual(['2024-9M', 'nine_months', '2024-01-01', '2024-09-30']);
    expect(read('2024-9m')?.[0]).toBe('2024-9M');
    expect(read('2024-H3')).toBeNull();
  });
});
