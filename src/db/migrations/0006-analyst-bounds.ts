import { sql, type Kysely } from 'kysely';

/** The analytics views, each with a `province_code`, that a province's analysts read through `analytics_by_province`. */
const views = [
  'indicator_snapshot',
  'indicator_snapshot_history',
  'completeness',
  'snapshot_lineage',
  'indicator_snapshot_recast',
  'indicator_snapshot_recast_history',
  'recast_lineage',
] as const;

/**
 * Bounds on the SQL analysts run (issue 14, item 12). The role `analyst` is cluster-wide, and
 * every database granted CONNECT to PUBLIC, so an analyst reached every tonghop database on the
 * server, could create temp tables and run a query for ever. Now:
 *  - this database takes connections only from its owner, the migrating user and roles granted
 *    `analyst` or `province_analyst`, and nobody but its owner creates temp tables in it;
 *  - `analyst` has a statement timeout of one minute (a login role is given its own with
 *    `alter role … set statement_timeout`, as the README says: settings follow the login role);
 *  - per-province roles: `province_analyst` reads schema `analytics_by_province`, the same views
 *    as `analytics` with only the provinces of the roles listed for them in
 *    `analytics_by_province.scope` that the reader is a member of. A role made for a province
 *    (`create role analyst_01; insert into analytics_by_province.scope values ('analyst_01', '01');
 *    grant province_analyst, analyst_01 to alice`) reads that province and nothing else.
 * Idempotent: the database-wide grants are not copied with a database cloned from a template, so
 * they are applied again by running this once more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'province_analyst') then
        create role province_analyst nologin;
      end if;
      execute format('revoke connect, temporary on database %I from public', current_database());
      execute format('grant connect on database %I to %I, analyst, province_analyst', current_database(), current_user);
      execute format('grant temporary on database %I to %I', current_database(), current_user);
    end $$;
    alter role analyst set statement_timeout = '60s';
    alter role province_analyst set statement_timeout = '60s';
    create schema if not exists analytics_by_province;
    create table if not exists analytics_by_province.scope (
      role_name name not null,
      province_code text not null,
      primary key (role_name, province_code)
    );
    revoke all on analytics_by_province.scope from public;
    grant usage on schema analytics_by_province to province_analyst;
  `.execute(db);
  for (const view of views) {
    // A view reads its tables as its owner, but current_user inside it is still the reader.
    await sql`
      create or replace view ${sql.id('analytics_by_province', view)} with (security_barrier) as
        select * from ${sql.id('analytics', view)} v
         where v.province_code in (
           select s.province_code from analytics_by_province.scope s
            -- pg_has_role raises on a role that does not exist (dropped since it was listed).
            where case when exists (select 1 from pg_roles r where r.rolname = s.role_name) then pg_has_role(current_user,
              s.role_name, 'MEMBER') else false end)`.execute(db);
    await sql`grant select on ${sql.id('analytics_by_province', view)} to province_analyst`.execute(db);
  }
}
