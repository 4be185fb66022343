import { sql, type Kysely } from 'kysely';

/**
 * A recast that is its period's own snapshot, kept as a reference instead of a copy.
 *
 * Every period since the 2025 reform has today's hierarchy, and so does a province the reform
 * left alone: its recast onto today's units is, row for row, the commune and province rows of its
 * snapshot. Copying those doubled what a rollup wrote (half of its time). Such a recast version is
 * now a `recast_alias` row naming the snapshot version it reads through; the views below show it
 * exactly as the copied rows were shown (a commune's parent is today's province, predecessors are
 * the commune itself, every figure is exact). Recast versions with any other content keep their
 * rows in `recast_row`, as before; both kinds share one version sequence per province-period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table recast_alias (
      province_code text not null,
      period text not null,
      recast_version integer not null,
      snapshot_version integer not null,
      computed_at timestamptz not null,
      primary key (province_code, period, recast_version)
    );
    comment on table recast_alias is
      'A recast version that equals the commune and province rows of snapshot_version of the same province-period; its rows are read from snapshot_row.';
  `.execute(db);

  await sql`
    create or replace view analytics.indicator_snapshot_recast_history as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.predecessors_reporting, r.predecessors_expected,
             r.approximate_for = 0 as exact, r.approximate_for,
             r.recast_version, r.computed_at, r.province_code
        from recast_row r
      union all
      select s.level, s.unit_code, s.unit_name, case s.level when 'commune' then s.province_code end, s.period, s.indicator,
             s.numerator, s.denominator, s.value, s.communes_reporting, s.communes_expected,
             true, 0,
             a.recast_version, a.computed_at, s.province_code
        from recast_alias a
        join snapshot_row s on s.province_code = a.province_code and s.period = a.period and s.snapshot_version = a.snapshot_version
       where s.level in ('commune', 'province');

    -- The current version is picked from the history, whichever kind it is.
    create or replace view analytics.indicator_snapshot_recast as
      select v.* from analytics.indicator_snapshot_recast_history v
        join recast_head h using (province_code, period, recast_version);

    create or replace view analytics.recast_lineage as
      select s.province_code, s.period, s.recast_version, s.commune_code, s.form,
             s.submission_id, sub.version as submission_version, sub.sha256, sub.filename, sub.received_at
        from recast_source s
        join submission sub on sub.id = s.submission_id
      union all
      select a.province_code, a.period, a.recast_version, s.commune_code, s.form,
             s.submission_id, sub.version, sub.sha256, sub.filename, sub.received_at
        from recast_alias a
        join snapshot_source s on s.province_code = a.province_code and s.period = a.period and s.snapshot_version = a.snapshot_version
        join submission sub on sub.id = s.submission_id;
  `.execute(db);
}
