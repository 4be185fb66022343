/**
 * The last `count` quarters that ended before `now`, newest first (`2026-Q3`, `2026-Q2`, …):
 * the periods a commune is expected to have reported until a reporting calendar (SPEC §4.8) says more.
 */
export function endedQuarters(now: Date, count: number): string[] {
  let year = now.getUTCFullYear();
  let quarter = Math.floor(now.getUTCMonth() / 3); // the current quarter is 1-based `quarter + 1`, not ended yet
  const out: string[] = [];
  while (out.length < count) {
    if (quarter === 0) {
      year -= 1;
      quarter = 4;
    }
    out.push(`${year}-Q${quarter}`);
    quarter -= 1;
  }
  return out;
}
