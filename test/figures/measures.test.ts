import { describe, expect, it } from 'vitest';
import { measureReport } from '../../src/figures/measures.ts';
import { communesReporting } from '../../src/schema/form-definition.ts';

const form = {
  measures: {
    villages: { count: 'rows' as const },
    villages_fiber: { count_yes: 'fiber' },
    population: { sum: 'population' },
    population_fiber: { sum: 'population', where: 'fiber' },
    income: { sum: 'income' },
  },
};

describe('measureReport', () => {
  it('counts rows and yes cells and sums numbers exactly, each measure over the rows its `where` keeps', () => {
    const m = measureReport(form, [
      { fiber: true, population: 100, income: '1.5' },
      { fiber: false, population: 50, income: '2.25' },
      { fiber: true, population: '7', income: null },
    ]);
    expect(m).toEqual({
      [communesReporting]: '1',
      villages: '3',
      villages_fiber: '2',
      population: '157',
      population_fiber: '107',
      income: '3.75',
    });
  });

  it('says null for a measure over a field the stored rows do not have (checked with an older version), never 0', () => {
    const m = measureReport(form, [{ fiber: true, population: 10 }]);
    expect(m.income).toBeNull();
    expect(m.population).toBe('10');
  });

  it('says null for a measure over an optional field left empty in every row (SPEC §6: missing, never 0)', () => {
    const m = measureReport(form, [
      { fiber: null, population: 100, income: null },
      { fiber: null, population: 50, income: null },
    ]);
    expect(m).toMatchObject({ villages: '2', villages_fiber: null, population: '150', income: null });
    // Over the rows a `where` keeps: none kept is a known zero, kept and all empty is missing.
    expect(measureReport(form, [{ fiber: false, population: 5, income: '1' }]).population_fiber).toBe('0');
    expect(measureReport(form, [{ fiber: true, population: null, income: '1' }]).population_fiber).toBeNull();
    // A `where` over a yes/no left empty in every row: which rows it keeps is not known either.
    expect(measureReport(form, [{ fiber: null, population: 5, income: '1' }]).population_fiber).toBeNull();
  });

  it('gives zeros, not nulls, for a report without rows', () => {
    expect(measureReport(form, [])).toMatchObject({ villages: '0', villages_fiber: '0', population: '0', income: '0' });
  });
});
