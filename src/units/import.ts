import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { normalizeText } from '../schema/text.ts';

/** The first day of every era when a file gives none: units known "since always". */
export const beginningOfTime = '1900-01-01';

export type UnitImport = { provinces: number; districts: number; communes: number };

type UnitVersion = {
  level: 'province' | 'district' | 'commune';
  code: string;
  name: string;
  province_code: string;
  district_code: string | null;
  valid_from: string;
  valid_to: string | null;
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/u;

function dateOrNull(raw: string | undefined, what: string, line: number): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  if (!isoDate.test(text)) throw new Error(`line ${line}: ${what} "${text}" is not a date (YYYY-MM-DD)`);
  return text;
}

/**
 * The unit versions a unit CSV describes (SPEC §5): `province_code,province_name,[district_code,
 * district_name,]commune_code,commune_name[,valid_from,valid_to]`; other columns are ignored.
 * Dates given as options fill the rows that have none.
 */
export function unitsFromCsv(text: string, dates: { validFrom?: string; validTo?: string } = {}): UnitVersion[] {
  const records = parse(text.replace(/^\uFEFF/u, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const need = ['province_code', 'province_name', 'commune_code', 'commune_name'];
  const first = records[0];
  if (!first) throw new Error('the unit file has no rows');
  for (const column of need) if (!(column in first)) throw new Error(`the unit file has no column ${column}`);
  const byKey = new Map<string, UnitVersion>();
  const add = (u: UnitVersion, line: number) => {
    const key = `${u.level}|${u.code}|${u.valid_from}`;
    const seen = byKey.get(key);
    if (
      seen &&
      (seen.name !== u.name || seen.province_code !== u.province_code || seen.district_code !== u.district_code)
    ) {
      throw new Error(
        `line ${line}: ${u.level} ${u.code} appears with two names or parents ("${seen.name}", "${u.name}")`,
      );
    }
    byKey.set(key, u);
  };
  records.forEach((r, i) => {
    const line = i + 2;
    const validFrom = dateOrNull(r.valid_from, 'valid_from', line) ?? dates.validFrom ?? beginningOfTime;
    const validTo = dateOrNull(r.valid_to, 'valid_to', line) ?? dates.validTo ?? null;
    const province = r.province_code!.padStart(2, '0');
    const district = r.district_code?.trim() ? r.district_code.trim().padStart(3, '0') : null;
    const commune = r.commune_code!.padStart(5, '0');
    if (!/^\d{2}$/u.test(province) || !/^\d{5}$/u.test(commune) || (district !== null && !/^\d{3}$/u.test(district))) {
      throw new Error(`line ${line}: codes must be digits (province 2, district 3, commune 5)`);
    }
    const era = { valid_from: validFrom, valid_to: validTo };
    add(
      {
        level: 'province',
        code: province,
        name: normalizeText(r.province_name!),
        province_code: province,
        district_code: null,
        ...era,
      },
      line,
    );
    if (district !== null)
      add(
        {
          level: 'district',
          code: district,
          name: normalizeText(r.district_name ?? district),
          province_code: province,
          district_code: district,
          ...era,
        },
        line,
      );
    add(
      {
        level: 'commune',
        code: commune,
        name: normalizeText(r.commune_name!),
        province_code: province,
        district_code: district,
        ...era,
      },
      line,
    );
  });
  return [...byKey.values()];
}

/**
 * Stores unit versions in one transaction. A version is known by (level, code, valid_from):
 * importing the same list again updates names and `valid_to` without duplicating anything. Two
 * versions of one code whose validity overlaps are refused, since a period would then have two
 * hierarchies; nothing is written.
 */
export async function importUnits(db: Db, units: readonly UnitVersion[]): Promise<UnitImport> {
  await db.transaction().execute(async (tx) => {
    await sql`lock table admin_unit in share row exclusive mode`.execute(tx);
    for (let i = 0; i < units.length; i += 5000) {
      const batch = units.slice(i, i + 5000);
      await tx
        .insertInto('admin_unit')
        .values(batch)
        .onConflict((oc) =>
          oc.columns(['level', 'code', 'valid_from']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            province_code: eb.ref('excluded.province_code'),
            district_code: eb.ref('excluded.district_code'),
            valid_to: eb.ref('excluded.valid_to'),
          })),
        )
        .execute();
    }
    const overlaps = await sql<{ level: string; code: string; a: string; b: string }>`
      select a.level, a.code, a.valid_from::text || '..' || coalesce(a.valid_to::text, '') as a,
             b.valid_from::text || '..' || coalesce(b.valid_to::text, '') as b
        from admin_unit a
        join admin_unit b on a.level = b.level and a.code = b.code and a.valid_from < b.valid_from
       where daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')
       limit 5`.execute(tx);
    if (overlaps.rows.length > 0) {
      const list = overlaps.rows.map((o) => `${o.level} ${o.code} (${o.a} and ${o.b})`).join('; ');
      throw new Error(
        `unit versions overlap: ${list}. Give the earlier list a --valid-to (e.g. 2025-06-30) before importing the later one.`,
      );
    }
  });
  // Rollups join units and the crosswalk right after an import; without fresh statistics the
  // planner guesses badly on a table that just grew by thousands of rows (seconds, not milliseconds).
  await sql`analyze admin_unit`.execute(db);
  return {
    provinces: units.filter((u) => u.level === 'province').length,
    districts: units.filter((u) => u.level === 'district').length,
    communes: units.filter((u) => u.level === 'commune').length,
  };
}

/** Old → new commune pairs (`old_commune_code,new_commune_code`); importing again adds nothing twice. */
export async function importCrosswalk(db: Db, text: string): Promise<number> {
  const records = parse(text.replace(/^\uFEFF/u, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const pairs = records.map((r, i) => {
    const old_code = r.old_commune_code?.padStart(5, '0');
    const new_code = r.new_commune_code?.padStart(5, '0');
    if (!old_code || !new_code || !/^\d{5}$/u.test(old_code) || !/^\d{5}$/u.test(new_code))
      throw new Error(`line ${i + 2}: expected old_commune_code,new_commune_code`);
    return { old_code, new_code };
  });
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < pairs.length; i += 5000) {
      await tx
        .insertInto('unit_crosswalk')
        .values(pairs.slice(i, i + 5000))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
  await sql`analyze unit_crosswalk`.execute(db);
  return pairs.length;
}
