import type { Db } from '../db/connect.ts';
import { issueSchema, type Issue } from '../schema/issue.ts';

/** The warnings a submission was accepted with, as the officer reads them (the shape of `errors`). */
export async function submissionWarnings(db: Db, submissionId: number): Promise<Issue[]> {
  const rows = await db
    .selectFrom('quality_warning')
    .select('issue')
    .where('submission_id', '=', submissionId)
    .orderBy('id')
    .execute();
  return rows.map((r) => issueSchema.parse(r.issue));
}

/** Which warnings to list: any of form, period, province and commune; `commune` keeps a commune's reader to its own. */
export type WarningFilter = { form?: string; period?: string; province?: string; commune?: string };

/** At most this many warnings in one answer: a province's quarter has a few hundred at most; more is a filter to narrow. */
export const warningListLimit = 5000;

/**
 * The warnings of the current versions of reports (SPEC §8), by province, form, period and commune,
 * from `analytics.quality_warning`: what an analyst and an approver look at before publishing. Each
 * carries the issue as the officer read it and, for a chart, the values it was judged against.
 */
export async function listWarnings(db: Db, filter: WarningFilter, limit = warningListLimit) {
  let q = db
    .selectFrom('analytics.quality_warning')
    .select([
      'province_code',
      'form',
      'period',
      'commune_code',
      'commune_name',
      'submission_id',
      'version',
      'code',
      'measure',
      'value',
      'expected_low',
      'expected_high',
      'history',
      'message_vi',
      'message_en',
      'created_at',
    ]);
  if (filter.form) q = q.where('form', '=', filter.form);
  if (filter.period) q = q.where('period', '=', filter.period);
  if (filter.province) q = q.where('province_code', '=', filter.province);
  if (filter.commune) q = q.where('commune_code', '=', filter.commune);
  const rows = await q
    .orderBy('province_code')
    .orderBy('commune_code')
    .orderBy('form')
    .orderBy('period')
    .orderBy('measure')
    .limit(limit + 1)
    .execute();
  return {
    truncated: rows.length > limit,
    warnings: rows.slice(0, limit).map((r) => ({
      submission: r.submission_id,
      version: r.version,
      form: r.form,
      period: r.period,
      province: r.province_code,
      commune: r.commune_code,
      commune_name: r.commune_name,
      measure: r.measure,
      value: r.value,
      expected_low: r.expected_low,
      expected_high: r.expected_high,
      history: r.history,
      code: r.code,
      message: { vi: r.message_vi, en: r.message_en },
      created_at: r.created_at,
    })),
  };
}
