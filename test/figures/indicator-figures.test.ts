import { describe, expect, it } from 'vitest';
import { indicatorFigures } from '../../src/figures/indicator-figures.ts';

const form = {
  indicators: [
    { code: 'villages_total', name: { vi: 'Số thôn', en: 'Villages' }, numerator: 'villages' },
    {
      code: 'fiber_rate',
      name: { vi: 'Tỷ lệ cáp quang', en: 'Fibre' },
      numerator: 'villages_fiber',
      denominator: 'villages',
    },
  ],
};

describe('indicatorFigures (SPEC §2)', () => {
  it('sums numerators and denominators and divides once: never an average of rates', () => {
    // 1/1 and 1/9: the average of the rates would be 0.5556; the rate of the sums is 0.2.
    const [total, rate] = indicatorFigures(form, [
      { villages: '1', villages_fiber: '1' },
      { villages: '9', villages_fiber: '1' },
    ]);
    expect(total).toEqual({
      indicator: 'villages_total',
      numerator: '10',
      denominator: null,
      value: 10,
      communes_covered: 2,
    });
    expect(rate).toEqual({
      indicator: 'fiber_rate',
      numerator: '2',
      denominator: '10',
      value: 0.2,
      communes_covered: 2,
    });
  });

  it('keeps sums of decimals exact', () => {
    const [total] = indicatorFigures(form, [{ villages: '0.1' }, { villages: '0.2' }]);
    expect(total!.numerator).toBe('0.3');
  });

  it('leaves out a report that cannot give a measure, and says null, never 0, when none can', () => {
    const [total, rate] = indicatorFigures(form, [
      { villages: '4', villages_fiber: null },
      { villages: '6', villages_fiber: '3' },
    ]);
    expect(total).toMatchObject({ numerator: '10', communes_covered: 2 });
    expect(rate).toMatchObject({ numerator: '3', denominator: '6', value: 0.5, communes_covered: 1 });
    expect(indicatorFigures(form, [])).toEqual([
      { indicator: 'villages_total', numerator: null, denominator: null, value: null, communes_covered: 0 },
      { indicator: 'fiber_rate', numerator: null, denominator: null, value: null, communes_covered: 0 },
    ]);
  });

  it('gives a zero denominator a null value, with its parts', () => {
    const [, rate] = indicatorFigures(form, [{ villages: '0', villages_fiber: '0' }]);
    expect(rate).toEqual({
      indicator: 'fiber_rate',
      numerator: '0',
      denominator: '0',
      value: null,
      communes_covered: 1,
    });
  });
});
