import { sql, type Kysely } from 'kysely';

/**
 * The 1 July 2025 reform: figures of any period recast onto today's units (SPEC §2, §5).
 *
 * The recast is a set of tables the rollup maintains, not a view over report rows, because:
 * measures are derived from the form definitions in TypeScript (forms are data; SQL would repeat
 * them); a commune split across several new communes needs its village rows and the analyst's
 * village → new-commune assignment; and versions give the recast the same as-of queries and
 * lineage as the period's own snapshots. It is computed per (today's province, period): every
 * rollup of a province-period recomputes the recast of the province(s) its communes went into,
 * which sees the current reports of every old province merged there, so the counts of
 * predecessors that reported are whole. The views below only pick the current version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table village_assignment (
      old_commune_code text not null,
      village_key text not null,
      village_name text not null,
      new_commune_code text not null,
      imported_at timestamptz not null default now(),
      primary key (old_commune_code, village_key)
    );
    comment on table village_assignment is
      'Where the villages of an old commune split by the 2025 reform went; village_key '''' is the commune office (forms with one row per commune).';

    create table recast_head (
      province_code text not null,
      period text not null,
      recast_version integer not null,
      content_hash text not null,
      computed_at timestamptz not null,
      primary key (province_code, period)
    );

    create table recast_row (
      province_code text not null,
      period text not null,
      recast_version integer not null,
      level text not null check (level in ('commune', 'province')),
      unit_code text not null,
      unit_name text not null,
      parent_code text,
      indicator text not null,
      numerator bigint,
      denominator bigint,
      value double precision,
      predecessors_reporting integer not null,
      predecessors_expected integer not null,
      approximate_for integer not null check (approximate_for >= 0),
      computed_at timestamptz not null,
      primary key (province_code, period, recast_version, level, unit_code, indicator)
    );

    create table recast_source (
      province_code text not null,
      period text not null,
      recast_version integer not null,
      submission_id bigint not null references submission (id),
      commune_code text not null,
      form text not null,
      primary key (province_code, period, recast_version, submission_id)
    );
  `.execute(db);

  await sql`
    create view analytics.indicator_snapshot_recast as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.predecessors_reporting, r.predecessors_expected,
             r.approximate_for = 0 as exact, r.approximate_for,
             r.recast_version, r.computed_at, r.province_code
        from recast_row r
        join recast_head h using (province_code, period, recast_version);
    comment on view analytics.indicator_snapshot_recast is
      'Every period''s figures on today''s units. predecessors_*: the communes of the period''s hierarchy under '
        'the unit, and how many of them reported the indicator''s form. exact = false when approximate_for > 0: '
        'that many predecessor communes were split across several of today''s communes and some of their rows '
        'have no village assignment; those rows are left out of the commune figures (never apportioned). '
        'Province figures are exact.';

    create view analytics.indicator_snapshot_recast_history as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.predecessors_reporting, r.predecessors_expected,
             r.approximate_for = 0 as exact, r.approximate_for,
             r.recast_version, r.computed_at, r.province_code
        from recast_row r;

    create view analytics.recast_lineage as
      select s.province_code, s.period, s.recast_version, s.commune_code, s.form,
             s.submission_id, sub.version as submission_version, sub.sha256, sub.filename, sub.received_at
        from recast_source s
        join submission sub on sub.id = s.submission_id;

    grant select on analytics.indicator_snapshot_recast, analytics.indicator_snapshot_recast_history, analytics.recast_lineage to analyst;
  `.execute(db);
}
