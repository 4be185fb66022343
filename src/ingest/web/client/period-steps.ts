/**
 * The periods before a canonical period, of the same kind (SPEC §3 spellings: 2023-06, 2023-Q2,
 * 2023-H1, 2023-9M, 2023), newest first and the period itself included: the approver's "over
 * periods" columns. A period of no known kind stands alone.
 */
export function periodsUpTo(period: string, count: number): string[] {
  const steps: [RegExp, (year: number, n: number) => string, number][] = [
    [/^(\d{4})-Q([1-4])$/u, (y, n) => `${y}-Q${n}`, 4],
    [/^(\d{4})-(\d{2})$/u, (y, n) => `${y}-${String(n).padStart(2, '0')}`, 12],
    [/^(\d{4})-H([12])$/u, (y, n) => `${y}-H${n}`, 2],
  ];
  for (const [pattern, spell, perYear] of steps) {
    const m = pattern.exec(period);
    if (!m) continue;
    let year = Number(m[1]);
    let n = Number(m[2]);
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      out.push(spell(year, n));
      n -= 1;
      if (n === 0) [year, n] = [year - 1, perYear];
    }
    return out;
  }
  const yearly = /^(\d{4})(-9M)?$/u.exec(period);
  if (yearly) return Array.from({ length: count }, (_, i) => `${Number(yearly[1]) - i}${yearly[2] ?? ''}`);
  return [period];
}
