import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { normalizeText, villageKey } from '../schema/text.ts';

export type VillageAssignment = {
  old_commune_code: string;
  village_key: string;
  village_name: string;
  new_commune_code: string;
};

/**
 * The rows of a village assignment CSV: `old_commune_code,village,new_commune_code`, other
 * columns (names, notes) ignored. Each row says which of today's communes a village of an old
 * commune split by the 2025 reform went into; `village` is the name as the commune reports it
 * (with or without its Thôn/Bản prefix). An empty `village` places the commune office, that is the
 * commune's forms with one row per commune.
 */
export function villageAssignmentsFromCsv(text: string): VillageAssignment[] {
  const records = parse(text.replace(/^\uFEFF/u, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const first = records[0];
  if (!first) throw new Error('the village assignment file has no rows');
  for (const column of ['old_commune_code', 'village', 'new_commune_code'])
    if (!(column in first)) throw new Error(`the village assignment file has no column ${column}`);
  const seen = new Map<string, VillageAssignment & { line: number }>();
  records.forEach((r, i) => {
    const line = i + 2;
    const old = r.old_commune_code!.padStart(5, '0');
    const next = r.new_commune_code!.padStart(5, '0');
    if (!/^\d{5}$/u.test(old) || !/^\d{5}$/u.test(next)) throw new Error(`line ${line}: commune codes have 5 digits`);
    const name = normalizeText(r.village ?? '');
    const row = {
      old_commune_code: old,
      village_key: name === '' ? '' : villageKey(name),
      village_name: name,
      new_commune_code: next,
    };
    const key = `${old}|${row.village_key}`;
    const earlier = seen.get(key);
    if (earlier && earlier.new_commune_code !== next)
      throw new Error(
        `line ${line}: ${old} "${name || '(office)'}" is already assigned to ${earlier.new_commune_code} on line ${earlier.line}`,
      );
    seen.set(key, { ...row, line });
  });
  return [...seen.values()].map(({ line: _, ...row }) => row);
}

export type AssignmentImport = {
  assignments: number;
  communes: number;
  due: { provinceCode: string; period: string }[];
};

/**
 * Stores village assignments in one transaction. The file is the whole assignment of each old
 * commune it names: that commune's earlier rows are replaced. A pair that is not in the crosswalk
 * is refused and nothing is written. The province-periods with reports of those communes, in the
 * era before their split, are marked due, so their recast is computed again.
 */
export async function importVillageAssignments(
  db: Db,
  rows: readonly VillageAssignment[],
  today: string,
): Promise<AssignmentImport> {
  const communes = [...new Set(rows.map((r) => r.old_commune_code))];
  return db.transaction().execute(async (tx) => {
    const pairs = await tx
      .selectFrom('unit_crosswalk')
      .select(['old_code', 'new_code'])
      .where('old_code', 'in', communes)
      .execute();
    const known = new Set(pairs.map((p) => `${p.old_code}|${p.new_code}`));
    const wrong = rows.filter((r) => !known.has(`${r.old_commune_code}|${r.new_commune_code}`));
    if (wrong.length > 0) {
      const list = wrong
        .slice(0, 5)
        .map((r) => `${r.old_commune_code} → ${r.new_commune_code}`)
        .join(', ');
      throw new Error(
        `not in the crosswalk (the new commune must be one the old commune went into): ${list}${wrong.length > 5 ? ` and ${wrong.length - 5} more` : ''}`,
      );
    }
    await tx.deleteFrom('village_assignment').where('old_commune_code', 'in', communes).execute();
    for (let i = 0; i < rows.length; i += 5000)
      await tx
        .insertInto('village_assignment')
        .values(rows.slice(i, i + 5000))
        .execute();

    const { rows: due } = await sql<{ province_code: string; period: string }>`
      insert into rollup_due (province_code, period)
      select distinct sub.province_code, s.period
        from report_slot s
        join submission sub on sub.id = s.current_submission_id
        join admin_unit c
          on c.level = 'commune' and c.code = s.commune_code
         and c.valid_from <= sub.period_end and (c.valid_to is null or c.valid_to >= sub.period_end)
       where s.commune_code in (${sql.join(communes)}) and c.valid_to < ${today}
      on conflict (province_code, period) do update set due_seq = rollup_due.due_seq + 1
      returning province_code, period`.execute(tx);
    return {
      assignments: rows.length,
      communes: communes.length,
      due: due.map((d) => ({ provinceCode: d.province_code, period: d.period })),
    };
  });
}
