import type { Db } from '../db/connect.ts';
import { insertRows, type JsonRow } from '../db/insert-rows.ts';
import type { QualityWarning } from './quality-warning.ts';

/** An accepted report and the warnings it was judged with. */
export type WarnedReport = {
  readonly submissionId: number;
  readonly form: string;
  readonly communeCode: string;
  readonly period: string;
  readonly provinceCode: string;
  readonly warnings: readonly QualityWarning[];
};

/** Writes the warnings of accepted reports in one statement, inside the transaction of their decision: a report is never accepted without them. */
export async function storeWarnings(tx: Db, reports: readonly WarnedReport[], now: Date): Promise<void> {
  const rows: JsonRow<'quality_warning'>[] = reports.flatMap((r) =>
    r.warnings.map((w) => ({
      submission_id: r.submissionId,
      form: r.form,
      commune_code: r.communeCode,
      period: r.period,
      province_code: r.provinceCode,
      code: w.issue.code,
      measure: w.measure,
      value: w.value,
      expected_low: w.expectedLow,
      expected_high: w.expectedHigh,
      history: w.history as never,
      issue: w.issue as never,
      created_at: now,
    })),
  );
  await insertRows(tx, 'quality_warning', rows);
}
