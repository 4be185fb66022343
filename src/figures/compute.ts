import type { Form, Measures } from '../schema/form.ts';
import type { UnitLevel } from '../schema/database.ts';
import { indicatorFigures, type IndicatorFigure } from './indicator-figures.ts';

export type UnitRow = {
  level: UnitLevel;
  code: string;
  name: string;
  province_code: string;
  district_code: string | null;
};
/** A current report and its measures, computed from its rows with the form version serving the period (figures/measures.ts). */
export type CurrentReport = { submissionId: number; communeCode: string; form: string; measures: Measures };

/** A figure as computed, before it is given a version and a time: a snapshot row, numerator and denominator as exact decimal text. */
export type FigureRow = IndicatorFigure & {
  level: UnitLevel;
  unit_code: string;
  unit_name: string;
  parent_code: string | null;
  communes_reporting: number;
  communes_expected: number;
};

export type CompletenessFigure = {
  level: UnitLevel;
  unit_code: string;
  form: string;
  expected: number;
  reported: number;
  missing: string[];
};

export type Rollup = {
  rows: FigureRow[];
  completeness: CompletenessFigure[];
  /** The reports the figures were computed from (lineage). */
  sources: { submissionId: number; communeCode: string; districtCode: string | null; form: string }[];
};

/**
 * A province-period's figures at commune, district (when the period has districts) and province
 * level. Every rate is Σ numerator / Σ denominator over the communes below the unit, never an
 * average of rates; a zero denominator gives a null value (SPEC §2).
 */
export function computeRollup(
  forms: readonly Form[],
  units: readonly UnitRow[],
  reports: readonly CurrentReport[],
): Rollup {
  const communes = units.filter((u) => u.level === 'commune');
  const communeByCode = new Map(communes.map((c) => [c.code, c]));
  const reportOf = new Map(
    reports.filter((r) => communeByCode.has(r.communeCode)).map((r) => [`${r.communeCode}|${r.form}`, r]),
  );

  const groups: { unit: UnitRow; parent: string | null; members: UnitRow[] }[] = [];
  for (const c of communes) groups.push({ unit: c, parent: c.district_code ?? c.province_code, members: [c] });
  for (const d of units.filter((u) => u.level === 'district')) {
    groups.push({ unit: d, parent: d.province_code, members: communes.filter((c) => c.district_code === d.code) });
  }
  for (const p of units.filter((u) => u.level === 'province'))
    groups.push({ unit: p, parent: null, members: communes });

  const rows: FigureRow[] = [];
  const completeness: CompletenessFigure[] = [];
  for (const { unit, parent, members } of groups) {
    for (const form of forms) {
      const reporting = members.map((c) => reportOf.get(`${c.code}|${form.code}`)).filter((r) => r !== undefined);
      completeness.push({
        level: unit.level,
        unit_code: unit.code,
        form: form.code,
        expected: members.length,
        reported: reporting.length,
        missing: members.filter((c) => !reportOf.has(`${c.code}|${form.code}`)).map((c) => c.code),
      });
      for (const figure of indicatorFigures(
        form,
        reporting.map((r) => r.measures),
      )) {
        rows.push({
          level: unit.level,
          unit_code: unit.code,
          unit_name: unit.name,
          parent_code: parent,
          ...figure,
          communes_reporting: reporting.length,
          communes_expected: members.length,
        });
      }
    }
  }
  const sources = [...reportOf.values()].map((r) => ({
    submissionId: r.submissionId,
    communeCode: r.communeCode,
    districtCode: communeByCode.get(r.communeCode)!.district_code,
    form: r.form,
  }));
  sources.sort((a, b) => a.submissionId - b.submissionId);
  return { rows, completeness, sources };
}
