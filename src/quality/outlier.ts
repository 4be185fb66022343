/**
 * Is a commune's measure for a period out of line with its own history (SPEC §8)? Pure: numbers in,
 * a verdict out. The rule, tuned with `npm run bench:quality` (docs/quality.md):
 *
 * - At least `minHistory` (4) earlier periods, else no verdict: too little to call anything unusual.
 * - Modified z-score (Iglewicz and Hoaglin): M = 0.6745·(x − median)/MAD, an outlier beyond 3.5.
 * - MAD = 0 (more than half the history is one value, common for counts such as villages):
 *   their fallback, M = (x − median)/(1.253314·meanAD), with meanAD the mean absolute deviation
 *   from the median. If that is 0 as well (a constant history), there is no spread to measure
 *   against: an outlier is a value at least `factor` (3) times the constant, or at most a third of it.
 * - Never for a change smaller than max(3, 30 %) from the median, nor from the latest earlier value.
 *   A count that moves by one (a village gains fibre) is ordinary however flat its history, so is a
 *   drift of a few percent in a large figure whose history is unusually smooth, and so is the next
 *   step of a steady rollout (2, 2, 3, 3, 4 → 5), which lies far from the median but next to the
 *   latest value: without these floors such changes gave nearly all the benchmark's false warnings.
 */
export type OutlierRule = {
  readonly minHistory: number;
  readonly threshold: number;
  readonly factor: number;
  readonly minAbsoluteChange: number;
  readonly minRelativeChange: number;
};

export const outlierRule: OutlierRule = {
  minHistory: 4,
  threshold: 3.5,
  factor: 3,
  minAbsoluteChange: 3,
  minRelativeChange: 0.3,
};

export type OutlierVerdict = {
  /** The value's score: the modified z-score, or the ratio to a constant history (Infinity from 0). */
  readonly score: number;
  /** What the history makes plausible: median ± 3.5 spreads (or the constant), as [low, high]. */
  readonly median: number;
  readonly expected: readonly [number, number];
  readonly method: 'mad' | 'mean_ad' | 'constant';
};

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The verdict when `value` is an outlier against `history` (earlier periods, oldest first); null when it is not, or when the history is too short. */
export function outlierOf(
  value: number,
  history: readonly number[],
  rule: OutlierRule = outlierRule,
): OutlierVerdict | null {
  if (history.length < rule.minHistory) return null;
  const med = median(history);
  const small = (from: number) =>
    Math.abs(value - from) < Math.max(rule.minAbsoluteChange, rule.minRelativeChange * Math.abs(from));
  if (small(med) || small(history.at(-1)!)) return null;
  const mad = median(history.map((h) => Math.abs(h - med)));
  if (mad > 0) {
    const spread = mad / 0.6745;
    const score = (value - med) / spread;
    return Math.abs(score) > rule.threshold
      ? { score, median: med, expected: [med - rule.threshold * spread, med + rule.threshold * spread], method: 'mad' }
      : null;
  }
  const meanAd = history.reduce((s, h) => s + Math.abs(h - med), 0) / history.length;
  if (meanAd > 0) {
    const spread = 1.253314 * meanAd;
    const score = (value - med) / spread;
    return Math.abs(score) > rule.threshold
      ? {
          score,
          median: med,
          expected: [med - rule.threshold * spread, med + rule.threshold * spread],
          method: 'mean_ad',
        }
      : null;
  }
  const ratio = med === 0 ? Infinity : value / med;
  const out = med === 0 ? value !== 0 : ratio >= rule.factor || ratio <= 1 / rule.factor;
  return out ? { score: ratio, median: med, expected: [med, med], method: 'constant' } : null;
}
