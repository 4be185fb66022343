import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';

export type UnitAt = { code: string; name: string; province_code: string; district_code: string | null };

/** The unit of this level and code on this day, in the hierarchy valid then (a code is reused across eras); null if none. */
export async function unitAt(
  db: Db,
  level: UnitLevel,
  code: string,
  day: string,
): Promise<(UnitAt & { level: UnitLevel }) | null> {
  const row = await db
    .selectFrom('admin_unit')
    .select(['level', 'code', 'name', 'province_code', 'district_code'])
    .where('level', '=', level)
    .where('code', '=', code)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
    .executeTakeFirst();
  return row ?? null;
}

/** The commune with this code on this day, in the hierarchy valid then; null if none. */
export function communeAt(db: Db, code: string, day: string): Promise<UnitAt | null> {
  return unitAt(db, 'commune', code, day);
}

/** The communes valid on `day` that an old commune code went into (the 2025 crosswalk). */
export async function successorsAt(db: Db, oldCode: string, day: string): Promise<UnitAt[]> {
  return db
    .selectFrom('unit_crosswalk as x')
    .innerJoin('admin_unit as u', (j) => j.onRef('u.code', '=', 'x.new_code').on('u.level', '=', 'commune'))
    .select(['u.code', 'u.name', 'u.province_code', 'u.district_code'])
    .where('x.old_code', '=', oldCode)
    .where('u.valid_from', '<=', day)
    .where((eb) => eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>=', day)]))
    .orderBy('u.code')
    .execute();
}

/** Every unit of a province valid on `day`: the province, its districts (none after 2025) and its communes. */
export async function provinceUnitsAt(db: Db, provinceCode: string, day: string) {
  return db
    .selectFrom('admin_unit')
    .select(['level', 'code', 'name', 'province_code', 'district_code'])
    .where('province_code', '=', provinceCode)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
    .orderBy(sql`case level when 'province' then 0 when 'district' then 1 else 2 end`)
    .orderBy('code')
    .execute();
}

/**
 * The latest name of each unit code of a level, for pages that show names rather than codes: a
 * code reused across eras (a reform) is named as it is now, or as it last was.
 */
export async function unitNames(
  db: Db,
  level: 'province' | 'commune',
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('admin_unit')
    .select(['code', 'name'])
    .distinctOn('code')
    .where('level', '=', level)
    .where('code', 'in', [...new Set(codes)])
    .orderBy('code')
    .orderBy('valid_from', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
