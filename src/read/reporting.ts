import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { formsOfPeriod, type FormCatalog } from '../forms/form-catalog.ts';
import type { Period } from '../schema/period.ts';
import { provinceUnitsAt } from '../units/lookup.ts';
import { isoInstant } from './iso-instant.ts';

/**
 * The latest report of each commune, one index probe each (migration 0022): a DISTINCT ON over
 * the province's submissions read and sorted its whole history.
 */
export const lastReportsQuery = (codes: readonly string[]) =>
  sql<{ commune_code: string; period: string; form: string; received_at: string }>`
    select c.code as commune_code, l.period, l.form, ${isoInstant('l.received_at')} as received_at
    from unnest(${codes}::text[]) as c (code)
    cross join lateral (
      select period, form, received_at from submission
      where commune_code = c.code and status in ('accepted', 'superseded', 'duplicate')
      order by received_at desc
      limit 1
    ) as l`;

/**
 * Who has reported what for a province-period: per form the expected, reporting and missing
 * communes, and for each commune its current versions and when it last reported anything
 * (the question an analyst asks about a missing commune: silent this quarter, or for a year?).
 * Instants come as their JSON text (iso-instant.ts).
 */
export async function reportingOf(db: Db, catalog: FormCatalog, provinceCode: string, period: Period) {
  const forms = formsOfPeriod(catalog, period);
  const units = await provinceUnitsAt(db, provinceCode, period.lastDay);
  const communes = units.filter((u) => u.level === 'commune');
  const codes = communes.map((c) => c.code);
  const current =
    codes.length === 0
      ? []
      : await db
          .selectFrom('report_slot as s')
          .innerJoin('submission as sub', 'sub.id', 's.current_submission_id')
          .select([
            's.commune_code',
            's.form',
            'sub.id',
            'sub.version',
            isoInstant('sub.received_at').as('received_at'),
          ])
          .where('s.period', '=', period.canonical)
          .where('s.commune_code', 'in', codes)
          .execute();
  const last = codes.length === 0 ? [] : (await lastReportsQuery(codes).execute(db)).rows;
  // Looked up by key, not searched per commune and form: a large province has hundreds of each.
  const currentOf = new Map(current.map((x) => [`${x.commune_code}|${x.form}`, x]));
  const lastOf = new Map(
    last.map((l) => [l.commune_code, { period: l.period, form: l.form, received_at: l.received_at }]),
  );

  const rows = communes.map((c) => ({
    code: c.code,
    name: c.name,
    district_code: c.district_code,
    reports: Object.fromEntries(
      forms.map((f) => {
        const r = currentOf.get(`${c.code}|${f.code}`);
        return [f.code, r ? { submission_id: r.id, version: r.version, received_at: r.received_at } : null];
      }),
    ),
    last_report: lastOf.get(c.code) ?? null,
  }));
  return {
    province: provinceCode,
    province_name: units.find((u) => u.level === 'province')?.name ?? null,
    period: period.canonical,
    districts: units.filter((u) => u.level === 'district').map((d) => ({ code: d.code, name: d.name })),
    forms: forms.map((f) => {
      const missing = rows.filter((r) => r.reports[f.code] === null).map((r) => r.code);
      return { form: f.code, expected: rows.length, reported: rows.length - missing.length, missing };
    }),
    communes: rows,
  };
}
