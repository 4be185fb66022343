import type { Db } from '../db/connect.ts';
import { formsOfPeriod, type FormCatalog } from '../forms/form-catalog.ts';
import type { Form } from '../schema/form.ts';
import type { Period } from '../schema/period.ts';
import { provinceUnitsAt } from '../units/lookup.ts';
import type { CurrentReport, UnitRow } from '../figures/compute.ts';
import { loadCurrentReports } from './current-reports.ts';

/**
 * What a province-period's figures are computed from: its units in that period's hierarchy, the
 * form versions serving the period, and the current version of each report with its measures.
 */
export async function loadRollupInputs(
  db: Db,
  forms: FormCatalog,
  provinceCode: string,
  period: Period,
): Promise<{ units: UnitRow[]; forms: readonly Form[]; reports: CurrentReport[] }> {
  const units = await provinceUnitsAt(db, provinceCode, period.lastDay);
  const { reports } = await loadCurrentReports(db, forms, period, [provinceCode]);
  return { units, forms: formsOfPeriod(forms, period), reports };
}
