import { decimalSum, type DecimalText } from '../schema/decimal.ts';
import type { Form, Measures } from '../schema/form.ts';

export type IndicatorFigure = {
  indicator: string;
  /** Exact decimal text. */
  numerator: DecimalText | null;
  denominator: DecimalText | null;
  value: number | null;
  /** The communes whose reports give this figure's measures: the sums are over these alone. */
  communes_covered: number;
};

/**
 * A form's indicators over the measures of the reports below a unit: Σ numerator / Σ denominator,
 * never an average of rates; a count when there is no denominator (SPEC §2). Sums are exact. A
 * report that cannot give a measure (null) is left out and not counted in `communes_covered`;
 * with no report covering it, every part of the figure is null, never 0. A zero denominator gives
 * a null value.
 */
export function indicatorFigures(form: Pick<Form, 'indicators'>, measures: readonly Measures[]): IndicatorFigure[] {
  return form.indicators.map((ind) => {
    const covered = measures.filter(
      (m) => m[ind.numerator] != null && (ind.denominator === undefined || m[ind.denominator] != null),
    );
    if (covered.length === 0)
      return { indicator: ind.code, numerator: null, denominator: null, value: null, communes_covered: 0 };
    const numerator = decimalSum(covered.map((m) => m[ind.numerator]!));
    const denominator = ind.denominator === undefined ? null : decimalSum(covered.map((m) => m[ind.denominator!]!));
    const value =
      denominator === null
        ? Number(numerator)
        : Number(denominator) === 0
          ? null
          : Number(numerator) / Number(denominator);
    return { indicator: ind.code, numerator, denominator, value, communes_covered: covered.length };
  });
}
