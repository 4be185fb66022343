import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * The snapshot version of each province-period that stood at `asOf`: the newest one computed at or
 * before it, from snapshot_version (one entry per version). Joined on (province_code, period,
 * snapshot_version), snapshot rows are then read by their primary key, one version's worth, so the
 * cost does not grow with the versions that came after. Postgres carries the outer query's
 * province and period filters into this one through the join.
 */
export function snapshotVersionsAt(db: Db, asOf: Date) {
  return db
    .selectFrom('snapshot_version as sv')
    .select(['sv.province_code', 'sv.period', sql<number>`max(sv.snapshot_version)`.as('snapshot_version')])
    .where('sv.computed_at', '<=', asOf)
    .groupBy(['sv.province_code', 'sv.period'])
    .as('at');
}

/** The same for recast versions (boundaries=current), from recast_version (migration 0018). */
export function recastVersionsAt(db: Db, asOf: Date) {
  return db
    .selectFrom('recast_version as rv')
    .select(['rv.province_code', 'rv.period', sql<number>`max(rv.recast_version)`.as('recast_version')])
    .where('rv.computed_at', '<=', asOf)
    .groupBy(['rv.province_code', 'rv.period'])
    .as('at');
}
