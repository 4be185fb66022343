import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isoInstant } from './iso-instant.ts';
import { exportCursor } from '../db/export-cursor.ts';
import { csvLineSql, type SqlCellKind } from '../export/csv-sql.ts';
import { recastVersionsAt } from './snapshot-version-at.ts';
import { figureColumnKinds, streamChunkRows } from './snapshots.ts';
import type { RecastLevel } from '../schema/database.ts';
import type { Principal } from '../schema/scope.ts';

export type RecastQuery = {
  level?: RecastLevel;
  unit?: string;
  period?: string;
  indicator?: string;
  /** Today's province. */
  province?: string;
  /** The recast as it stood at this instant: the latest version computed at or before it. */
  asOf?: Date;
};

export const recastColumns = [
  'level',
  'unit_code',
  'unit_name',
  'parent_code',
  'period',
  'indicator',
  'numerator',
  'denominator',
  'value',
  'predecessors_reporting',
  'predecessors_expected',
  'exact',
  'approximate_for',
  'recast_version',
  'computed_at',
  'communes_covered',
] as const;

/** Each column's type in the recast views, for a CSV line written in SQL (export/csv-sql.ts). */
export const recastColumnKinds: Record<(typeof recastColumns)[number], SqlCellKind> = {
  ...figureColumnKinds,
  predecessors_reporting: 'integer',
  predecessors_expected: 'integer',
  exact: 'boolean',
  approximate_for: 'integer',
  recast_version: 'integer',
  communes_covered: 'integer',
};

/**
 * Every period's figures on today's units (`boundaries=current`), limited to what the principal
 * may read: today's units are the principal's own, so a province reads its province and communes,
 * a commune its own rows, whatever era the figures come from. `computed_at` comes as its JSON text,
 * as querySnapshots'.
 */
export async function queryRecast(db: Db, principal: Principal, q: RecastQuery, limit?: number) {
  return recastRows(db, principal, q, limit)
    .select(recastColumns.map((c) => (c === 'computed_at' ? isoInstant('s.computed_at').as(c) : (`s.${c}` as const))))
    .execute();
}

/** The same rows one at a time from a server-side cursor, for exports of any size held in bounded memory. */
export async function* streamRecast(db: Db, principal: Principal, q: RecastQuery) {
  yield* recastRows(db, principal, q)
    .select(recastColumns.map((c) => `s.${c}` as const))
    .stream(streamChunkRows);
}

/** The same rows as the lines of their CSV, each written by Postgres (as streamSnapshotCsvLines). */
export async function* streamRecastCsvLines(db: Db, principal: Principal, q: RecastQuery) {
  const line = csvLineSql(recastColumns.map((c) => [`s.${c}`, recastColumnKinds[c]] as const));
  yield* exportCursor(db, async (trx) => recastRows(trx, principal, q).select(line.as('line')), streamChunkRows);
}

/** The rows a query reads, in the order every answer gives them, before their columns are chosen. */
function recastRows(db: Db, principal: Principal, q: RecastQuery, limit?: number) {
  let query = q.asOf
    ? db
        .selectFrom('analytics.indicator_snapshot_recast_history as s')
        // A version is rows of its own or a reference to a snapshot version (recast_alias): recast_version lists both.
        .innerJoin(recastVersionsAt(db, q.asOf), (join) =>
          join
            .onRef('at.province_code', '=', 's.province_code')
            .onRef('at.period', '=', 's.period')
            .onRef('at.recast_version', '=', 's.recast_version'),
        )
    : db.selectFrom('analytics.indicator_snapshot_recast as s');
  if (q.level) query = query.where('s.level', '=', q.level);
  if (q.unit) query = query.where('s.unit_code', '=', q.unit);
  if (q.period) query = query.where('s.period', '=', q.period);
  if (q.indicator) query = query.where('s.indicator', '=', q.indicator);
  if (q.province) query = query.where('s.province_code', '=', q.province);
  if (principal.level === 'province') query = query.where('s.province_code', '=', principal.code!);
  if (principal.level === 'commune')
    query = query.where('s.level', '=', 'commune').where('s.unit_code', '=', principal.code!);
  return query
    .orderBy('s.period')
    .orderBy(sql`case s.level when 'province' then 0 else 1 end`)
    .orderBy('s.unit_code')
    .orderBy('s.indicator')
    .$if(limit !== undefined, (qb) => qb.limit(limit! + 1));
}
