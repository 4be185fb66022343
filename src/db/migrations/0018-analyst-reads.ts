import { sql, type Kysely } from 'kysely';

/**
 * What analysts' reads over years of history need (issue 22, EXPLAINs in docs/benchmarks.md):
 * - A series of one unit (a province's or district's figure over every period, the analyst page's
 *   chart, the docs' SQL examples) named no province, so it read snapshot_row and recast_row
 *   whole (a seq scan, or the primary key walked from its first column). Partial indexes on the
 *   unit and indicator, for the levels a series is asked of; communes are most rows and are read
 *   by province and period through the primary key.
 * - `as_of` with boundaries=current looked its version up with max(recast_version) over recast_row
 *   for every candidate row, walking every newer row (communes × indicators × versions). As for
 *   snapshots (0012), one row per recast version: kept by a statement trigger on recast_row and
 *   recast_alias, so that every writer (the rollup, a restore, a bench's copy) keeps it without
 *   knowing of it, at one insert per statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index snapshot_row_series on snapshot_row (level, unit_code, indicator, period, snapshot_version)
      where level in ('province', 'district');
    create index recast_row_series on recast_row (level, unit_code, indicator, period, recast_version)
      where level = 'province';

    create table recast_version (
      province_code text not null,
      period text not null,
      recast_version integer not null,
      computed_at timestamptz not null,
      primary key (province_code, period, recast_version)
    );
    insert into recast_version (province_code, period, recast_version, computed_at)
      select province_code, period, recast_version, min(computed_at) from recast_row group by 1, 2, 3
      union all
      select province_code, period, recast_version, computed_at from recast_alias
      on conflict do nothing;
    create index recast_version_at on recast_version (province_code, period, computed_at);

    create function recast_version_of_insert() returns trigger language plpgsql as $$
    begin
      insert into recast_version (province_code, period, recast_version, computed_at)
        select province_code, period, recast_version, min(computed_at) from inserted group by 1, 2, 3
        on conflict do nothing;
      return null;
    end $$;
    create trigger recast_row_version after insert on recast_row
      referencing new table as inserted for each statement execute function recast_version_of_insert();
    create trigger recast_alias_version after insert on recast_alias
      referencing new table as inserted for each statement execute function recast_version_of_insert();
  `.execute(db);
}
