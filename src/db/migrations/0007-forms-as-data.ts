import { sql, type Kysely } from 'kysely';

/**
 * Forms as data (SPEC §6). `form_definition` (never read until now) becomes the versions of each
 * form; `seq` orders imports and is what every process polls to see a new one. The shipped
 * definitions are imported after the migrations (forms/shipped-forms.ts), as version 1.
 *
 * Numerators and denominators become `numeric`: decimal fields are summed exactly. Every figure
 * gets `communes_covered`: the communes whose reports give its measures (a measure added in a later
 * version is missing from reports checked before it). Existing rows cover every commune that
 * reported, so their figures stay exactly as they were. The analytics views read these columns:
 * they are set aside and made again around the change of type, with their comments and grants.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table form_definition;
    create table form_definition (
      seq bigint generated always as identity primary key,
      code text not null,
      version integer not null,
      valid_from date,
      definition jsonb not null,
      digest text not null,
      imported_by text,
      imported_at timestamptz not null default now(),
      unique (code, version),
      unique (code, digest)
    );
    comment on table form_definition is 'Every imported version of every form definition (SPEC §6); a period is '
      'served by the version with the latest valid_from on or before its last day.';
  `.execute(db);

  await sql`
    create temporary table saved_view on commit drop as
      select c.oid, n.nspname, c.relname, pg_get_viewdef(c.oid) as def, obj_description(c.oid, 'pg_class') as note, false as done
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind = 'v' and n.nspname = 'analytics';
    do $$ declare v record; begin
      for v in select * from saved_view loop
        execute format('drop view if exists %I.%I cascade', v.nspname, v.relname);
      end loop;
    end $$;

    alter table snapshot_row
      alter column numerator type numeric,
      alter column denominator type numeric,
      add column communes_covered integer;
    update snapshot_row set communes_covered = case when numerator is null then 0 else communes_reporting end;
    alter table snapshot_row alter column communes_covered set not null;

    alter table recast_row
      alter column numerator type numeric,
      alter column denominator type numeric,
      add column communes_covered integer;
    update recast_row set communes_covered = case when numerator is null then 0 else predecessors_reporting - approximate_for end;
    alter table recast_row alter column communes_covered set not null;

    -- Made again in an order their dependencies allow: a view whose base is not back yet waits a round.
    do $$ declare v record; progress boolean; begin
      loop
        progress := false;
        for v in select * from saved_view where not done order by oid loop
          begin
            execute format('create view %I.%I as %s', v.nspname, v.relname, v.def);
            if v.note is not null then execute format('comment on view %I.%I is %L', v.nspname, v.relname, v.note); end if;
            update saved_view set done = true where oid = v.oid;
            progress := true;
          exception when undefined_table or undefined_column or wrong_object_type then null;
          end;
        end loop;
        exit when not progress;
      end loop;
      if exists (select 1 from saved_view where not done) then
        raise exception 'views not made again: %', (select string_agg(relname, ', ') from saved_view where not done);
      end if;
    end $$;
  `.execute(db);

  await sql`
    create or replace view analytics.indicator_snapshot as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.communes_reporting, r.communes_expected,
             r.snapshot_version, r.computed_at, r.province_code, r.communes_covered
        from snapshot_row r
        join snapshot_head h using (province_code, period, snapshot_version);

    create or replace view analytics.indicator_snapshot_history as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.communes_reporting, r.communes_expected,
             r.snapshot_version, r.computed_at, r.province_code, r.communes_covered
        from snapshot_row r;

    create or replace view analytics.indicator_snapshot_recast_history as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.predecessors_reporting, r.predecessors_expected,
             r.approximate_for = 0 as exact, r.approximate_for,
             r.recast_version, r.computed_at, r.province_code, r.communes_covered
        from recast_row r
      union all
      select s.level, s.unit_code, s.unit_name, case s.level when 'commune' then s.province_code end, s.period, s.indicator,
             s.numerator, s.denominator, s.value, s.communes_reporting, s.communes_expected,
             true, 0,
             a.recast_version, a.computed_at, s.province_code, s.communes_covered
        from recast_alias a
        join snapshot_row s on s.province_code = a.province_code and s.period = a.period and s.snapshot_version = a.snapshot_version
       where s.level in ('commune', 'province');

    create or replace view analytics.indicator_snapshot_recast as
      select v.* from analytics.indicator_snapshot_recast_history v
        join recast_head h using (province_code, period, recast_version);

    comment on column analytics.indicator_snapshot.communes_covered is
      'The communes whose reports give this figure''s measures; fewer than communes_reporting when some reports '
        'were checked with a form version without them (SPEC §6).';

    grant usage on schema analytics to analyst;
    grant select on all tables in schema analytics to analyst;
  `.execute(db);
}
