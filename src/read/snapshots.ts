import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isoInstant } from './iso-instant.ts';
import { exportCursor } from '../db/export-cursor.ts';
import { csvLineSql, type SqlCellKind } from '../export/csv-sql.ts';
import type { UnitLevel } from '../schema/database.ts';
import type { Principal } from '../schema/scope.ts';
import { vietnamDay } from '../schema/vietnam-day.ts';
import { readScopeOf } from './read-scope.ts';
import { snapshotVersionsAt } from './snapshot-version-at.ts';

export type SnapshotQuery = {
  level?: UnitLevel;
  unit?: string;
  period?: string;
  indicator?: string;
  province?: string;
  /** The snapshot as it stood at this instant: the latest version computed at or before it. */
  asOf?: Date;
};

export const snapshotColumns = [
  'level',
  'unit_code',
  'unit_name',
  'parent_code',
  'period',
  'indicator',
  'numerator',
  'denominator',
  'value',
  'communes_reporting',
  'communes_expected',
  'snapshot_version',
  'computed_at',
  'communes_covered',
] as const;

/** The types of the columns that snapshots and recasts share, for a CSV line written in SQL (export/csv-sql.ts). */
export const figureColumnKinds = {
  level: 'text',
  unit_code: 'text',
  unit_name: 'text',
  parent_code: 'text',
  period: 'text',
  indicator: 'text',
  numerator: 'numeric',
  denominator: 'numeric',
  value: 'float8',
  computed_at: 'timestamptz',
} as const satisfies Record<string, SqlCellKind>;

/** Each column's type in the snapshot views. */
export const snapshotColumnKinds: Record<(typeof snapshotColumns)[number], SqlCellKind> = {
  ...figureColumnKinds,
  communes_reporting: 'integer',
  communes_expected: 'integer',
  snapshot_version: 'integer',
  communes_covered: 'integer',
};

/**
 * Snapshot rows, current or as of an instant, limited to what the principal may read: its own
 * unit in every era, and the units merged into it (as they are on `today`) for their periods.
 * With `limit`, at most limit + 1 rows, so a caller can tell "more than the limit" from "exactly".
 * `computed_at` comes as its JSON text (iso-instant.ts): these rows are answers sent on as JSON.
 */
export async function querySnapshots(
  db: Db,
  principal: Principal,
  q: SnapshotQuery,
  today: string = vietnamDay(new Date()),
  limit?: number,
) {
  return (await snapshotRows(db, principal, q, today, limit))
    .select(snapshotColumns.map((c) => (c === 'computed_at' ? isoInstant('s.computed_at').as(c) : (`s.${c}` as const))))
    .execute();
}

/** The same rows one at a time from a server-side cursor, for exports of any size held in bounded memory. */
export async function* streamSnapshots(db: Db, principal: Principal, q: SnapshotQuery, today: string) {
  yield* (await snapshotRows(db, principal, q, today))
    .select(snapshotColumns.map((c) => `s.${c}` as const))
    .stream(streamChunkRows);
}

/**
 * The same rows as the lines of their CSV (csv.ts's csvChunks), each written by Postgres: the
 * export's process then only joins lines (export/csv-sql.ts says why).
 */
export async function* streamSnapshotCsvLines(db: Db, principal: Principal, q: SnapshotQuery, today: string) {
  const line = csvLineSql(snapshotColumns.map((c) => [`s.${c}`, snapshotColumnKinds[c]] as const));
  yield* exportCursor(
    db,
    async (trx) => (await snapshotRows(trx, principal, q, today)).select(line.as('line')),
    streamChunkRows,
  );
}

/**
 * Rows a cursor fetches per round trip. Few enough that a batch is dead before V8's young
 * generation fills (8 MB in a service, bin/tonghop.js) rather than copied and promoted with it: a
 * national XLSX export read with batches of 2,000 cost 1.02 CPU s, with 500 0.92 (medians of six
 * interleaved rounds; another run put 100–1,000 within its noise). 200 round trips for a national
 * period cost ~20 ms of waiting.
 */
export const streamChunkRows = 500;

/** The rows a query reads, in the order every answer gives them, before their columns are chosen. */
async function snapshotRows(db: Db, principal: Principal, q: SnapshotQuery, today: string, limit?: number) {
  const scope = await readScopeOf(db, principal, today, q.province);
  let query = q.asOf
    ? db
        .selectFrom('analytics.indicator_snapshot_history as s')
        .innerJoin(snapshotVersionsAt(db, q.asOf), (join) =>
          join
            .onRef('at.province_code', '=', 's.province_code')
            .onRef('at.period', '=', 's.period')
            .onRef('at.snapshot_version', '=', 's.snapshot_version'),
        )
    : db.selectFrom('analytics.indicator_snapshot as s');
  if (q.level) query = query.where('s.level', '=', q.level);
  if (q.unit) query = query.where('s.unit_code', '=', q.unit);
  if (q.period) query = query.where('s.period', '=', q.period);
  if (q.indicator) query = query.where('s.indicator', '=', q.indicator);
  if (q.province) query = query.where('s.province_code', '=', q.province);
  if (scope) {
    const column = scope.level === 'province' ? 's.province_code' : 's.unit_code';
    if (scope.level === 'commune') query = query.where('s.level', '=', 'commune');
    query = query.where((eb) =>
      eb.or([
        eb(column, '=', scope.code),
        ...scope.merged.map((era) =>
          eb.and([
            eb(column, '=', era.code),
            eb.exists(
              eb
                .selectFrom('snapshot_head as era_head')
                .select('era_head.period')
                .whereRef('era_head.province_code', '=', 's.province_code')
                .whereRef('era_head.period', '=', 's.period')
                .where('era_head.period_end', '>=', era.validFrom)
                .where('era_head.period_end', '<=', era.validTo ?? '9999-12-31'),
            ),
          ]),
        ),
      ]),
    );
  }
  return query
    .orderBy('s.period')
    .orderBy(sql`case s.level when 'province' then 0 when 'district' then 1 else 2 end`)
    .orderBy('s.unit_code')
    .orderBy('s.indicator')
    .$if(limit !== undefined, (qb) => qb.limit(limit! + 1));
}
