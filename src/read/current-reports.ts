import type { Db } from '../db/connect.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import type { FormRow } from '../schema/form.ts';
import type { Period } from '../schema/period.ts';
import type { CurrentReport } from '../figures/compute.ts';
import { measureReport } from '../figures/measures.ts';

export type StoredRow = { key: string | null; data: FormRow };

/**
 * The current version of each report of a period in the given provinces (of the period's
 * hierarchy), with its measures computed from its stored rows by the form version serving the
 * period — never frozen at normalization, so a new version's measures reach old reports. The rows
 * of `keepRowsOf` communes come back too (a split commune's rows are placed village by village).
 */
export async function loadCurrentReports(
  db: Db,
  forms: FormCatalog,
  period: Period,
  provinceCodes: readonly string[],
  keepRowsOf: ReadonlySet<string> = new Set(),
): Promise<{ reports: CurrentReport[]; rowsOf: Map<number, StoredRow[]> }> {
  if (provinceCodes.length === 0) return { reports: [], rowsOf: new Map() };
  const rows = await db
    .selectFrom('report_slot as s')
    .innerJoin('submission as sub', 'sub.id', 's.current_submission_id')
    .innerJoin('report_row as r', 'r.submission_id', 'sub.id')
    .select(['sub.id', 's.commune_code', 's.form', 'r.row_key', 'r.data'])
    // A slot's current submission is of the slot's period: said of both, the query starts from the
    // province-period's submissions (an index) instead of every slot of the period nationwide.
    .where('sub.province_code', 'in', provinceCodes)
    .where('sub.period', '=', period.canonical)
    .where('s.period', '=', period.canonical)
    .orderBy('sub.id')
    .orderBy('r.row_no')
    .execute();
  const grouped = new Map<number, { communeCode: string; form: string; rows: StoredRow[] }>();
  for (const r of rows) {
    let report = grouped.get(r.id);
    if (!report) grouped.set(r.id, (report = { communeCode: r.commune_code, form: r.form, rows: [] }));
    report.rows.push({ key: r.row_key, data: r.data as FormRow });
  }
  const reports: CurrentReport[] = [];
  const rowsOf = new Map<number, StoredRow[]>();
  for (const [id, report] of grouped) {
    const form = forms.find(report.form, period.lastDay);
    // A report of a form that no longer serves its period (a version since imported with a later start and none before) gives no figures.
    if (!form) continue;
    reports.push({
      submissionId: id,
      communeCode: report.communeCode,
      form: report.form,
      measures: measureReport(
        form,
        report.rows.map((r) => r.data),
      ),
    });
    if (keepRowsOf.has(report.communeCode)) rowsOf.set(id, report.rows);
  }
  return { reports, rowsOf };
}
