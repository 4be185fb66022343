import type { Db } from '../../db/connect.ts';
import type { FormCatalog } from '../../forms/form-catalog.ts';
import type { Period } from '../../schema/period.ts';
import { destinationsAt } from '../../units/destinations.ts';
import { provinceUnitsAt } from '../../units/lookup.ts';
import type { CurrentReport } from '../../figures/compute.ts';
import type { Predecessor, RecastInputs, RecastReport } from '../../figures/recast.ts';
import { loadCurrentReports, type StoredRow } from '../../read/current-reports.ts';

/**
 * The current reports of one old province, already read by the rollup in this transaction. When it
 * is the only old province of the recast, the recast uses them rather than reading them again, so
 * that it is computed from the same reports as the snapshot beside it (a worker may commit between
 * two reads).
 */
export type KnownReports = { readonly provinceCode: string; readonly reports: readonly CurrentReport[] };

/**
 * What the recast of a period onto today's province is computed from: today's units, the
 * communes of the period's hierarchy that went into them, their current reports (with the rows of
 * split communes) and the village assignments of those. Null when the province is not valid today.
 */
export async function loadRecastInputs(
  db: Db,
  forms: FormCatalog,
  provinceCode: string,
  period: Period,
  today: string,
  known?: KnownReports,
): Promise<RecastInputs | null> {
  const units = await provinceUnitsAt(db, provinceCode, today);
  const province = units.find((u) => u.level === 'province');
  if (!province) return null;

  const predecessors = new Map<
    string,
    { code: string; provinceCode: string; destinations: { code: string; provinceCode: string }[] }
  >();
  for (const d of await destinationsAt(db, period.lastDay, today, { into: provinceCode })) {
    const p = predecessors.get(d.code) ?? { code: d.code, provinceCode: d.province_code, destinations: [] };
    if (d.dest_code !== null && d.dest_province !== null)
      p.destinations.push({ code: d.dest_code, provinceCode: d.dest_province });
    predecessors.set(d.code, p);
  }
  const oldProvinces = [...new Set([...predecessors.values()].map((p) => p.provinceCode))];
  const split = new Set([...predecessors.values()].filter((p) => p.destinations.length > 1).map((p) => p.code));

  // Only when the rolled-up province is the one old province here: its rollups are serialized, so
  // a recast from what one of them read is never older than the version before it. With several,
  // another province's rollup may have recast from a newer read in between.
  const reuse = known !== undefined && oldProvinces.length === 1 && oldProvinces[0] === known.provinceCode;
  const loaded = reuse ? null : await loadCurrentReports(db, forms, period, oldProvinces, split);
  const current: readonly CurrentReport[] = loaded ? loaded.reports : known!.reports;
  let rowsOf: Map<number, StoredRow[]> = loaded ? loaded.rowsOf : new Map();
  const splitIds = current.filter((r) => split.has(r.communeCode)).map((r) => r.submissionId);
  if (reuse && splitIds.length > 0) {
    rowsOf = new Map();
    const rows = await db
      .selectFrom('report_row')
      .select(['submission_id', 'row_key', 'data'])
      .where('submission_id', 'in', splitIds)
      .orderBy('submission_id')
      .orderBy('row_no')
      .execute();
    for (const r of rows) {
      const list = rowsOf.get(r.submission_id) ?? [];
      list.push({ key: r.row_key, data: r.data as StoredRow['data'] });
      rowsOf.set(r.submission_id, list);
    }
  }
  const assignment = new Map<string, string>();
  if (split.size > 0) {
    const rows = await db
      .selectFrom('village_assignment')
      .select(['old_commune_code', 'village_key', 'new_commune_code'])
      .where('old_commune_code', 'in', [...split])
      .execute();
    for (const a of rows) assignment.set(`${a.old_commune_code}|${a.village_key}`, a.new_commune_code);
  }

  const reports: RecastReport[] = current.map((r) =>
    rowsOf.has(r.submissionId) ? { ...r, rows: rowsOf.get(r.submissionId)! } : r,
  );
  return {
    province,
    communes: units.filter((u) => u.level === 'commune'),
    predecessors: [...predecessors.values()] satisfies Predecessor[],
    reports,
    assignedTo: (oldCommune, villageKey) => assignment.get(`${oldCommune}|${villageKey}`),
  };
}
