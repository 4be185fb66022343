import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { SubmissionStatus } from '../../schema/database.ts';
import type { Issue } from '../../schema/issue.ts';
import { decideVersion } from './acceptance.ts';
import type { ValidRow } from './validate.ts';

export type Outcome =
  | { kind: 'rejected'; issues: Issue[]; meta: { form?: string; communeCode?: string; period?: string } }
  | {
      kind: 'valid';
      form: string;
      communeCode: string;
      period: string;
      periodEnd: string;
      provinceCode: string;
      districtCode: string | null;
      rows: readonly ValidRow[];
      measures: Record<string, number>;
      fingerprint: string;
    };

export type Persisted = {
  status: SubmissionStatus;
  version: number | null;
  /** Set when this commit changed what the current versions of a province-period are. */
  rollup: { provinceCode: string; period: string } | null;
};

const terminal: readonly SubmissionStatus[] = ['accepted', 'rejected', 'duplicate', 'superseded'];

/** Rows go in batches: Postgres takes at most 65,535 parameters per statement. */
const rowBatch = 2000;

/**
 * Writes a submission's outcome in one transaction: its status, and when accepted its rows, the
 * new current version of its slot and a due rollup. A job that runs again finds the submission
 * already decided and changes nothing.
 */
export async function persistOutcome(db: Db, submissionId: number, outcome: Outcome, now: Date): Promise<Persisted> {
  return db.transaction().execute(async (tx) => {
    const sub = await tx.selectFrom('submission').select(['status', 'version']).where('id', '=', submissionId).forUpdate().executeTakeFirstOrThrow();
    if (terminal.includes(sub.status)) return { status: sub.status, version: sub.version, rollup: null };

    if (outcome.kind === 'rejected') {
      await tx
        .updateTable('submission')
        .set({
          status: 'rejected',
          errors: JSON.stringify(outcome.issues),
          form: outcome.meta.form ?? null,
          commune_code: outcome.meta.communeCode ?? null,
          period: outcome.meta.period ?? null,
          finished_at: now,
          updated_at: now,
        })
        .where('id', '=', submissionId)
        .execute();
      return { status: 'rejected', version: null, rollup: null };
    }

    // Serializes the versions of one (commune, form, period): two reports of the same slot
    // finishing at once must not both become version N.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`slot:${outcome.communeCode}:${outcome.form}:${outcome.period}`}, 0))`.execute(tx);
    const slotRow = await tx
      .selectFrom('report_slot as s')
      .innerJoin('submission as c', 'c.id', 's.current_submission_id')
      .select(['s.current_submission_id', 's.last_version', 'c.fingerprint'])
      .where('s.commune_code', '=', outcome.communeCode)
      .where('s.form', '=', outcome.form)
      .where('s.period', '=', outcome.period)
      .executeTakeFirst();
    const slot = slotRow
      ? { currentSubmissionId: slotRow.current_submission_id, currentFingerprint: slotRow.fingerprint ?? '', lastVersion: slotRow.last_version }
      : null;
    const decision = decideVersion(slot, { id: submissionId, fingerprint: outcome.fingerprint });

    const common = {
      form: outcome.form,
      commune_code: outcome.communeCode,
      period: outcome.period,
      period_end: outcome.periodEnd,
      province_code: outcome.provinceCode,
      district_code: outcome.districtCode,
      fingerprint: outcome.fingerprint,
      measures: JSON.stringify(outcome.measures),
      finished_at: now,
      updated_at: now,
    };

    if (decision.kind === 'duplicate') {
      await tx.updateTable('submission').set({ ...common, status: 'duplicate', duplicate_of: decision.of }).where('id', '=', submissionId).execute();
      return { status: 'duplicate', version: null, rollup: null };
    }
    if (decision.kind === 'superseded') {
      await tx.updateTable('submission').set({ ...common, status: 'superseded' }).where('id', '=', submissionId).execute();
      return { status: 'superseded', version: null, rollup: null };
    }

    for (let i = 0; i < outcome.rows.length; i += rowBatch) {
      await tx
        .insertInto('report_row')
        .values(
          outcome.rows.slice(i, i + rowBatch).map((r) => ({ submission_id: submissionId, row_no: r.row, row_key: r.key, data: JSON.stringify(r.data) })),
        )
        .execute();
    }
    await tx.updateTable('submission').set({ ...common, status: 'accepted', version: decision.version }).where('id', '=', submissionId).execute();
    if (decision.supersedes !== null) {
      await tx.updateTable('submission').set({ status: 'superseded', updated_at: now }).where('id', '=', decision.supersedes).execute();
    }
    await tx
      .insertInto('report_slot')
      .values({ commune_code: outcome.communeCode, form: outcome.form, period: outcome.period, current_submission_id: submissionId, last_version: decision.version })
      .onConflict((oc) => oc.columns(['commune_code', 'form', 'period']).doUpdateSet({ current_submission_id: submissionId, last_version: decision.version }))
      .execute();
    await tx
      .insertInto('rollup_due')
      .values({ province_code: outcome.provinceCode, period: outcome.period, due_since: now })
      .onConflict((oc) => oc.columns(['province_code', 'period']).doUpdateSet({ due_seq: sql`rollup_due.due_seq + 1` }))
      .execute();
    return { status: 'accepted', version: decision.version, rollup: { provinceCode: outcome.provinceCode, period: outcome.period } };
  });
}
