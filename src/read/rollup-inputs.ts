import type { Db } from '../db/connect.ts';
import type { Period } from '../schema/period.ts';
import { provinceUnitsAt } from '../units/lookup.ts';
import type { CurrentReport, UnitRow } from '../figures/compute.ts';

/** What a province-period's figures are computed from: its units in that period's hierarchy and the current version of each report. */
export async function loadRollupInputs(db: Db, provinceCode: string, period: Period): Promise<{ units: UnitRow[]; reports: CurrentReport[] }> {
  const units = await provinceUnitsAt(db, provinceCode, period.lastDay);
  const current = await db
    .selectFrom('report_slot as s')
    .innerJoin('submission as sub', 'sub.id', 's.current_submission_id')
    .select(['sub.id', 's.commune_code', 's.form', 'sub.measures'])
    // A slot's current submission is of the slot's period: said of both, the query starts from the
    // province-period's submissions (an index) instead of every slot of the period nationwide.
    .where('sub.province_code', '=', provinceCode)
    .where('sub.period', '=', period.canonical)
    .where('s.period', '=', period.canonical)
    .execute();
  return { units, reports: current.map((r) => ({ submissionId: r.id, communeCode: r.commune_code, form: r.form, measures: r.measures ?? {} })) };
}
