import { sql, type Kysely } from 'kysely';

/**
 * The reporting cycle (SPEC §7): holidays, timeliness on slots and submissions, period locks and
 * their exceptions, approvals, roles beside scope, and the append-only audit log.
 *
 * Locks, exceptions and approvals keep their history (an end time instead of a delete) because a
 * file is judged at the time it was received: one received while a period was locked is refused
 * even if the lock is lifted before a worker gets to it, and the other way round.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table holiday (
      date date primary key,
      kind text not null check (kind in ('holiday', 'workday')),
      name text not null,
      imported_at timestamptz not null default now()
    );

    alter table report_slot
      add column first_received_at timestamptz,
      add column deadline date,
      add column on_time boolean,
      add column days_late integer;
    alter table submission
      add column deadline date,
      add column on_time boolean,
      add column days_late integer;

    create table period_lock (
      id bigint generated always as identity primary key,
      form text not null,
      period text not null,
      province_code text not null,
      locked_by text not null,
      locked_by_name text not null,
      locked_at timestamptz not null,
      unlocked_by text,
      unlocked_at timestamptz,
      reason text
    );
    create unique index period_lock_active on period_lock (form, period, province_code) where unlocked_at is null;

    create table lock_exception (
      id bigint generated always as identity primary key,
      form text not null,
      commune_code text not null,
      period text not null,
      province_code text not null,
      reason text not null,
      until date not null,
      granted_by text not null,
      granted_by_name text not null,
      granted_at timestamptz not null,
      revoked_by text,
      revoked_at timestamptz
    );
    create index lock_exception_slot on lock_exception (commune_code, form, period);

    create table approval (
      id bigint generated always as identity primary key,
      form text not null,
      period text not null,
      level text not null check (level in ('commune', 'district', 'province')),
      unit_code text not null,
      province_code text not null,
      kind text not null check (kind in ('approved', 'missing')),
      reason text,
      indicators text[] not null,
      snapshot_version integer,
      approved_by text not null,
      approved_by_name text not null,
      approved_at timestamptz not null,
      unapproved_by text,
      unapproved_at timestamptz,
      unapprove_reason text,
      check (kind = 'approved' or reason is not null)
    );
    create unique index approval_active on approval (form, period, level, unit_code) where unapproved_at is null;
    create index approval_province_period on approval (province_code, period);

    alter table api_token add column roles text[];
    alter table user_account add column roles text[];
    -- Existing principals keep what they could do: communes and provinces submitted and read.
    update api_token set roles = case scope_level when 'admin' then '{submit,read,approve,admin}'::text[] else '{submit,read}'::text[] end;
    update user_account set roles = case scope_level when 'admin' then '{submit,read,approve,admin}'::text[] else '{submit,read}'::text[] end;
    comment on column api_token.roles is 'submit, read, approve, admin; null: the defaults of the scope (schema/roles.ts)';
    comment on column user_account.roles is 'submit, read, approve, admin; null: the defaults of the scope (schema/roles.ts)';
    alter table api_token add check (roles <@ '{submit,read,approve,admin}'::text[]);
    alter table user_account add check (roles <@ '{submit,read,approve,admin}'::text[]);

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      actor_name text,
      scope_level text,
      scope_code text,
      province_code text,
      action text not null,
      subject jsonb not null default '{}'::jsonb,
      reason text
    );
    create index audit_log_province on audit_log (province_code, id);

    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();
    revoke update, delete, truncate on audit_log from public;
  `.execute(db);

  await sql`
    create or replace view analytics.indicator_snapshot as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.communes_reporting, r.communes_expected,
             r.snapshot_version, r.computed_at, r.province_code, r.communes_covered,
             a.id is not null as approved,
             r.snapshot_version - a.snapshot_version as versions_since_approval
        from snapshot_row r
        join snapshot_head h using (province_code, period, snapshot_version)
        left join approval a
          on a.kind = 'approved' and a.unapproved_at is null and a.province_code = r.province_code and a.period = r.period
         and a.level = r.level and a.unit_code = r.unit_code and r.indicator = any (a.indicators);
    comment on column analytics.indicator_snapshot.versions_since_approval is
      'Snapshot versions of the province-period computed after the one the standing approval pinned; null when not approved.';

    create view analytics.indicator_snapshot_approved as
      select r.level, r.unit_code, r.unit_name, r.parent_code, r.period, r.indicator,
             r.numerator, r.denominator, r.value, r.communes_reporting, r.communes_expected,
             r.snapshot_version, r.computed_at, r.province_code,
             a.form, a.approved_by_name as approved_by, a.approved_at, a.unapproved_at is not null as withdrawn
        from (select distinct on (form, period, level, unit_code) *
                from approval where kind = 'approved'
               order by form, period, level, unit_code, approved_at desc, id desc) a
        join snapshot_row r
          on r.province_code = a.province_code and r.period = a.period and r.snapshot_version = a.snapshot_version
         and r.level = a.level and r.unit_code = a.unit_code and r.indicator = any (a.indicators);
    comment on view analytics.indicator_snapshot_approved is
      'Each unit''s figures as its latest approval pinned them. A correction changes them only when approved '
        'again; withdrawn = the approval has since been lifted and not yet given again.';

    create view analytics.reporting_rate as
      with fp as (
        select distinct s.form, s.period, sub.period_end
          from report_slot s join submission sub on sub.id = s.current_submission_id
      ), c as (
        select fp.form, fp.period, u.code, u.district_code, u.province_code,
               rs.commune_code is not null as reported, coalesce(rs.on_time, false) as on_time
          from fp
          join admin_unit u on u.level = 'commune' and u.valid_from <= fp.period_end and (u.valid_to is null or u.valid_to >= fp.period_end)
          left join report_slot rs on rs.form = fp.form and rs.period = fp.period and rs.commune_code = u.code
      ), g as (
        select form, period, 'commune'::text as level, code as unit_code, province_code,
               count(*) as e, count(*) filter (where reported) as a, count(*) filter (where on_time) as t
          from c group by form, period, code, province_code
        union all
        select form, period, 'district', district_code, province_code, count(*), count(*) filter (where reported), count(*) filter (where on_time)
          from c where district_code is not null group by form, period, district_code, province_code
        union all
        select form, period, 'province', province_code, province_code, count(*), count(*) filter (where reported), count(*) filter (where on_time)
          from c group by form, period, province_code
      )
      select form, period, level, unit_code, province_code,
             e::int as expected_reports, a::int as actual_reports, t::int as actual_reports_on_time,
             round(100.0 * a / e, 1)::float8 as reporting_rate, round(100.0 * t / e, 1)::float8 as reporting_rate_on_time
        from g;
    comment on view analytics.reporting_rate is
      'DHIS2''s reporting rates per form, period, level and unit (SPEC §7): expected_reports = communes valid on the period''s last day; rates in percent.';

    create view analytics.audit_log as select * from audit_log;

    grant select on analytics.indicator_snapshot, analytics.indicator_snapshot_approved, analytics.reporting_rate, analytics.audit_log to analyst;
  `.execute(db);
}
