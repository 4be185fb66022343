// Earlier quarters of history made from a loaded one, for the correction and analyst benchmarks: a
// national history of 40 quarters through the pipeline would take an hour to load. Copied, with
// the period changed and new submission ids, is everything a rollup or an analyst reads: the
// accepted submissions, their slots, and the snapshot and recast versions (rows, versions, sources,
// completeness, heads, aliases). Every column is copied as it is but those replaced here, so a
// column added later is carried without this file knowing it. Not copied: the raw files and report
// rows, which a rollup never reads (a split commune's rows aside).
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.ts';
import { parsePeriod } from '../src/schema/period.ts';

/**
 * What each copied table's columns become: the period (and its last day), and submission ids
 * through id_map. `version` names the table's version column and the head it is read from, for
 * copies of the current version alone.
 */
const copies: {
  table: string;
  replaced: Record<string, string>;
  join?: string;
  where?: string;
  version?: 'snapshot' | 'recast';
}[] = [
  {
    table: 'submission',
    replaced: { id: 'm.new_id', period: ':to', given_period: ':to', period_end: ':end' },
    join: 'join id_map m on m.old_id = t.id',
    where: 'true',
  },
  {
    table: 'report_slot',
    replaced: { period: ':to', current_submission_id: 'm.new_id' },
    join: 'join id_map m on m.old_id = t.current_submission_id',
  },
  { table: 'snapshot_head', replaced: { period: ':to', period_end: ':end' }, version: 'snapshot' },
  { table: 'snapshot_row', replaced: { period: ':to' }, version: 'snapshot' },
  { table: 'snapshot_version', replaced: { period: ':to' }, version: 'snapshot' },
  {
    table: 'snapshot_source',
    replaced: { period: ':to', submission_id: 'm.new_id' },
    join: 'join id_map m on m.old_id = t.submission_id',
    version: 'snapshot',
  },
  { table: 'completeness_row', replaced: { period: ':to' }, version: 'snapshot' },
  { table: 'recast_head', replaced: { period: ':to' }, version: 'recast' },
  { table: 'recast_alias', replaced: { period: ':to' }, version: 'recast' },
  { table: 'recast_row', replaced: { period: ':to' }, version: 'recast' },
  {
    table: 'recast_source',
    replaced: { period: ':to', submission_id: 'm.new_id' },
    join: 'join id_map m on m.old_id = t.submission_id',
    version: 'recast',
  },
];

/**
 * Copies period `from` as period `to`. With `headOnly`, each province-period's current snapshot
 * and recast alone, as version 1 (a period that was never corrected); otherwise every version.
 */
export async function cloneQuarter(
  db: Db,
  from: string,
  to: string,
  options: { headOnly?: boolean } = {},
): Promise<void> {
  const periodEnd = parsePeriod(to)!.lastDay;
  await db.transaction().execute(async (tx) => {
    await sql`
      create temp table id_map on commit drop as
      select id as old_id, nextval(pg_get_serial_sequence('submission', 'id')) as new_id
        from submission where period = ${from} and status = 'accepted'`.execute(tx);
    for (const c of copies) {
      const columns = await sql<{ name: string; generated: boolean }>`
        select column_name as name, is_identity = 'YES' as generated from information_schema.columns
         where table_schema = 'public' and table_name = ${c.table} and is_generated = 'NEVER' order by ordinal_position`.execute(
        tx,
      );
      const names = columns.rows.map((r) => r.name);
      const head = options.headOnly ? c.version : undefined;
      const values = names.map((n) => {
        const replaced = c.replaced[n];
        if (replaced === ':to') return sql`${to}::text`;
        if (replaced === ':end') return sql`${periodEnd}::date`;
        if (head && (n === `${head}_version` || (c.table === 'recast_alias' && n === 'snapshot_version')))
          return sql`1`;
        return replaced ? sql.raw(replaced) : sql.ref(`t.${n}`);
      });
      const onlyHead = head
        ? sql.raw(
            ` and (t.province_code, t.period, t.${head}_version) in (select province_code, period, ${head}_version from ${head}_head)` +
              (c.table === 'recast_alias'
                ? ' and (t.province_code, t.period, t.snapshot_version) in (select province_code, period, snapshot_version from snapshot_head)'
                : ''),
          )
        : sql.raw('');
      const overriding = columns.rows.some((r) => r.generated) ? sql.raw('overriding system value') : sql.raw('');
      await sql`
        insert into ${sql.table(c.table)} (${sql.join(names.map((n) => sql.ref(n)))}) ${overriding}
        select ${sql.join(values)} from ${sql.table(c.table)} t ${sql.raw(c.join ?? '')}
         where ${c.where ? sql.raw(c.where) : sql`t.period = ${from}`} ${onlyHead}`.execute(tx);
    }
  });
}
