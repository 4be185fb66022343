import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * When the oldest accepted submission that is not yet behind its province-period's current
 * snapshot was accepted, or null when every accepted submission is in one. "Behind" is lineage:
 * its id among the snapshot_source rows of the snapshot_head version.
 */
export async function oldestUnsnapshotted(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('submission as s')
    .select((eb) => eb.fn.min('s.finished_at').as('oldest'))
    .where('s.status', '=', 'accepted')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('snapshot_head as h')
            .innerJoin('snapshot_source as src', (join) =>
              join.onRef('src.province_code', '=', 'h.province_code').onRef('src.period', '=', 'h.period').onRef('src.snapshot_version', '=', 'h.snapshot_version'),
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
