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

/** What each copied table's columns become: the period (and its last day), and submission ids through id_map. */
const copies: { table: string; replaced: Record<string, string>; join?: string; where?: string }[] = [
  { table: 'submission', replaced: { id: 'm.new_id', period: ':to', given_period: ':to', period_end: ':end' }, join: 'join id_map m on m.old_id = t.id', where: 'true' },
  { table: 'report_slot', replaced: { period: ':to', current_submission_id: 'm.new_id' }, join: 'join id_map m on m.old_id = t.current_submission_id' },
  { table: 'snapshot_head', replaced: { period: ':to', period_end: ':end' } },
  { table: 'snapshot_row', replaced: { period: ':to' } },
  { table: 'snapshot_version', replaced: { period: ':to' } },
  { table: 'snapshot_source', replaced: { period: ':to', submission_id: 'm.new_id' }, join: 'join id_map m on m.old_id = t.submission_id' },
  { table: 'completeness_row', replaced: { period: ':to' } },
  { table: 'recast_head', replaced: { period: ':to' } },
  { table: 'recast_alias', replaced: { period: ':to' } },
  { table: 'recast_row', replaced: { period: ':to' } },
  { table: 'recast_source', replaced: { period: ':to', submission_id: 'm.new_id' }, join: 'join id_map m on m.old_id = t.submission_id' },
];

export async function cloneQuarter(db: Db, from: string, to: string): Promise<void> {
  const periodEnd = parsePeriod(to)!.lastDay;
  await db.transaction().execute(async (tx) => {
    await sql`
      create temp table id_map on commit drop as
      select id as old_id, nextval(pg_get_serial_sequence('submission', 'id')) as new_id
        from submission where period = ${from} and status = 'accepted'`.execute(tx);
    for (const c of copies) {
      const columns = await sql<{ name: string; generated: boolean }>`
        select column_name as name, is_identity = 'YES' as generated from information_schema.columns
         where table_schema = 'public' and table_name = ${c.table} and is_generated = 'NEVER' order by ordinal_position`.execute(tx);
      const names = columns.rows.map((r) => r.name);
      const values = names.map((n) => {
        const replaced = c.replaced[n];
        if (replaced === ':to') return sql`${to}::text`;
        if (replaced === ':end') return sql`${periodEnd}::date`;
        return replaced ? sql.raw(replaced) : sql.ref(`t.${n}`);
      });
      const overriding = columns.rows.some((r) => r.generated) ? sql.raw('overriding system value') : sql.raw('');
      await sql`
        insert into ${sql.table(c.table)} (${sql.join(names.map((n) => sql.ref(n)))}) ${overriding}
        select ${sql.join(values)} from ${sql.table(c.table)} t ${sql.raw(c.join ?? '')}
         where ${c.where ? sql.raw(c.where) : sql`t.period = ${from}`}`.execute(tx);
    }
  });
}
