import { sql, type Kysely } from 'kysely';

/**
 * Data quality (SPEC §8, issue 20). Not to be confused with 0006, which bounds the SQL analysts
 * run: these are bounds on reported values.
 *  - `quality_bound`: min–max bounds an analyst sets on a (form, measure) for a commune or a whole
 *    province; removing one deletes its row (the audit log keeps who set and removed it).
 *  - `quality_warning`: the warnings a report was accepted with, one row each, in the shape the
 *    officer reads (`issue`), with the measure, value, plausible range and history for analysts.
 *    Written once, with the submission's decision; a later version has its own.
 *  - `analytics.quality_warning`: the warnings of current versions, for the `analyst` role, and the
 *    same per province for `province_analyst` (as 0006 does for the other views).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table quality_bound (
      id serial primary key,
      form text not null,
      measure text not null,
      level text not null check (level in ('commune', 'province')),
      unit_code text not null,
      province_code text not null,
      min numeric,
      max numeric,
      set_by text not null,
      set_at timestamptz not null,
      unique (form, measure, level, unit_code),
      check (min is not null or max is not null),
      check (min is null or max is null or min <= max)
    );
    create index quality_bound_province on quality_bound (province_code, form);

    create table quality_warning (
      id bigserial primary key,
      submission_id bigint not null references submission (id),
      form text not null,
      commune_code text not null,
      period text not null,
      province_code text not null,
      code text not null,
      measure text not null,
      value numeric,
      expected_low numeric,
      expected_high numeric,
      history jsonb not null,
      issue jsonb not null,
      created_at timestamptz not null
    );
    create index quality_warning_submission on quality_warning (submission_id);
    create index quality_warning_slot on quality_warning (province_code, form, period);

    create view analytics.quality_warning as
      select w.province_code, w.form, w.period, w.commune_code, u.name as commune_name, w.submission_id,
             sub.version, w.code, w.measure, w.value, w.expected_low, w.expected_high, w.history,
             w.issue -> 'message' ->> 'vi' as message_vi, w.issue -> 'message' ->> 'en' as message_en, w.created_at
        from quality_warning w
        join report_slot s on s.current_submission_id = w.submission_id
        join submission sub on sub.id = w.submission_id
        left join lateral (
          select a.name from admin_unit a
           where a.level = 'commune' and a.code = w.commune_code and a.valid_from <= sub.period_end
             and (a.valid_to is null or a.valid_to >= sub.period_end)
           limit 1) u on true;
    grant select on analytics.quality_warning to analyst;

    create view analytics_by_province.quality_warning with (security_barrier) as
      select * from analytics.quality_warning v
       where v.province_code in (
         select s.province_code from analytics_by_province.scope s
          where case when exists (select 1 from pg_roles r where r.rolname = s.role_name) then pg_has_role(current_user, s.role_name, 'MEMBER') else false end);
    grant select on analytics_by_province.quality_warning to province_analyst;
  `.execute(db);
}
