import type { Db } from '../db/connect.ts';
import { computeRollup } from '../figures/compute.ts';
import type { UnitLevel } from '../schema/database.ts';
import type { Form } from '../schema/form.ts';
import type { Period } from '../schema/period.ts';
import { provinceUnitsAt } from '../units/lookup.ts';

export type FormCompleteness = {
  form: string;
  expected: number;
  reported: number;
  missing: { code: string; name: string | null }[];
};

/**
 * Expected and reported communes of a unit, per form, as the province-period's current snapshot
 * stored them (analytics.completeness), so the API and SQL never disagree. A province-period no
 * rollup has run for has no report yet: every commune valid on the period's last day is missing.
 */
export async function readCompleteness(
  db: Db,
  forms: readonly Form[],
  unit: { level: UnitLevel; code: string; provinceCode: string },
  period: Period,
): Promise<FormCompleteness[]> {
  const units = await provinceUnitsAt(db, unit.provinceCode, period.lastDay);
  const names = new Map(units.map((u) => [u.code, u.name]));
  const stored = await db
    .selectFrom('completeness_row as c')
    .innerJoin('snapshot_head as h', (join) =>
      join
        .onRef('h.province_code', '=', 'c.province_code')
        .onRef('h.period', '=', 'c.period')
        .onRef('h.snapshot_version', '=', 'c.snapshot_version'),
    )
    .select(['c.form', 'c.expected', 'c.reported', 'c.missing'])
    .where('c.province_code', '=', unit.provinceCode)
    .where('c.period', '=', period.canonical)
    .where('c.level', '=', unit.level)
    .where('c.unit_code', '=', unit.code)
    .orderBy('c.form')
    .execute();
  const rows =
    stored.length > 0
      ? stored
      : computeRollup(forms, units, []).completeness.filter((c) => c.level === unit.level && c.unit_code === unit.code);
  return rows.map((c) => ({
    form: c.form,
    expected: c.expected,
    reported: c.reported,
    missing: c.missing.map((code) => ({ code, name: names.get(code) ?? null })),
  }));
}
