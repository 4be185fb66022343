import { lockKeys } from '../../db/advisory-lock.ts';
import type { Db } from '../../db/connect.ts';
import { insertRows, insertRowsAsJson } from '../../db/insert-rows.ts';
import { formsOfPeriod, type FormCatalog } from '../../forms/form-catalog.ts';
import type { Period } from '../../schema/period.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { appendRowsVersion } from '../../figures/append-version.ts';
import type { Rollup } from '../../figures/compute.ts';
import { computeRecast, recastIsSnapshot, recastOfSnapshot } from '../../figures/recast.ts';
import { loadRecastInputs, type KnownReports } from './recast-inputs.ts';

export type RecastResult = { provinceCode: string; recastVersion: number | null; changed: boolean; aliasOf?: number };

/** The snapshot version of the same province-period just written or confirmed, with its content. */
export type SnapshotOfPeriod = { readonly version: number } & Pick<Rollup, 'rows' | 'sources'>;

/**
 * Recomputes the recast of a period onto one of today's provinces and appends a version when it
 * changed. Runs inside the rollup's transaction of an old province that went into it. "Today" is
 * the day of the rollup (in Vietnam): a unit list whose `valid_from` is still to come is recast
 * onto by the first rollup on or after that day, not before.
 *
 * `known` are the current reports of the old province the rollup has read already. A recast that
 * is row for row the period's own snapshot of the same province (`snapshot`, when given) is stored
 * as a reference to that snapshot version, not as a copy.
 */
export async function recastProvincePeriod(
  tx: Db,
  forms: FormCatalog,
  provinceCode: string,
  period: Period,
  now: Date,
  from: { known?: KnownReports; snapshot?: SnapshotOfPeriod } = {},
): Promise<RecastResult> {
  const { known, snapshot } = from;
  // Several old provinces recast into one of today's: their rollups take turns here, so versions
  // do not collide and the later one sees the earlier one's committed reports.
  await lockKeys(tx, [`recast:${provinceCode}:${period.canonical}`]);
  const input = await loadRecastInputs(tx, forms, provinceCode, period, vietnamDay(now), known);
  if (!input) return { provinceCode, recastVersion: null, changed: false };
  const served = formsOfPeriod(forms, period);
  // Unchanged units since the period (every period since the 2025 reform): the snapshot's rows are the recast.
  const same = snapshot === undefined ? null : recastOfSnapshot(served, input, snapshot);
  const recast = same ?? computeRecast(served, input);

  const head = await tx
    .selectFrom('recast_head')
    .select(['recast_version as version', 'content_hash as contentHash'])
    .where('province_code', '=', provinceCode)
    .where('period', '=', period.canonical)
    .executeTakeFirst();
  const { version, changed, contentHash, rowsJson } = appendRowsVersion(head, recast.rows, recast.sources);
  if (!changed) return { provinceCode, recastVersion: version, changed: false };

  const key = { province_code: provinceCode, period: period.canonical, recast_version: version };
  const alias = snapshot !== undefined && (same !== null || recastIsSnapshot(recast, provinceCode, snapshot));
  if (alias) {
    await tx
      .insertInto('recast_alias')
      .values({ ...key, snapshot_version: snapshot.version, computed_at: now })
      .execute();
  } else {
    await insertRowsAsJson(tx, 'recast_row', { ...key, computed_at: now }, recast.rows, rowsJson);
    await insertRows(
      tx,
      'recast_source',
      recast.sources.map((s) => ({ ...key, submission_id: s.submissionId, commune_code: s.communeCode, form: s.form })),
    );
  }
  await tx
    .insertInto('recast_head')
    .values({ ...key, content_hash: contentHash, computed_at: now })
    .onConflict((oc) =>
      oc
        .columns(['province_code', 'period'])
        .doUpdateSet({ recast_version: version, content_hash: contentHash, computed_at: now }),
    )
    .execute();
  return { provinceCode, recastVersion: version, changed: true, ...(alias ? { aliasOf: snapshot.version } : {}) };
}
