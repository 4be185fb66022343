import { sql, type Kysely } from 'kysely';

/**
 * One row per snapshot version, with when it was computed. An `as_of` query looked its version up
 * with max(snapshot_version) over snapshot_row for each candidate row, walking every newer row of
 * the province-period (communes × indicators × versions); here the same lookup reads one index
 * entry per version. Filled from the versions already stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table snapshot_version (
      province_code text not null,
      period text not null,
      snapshot_version integer not null,
      computed_at timestamptz not null,
      primary key (province_code, period, snapshot_version)
    );
    insert into snapshot_version (province_code, period, snapshot_version, computed_at)
      select province_code, period, snapshot_version, min(computed_at)
        from snapshot_row group by province_code, period, snapshot_version;
    create index snapshot_version_at on snapshot_version (province_code, period, computed_at);
  `.execute(db);
}
