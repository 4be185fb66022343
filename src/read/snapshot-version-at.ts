import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../schema/database.ts';

type OuterSnapshot = Database & { s: { province_code: string; period: string } };

/**
 * The snapshot version of the outer row's (`s`) province-period that stood at `asOf`: the newest
 * one computed at or before it. Read from snapshot_version, one entry per version, so its cost does
 * not grow with the communes and indicators of the versions that came after.
 */
export function snapshotVersionAt(selectFrom: ExpressionBuilder<OuterSnapshot, 's'>['selectFrom'], asOf: Date) {
  return selectFrom('snapshot_version as sv')
    .select(sql<number>`max(sv.snapshot_version)`.as('v'))
    .whereRef('sv.province_code', '=', 's.province_code')
    .whereRef('sv.period', '=', 's.period')
    .where('sv.computed_at', '<=', asOf);
}
