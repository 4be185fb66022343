// Earlier quarters of every commune's reports, written straight in SQL, so that the national
// benchmark's quarter is judged against a history (issue 20: what data-quality warnings cost):
// through the pipeline, each quarter of history would take as long as the benchmark itself. Written
// is what the warnings read: an accepted submission per commune and form, its slot, and its rows
// (HTS-BAN: 5 to 15 villages, HTS-XA: one row), values drawn as the benchmark's generator draws
// them. No snapshot is computed for these quarters: nothing in the measured run reads one.
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.ts';
import { parsePeriod } from '../src/schema/period.ts';

/** The `count` quarters before `period`, oldest first. */
export function quartersBefore(period: string, count: number): string[] {
  const p = parsePeriod(period)!;
  const index = p.year * 4 + Number(p.canonical.slice(-1)) - 1;
  return Array.from({ length: count }, (_, i) => {
    const q = index - count + i;
    return `${Math.floor(q / 4)}-Q${(q % 4) + 1}`;
  });
}

export async function seedHistory(db: Db, period: string, count: number): Promise<number> {
  let rows = 0;
  for (const earlier of quartersBefore(period, count)) {
    const end = parsePeriod(earlier)!.lastDay;
    await db.transaction().execute(async (tx) => {
      await sql`
        create temp table seeded on commit drop as
        with inserted as (
          insert into submission (status, form, commune_code, period, period_end, province_code, district_code,
            byte_size, sha256, version, fingerprint, scope_level, finished_at)
          select 'accepted', f.form, u.code, ${earlier}, ${end}::date, u.province_code, u.district_code, 0,
            'history', 1, md5(f.form || u.code || ${earlier}), 'admin', now()
            from admin_unit u cross join (values ('HTS-BAN'), ('HTS-XA')) f(form)
           where u.level = 'commune' and u.valid_from <= ${end}::date and (u.valid_to is null or u.valid_to >= ${end}::date)
          returning id, form, commune_code)
        select * from inserted`.execute(tx);
      await sql`
        insert into report_slot (commune_code, form, period, current_submission_id, last_version)
        select commune_code, form, ${earlier}, id, 1 from seeded`.execute(tx);
      const ban = await sql`
        insert into report_row (submission_id, row_no, row_key, data)
        select s.id, g, 'ban ' || g, jsonb_build_object(
                 'village', 'Bản ' || g, 'households', h, 'population', h * p, 'fiber', random() < 0.55, 'mobile_signal', m, 'mobile_3g', m and random() < 0.9,
                 'smartphone_users', floor(h * p * random() * 0.8)::int, 'epayment_users', floor(h * p * random() * 0.4)::int)
          from seeded s
          cross join lateral generate_series(1, 5 + (abs(hashtext(s.commune_code)) % 11)) g
          cross join lateral (select 20 + floor(random() * 200)::int + 0 * g as h, 3 + floor(random() * 4)::int as p, random() < 0.9 as m) v
         where s.form = 'HTS-BAN'`.execute(tx);
      const xa = await sql`
        insert into report_row (submission_id, row_no, row_key, data)
        select s.id, 1, null, jsonb_build_object('computers', c, 'computers_broadband', floor(c * random())::int,
          'staff', st, 'staff_with_computer', floor(st * (0.5 + random() / 2))::int,
                 'specialized_network', random() < 0.8, 'video_conference', random() < 0.5, 'villages', null)
          from seeded s cross join lateral (select 5 + floor(random() * 20)::int + 0 * s.id::int as c, 15 + floor(random() * 15)::int as st) v
         where s.form = 'HTS-XA'`.execute(tx);
      rows += Number(ban.numAffectedRows ?? 0) + Number(xa.numAffectedRows ?? 0);
    });
  }
  await sql`analyze submission, report_slot, report_row`.execute(db);
  return rows;
}
