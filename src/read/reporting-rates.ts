import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';
import type { Period } from '../schema/period.ts';
import { provinceUnitsAt, unitAt } from '../units/lookup.ts';

/** DHIS2's reporting-rate figures of one unit (SPEC §7); rates in percent, one decimal, as analytics.reporting_rate gives them. */
export type ReportingRate = {
  level: UnitLevel;
  unit_code: string;
  unit_name: string;
  expected_reports: number;
  actual_reports: number;
  actual_reports_on_time: number;
  reporting_rate: number | null;
  reporting_rate_on_time: number | null;
};

const percent = (n: number, of: number) => (of === 0 ? null : Math.round((1000 * n) / of) / 10);

/**
 * Reporting rates of a form and period for a unit and the units one level below it: expected =
 * the communes valid on the period's last day, actual = those with an accepted report, on time =
 * those whose first accepted version came by the deadline. Null when the unit does not exist then.
 */
export async function reportingRatesOf(db: Db, q: { form: string; period: Period; level: UnitLevel; unit: string }) {
  const day = q.period.lastDay;
  const self = await unitAt(db, q.level, q.unit, day);
  if (!self) return null;
  const units = await provinceUnitsAt(db, self.province_code, day);
  const communes = units.filter((u) => u.level === 'commune');
  const slots =
    communes.length === 0
      ? []
      : await db
          .selectFrom('report_slot')
          .select(['commune_code', 'on_time', 'days_late'])
          .where('form', '=', q.form)
          .where('period', '=', q.period.canonical)
          .where(
            'commune_code',
            'in',
            communes.map((c) => c.code),
          )
          .execute();
  const slotOf = new Map(slots.map((s) => [s.commune_code, s]));
  // Grouped once: a rate for each of a province's hundreds of communes searched them all, hundreds of times.
  const byLevel = {
    commune: Map.groupBy(communes, (c) => c.code),
    district: Map.groupBy(communes, (c) => c.district_code),
    province: Map.groupBy(communes, (c) => c.province_code),
  };
  const communesUnder = (level: UnitLevel, code: string) => byLevel[level].get(code) ?? [];
  const rateOf = (u: { level: UnitLevel; code: string; name: string }): ReportingRate => {
    const under = communesUnder(u.level, u.code);
    const actual = under.filter((c) => slotOf.has(c.code)).length;
    const onTime = under.filter((c) => slotOf.get(c.code)?.on_time === true).length;
    return {
      level: u.level,
      unit_code: u.code,
      unit_name: u.name,
      expected_reports: under.length,
      actual_reports: actual,
      actual_reports_on_time: onTime,
      reporting_rate: percent(actual, under.length),
      reporting_rate_on_time: percent(onTime, under.length),
    };
  };
  const unit = units.find((u) => u.level === q.level && u.code === q.unit)!;
  const childLevel: UnitLevel | null =
    q.level === 'province'
      ? units.some((u) => u.level === 'district')
        ? 'district'
        : 'commune'
      : q.level === 'district'
        ? 'commune'
        : null;
  const children =
    childLevel === null
      ? []
      : units.filter((u) => u.level === childLevel && (q.level === 'province' || u.district_code === q.unit));
  // Every commune under the unit too, for the approver's table by commune, with how late a late one was.
  const under =
    q.level === 'commune'
      ? []
      : communesUnder(q.level, q.unit).map((c) => ({
          ...rateOf(c),
          district_code: c.district_code,
          days_late: slotOf.get(c.code)?.days_late ?? null,
        }));
  return { form: q.form, period: q.period.canonical, ...rateOf(unit), below: children.map(rateOf), communes: under };
}
