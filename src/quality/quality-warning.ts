import type { Issue } from '../schema/issue.ts';

/** The codes a data-quality warning carries (SPEC §8): they never reject a report. */
export const warningCodes = ['OUTLIER', 'OUTLIER_BOUNDS', 'INCONSISTENT'] as const;
export type WarningCode = (typeof warningCodes)[number];

/** One measure's value of one period, as a history lists it. */
export type PeriodValue = { readonly period: string; readonly value: number };

/**
 * A warning as judged: the issue the officer reads (the shape of `errors`, schema/issue.ts) and,
 * for the analyst's list and chart, the measure, its value, what history suggested and the
 * earlier values it was judged against.
 */
export type QualityWarning = {
  readonly issue: Issue & { readonly code: WarningCode };
  readonly measure: string;
  readonly value: number | null;
  /** OUTLIER: the history's median and the plausible range; OUTLIER_BOUNDS: the bounds. */
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
  readonly history: readonly PeriodValue[];
};
