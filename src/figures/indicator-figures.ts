import type { Form } from '../schema/form.ts';

export type IndicatorFigure = { indicator: string; numerator: number | null; denominator: number | null; value: number | null };

/**
 * A form's indicators over the measures of what lies below a unit: Σ numerator / Σ denominator,
 * never an average of rates; a count when there is no denominator. With nothing below, every
 * figure is null; a zero denominator gives a null value (SPEC §2).
 */
export function indicatorFigures(form: Pick<Form, 'indicators'>, measures: readonly Readonly<Record<string, number>>[]): IndicatorFigure[] {
  const sum = (measure: string | undefined) => (measure === undefined || measures.length === 0 ? null : measures.reduce((total, m) => total + (m[measure] ?? 0), 0));
  return form.indicators.map((ind) => {
    const numerator = sum(ind.numerator);
    const denominator = sum(ind.denominator);
    const value = numerator === null ? null : ind.denominator === undefined ? numerator : denominator ? numerator / denominator : null;
    return { indicator: ind.code, numerator, denominator, value };
  });
}
