import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RollupJob } from '../../schema/jobs.ts';

/**
 * Marks every province-period that has a snapshot as due for a rollup: after a unit list or the
 * crosswalk changes, its figures and their recast onto today's units are computed again. The
 * reconciler enqueues what is due; the CLI also runs them at once.
 */
export async function markEverySnapshotDue(db: Db): Promise<RollupJob[]> {
  const { rows } = await sql<{ province_code: string; period: string }>`
    insert into rollup_due (province_code, period)
    select province_code, period from snapshot_head
    on conflict (province_code, period) do update set due_seq = rollup_due.due_seq + 1
    returning province_code, period`.execute(db);
  return rows.map((r) => ({ provinceCode: r.province_code, period: r.period }));
}
