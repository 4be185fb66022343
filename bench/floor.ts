// The floor: the same normalized rows loaded with one COPY per table, and the same district and
// province figures computed with one SQL GROUP BY. Nothing can be faster on this Postgres.
import { writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.ts';
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';
import type { BenchFile } from './quarter-generator.ts';

/** The generator writes HTS-XA's cells under their Vietnamese headers (the shipped definition's): read them back by key. */
const xaHeader = new Map(
  shippedFormCatalog()
    .find('HTS-XA')!
    .fields.map((f) => [f.key, f.header]),
);

export type FloorFigure = {
  level: 'district' | 'province';
  unit: string;
  indicator: string;
  numerator: number;
  denominator: number | null;
};

/** The bench's own reading of the files it generated: plain splitting, none of the pipeline's code. */
function plainRows(files: readonly BenchFile[]) {
  const villages: string[] = [];
  const offices: string[] = [];
  const yes = (s: string) => (s.toLowerCase() === 'có' ? 't' : 'f');
  for (const f of files) {
    if (f.form === 'HTS-BAN') {
      for (const line of f.text.trim().split('\n').slice(1)) {
        const c = line.split(',');
        villages.push([c[0], c[3], c[4], yes(c[5]!), yes(c[6]!), yes(c[7]!), c[8], c[9]].join(','));
      }
    } else {
      const o = JSON.parse(f.text) as { commune: string; rows: Record<string, string | number>[] };
      const cells = o.rows[0]!;
      const r = (key: string) => cells[key] ?? cells[xaHeader.get(key)!];
      offices.push(
        [
          o.commune,
          r('computers'),
          r('computers_broadband'),
          r('staff'),
          r('staff_with_computer'),
          yes(String(r('specialized_network'))),
          yes(String(r('video_conference'))),
        ].join(','),
      );
    }
  }
  return { villages, offices };
}

export async function runFloor(
  db: Db,
  files: readonly BenchFile[],
  period: { canonical: string; lastDay: string },
): Promise<{ seconds: number; copySeconds: number; groupSeconds: number; figures: FloorFigure[] }> {
  const { villages, offices } = plainRows(files);
  const loaded = await copyAndGroup(db, villages, offices, period);
  return { seconds: loaded.copySeconds + loaded.groupSeconds, ...loaded };
}

/**
 * The rows (CSV lines: village commune, households, population, fiber, mobile, 3g, smartphone,
 * epayment; office commune, computers, broadband, staff, staff with computer, specialized, video)
 * written to files the server reads with one COPY per table, and the district and province figures
 * of one GROUP BY. Only the COPY and the GROUP BY are timed; the files are written before.
 */
export async function copyAndGroup(
  db: Db,
  villages: readonly string[],
  offices: readonly string[],
  period: { lastDay: string },
): Promise<{ copySeconds: number; groupSeconds: number; figures: FloorFigure[] }> {
  const dir = tmpdir();
  const vPath = join(dir, `tonghop-floor-v-${process.pid}.csv`);
  const oPath = join(dir, `tonghop-floor-o-${process.pid}.csv`);
  writeFileSync(vPath, `${villages.join('\n')}\n`);
  writeFileSync(oPath, `${offices.join('\n')}\n`);
  chmodSync(vPath, 0o644);
  chmodSync(oPath, 0o644);
  await sql`drop table if exists floor_village, floor_office`.execute(db);
  await sql`create unlogged table floor_village (commune text, households int, population int, fiber bool, mobile
    bool, g3 bool, smartphone int, epayment int)`.execute(db);
  await sql`create unlogged table floor_office (commune text, computers int, computers_broadband int, staff int,
    staff_with_computer int, specialized bool, video bool)`.execute(db);

  const t0 = performance.now();
  // Server-side COPY: the Postgres server reads the file, as it runs on this machine.
  await sql.raw(`copy floor_village from '${vPath}' with (format csv)`).execute(db);
  await sql.raw(`copy floor_office from '${oPath}' with (format csv)`).execute(db);
  const t1 = performance.now();
  const result = await sql<{
    province_code: string;
    district_code: string | null;
    villages: number;
    fiber: number;
    mobile: number;
    g3: number;
    population: number;
    smartphone: number;
    epayment: number;
    communes_xa: number;
    computers: number;
    computers_broadband: number;
    staff: number;
    staff_with_computer: number;
    specialized: number;
  }>`
    with u as (
      select code, province_code, district_code from admin_unit
       where level = 'commune' and valid_from <= ${period.lastDay}::date and (valid_to is null or valid_to >= ${period.lastDay}::date)
    ),
    v as (
      select u.province_code, u.district_code, grouping(u.district_code) as g, count(*)::int as villages, count(*) filter (where fiber)::int as fiber,
             count(*) filter (where mobile)::int as mobile, count(*) filter (where g3)::int as g3,
             sum(population)::bigint as population, sum(smartphone)::bigint as smartphone, sum(epayment)::bigint as epayment
        from floor_village f join u on u.code = f.commune
       group by grouping sets ((u.province_code, u.district_code), (u.province_code))
    ),
    o as (
      select u.province_code, u.district_code, grouping(u.district_code) as g, count(*)::int as communes_xa, sum(computers)::bigint as computers,
             sum(computers_broadband)::bigint as computers_broadband, sum(staff)::bigint as staff,
             sum(staff_with_computer)::bigint as staff_with_computer, count(*) filter (where specialized)::int as specialized
        from floor_office f join u on u.code = f.commune
       group by grouping sets ((u.province_code, u.district_code), (u.province_code))
    )
    select coalesce(v.province_code, o.province_code) as province_code, case when coalesce(v.g, o.g) = 1 then
      null else coalesce(v.district_code, o.district_code) end as district_code,
           v.villages, v.fiber, v.mobile, v.g3, v.population, v.smartphone, v.epayment,
           o.communes_xa, o.computers, o.computers_broadband, o.staff, o.staff_with_computer, o.specialized
      from v full join o on o.province_code = v.province_code and o.g = v.g and o.district_code is not distinct from v.district_code`.execute(
    db,
  );
  const t2 = performance.now();
  rmSync(vPath);
  rmSync(oPath);

  const figures: FloorFigure[] = [];
  for (const r of result.rows) {
    const level = r.district_code === null ? 'province' : 'district';
    const unit = r.district_code ?? r.province_code;
    const add = (indicator: string, numerator: number, denominator: number | null) =>
      figures.push({
        level,
        unit,
        indicator,
        numerator: Number(numerator),
        denominator: denominator === null ? null : Number(denominator),
      });
    add('villages_total', r.villages, null);
    add('fiber_village_rate', r.fiber, r.villages);
    add('mobile_village_rate', r.mobile, r.villages);
    add('mobile_3g_village_rate', r.g3, r.villages);
    add('smartphone_rate', r.smartphone, r.population);
    add('epayment_rate', r.epayment, r.population);
    add('computers_total', r.computers, null);
    add('broadband_computer_rate', r.computers_broadband, r.computers);
    add('staff_computer_rate', r.staff_with_computer, r.staff);
    add('specialized_network_commune_rate', r.specialized, r.communes_xa);
  }
  await sql`drop table floor_village, floor_office`.execute(db);
  return { copySeconds: (t1 - t0) / 1000, groupSeconds: (t2 - t1) / 1000, figures };
}
