import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';
import { scopeCovers, type Principal } from '../schema/scope.ts';
import { erasMergedInto, scopeTargetOf, type UnitEra } from '../units/scope-target.ts';

/**
 * What a principal reads of the snapshots: a province's units or a commune's rows, under its own code
 * in every era and under the codes of the earlier units merged into it, for their periods.
 */
export type ReadScope = { level: 'commune' | 'province'; code: string; merged: UnitEra[] };

/**
 * The read scope of a principal; null for an admin, who reads everything. `province`: a read of that
 * province's rows only, for which a province's scope needs the eras of that code alone — none when
 * it is the principal's own code, which its scope covers in every era already.
 */
export async function readScopeOf(
  db: Db,
  principal: Principal,
  today: string,
  province?: string,
): Promise<ReadScope | null> {
  if (principal.level === 'admin') return null;
  const unit = { level: principal.level, code: principal.code! };
  if (unit.level === 'province' && province !== undefined)
    return {
      ...unit,
      merged: province === unit.code ? [] : await erasOfProvinceMergedInto(db, province, unit.code, today),
    };
  return { ...unit, merged: await erasMergedInto(db, unit, today) };
}

/**
 * erasMergedInto(province `into`) limited to the eras of province `code`: each era of the code's
 * communes, kept when one of its communes went into `into`. Asked from the old province's side,
 * the first such commune of an era answers for it (LIMIT 1 in a lateral subquery; Postgres would
 * otherwise join every pair), where the whole list probes every predecessor of every commune of
 * `into` (hundreds per request).
 */
async function erasOfProvinceMergedInto(db: Db, code: string, into: string, today: string): Promise<UnitEra[]> {
  const { rows } = await sql<{ code: string; valid_from: string; valid_to: string | null }>`
    select e.code, e.valid_from, e.valid_to
      from (select distinct c.province_code as code, c.valid_from, c.valid_to
              from admin_unit c
             where c.level = 'commune' and c.province_code = ${code}
               and not (c.valid_from <= ${today} and (c.valid_to is null or c.valid_to >= ${today}))) e
     cross join lateral (
       select 1 from admin_unit c
         join unit_crosswalk x on x.old_code = c.code
         join admin_unit n
           on n.level = 'commune' and n.code = x.new_code and n.province_code = ${into}
          and n.valid_from <= ${today} and (n.valid_to is null or n.valid_to >= ${today})
        where c.level = 'commune' and c.province_code = e.code and c.valid_from = e.valid_from
          and c.valid_to is not distinct from e.valid_to
        limit 1) went
     order by 1, 2`.execute(db);
  return rows.map((r) => ({ code: r.code, validFrom: r.valid_from, validTo: r.valid_to }));
}

/**
 * May the principal act for this commune code in some era? Before a report's period is known this
 * is only a first filter; the worker decides on the hierarchy of the report's period (evaluate.ts).
 */
export async function mayActForCommune(
  db: Db,
  principal: Principal,
  communeCode: string,
  today: string,
): Promise<boolean> {
  if (principal.level === 'admin') return true;
  if (principal.level === 'commune' && principal.code === communeCode) return true;
  const target = await scopeTargetOf(db, { level: 'commune', code: communeCode }, today);
  return target !== null && scopeCovers(principal, target);
}

/** A span of days in which one version of a commune code stood (valid_to null: still standing). */
export type Era = { validFrom: string; validTo: string | null };

/** The eras of one commune code a principal reads (all, for an admin), and the code's latest era. */
export type CommuneEras = { all: boolean; eras: Era[]; latest: Era | null };

/**
 * The eras of a commune code whose hierarchy the principal covers: a report is read on the
 * hierarchy of its own period, so a code reused after the 2025 reform is another unit in each era
 * (an old province's token reads the old commune's periods, not the new one's).
 */
export async function readableEras(
  db: Db,
  principal: Principal,
  communeCode: string,
  today: string,
): Promise<CommuneEras> {
  const versions = await db
    .selectFrom('admin_unit')
    .select(['valid_from', 'valid_to'])
    .where('level', '=', 'commune')
    .where('code', '=', communeCode)
    .orderBy('valid_from')
    .execute();
  const all = versions.map((v) => ({ validFrom: v.valid_from, validTo: v.valid_to }));
  const latest = all.at(-1) ?? null;
  // A commune's own code with no units imported yet reads as before: nothing else can claim it.
  if (
    principal.level === 'admin' ||
    (all.length === 0 && principal.level === 'commune' && principal.code === communeCode)
  )
    return { all: true, eras: all, latest };
  const eras: Era[] = [];
  for (const era of all) {
    const target = await scopeTargetOf(db, { level: 'commune', code: communeCode }, today, era.validFrom);
    if (target !== null && scopeCovers(principal, target)) eras.push(era);
  }
  return { all: false, eras, latest };
}

/**
 * Does the principal read this commune's report of a period ending on `day`? A report whose period
 * is not known yet (queued, or refused before its period was read) is judged on the code's latest
 * era, the unit that holds the code now.
 */
export function erasCover(scope: CommuneEras, day: string | null): boolean {
  if (scope.all) return true;
  if (day === null) return scope.latest !== null && scope.eras.some((e) => e.validFrom === scope.latest!.validFrom);
  return scope.eras.some((e) => e.validFrom <= day && (e.validTo === null || e.validTo >= day));
}

/**
 * Does a unit of the hierarchy valid on `day` exist, and does the principal's scope cover it? The
 * answer of scopeTargetOf + scopeCovers (requireUnitAccess), asked as two EXISTS in one statement:
 * a province's target lists every commune of it and where each went (hundreds of index probes
 * per request), while the question needs one commune found in the principal's unit, or one
 * commune whose successor today lies in it; test/read/unit-access.test.ts holds the two equal.
 */
export async function unitAccessOf(
  db: Db,
  principal: Pick<Principal, 'level' | 'code'>,
  unit: { level: UnitLevel; code: string },
  day: string,
  today: string,
): Promise<'missing' | 'covered' | 'uncovered'> {
  const column = sql.ref(
    unit.level === 'commune' ? 'c.code' : unit.level === 'district' ? 'c.district_code' : 'c.province_code',
  );
  const onDay = sql`c.level = 'commune' and ${column} = ${unit.code} and c.valid_from <= ${day} and (c.valid_to is null or c.valid_to >= ${day})`;
  // What the principal's code is compared with: a province's in the units' province, a commune's in the unit itself (a
  // commune principal's target lists communes only for a commune).
  const own = principal.level === 'province' ? sql.ref('province_code') : sql.ref('code');
  const covered =
    principal.level === 'admin'
      ? sql`true`
      : principal.code === null || (principal.level === 'commune' && unit.level !== 'commune')
        ? sql`false`
        : sql`exists (select 1 from admin_unit c where ${onDay} and c.${own} = ${principal.code})
           or exists (
             select 1 from admin_unit c
               join unit_crosswalk x on x.old_code = c.code
               join admin_unit n
                 on n.level = 'commune' and n.code = x.new_code and n.${own} = ${principal.code}
                and n.valid_from <= ${today} and (n.valid_to is null or n.valid_to >= ${today})
              where ${onDay} and not (c.valid_from <= ${today} and (c.valid_to is null or c.valid_to >= ${today})))`;
  const { rows } = await sql<{ found: boolean; covered: boolean }>`
    select exists (select 1 from admin_unit c where ${onDay}) as found, ${covered} as covered`.execute(db);
  const r = rows[0]!;
  return !r.found ? 'missing' : r.covered ? 'covered' : 'uncovered';
}
