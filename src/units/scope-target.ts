import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';
import type { ScopeTarget } from '../schema/scope.ts';

type Row = { code: string; province_code: string; next_code: string | null; next_province: string | null };

/**
 * Who may act for a unit (SPEC §5, "in every era"): for a commune, its own code and province in
 * the hierarchy valid on `day` and, when that version is no longer valid `today`, today's
 * communes and provinces it went into (the 2025 crosswalk). For a district or a province, its
 * province and the provinces its communes went into. Without `day`, every era of the code: what
 * the ingest can check before the worker knows the report's period. Null when no such unit.
 */
export async function scopeTargetOf(
  db: Db,
  unit: { level: UnitLevel; code: string },
  today: string,
  day?: string,
): Promise<ScopeTarget | null> {
  const column = sql.ref(
    unit.level === 'commune' ? 'c.code' : unit.level === 'district' ? 'c.district_code' : 'c.province_code',
  );
  const onDay =
    day === undefined ? sql`true` : sql`c.valid_from <= ${day} and (c.valid_to is null or c.valid_to >= ${day})`;
  const { rows } = await sql<Row>`
    select c.code, c.province_code, n.code as next_code, n.province_code as next_province
      from admin_unit c
      left join unit_crosswalk x
        on x.old_code = c.code and not (c.valid_from <= ${today} and (c.valid_to is null or c.valid_to >= ${today}))
      left join admin_unit n
        on n.level = 'commune' and n.code = x.new_code and n.valid_from <= ${today} and (n.valid_to is null or n.valid_to >= ${today})
     where c.level = 'commune' and ${column} = ${unit.code} and ${onDay}`.execute(db);
  return targetOfRows(unit.level, rows);
}

/** The target a lookup's rows give: one row per version of the unit's communes and where each went; null when none. */
export function targetOfRows(
  level: UnitLevel,
  rows: readonly Pick<Row, 'code' | 'province_code' | 'next_code' | 'next_province'>[],
): ScopeTarget | null {
  if (rows.length === 0) return null;
  const communes = new Set<string>();
  const provinces = new Set<string>();
  for (const r of rows) {
    provinces.add(r.province_code);
    if (r.next_province !== null) provinces.add(r.next_province);
    if (level === 'commune') {
      communes.add(r.code);
      if (r.next_code !== null) communes.add(r.next_code);
    }
  }
  return { communeCodes: [...communes].sort(), provinceCodes: [...provinces].sort() };
}

/** A unit of an earlier era by its code, with the validity of its communes. */
export type UnitEra = { code: string; validFrom: string; validTo: string | null };

/**
 * The units of earlier eras merged into a province or commune of today, each with the era it had:
 * a province token for today's code reads the old provinces' snapshots for their periods, a
 * commune token its predecessor communes'.
 */
export async function erasMergedInto(
  db: Db,
  unit: { level: 'commune' | 'province'; code: string },
  today: string,
): Promise<UnitEra[]> {
  const old = sql.ref(unit.level === 'commune' ? 'c.code' : 'c.province_code');
  const next = sql.ref(unit.level === 'commune' ? 'n.code' : 'n.province_code');
  const { rows } = await sql<{ code: string; valid_from: string; valid_to: string | null }>`
    select distinct ${old} as code, c.valid_from, c.valid_to
      from admin_unit c
      join unit_crosswalk x on x.old_code = c.code
      join admin_unit n
        on n.level = 'commune' and n.code = x.new_code and ${next} = ${unit.code}
       and n.valid_from <= ${today} and (n.valid_to is null or n.valid_to >= ${today})
     where c.level = 'commune' and not (c.valid_from <= ${today} and (c.valid_to is null or c.valid_to >= ${today}))
     order by 1, 2`.execute(db);
  return rows.map((r) => ({ code: r.code, validFrom: r.valid_from, validTo: r.valid_to }));
}
