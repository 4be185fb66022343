// Earlier quarters of history made from a loaded one, for the correction benchmark: a national
// history of 40 quarters through the pipeline would take an hour to load. Copied, with the period
// changed and new submission ids, is everything a rollup reads or appends to: the accepted
// submissions, their slots, and the snapshot and recast versions (rows, sources, completeness,
// heads, aliases). Not copied: the raw files and report rows, which a rollup never reads (a
// split commune's rows aside, and the synthetic units split none).
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.ts';
import { parsePeriod } from '../src/schema/period.ts';

export async function cloneQuarter(db: Db, from: string, to: string): Promise<void> {
  const periodEnd = parsePeriod(to)!.lastDay;
  await db.transaction().execute(async (tx) => {
    await sql`
      create temp table id_map on commit drop as
      select id as old_id, nextval(pg_get_serial_sequence('submission', 'id')) as new_id
        from submission where period = ${from} and status = 'accepted'`.execute(tx);
    await sql`
      insert into submission (id, status, given_form, given_commune, given_period, form, commune_code, period, period_end, province_code, district_code,
                              filename, content_type, byte_size, sha256, version, fingerprint, measures, scope_level, scope_code, token_id, attempts,
                              received_at, started_at, finished_at, updated_at)
      overriding system value
      select m.new_id, s.status, s.given_form, s.given_commune, ${to}, s.form, s.commune_code, ${to}, ${periodEnd}, s.province_code, s.district_code,
             s.filename, s.content_type, s.byte_size, s.sha256, s.version, s.fingerprint, s.measures, s.scope_level, s.scope_code, s.token_id, s.attempts,
             s.received_at, s.started_at, s.finished_at, s.updated_at
        from submission s join id_map m on m.old_id = s.id`.execute(tx);
    await sql`
      insert into report_slot (commune_code, form, period, current_submission_id, last_version)
      select s.commune_code, s.form, ${to}, m.new_id, s.last_version from report_slot s join id_map m on m.old_id = s.current_submission_id
       where s.period = ${from}`.execute(tx);
    await sql`
      insert into snapshot_head (province_code, period, period_end, snapshot_version, content_hash, computed_at)
      select province_code, ${to}, ${periodEnd}, snapshot_version, content_hash, computed_at from snapshot_head where period = ${from}`.execute(tx);
    await sql`
      insert into snapshot_row (province_code, period, snapshot_version, level, unit_code, unit_name, parent_code, indicator, numerator, denominator, value,
                                communes_reporting, communes_expected, computed_at)
      select province_code, ${to}, snapshot_version, level, unit_code, unit_name, parent_code, indicator, numerator, denominator, value,
             communes_reporting, communes_expected, computed_at
        from snapshot_row where period = ${from}`.execute(tx);
    await sql`
      insert into snapshot_version (province_code, period, snapshot_version, computed_at)
      select province_code, ${to}, snapshot_version, computed_at from snapshot_version where period = ${from}`.execute(tx);
    await sql`
      insert into snapshot_source (province_code, period, snapshot_version, submission_id, commune_code, district_code, form)
      select s.province_code, ${to}, s.snapshot_version, m.new_id, s.commune_code, s.district_code, s.form
        from snapshot_source s join id_map m on m.old_id = s.submission_id where s.period = ${from}`.execute(tx);
    await sql`
      insert into completeness_row (province_code, period, snapshot_version, level, unit_code, form, expected, reported, missing)
      select province_code, ${to}, snapshot_version, level, unit_code, form, expected, reported, missing from completeness_row where period = ${from}`.execute(tx);
    await sql`
      insert into recast_head (province_code, period, recast_version, content_hash, computed_at)
      select province_code, ${to}, recast_version, content_hash, computed_at from recast_head where period = ${from}`.execute(tx);
    await sql`
      insert into recast_alias (province_code, period, recast_version, snapshot_version, computed_at)
      select province_code, ${to}, recast_version, snapshot_version, computed_at from recast_alias where period = ${from}`.execute(tx);
    await sql`
      insert into recast_row (province_code, period, recast_version, level, unit_code, unit_name, parent_code, indicator, numerator, denominator, value,
                              predecessors_reporting, predecessors_expected, approximate_for, computed_at)
      select province_code, ${to}, recast_version, level, unit_code, unit_name, parent_code, indicator, numerator, denominator, value,
             predecessors_reporting, predecessors_expected, approximate_for, computed_at
        from recast_row where period = ${from}`.execute(tx);
    await sql`
      insert into recast_source (province_code, period, recast_version, submission_id, commune_code, form)
      select s.province_code, ${to}, s.recast_version, m.new_id, s.commune_code, s.form
        from recast_source s join id_map m on m.old_id = s.submission_id where s.period = ${from}`.execute(tx);
  });
}
