import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineageOf } from '../../src/read/lineage.ts';
import { lastReportsQuery } from '../../src/read/reporting.ts';
import { queryRecast } from '../../src/read/recast.ts';
import { querySnapshots } from '../../src/read/snapshots.ts';
import type { Running } from '../../src/start.ts';
import { vietnamDay } from '../../src/schema/vietnam-day.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

// Nậm Pồ's 2023-Q2 with three corrections of Nậm Tin: four snapshot versions and four recast
// versions. as_of and lineage read through snapshot_version and recast_version (0012, 0018); they
// must answer exactly what the correlated max(version) over every stored row answered before.
const services = useServices();
let running: Running;
const admin = { level: 'admin' as const, code: null, id: 'test' };
const instants: Date[] = [new Date('2000-01-01T00:00:00Z')];
/** The head versions (snapshot, recast) at each instant: the uploads of the first load may make more than one. */
const heads: [number, number][] = [];
const period = '2023-Q2';
const header =
  'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
  'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  const token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(running.url!, token, [file])).status).toBe(202);
  await settled(services.db, running.deps.queues);
  const mark = async () => {
    instants.push(new Date());
    const snapshot = await services.db
      .selectFrom('snapshot_head')
      .select('snapshot_version')
      .where('period', '=', period)
      .executeTakeFirstOrThrow();
    const recast = await services.db
      .selectFrom('recast_head')
      .select('recast_version')
      .where('period', '=', period)
      .executeTakeFirstOrThrow();
    heads.push([snapshot.snapshot_version, recast.recast_version]);
  };
  for (let villages = 1; villages <= 3; villages += 1) {
    await mark();
    const rows = Array.from({ length: villages }, (_, v) => `03156,${period},Bản ${v + 1},10,50,Có,Có,Có,20,5`);
    expect(
      (await upload(running.url!, token, [{ name: `sua-${villages}.csv`, bytes: [header, ...rows].join('\n') }]))
        .status,
    ).toBe(202);
    await settled(services.db, running.deps.queues);
  }
  await mark();
});

/** The rows as_of read before snapshot_version: each row's version looked up over every row of its province-period. */
async function snapshotsBefore(asOf: Date) {
  const r = await sql<{
    level: string;
    unit_code: string;
    indicator: string;
    snapshot_version: number;
    numerator: number | null;
  }>`
    select level, unit_code, indicator, snapshot_version, numerator from analytics.indicator_snapshot_history s
     where s.period = ${period}
       and s.snapshot_version = (select max(h.snapshot_version) from snapshot_row h
                                  where h.province_code = s.province_code and h.period = s.period and h.computed_at <= ${asOf})
     order by level, unit_code, indicator`.execute(services.db);
  return r.rows;
}

/** The same for boundaries=current, as recast.ts read it before recast_version: the latest of either kind of version. */
async function recastBefore(asOf: Date) {
  const r = await sql<{
    level: string;
    unit_code: string;
    indicator: string;
    recast_version: number;
    numerator: number | null;
  }>`
    select level, unit_code, indicator, recast_version, numerator from analytics.indicator_snapshot_recast_history s
     where s.period = ${period}
       and s.recast_version = greatest(
         (select max(h.recast_version) from recast_row h where h.province_code = s.province_code and h.period = s.period and h.computed_at <= ${asOf}),
         (select max(a.recast_version) from recast_alias a where a.province_code = s.province_code and a.period = s.period and a.computed_at <= ${asOf}))
     order by level, unit_code, indicator`.execute(services.db);
  return r.rows;
}

const byKey = <T extends { level: string; unit_code: string; indicator: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) =>
    `${a.level}|${a.unit_code}|${a.indicator}`.localeCompare(`${b.level}|${b.unit_code}|${b.indicator}`),
  );

describe('as_of over a province-period with several versions', () => {
  it('lists every snapshot and recast version once in snapshot_version and recast_version, the corrections as the last three', async () => {
    const [snapshot, recast] = heads.at(-1)!;
    const versions = await services.db
      .selectFrom('snapshot_version')
      .select('snapshot_version')
      .where('period', '=', period)
      .orderBy('snapshot_version')
      .execute();
    expect(versions.map((v) => v.snapshot_version)).toEqual(Array.from({ length: snapshot }, (_, i) => i + 1));
    const recasts = await services.db
      .selectFrom('recast_version')
      .select('recast_version')
      .where('period', '=', period)
      .orderBy('recast_version')
      .execute();
    expect(recasts.map((v) => v.recast_version)).toEqual(Array.from({ length: recast }, (_, i) => i + 1));
    expect(heads.map(([s]) => s - heads[0]![0])).toEqual([0, 1, 2, 3]);
  });

  it('snapshots as_of each instant are the rows the correlated lookup gave, version by version', async () => {
    const seen = [];
    for (const asOf of instants) {
      const rows = await querySnapshots(services.db, admin, { period, asOf }, vietnamDay(new Date()));
      const now = byKey(
        rows.map((r) => ({
          level: r.level,
          unit_code: r.unit_code,
          indicator: r.indicator,
          snapshot_version: r.snapshot_version,
          numerator: r.numerator,
        })),
      );
      expect(now).toEqual(byKey(await snapshotsBefore(asOf)));
      seen.push(new Set(rows.map((r) => r.snapshot_version)));
    }
    // Nothing before the first version; then the head version of each instant.
    expect(seen.map((s) => [...s])).toEqual([[], ...heads.map(([v]) => [v])]);
  });

  it('boundaries=current as_of each instant gives the rows the correlated lookup gave', async () => {
    const seen = [];
    for (const asOf of instants) {
      const rows = await queryRecast(services.db, admin, { period, asOf });
      const now = byKey(
        rows.map((r) => ({
          level: r.level,
          unit_code: r.unit_code,
          indicator: r.indicator,
          recast_version: r.recast_version,
          numerator: r.numerator,
        })),
      );
      expect(now).toEqual(byKey(await recastBefore(asOf)));
      seen.push([...new Set(rows.map((r) => r.recast_version))]);
    }
    expect(seen).toEqual([[], ...heads.map(([, v]) => [v])]);
  });

  it('lineage as_of each instant reads the figure and the sources of the version that stood then', async () => {
    const q = { level: 'district' as const, unit: '103', period, indicator: 'villages_total' };
    for (const [i, asOf] of instants.entries()) {
      const found = await lineageOf(services.db, running.deps.forms, admin, { ...q, asOf }, vietnamDay(new Date()));
      if (i === 0) {
        expect(found).toBeNull();
        continue;
      }
      if (found === null || found === 'forbidden') throw new Error(`no lineage as of ${asOf.toISOString()}`);
      expect(found.figure.snapshot_version).toBe(heads[i - 1]![0]);
      const [before] = (await snapshotsBefore(asOf)).filter(
        (r) => r.level === 'district' && r.unit_code === '103' && r.indicator === 'villages_total',
      );
      expect(found.figure.numerator).toBe(before!.numerator);
      const sources = await services.db
        .selectFrom('snapshot_source')
        .select('submission_id')
        .where('period', '=', period)
        .where('snapshot_version', '=', heads[i - 1]![0])
        .where('form', '=', 'HTS-BAN')
        .orderBy('submission_id')
        .execute();
      expect(found.sources.map((s) => s.submission_id).sort((a, b) => a - b)).toEqual(
        sources.map((s) => s.submission_id),
      );
      // Nậm Tin's report in that version: its i-th, with 1, 2, 3 villages after the original.
      expect(found.sources.find((s) => s.commune_code === '03156')).toMatchObject({ version: i });
    }
  });

  it('a recast version written by any statement (a rollup, a restore, a copy) is listed in recast_version', async () => {
    // Rolled back by throwing: the test leaves the history as it found it.
    const undo = new Error('undo');
    const written = services.db.transaction().execute(async (tx) => {
      await sql`
        insert into recast_row (province_code, period, recast_version, level, unit_code, unit_name, parent_code, indicator, numerator, denominator, value,
                                predecessors_reporting, predecessors_expected, approximate_for, computed_at, communes_covered)
        select province_code, '2019-Q1', 7, level, unit_code, unit_name, parent_code, indicator, numerator, denominator, value,
               communes_reporting, communes_expected, 0, '2019-04-01T00:00:00Z', communes_covered
          from snapshot_row where period = ${period} and snapshot_version = 1 and level in ('commune', 'province')`.execute(
        tx,
      );
      const listed = await tx.selectFrom('recast_version').selectAll().where('period', '=', '2019-Q1').execute();
      expect(listed).toEqual([
        { province_code: '11', period: '2019-Q1', recast_version: 7, computed_at: new Date('2019-04-01T00:00:00Z') },
      ]);
      throw undo;
    });
    await expect(written).rejects.toBe(undo);
  });
});

describe('the indexes a series reads', () => {
  // Not a timing: whether the planner can answer each query through the index at all (with
  // sequential scans priced out, as they are on ten years of history), so an index that does not
  // fit the query's shape fails here.
  async function plan(query: string): Promise<string> {
    return services.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      const r = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(query)}`.execute(tx);
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it("the docs' recast series (units.md) reads recast_row and snapshot_row through their series indexes", async () => {
    const p =
      await plan(`select period, numerator, denominator, value, predecessors_reporting, exact from analytics.indicator_snapshot_recast
                           where level = 'province' and unit_code = '11' and indicator = 'fiber_village_rate' order by period`);
    expect(p).toContain('recast_row_series');
    expect(p).toContain('snapshot_row_series');
  });

  it("a province's series on its own boundaries (the analyst page's chart) and a district's figures (interfaces.md) read snapshot_row_series", async () => {
    expect(
      await plan(
        `select * from analytics.indicator_snapshot where level = 'province' and unit_code = '11' and indicator = 'fiber_village_rate'`,
      ),
    ).toContain('snapshot_row_series');
    expect(
      await plan(
        `select * from analytics.indicator_snapshot where level = 'district' and unit_code = '103' and period = '2023-Q2'`,
      ),
    ).toContain('snapshot_row_series');
  });
});

describe('the index the reporting page reads', () => {
  it("each commune's latest report is one probe of submission_last_report, not a sort of the province's history", async () => {
    const plan = await services.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      await sql`set local enable_bitmapscan = off`.execute(tx);
      const r = await sql<{ 'QUERY PLAN': string }>`explain ${lastReportsQuery(['03156', '03157'])}`.execute(tx);
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('submission_last_report');
    expect(plan).not.toMatch(/\bSort\b/u);
  });
});
