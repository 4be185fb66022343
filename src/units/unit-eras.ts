import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';

type Version = { name: string; valid_from: string; valid_to: string | null };
type Named = { code: string; name: string };

const validOn = (v: Version, day: string) => v.valid_from <= day && (v.valid_to === null || v.valid_to >= day);
const list = (units: readonly Named[]) => units.map((u) => `${u.code} ${u.name}`).join(', ');
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Every version of a unit code at one level, oldest first: empty when no era knows it. */
export async function unitVersions(db: Db, level: UnitLevel, code: string): Promise<Version[]> {
  return db
    .selectFrom('admin_unit')
    .select(['name', 'valid_from', 'valid_to'])
    .where('level', '=', level)
    .where('code', '=', code)
    .orderBy('valid_from')
    .execute();
}

/** The units of `level` valid on `day` that the communes of an old unit (valid on `from`) went into (the crosswalk). */
async function successors(db: Db, level: UnitLevel, code: string, from: string, day: string): Promise<Named[]> {
  const valid = (alias: string, date: string) =>
    sql`${sql.ref(`${alias}.valid_from`)} <= ${date} and (${sql.ref(`${alias}.valid_to`)} is null or ${sql.ref(`${alias}.valid_to`)} >= ${date})`;
  const column = level === 'commune' ? 'o.code' : level === 'province' ? 'o.province_code' : 'o.district_code';
  const { rows } = await sql<Named>`
    select distinct ${level === 'commune' ? sql`n.code, n.name` : sql`p.code, p.name`}
      from admin_unit o
      join unit_crosswalk x on x.old_code = o.code
      join admin_unit n on n.level = 'commune' and n.code = x.new_code and ${valid('n', day)}
      join admin_unit p on p.level = 'province' and p.code = n.province_code and ${valid('p', day)}
     where o.level = 'commune' and ${sql.ref(column)} = ${code} and ${valid('o', from)}
     order by 1`.execute(db);
  return rows;
}

/**
 * Why a unit code finds nothing on `day` when it belongs to another era, in words a person acts on:
 * `03156 Xã Nậm Tin (until 2025-06-30) went into 03166 Xã Mường Chà since 2025-07-01`. Null when the
 * unit is valid on `day` (an empty answer then means no figures yet).
 */
export async function eraHint(db: Db, level: UnitLevel, code: string, day: string): Promise<string | null> {
  const versions = await unitVersions(db, level, code);
  if (versions.some((v) => validOn(v, day))) return null;
  const levelVi = { province: 'tỉnh', district: 'huyện', commune: 'xã' }[level];
  if (versions.length === 0)
    return `Không có ${levelVi} mã ${code} trong danh mục đơn vị nào. / No ${level} ${code} in any era's units (tonghop units import --builtin loads them).`;
  const before = versions.filter((v) => v.valid_to !== null && v.valid_to < day).at(-1);
  if (before) {
    const since = dayAfter(before.valid_to!);
    const into = await successors(db, level, code, before.valid_to!, day);
    const where =
      into.length > 0 ? `went into ${list(into)} since ${since}` : `ended on ${before.valid_to} (no successor known)`;
    const vi = into.length > 0 ? `từ ${since} thuộc ${list(into)}` : `hết hiệu lực từ ${since}`;
    return `${code} ${before.name} (${levelVi}, đến ${before.valid_to}) ${vi}. / ${code} ${before.name} (${level}, until ${before.valid_to}) ${where}.`;
  }
  const later = versions.find((v) => v.valid_from > day)!;
  return (
    `${code} ${later.name} là ${levelVi} từ ${later.valid_from}, chưa có vào ${day}. / ${code} ${later.name} ` +
    `is a ${level} from ${later.valid_from}, not yet on ${day}: use --boundaries current to see earlier periods on today's units.`
  );
}
