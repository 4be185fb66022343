import { sql, type Kysely } from 'kysely';

/**
 * The first schema. Units carry validity dates and a commune level from the start, because
 * since 1 July 2025 the same code can name another commune under another parent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table admin_unit (
      id bigint generated always as identity primary key,
      level text not null check (level in ('province', 'district', 'commune')),
      code text not null,
      name text not null,
      province_code text not null,
      district_code text,
      valid_from date not null,
      valid_to date,
      check (valid_to is null or valid_to >= valid_from),
      unique (level, code, valid_from)
    );
    create index admin_unit_province on admin_unit (province_code, level, valid_from);

    create table unit_crosswalk (
      old_code text not null,
      new_code text not null,
      primary key (old_code, new_code)
    );
    create index unit_crosswalk_new on unit_crosswalk (new_code);

    create table form_definition (
      code text primary key,
      definition jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table api_token (
      id bigint generated always as identity primary key,
      token_hash text not null unique,
      scope_level text not null check (scope_level in ('commune', 'province', 'admin')),
      scope_code text,
      label text,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      check ((scope_level = 'admin') = (scope_code is null))
    );

    create table submission (
      id bigint generated always as identity primary key,
      status text not null default 'queued'
        check (status in ('queued', 'processing', 'accepted', 'rejected', 'duplicate', 'superseded')),
      given_form text,
      given_commune text,
      given_period text,
      form text,
      commune_code text,
      period text,
      period_end date,
      province_code text,
      district_code text,
      filename text,
      content_type text,
      byte_size integer not null,
      sha256 text not null,
      version integer,
      duplicate_of bigint references submission (id),
      errors jsonb,
      fingerprint text,
      measures jsonb,
      scope_level text not null,
      scope_code text,
      token_id bigint references api_token (id),
      attempts integer not null default 0,
      received_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now()
    );
    create index submission_pending on submission (updated_at) where status in ('queued', 'processing');
    create index submission_slot on submission (commune_code, form, period);
    create index submission_province_period on submission (province_code, period);

    create table submission_file (
      submission_id bigint primary key references submission (id),
      bytes bytea not null
    );

    create table idempotency_key (
      principal text not null,
      key text not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (principal, key)
    );

    create table report_slot (
      commune_code text not null,
      form text not null,
      period text not null,
      current_submission_id bigint not null references submission (id),
      last_version integer not null,
      primary key (commune_code, form, period)
    );

    create table report_row (
      submission_id bigint not null references submission (id),
      row_no integer not null,
      row_key text,
      data jsonb not null,
      primary key (submission_id, row_no)
    );

    create table rollup_due (
      province_code text not null,
      period text not null,
      due_seq bigint not null default 1,
      due_since timestamptz not null default now(),
      primary key (province_code, period)
    );

    create table snapshot_head (
      province_code text not null,
      period text not null,
      period_end date not null,
      snapshot_version integer not null,
      content_hash text not null,
      computed_at timestamptz not null,
      primary key (province_code, period)
    );

    create table snapshot_row (
      province_code text not null,
      period text not null,
      snapshot_version integer not null,
      level text not null check (level in ('commune', 'district', 'province')),
      unit_code text not null,
      unit_name text not null,
      parent_code text,
      indicator text not null,
      numerator bigint,
      denominator bigint,
      value double precision,
      communes_reporting integer not null,
      communes_expected integer not null,
      computed_at timestamptz not null,
      primary key (province_code, period, snapshot_version, level, unit_code, indicator)
    );

    create table snapshot_source (
      province_code text not null,
      period text not null,
      snapshot_version integer not null,
      submission_id bigint not null references submission (id),
      commune_code text not null,
      district_code text,
      form text not null,
      primary key (province_code, period, snapshot_version, submission_id)
    );

    create table completeness_row (
      province_code text not null,
      period text not null,
      snapshot_version integer not null,
      level text not null,
      unit_code text not null,
      form text not null,
      expected integer not null,
      reported integer not null,
      missing text[] not null,
      primary key (province_code, period, snapshot_version, level, unit_code, form)
    );

    create table rollup_run (
      id bigint generated always as identity primary key,
      province_code text not null,
      period text not null,
      snapshot_version integer,
      started_at timestamptz not null,
      finished_at timestamptz not null
    );
    create index rollup_run_finished on rollup_run (finished_at);
  `.execute(db);

  await sql`
    create schema analytics;

    create view analytics.indicator_snapshot as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.communes_reporting, r.communes_expected,
             r.snapshot_version, r.computed_at, r.province_code
        from snapshot_row r
        join snapshot_head h using (province_code, period, snapshot_version);

    create view analytics.indicator_snapshot_history as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.communes_reporting, r.communes_expected,
             r.snapshot_version, r.computed_at, r.province_code
        from snapshot_row r;

    create view analytics.completeness as
      select c.level, c.unit_code, c.period, c.form, c.expected, c.reported, c.missing,
             c.snapshot_version, c.province_code
        from completeness_row c
        join snapshot_head h using (province_code, period, snapshot_version);

    create view analytics.snapshot_lineage as
      select s.province_code, s.period, s.snapshot_version, s.commune_code, s.district_code, s.form,
             s.submission_id, sub.version as submission_version, sub.sha256, sub.filename, sub.received_at
        from snapshot_source s
        join submission sub on sub.id = s.submission_id;
  `.execute(db);

  // Roles are cluster-wide and may already exist (several tonghop databases on one server).
  await sql`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'analyst') then
        create role analyst nologin;
      end if;
    end $$;
    grant usage on schema analytics to analyst;
    grant select on all tables in schema analytics to analyst;
    alter default privileges in schema analytics grant select on tables to analyst;
  `.execute(db);
}
