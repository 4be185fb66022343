import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import type { Form, FormRow, Measures } from '../schema/form.ts';
import { parsePeriod } from '../schema/period.ts';
import { consistencyChecksOf, historyDepth, judgedMeasures, qualityWarnings, type Bound } from './judge-quality.ts';
import type { QualityWarning } from './quality-warning.ts';

/** A valid report to judge: what evaluateReport found (report/outcome.ts). */
export type ReportToJudge = {
  readonly form: string;
  readonly communeCode: string;
  readonly provinceCode: string;
  readonly period: string;
  readonly periodEnd: string;
  readonly rows: readonly { readonly data: FormRow }[];
};

const perYear = { month: 12, quarter: 4, half_year: 2, nine_months: 1, year: 1 } as const;

/** The earliest period text that still reaches `historyDepth` periods back: a year, which sorts before all of that year's periods. */
function historyStart(period: string): string {
  const p = parsePeriod(period);
  if (!p) return period;
  return String(p.year - Math.ceil(historyDepth / perYear[p.kind]));
}

/**
 * The data-quality warnings of a batch of valid reports (SPEC §8), by position. Reads in two
 * statements for the whole batch, whatever its size or the forms' measures: the current version's
 * rows of each commune's earlier periods of the same form (at most `historyDepth` back) and of the
 * same period of the forms a consistency check names, by the report_slot key; and the bounds on the
 * batch's communes and provinces. Writes nothing: the worker stores what it gets with its decision,
 * POST /v1/validate shows it.
 */
export async function judgeReports(
  db: Db,
  forms: FormCatalog,
  reports: readonly ReportToJudge[],
): Promise<QualityWarning[][]> {
  if (reports.length === 0) return [];
  // A batch's reports are of a few forms and periods: each form version and its checks looked up once.
  const versions = new Map<string, { form: Form; checks: ReturnType<typeof consistencyChecksOf> }>();
  const judged = reports.map((r) => {
    const key = `${r.form}|${r.periodEnd}`;
    let version = versions.get(key);
    if (!version) {
      const form = forms.find(r.form, r.periodEnd);
      if (!form) throw new Error(`form ${r.form} is not in the catalog`);
      version = { form, checks: consistencyChecksOf(form, forms.list(r.periodEnd)) };
      versions.set(key, version);
    }
    return { report: r, ...version };
  });

  // One range of report_slot's primary key per (commune, form): earlier periods of the report's own form, this period of the others.
  const wanted = judged.flatMap(({ report: r, checks }) => [
    { commune_code: r.communeCode, form: r.form, lo: historyStart(r.period), hi: r.period },
    ...[...new Set(checks.map((c) => c.form))].map((form) => ({
      commune_code: r.communeCode,
      form,
      lo: r.period,
      hi: r.period,
    })),
  ]);
  const rows = await sql<{ commune_code: string; form: string; period: string; data: FormRow }>`
    select s.commune_code, s.form, s.period, r.data
      from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(commune_code text, form text, lo text, hi text)
      -- Lateral and not flattened (offset 0): one probe of report_slot's primary key per range, never a scan of the table.
      cross join lateral (
        select s.commune_code, s.form, s.period, s.current_submission_id from report_slot s
         where s.commune_code = w.commune_code and s.form = w.form and s.period >= w.lo and s.period <= w.hi offset 0) s
      join report_row r on r.submission_id = s.current_submission_id
     order by s.commune_code, s.form, s.period, r.row_no`.execute(db);
  const bySlot = new Map<string, FormRow[]>();
  for (const row of rows.rows) {
    const key = `${row.commune_code}|${row.form}|${row.period}`;
    const list = bySlot.get(key);
    if (list) list.push(row.data);
    else bySlot.set(key, [row.data]);
  }

  const communes = [...new Set(reports.map((r) => r.communeCode))];
  const provinces = [...new Set(reports.map((r) => r.provinceCode))];
  const bounds = await db
    .selectFrom('quality_bound')
    .select(['form', 'measure', 'level', 'unit_code', 'min', 'max', 'set_by'])
    .where('form', 'in', [...new Set(reports.map((r) => r.form))])
    .where((eb) =>
      eb.or([
        eb.and([eb('level', '=', 'commune'), eb('unit_code', 'in', communes)]),
        eb.and([eb('level', '=', 'province'), eb('unit_code', 'in', provinces)]),
      ]),
    )
    .execute();

  return judged.map(({ report: r, form, checks }) => {
    const history: { period: string; measures: Measures }[] = [];
    const prefix = `${r.communeCode}|${r.form}|`;
    for (const [key, data] of bySlot) {
      if (!key.startsWith(prefix)) continue;
      const period = key.slice(prefix.length);
      if (period < r.period) history.push({ period, measures: judgedMeasures(form, data) });
    }
    const siblings = new Map<string, Measures>();
    for (const other of new Set(checks.map((c) => c.form))) {
      const data = bySlot.get(`${r.communeCode}|${other}|${r.period}`);
      const otherForm = forms.find(other, r.periodEnd);
      if (data && otherForm) siblings.set(other, judgedMeasures(otherForm, data));
    }
    const mine: Bound[] = bounds
      .filter(
        (b) =>
          b.form === r.form && (b.level === 'commune' ? b.unit_code === r.communeCode : b.unit_code === r.provinceCode),
      )
      .map((b) => ({
        form: b.form,
        measure: b.measure,
        level: b.level,
        unitCode: b.unit_code,
        min: b.min,
        max: b.max,
        setBy: b.set_by,
      }));
    return qualityWarnings(
      form,
      judgedMeasures(
        form,
        r.rows.map((x) => x.data),
      ),
      { history, bounds: mine, consistency: checks, siblings },
    );
  });
}
