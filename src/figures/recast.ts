import type { RecastLevel } from '../schema/database.ts';
import type { Form, FormRow, Measures } from '../schema/form.ts';
import type { CurrentReport, FigureRow, Rollup, UnitRow } from './compute.ts';
import { indicatorFigures, type IndicatorFigure } from './indicator-figures.ts';
import { measureReport } from './measures.ts';

/** A commune of the period's hierarchy, and today's communes it went into (itself while it is still valid). */
export type Predecessor = {
  readonly code: string;
  readonly provinceCode: string;
  readonly destinations: readonly { readonly code: string; readonly provinceCode: string }[];
};

/** A current report; a split predecessor's report carries its rows, which its village assignment places. */
export type RecastReport = CurrentReport & {
  readonly rows?: readonly { readonly key: string | null; readonly data: FormRow }[];
};

export type RecastInputs = {
  /** Today's province and its communes. */
  readonly province: UnitRow;
  readonly communes: readonly UnitRow[];
  /** Every commune, in the period's hierarchy, of the provinces whose communes went (partly) into today's province. */
  readonly predecessors: readonly Predecessor[];
  readonly reports: readonly RecastReport[];
  /** The new commune a village (by villageKey; '' for the commune office) of a split old commune went into. */
  readonly assignedTo: (oldCommune: string, villageKey: string) => string | undefined;
};

/** A recast figure as computed, before it is given a version and a time: the table's row, derived. */
export type RecastRow = IndicatorFigure & {
  level: RecastLevel;
  unit_code: string;
  unit_name: string;
  parent_code: string | null;
  predecessors_reporting: number;
  predecessors_expected: number;
  approximate_for: number;
};

export type Recast = { rows: RecastRow[]; sources: { submissionId: number; communeCode: string; form: string }[] };

type Counts = { readonly expected: number; readonly reporting: number; readonly approximate: number };

/** The recast rows of one unit and form: its indicator figures from the measures summed, with how many predecessors made them. */
function rowsOf(
  unit: UnitRow,
  level: RecastLevel,
  parent: string | null,
  form: Form,
  counts: Counts,
  measures: readonly Measures[],
): RecastRow[] {
  return indicatorFigures(form, measures).map((figure) => ({
    level,
    unit_code: unit.code,
    unit_name: unit.name,
    parent_code: parent,
    ...figure,
    predecessors_reporting: counts.reporting,
    predecessors_expected: counts.expected,
    approximate_for: counts.approximate,
  }));
}

/**
 * The rows of a split predecessor's report that its village assignment places in `commune`, and
 * whether any row could not be placed (no assignment, or one outside its successors; or no rows
 * loaded at all), which makes the commune's figure approximate.
 */
export function placedRows(
  p: Predecessor,
  report: RecastReport,
  commune: string,
  assignedTo: RecastInputs['assignedTo'],
): { placed: FormRow[]; unplaced: boolean } {
  const successors = new Set(p.destinations.map((d) => d.code));
  const placed: FormRow[] = [];
  // A split report whose rows were not loaded cannot be placed at all.
  let unplaced = report.rows === undefined || report.rows.length === 0;
  for (const row of report.rows ?? []) {
    const to = assignedTo(p.code, row.key ?? '');
    if (to === undefined || !successors.has(to)) unplaced = true;
    else if (to === commune) placed.push(row.data);
  }
  return { placed, unplaced };
}

/**
 * A period's figures on today's units: today's province and each of its communes (SPEC §2, recast).
 *
 * Province: the sum over every commune of the old provinces that went whole into it, so exact.
 * (Every old province went into exactly one new province in 2025; one whose communes went into
 * several is left out and counted in `approximate_for`.) Commune: the sum over its predecessors;
 * one that went whole into it adds its whole report; one split across several of today's communes
 * adds the rows its village assignment places here. A split predecessor that reported rows with
 * no assignment makes the figures of each of its successors approximate: those rows are left out,
 * never apportioned, and `approximate_for` counts such predecessors.
 */
export function computeRecast(forms: readonly Form[], input: RecastInputs): Recast {
  const today = input.province.code;
  const provincesOf = new Map<string, Set<string>>();
  for (const p of input.predecessors) {
    const set = provincesOf.get(p.provinceCode) ?? new Set<string>();
    for (const d of p.destinations) set.add(d.provinceCode);
    provincesOf.set(p.provinceCode, set);
  }
  const wholeHere = (p: Predecessor) => {
    const into = provincesOf.get(p.provinceCode)!;
    return into.size === 1 && into.has(today);
  };
  const reportByKey = new Map(input.reports.map((r) => [`${r.communeCode}|${r.form}`, r]));
  const reportOf = (p: Predecessor, form: Form) => reportByKey.get(`${p.code}|${form.code}`);
  const used = new Map<number, RecastReport>();
  const rows: RecastRow[] = [];

  const inProvince = input.predecessors.filter(wholeHere);
  const unsure = input.predecessors.filter(
    (p) => !wholeHere(p) && p.destinations.some((d) => d.provinceCode === today),
  );
  for (const form of forms) {
    const reports = inProvince.map((p) => reportOf(p, form)).filter((r) => r !== undefined);
    reports.forEach((r) => used.set(r.submissionId, r));
    const approximate = unsure.filter((p) => reportOf(p, form) !== undefined).length;
    const counts = {
      expected: inProvince.length + unsure.length,
      reporting: reports.length + approximate,
      approximate,
    };
    rows.push(
      ...rowsOf(
        input.province,
        'province',
        null,
        form,
        counts,
        reports.map((r) => r.measures),
      ),
    );
  }

  /** A commune's measures of a form: each reporting predecessor's whole report, or the rows of it placed here. */
  const communeFigures = (commune: UnitRow, members: readonly Predecessor[], form: Form) => {
    const measures: Measures[] = [];
    let reporting = 0;
    let approximate = 0;
    for (const p of members) {
      const report = reportOf(p, form);
      if (!report) continue;
      reporting += 1;
      used.set(report.submissionId, report);
      if (p.destinations.length === 1) {
        measures.push(report.measures);
        continue;
      }
      const { placed, unplaced } = placedRows(p, report, commune.code, input.assignedTo);
      if (unplaced) approximate += 1;
      if (placed.length > 0) measures.push(measureReport(form, placed));
    }
    return { counts: { expected: members.length, reporting, approximate }, measures };
  };
  for (const commune of input.communes) {
    const members = input.predecessors.filter((p) => p.destinations.some((d) => d.code === commune.code));
    for (const form of forms) {
      const { counts, measures } = communeFigures(commune, members, form);
      rows.push(...rowsOf(commune, 'commune', today, form, counts, measures));
    }
  }

  const sources = [...used.values()].map((r) => ({
    submissionId: r.submissionId,
    communeCode: r.communeCode,
    form: r.form,
  }));
  sources.sort((a, b) => a.submissionId - b.submissionId);
  return { rows, sources };
}

/** A snapshot row of a commune or the province as the recast row it is when the period's hierarchy is today's. */
function recastRowOf(r: FigureRow, level: RecastLevel, parent: string | null): RecastRow {
  return {
    level,
    unit_code: r.unit_code,
    unit_name: r.unit_name,
    parent_code: parent,
    indicator: r.indicator,
    numerator: r.numerator,
    denominator: r.denominator,
    value: r.value,
    communes_covered: r.communes_covered,
    predecessors_reporting: r.communes_reporting,
    predecessors_expected: r.communes_expected,
    approximate_for: 0,
  };
}

/**
 * Whether a recast onto today's province is, row for row, the commune and province rows of that
 * province's own snapshot of the period, with the same sources: true whenever the period's
 * hierarchy of the province is today's (every period since the 2025 reform). Such a recast is
 * stored as a reference to the snapshot version; the views show it as these rows.
 */
export function recastIsSnapshot(
  recast: Recast,
  provinceCode: string,
  snapshot: { readonly rows: readonly FigureRow[]; readonly sources: Rollup['sources'] },
): boolean {
  const asRecast = snapshot.rows
    .filter((r) => r.level !== 'district')
    .map((r) => recastRowOf(r, r.level as RecastLevel, r.level === 'commune' ? provinceCode : null));
  if (asRecast.length !== recast.rows.length || snapshot.sources.length !== recast.sources.length) return false;
  const rowKey = (r: RecastRow) =>
    JSON.stringify([
      r.level,
      r.unit_code,
      r.unit_name,
      r.parent_code,
      r.indicator,
      r.numerator,
      r.denominator,
      r.value,
      r.communes_covered,
      r.predecessors_reporting,
      r.predecessors_expected,
      r.approximate_for,
    ]);
  const recastRows = new Set(recast.rows.map(rowKey));
  if (recastRows.size !== recast.rows.length || !asRecast.every((r) => recastRows.has(rowKey(r)))) return false;
  const sourceKey = (s: { submissionId: number; communeCode: string; form: string }) =>
    `${s.submissionId}|${s.communeCode}|${s.form}`;
  const recastSources = new Set(recast.sources.map(sourceKey));
  return snapshot.sources.every((s) => recastSources.has(sourceKey(s)));
}

/**
 * The recast onto today's province when the period's hierarchy of it is today's — every commune
 * of the period is its own predecessor, still valid in this province under the same name, and no
 * other commune went into it — taken from the snapshot's commune and province rows instead of
 * summed again: the same rows in the same order as `computeRecast` gives them (so the same content
 * hash), and by construction `recastIsSnapshot`. Null when the hierarchy differs, or when a
 * snapshot source is of a form the recast does not cover: then `computeRecast` decides.
 */
export function recastOfSnapshot(
  forms: readonly Form[],
  input: Pick<RecastInputs, 'province' | 'communes' | 'predecessors'>,
  snapshot: { readonly rows: readonly FigureRow[]; readonly sources: Rollup['sources'] },
): Recast | null {
  const today = input.province.code;
  if (input.communes.length !== input.predecessors.length) return null;
  const communes = new Set(input.communes.map((c) => c.code));
  for (const p of input.predecessors) {
    const [only, ...more] = p.destinations;
    if (p.provinceCode !== today || more.length > 0 || only?.code !== p.code || only.provinceCode !== today)
      return null;
    if (!communes.has(p.code)) return null;
  }
  const formCodes = new Set(forms.map((f) => f.code));
  if (!snapshot.sources.every((s) => formCodes.has(s.form))) return null;

  const byKey = new Map<string, FigureRow>();
  for (const r of snapshot.rows) if (r.level !== 'district') byKey.set(`${r.level}|${r.unit_code}|${r.indicator}`, r);
  const rows: RecastRow[] = [];
  const add = (unit: UnitRow, level: RecastLevel, parent: string | null, form: Form): boolean => {
    for (const ind of form.indicators) {
      const r = byKey.get(`${level}|${unit.code}|${ind.code}`);
      if (!r || r.unit_name !== unit.name) return false;
      rows.push(recastRowOf(r, level, parent));
    }
    return true;
  };
  for (const form of forms) if (!add(input.province, 'province', null, form)) return null;
  for (const commune of input.communes)
    for (const form of forms) if (!add(commune, 'commune', today, form)) return null;
  const sources = snapshot.sources.map((s) => ({
    submissionId: s.submissionId,
    communeCode: s.communeCode,
    form: s.form,
  }));
  return { rows, sources };
}
