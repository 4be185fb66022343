import type { Db } from '../db/connect.ts';
import type { UnitLevel } from '../schema/database.ts';
import { parsePeriod } from '../schema/period.ts';
import { unitAt } from '../units/lookup.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import type { Principal } from '../schema/scope.ts';
import { isoInstant } from './iso-instant.ts';
import { snapshotVersionsAt } from './snapshot-version-at.ts';
import { querySnapshots } from './snapshots.ts';

export type LineageQuery = { level: UnitLevel; unit: string; period: string; indicator: string; asOf?: Date };

/**
 * SPEC §4.7 for one figure: the snapshot row (current, or the version that stood at `asOf`), the
 * submission versions it was computed from (`snapshot_source` of that snapshot version, the
 * communes below the unit, the form that carries the indicator), each commune's own figure, and
 * every version of each of those reports, so the one used is seen among those sent. Instants
 * come as their JSON text (iso-instant.ts): the answer only sends them on.
 * 'forbidden' when the figure lies outside the principal's scope; null when there is no such figure.
 */
export async function lineageOf(db: Db, forms: FormCatalog, principal: Principal, q: LineageQuery, today: string) {
  // The unit's province on the period's last day names the snapshot the figure is in, so the
  // lookup below reads one province-period through the primary key, not the whole index.
  const period = parsePeriod(q.period);
  if (!period) return null;
  const unit = await unitAt(db, q.level, q.unit, period.lastDay);
  if (!unit) return null;
  const at = q.asOf
    ? await db
        .selectFrom(snapshotVersionsAt(db, q.asOf))
        .select('at.snapshot_version')
        .where('at.province_code', '=', unit.province_code)
        .where('at.period', '=', q.period)
        .executeTakeFirst()
    : await db
        .selectFrom('snapshot_head')
        .select('snapshot_version')
        .where('province_code', '=', unit.province_code)
        .where('period', '=', q.period)
        .executeTakeFirst();
  if (!at) return null;
  const figure = await db
    .selectFrom('snapshot_row as s')
    .select([
      's.province_code',
      's.period',
      's.snapshot_version',
      's.level',
      's.unit_code',
      's.unit_name',
      's.parent_code',
      's.indicator',
      's.numerator',
      's.denominator',
      's.value',
      's.communes_reporting',
      's.communes_expected',
      isoInstant('s.computed_at').as('computed_at'),
      's.communes_covered',
    ])
    .where('s.province_code', '=', unit.province_code)
    .where('s.period', '=', q.period)
    .where('s.snapshot_version', '=', at.snapshot_version)
    .where('s.level', '=', q.level)
    .where('s.unit_code', '=', q.unit)
    .where('s.indicator', '=', q.indicator)
    .executeTakeFirst();
  if (!figure) return null;
  // Whoever may read the figure may see where it came from: the snapshots' own scope rule (eras included) decides.
  const visible = await querySnapshots(
    db,
    principal,
    {
      level: q.level,
      unit: q.unit,
      period: q.period,
      indicator: q.indicator,
      province: figure.province_code,
      asOf: q.asOf,
    },
    today,
  );
  if (visible.length === 0) return 'forbidden' as const;

  // Indicator codes are unique across forms (checked at import), so the version serving the period names the one form.
  const form = forms.list(period.lastDay).find((f) => f.indicators.some((i) => i.code === q.indicator));
  const version = {
    province_code: figure.province_code,
    period: figure.period,
    snapshot_version: figure.snapshot_version,
  };
  let sources = db
    .selectFrom('snapshot_source as src')
    .innerJoin('submission as sub', 'sub.id', 'src.submission_id')
    .leftJoin('snapshot_row as c', (j) =>
      j
        .onRef('c.province_code', '=', 'src.province_code')
        .onRef('c.period', '=', 'src.period')
        .onRef('c.snapshot_version', '=', 'src.snapshot_version')
        .on('c.level', '=', 'commune')
        .onRef('c.unit_code', '=', 'src.commune_code')
        .on('c.indicator', '=', q.indicator),
    )
    .select([
      'src.commune_code',
      'src.district_code',
      'src.form',
      'src.submission_id',
      'sub.version',
      'sub.status',
      'sub.filename',
      'sub.byte_size',
      'sub.sha256',
      isoInstant('sub.received_at').as('received_at'),
      isoInstant('sub.finished_at').as('finished_at'),
      'sub.deadline',
      'sub.on_time',
      'sub.days_late',
      'c.unit_name as commune_name',
      'c.numerator',
      'c.denominator',
      'c.value',
    ])
    .where('src.province_code', '=', version.province_code)
    .where('src.period', '=', version.period)
    .where('src.snapshot_version', '=', version.snapshot_version);
  if (form) sources = sources.where('src.form', '=', form.code);
  if (q.level === 'district') sources = sources.where('src.district_code', '=', q.unit);
  if (q.level === 'commune') sources = sources.where('src.commune_code', '=', q.unit);
  const used = await sources.orderBy('src.commune_code').orderBy('src.form').execute();

  const versions =
    used.length === 0
      ? []
      : await db
          .selectFrom('submission')
          .select([
            'id',
            'commune_code',
            'form',
            'version',
            'status',
            'filename',
            'byte_size',
            isoInstant('received_at').as('received_at'),
            'on_time',
            'days_late',
          ])
          .where('period', '=', figure.period)
          .where('commune_code', 'in', [...new Set(used.map((u) => u.commune_code))])
          .where('version', 'is not', null)
          .orderBy('version', 'desc')
          .execute();
  // Grouped once: a province's figure has a source per commune and its communes' versions by the thousand, and a search per source was quadratic.
  const versionsOf = Map.groupBy(versions, (v) => `${v.commune_code}|${v.form}`);
  return {
    figure,
    form: form?.code ?? null,
    sources: used.map((u) => ({ ...u, versions: versionsOf.get(`${u.commune_code}|${u.form}`) ?? [] })),
  };
}
