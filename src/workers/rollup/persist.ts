import { sql } from 'kysely';
import { lockKeys } from '../../db/advisory-lock.ts';
import type { Db } from '../../db/connect.ts';
import { insertRows, insertRowsAsJson } from '../../db/insert-rows.ts';
import type { FormCatalog } from '../../forms/form-catalog.ts';
import { parsePeriod } from '../../schema/period.ts';
import type { RollupJob } from '../../schema/jobs.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { destinationsAt } from '../../units/destinations.ts';
import { appendRowsVersion } from '../../figures/append-version.ts';
import { computeRollup } from '../../figures/compute.ts';
import { loadRollupInputs } from '../../read/rollup-inputs.ts';
import { recastProvincePeriod, type RecastResult } from './recast-persist.ts';

/** `stillDue` is when the first change this rollup did not include may have come, if one came while it ran. */
export type RollupResult = {
  snapshotVersion: number | null;
  changed: boolean;
  stillDue: Date | null;
  recast: RecastResult[];
};

/**
 * Recomputes a province-period from the current versions and appends a snapshot version, in one
 * transaction, then the recast of the period onto the province(s) of today its communes went
 * into. Running it again with nothing changed appends nothing, so a repeated job has the effect
 * of one.
 */
export async function rollupProvincePeriod(
  db: Db,
  forms: FormCatalog,
  job: RollupJob,
  now: Date,
): Promise<RollupResult> {
  const period = parsePeriod(job.period);
  if (!period) throw new Error(`not a period: ${job.period}`);
  const started = now;
  return db.transaction().execute(async (tx) => {
    // One rollup of a province-period at a time: two running together would both read version N
    // and write N+1, and the later one would not see the earlier one's sources.
    await lockKeys(tx, [`rollup:${job.provinceCode}:${job.period}`]);

    const due = await tx
      .selectFrom('rollup_due')
      .select('due_seq')
      .where('province_code', '=', job.provinceCode)
      .where('period', '=', job.period)
      .executeTakeFirst();
    const { units, forms: served, reports } = await loadRollupInputs(tx, forms, job.provinceCode, period);
    const rollup = computeRollup(served, units, reports);

    const head = await tx
      .selectFrom('snapshot_head')
      .select(['snapshot_version as version', 'content_hash as contentHash'])
      .where('province_code', '=', job.provinceCode)
      .where('period', '=', job.period)
      .executeTakeFirst();
    const { version, changed, contentHash, rowsJson } = appendRowsVersion(head, rollup.rows, rollup.sources);
    if (changed) {
      const key = { province_code: job.provinceCode, period: job.period, snapshot_version: version };
      await insertRowsAsJson(tx, 'snapshot_row', { ...key, computed_at: now }, rollup.rows, rowsJson);
      await tx
        .insertInto('snapshot_version')
        .values({ ...key, computed_at: now })
        .execute();
      await insertRows(
        tx,
        'completeness_row',
        rollup.completeness.map((c) => ({ ...key, ...c })),
      );
      await insertRows(
        tx,
        'snapshot_source',
        rollup.sources.map((s) => ({
          ...key,
          submission_id: s.submissionId,
          commune_code: s.communeCode,
          district_code: s.districtCode,
          form: s.form,
        })),
      );
      await tx
        .insertInto('snapshot_head')
        .values({ ...key, period_end: period.lastDay, content_hash: contentHash, computed_at: now })
        .onConflict((oc) =>
          oc
            .columns(['province_code', 'period'])
            .doUpdateSet({ snapshot_version: version, content_hash: contentHash, computed_at: now }),
        )
        .execute();
    }

    // Today's provinces in code order, so two rollups that recast into the same ones lock them in one order.
    const targets = new Set(
      (await destinationsAt(tx, period.lastDay, vietnamDay(now), { from: job.provinceCode })).map(
        (d) => d.dest_province,
      ),
    );
    const recast: RecastResult[] = [];
    const known = { provinceCode: job.provinceCode, reports };
    for (const target of [...targets].filter((t) => t !== null).sort()) {
      const snapshot =
        target === job.provinceCode ? { version, rows: rollup.rows, sources: rollup.sources } : undefined;
      recast.push(await recastProvincePeriod(tx, forms, target, period, now, { known, snapshot }));
    }

    // A change committed while this ran bumped due_seq: the row stays, and the follow-up job
    // (or the reconciler) rolls up again. Everything committed before `now`, when this began, is in
    // what it read, so a change it missed came after that: the row's wait starts there.
    let stillDue: Date | null = null;
    if (due) {
      const deleted = await tx
        .deleteFrom('rollup_due')
        .where('province_code', '=', job.provinceCode)
        .where('period', '=', job.period)
        .where('due_seq', '=', due.due_seq)
        .executeTakeFirst();
      if (deleted.numDeletedRows === 0n) {
        const kept = await tx
          .updateTable('rollup_due')
          .set({ due_since: sql<Date>`greatest(due_since, ${now})` })
          .where('province_code', '=', job.provinceCode)
          .where('period', '=', job.period)
          .returning('due_since')
          .executeTakeFirst();
        stillDue = kept?.due_since ?? null;
      }
    }
    await tx
      .insertInto('rollup_run')
      .values({
        province_code: job.provinceCode,
        period: job.period,
        snapshot_version: changed ? version : null,
        started_at: started,
        finished_at: new Date(),
      })
      .execute();
    return { snapshotVersion: version, changed, stillDue, recast };
  });
}
