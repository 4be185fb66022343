/**
 * The recent quarters, counted from a day in Vietnam (vietnamDay): the one rule for which quarters
 * a commune is asked about (GET /v1/due) and which the upload page offers (its boot data). A day,
 * not an instant: at 20:00 UTC on 30 September it is already the fourth quarter in Vietnam.
 */

/**
 * `count` quarters, newest first (`2026-Q4`, `2026-Q3`, …), from the quarter `day` (YYYY-MM-DD)
 * falls in (`current`) or from the last one that ended before it (`ended`).
 */
export function recentQuarters(day: string, count: number, from: 'current' | 'ended'): string[] {
  const [y, m] = day.split('-').map(Number) as [number, number];
  let year = y;
  let quarter = Math.ceil(m / 3);
  const out: string[] = [];
  for (let i = from === 'current' ? 0 : -1; out.length < count; i += 1) {
    if (i >= 0) out.push(`${year}-Q${quarter}`);
    quarter -= 1;
    if (quarter === 0) {
      year -= 1;
      quarter = 4;
    }
  }
  return out;
}
