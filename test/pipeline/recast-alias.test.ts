import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formsOfPeriod } from '../../src/forms/form-catalog.ts';
import { parsePeriod } from '../../src/schema/period.ts';
import type { Running } from '../../src/start.ts';
import { vietnamDay } from '../../src/schema/vietnam-day.ts';
import { computeRecast } from '../../src/figures/recast.ts';
import { loadRecastInputs } from '../../src/workers/rollup/recast-inputs.ts';
import { getJson, importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

// Nậm Pồ's units alone, valid from 2020 with no end: the 2023-Q2 hierarchy of Điện Biên is
// today's, so its recast onto today's units is its own snapshot.
const services = useServices();
let running: Running;
let token: string;

const header =
  'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
  'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
  await settled(services.db, running.deps.queues);
});

/** The recast as a full computation gives it: what a copied recast version would hold. */
async function computedRecast() {
  const period = parsePeriod('2023-Q2')!;
  const input = await loadRecastInputs(services.db, running.deps.forms, '11', period, vietnamDay(new Date()));
  return computeRecast(formsOfPeriod(running.deps.forms, period), input!);
}

const currentRecastVersion = async () =>
  (
    await services.db
      .selectFrom('recast_head')
      .select('recast_version')
      .where('province_code', '=', '11')
      .where('period', '=', '2023-Q2')
      .executeTakeFirstOrThrow()
  ).recast_version;

const viewRows = () =>
  services.db
    .selectFrom('analytics.indicator_snapshot_recast')
    .selectAll()
    .where('province_code', '=', '11')
    .where('period', '=', '2023-Q2')
    .execute();

describe('a recast onto an unchanged hierarchy', () => {
  it('is stored as a reference to the snapshot version, with no copied rows or sources', async () => {
    const head = await services.db
      .selectFrom('snapshot_head')
      .select('snapshot_version')
      .where('province_code', '=', '11')
      .where('period', '=', '2023-Q2')
      .executeTakeFirstOrThrow();
    const recastHead = await currentRecastVersion();
    const alias = await services.db
      .selectFrom('recast_alias')
      .select('snapshot_version')
      .where('province_code', '=', '11')
      .where('period', '=', '2023-Q2')
      .where('recast_version', '=', recastHead)
      .execute();
    expect(alias).toEqual([{ snapshot_version: head.snapshot_version }]);
    expect(
      await services.db.selectFrom('recast_row').select('unit_code').where('province_code', '=', '11').execute(),
    ).toEqual([]);
    expect(
      await services.db.selectFrom('recast_source').select('commune_code').where('province_code', '=', '11').execute(),
    ).toEqual([]);
  });

  it('shows in analytics.indicator_snapshot_recast exactly the rows a full recast computes: today’s province as parent, every figure exact', async () => {
    // Computed sums are exact decimal text; the view reads them back as numbers.
    const asNumber = (v: string | null) => (v === null ? null : Number(v));
    const expected = (await computedRecast()).rows.map((r) => ({
      ...r,
      numerator: asNumber(r.numerator),
      denominator: asNumber(r.denominator),
      exact: r.approximate_for === 0,
    }));
    const shown = (await viewRows()).map(({ period, recast_version, computed_at, province_code, ...r }) => r);
    const order = (a: { level: string; unit_code: string; indicator: string }, b: typeof a) =>
      `${a.level}|${a.unit_code}|${a.indicator}`.localeCompare(`${b.level}|${b.unit_code}|${b.indicator}`);
    expect(shown.sort(order)).toEqual(expected.sort(order));
    // Nậm Pồ's 15 communes and the province, 10 indicators each; the golden figures of its seed.
    expect(shown).toHaveLength(160);
    expect(shown.find((r) => r.level === 'province' && r.indicator === 'fiber_village_rate')).toMatchObject({
      numerator: 65,
      denominator: 121,
      predecessors_reporting: 15,
      predecessors_expected: 15,
    });
  });

  it('traces in analytics.recast_lineage to the same submissions a full recast lists', async () => {
    const expected = (await computedRecast()).sources.map((s) => ({
      submission_id: s.submissionId,
      commune_code: s.communeCode,
      form: s.form,
    }));
    const traced = await services.db
      .selectFrom('analytics.recast_lineage' as 'recast_source')
      .select(['submission_id', 'commune_code', 'form'])
      .where('province_code', '=', '11')
      .where('period', '=', '2023-Q2')
      .where('recast_version', '=', await currentRecastVersion())
      .orderBy('submission_id')
      .execute();
    expect(traced).toEqual(expected);
    expect(traced).toHaveLength(30);
  });

  it('keeps each version as it stood: a correction adds a version, and as_of before it still reads the old figure (HTTP, boundaries=current)', async () => {
    const before = new Date();
    const query = (asOf?: Date) =>
      getJson(
        running.url!,
        token,
        `/v1/snapshots?boundaries=current&level=commune&unit=03156&period=2023-Q2&indicator=villages_total${asOf ? `&as_of=${asOf.toISOString()}` : ''}`,
      );
    const old = (await query()).body.snapshots[0];
    const csv = [header, '03156,2023-Q2,Bản Một,10,50,có,có,có,20,5', '03156,2023-Q2,Bản Hai,10,50,có,có,có,20,5'].join(
      '\n',
    );
    expect((await upload(running.url!, token, [{ name: 'fix.csv', bytes: csv }])).status).toBe(202);
    await settled(services.db, running.deps.queues);

    const now = (await query()).body.snapshots[0];
    expect(now).toMatchObject({ numerator: 2, exact: true, parent_code: '11' });
    expect(now.recast_version).toBe(old.recast_version + 1);
    expect((await query(before)).body.snapshots[0]).toEqual(old);
    // Each version of this province-period is a reference: none was copied.
    const versions = await services.db
      .selectFrom('recast_alias')
      .select('recast_version')
      .where('province_code', '=', '11')
      .orderBy('recast_version')
      .execute();
    expect(versions.map((v) => v.recast_version)).toEqual(Array.from({ length: now.recast_version }, (_, i) => i + 1));
  });
});
