import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * When the oldest accepted submission that is not yet behind its province-period's current
 * snapshot was accepted, or null when every accepted submission is in one. "Behind" is lineage:
 * its id among the snapshot_source rows of the snapshot_head version.
 *
 * Only province-periods with a rollup_due row are searched, which keeps a scrape cheap however
 * many reports the database holds (searching them all took most of a second at 120,000 accepted
 * reports). None is missed: an acceptance commits its rollup_due row in the same transaction, and
 * a rollup deletes that row only in the transaction that wrote a snapshot of everything accepted
 * before it.
 */
export async function oldestUnsnapshotted(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('submission as s')
    .innerJoin('rollup_due as d', (join) =>
      join.onRef('d.province_code', '=', 's.province_code').onRef('d.period', '=', 's.period'),
    )
    .select((eb) => eb.fn.min('s.finished_at').as('oldest'))
    .where('s.status', '=', 'accepted')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('snapshot_head as h')
            .innerJoin('snapshot_source as src', (join) =>
              join
                .onRef('src.province_code', '=', 'h.province_code')
                .onRef('src.period', '=', 'h.period')
                .onRef('src.snapshot_version', '=', 'h.snapshot_version'),
            )
            .select(sql`1`.as('one'))
            .whereRef('h.province_code', '=', 's.province_code')
            .whereRef('h.period', '=', 's.period')
            .whereRef('src.submission_id', '=', 's.id'),
        ),
      ),
    )
    .executeTakeFirst();
  return row?.oldest ?? null;
}

/** Seconds since `oldest`, never negative (clocks of two hosts differ a little); 0 when nothing waits. */
export function lagSeconds(oldest: Date | null, now: Date): number {
  return oldest === null ? 0 : Math.max(0, (now.getTime() - oldest.getTime()) / 1000);
}
