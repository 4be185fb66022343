import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import {
  getJson,
  namPo,
  namPoFiles,
  settled,
  snapshotRow,
  tokenFor,
  upload,
  waitFor,
  type FileToSend,
} from '../support/builders.ts';
import { importNationalLists } from '../support/national-lists.ts';
import { banCsv, randomOffice, randomVillages, seeded, xaJson, type Village } from '../support/reports.ts';
import { useServices } from '../support/services.ts';

const run = promisify(execFile);
const services = useServices();
let running: Running;
let admin: string;

const indicators = [
  'villages_total',
  'fiber_village_rate',
  'mobile_village_rate',
  'mobile_3g_village_rate',
  'smartphone_rate',
  'epayment_rate',
  'computers_total',
  'broadband_computer_rate',
  'staff_computer_rate',
  'specialized_network_commune_rate',
];

/** The former Nậm Pồ area after the reform: today's six communes. */
const namPoToday = ['03164', '03166', '03169', '03175', '03176', '03199'];

/** `tonghop …` as an operator runs it, against this test file's database. */
async function tonghop(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/tonghop.js', ...args], {
    env: { ...process.env, ...services.env, LOG_LEVEL: 'silent' },
  });
  return stdout;
}

async function send(token: string, files: readonly FileToSend[]) {
  const ids: number[] = [];
  for (const file of files) {
    const r = await upload(running.url!, token, [file]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    ids.push(r.body.submissions[0].id);
  }
  await settled(services.db, running.deps.queues);
  return ids;
}

async function decided(id: number) {
  return waitFor(async () => {
    const r = await getJson(running.url!, admin, `/v1/submissions/${id}`);
    return ['queued', 'processing'].includes(r.body.status) ? null : r.body;
  }, `submission ${id}`);
}

async function recastRow(level: 'commune' | 'province', unit: string, period: string, indicator: string) {
  const row = await services.db
    .selectFrom('analytics.indicator_snapshot_recast')
    .selectAll()
    .where('level', '=', level)
    .where('unit_code', '=', unit)
    .where('period', '=', period)
    .where('indicator', '=', indicator)
    .executeTakeFirst();
  expect(row, `recast ${level} ${unit} ${period} ${indicator}`).toBeDefined();
  return row!;
}

/** Σ of the period's own commune figures of these communes. */
async function sumOfCommunes(codes: readonly string[], period: string, indicator: string) {
  const rows = await services.db
    .selectFrom('analytics.indicator_snapshot')
    .select(['unit_code', 'numerator', 'denominator'])
    .where('level', '=', 'commune')
    .where('period', '=', period)
    .where('indicator', '=', indicator)
    .where('unit_code', 'in', codes)
    .execute();
  expect(rows.map((r) => r.unit_code).sort()).toEqual([...codes].sort());
  expect(
    rows.every((r) => r.numerator !== null),
    'every one of these communes reported',
  ).toBe(true);
  const total = (key: 'numerator' | 'denominator') =>
    rows.every((r) => r[key] === null) ? null : rows.reduce((t, r) => t + (r[key] ?? 0), 0);
  return { numerator: total('numerator'), denominator: total('denominator') };
}

beforeAll(async () => {
  running = await services.start('all');
  await importNationalLists(services.db);
  admin = await tokenFor(services.db, 'admin');
  // The seed's 2023-Q2 reports, under the codes of their period.
  const ids = await send(await tokenFor(services.db, 'province', '11'), await namPoFiles());
  expect(ids).toHaveLength(30);
  const statuses = await services.db.selectFrom('submission').select('status').where('id', 'in', ids).execute();
  expect(statuses.every((s) => s.status === 'accepted')).toBe(true);
});

describe('a period after the reform (2026-Q3) in the former Nậm Pồ area', () => {
  const random = seeded(20260930);
  const villagesOf = new Map(namPoToday.map((code) => [code, randomVillages(random, 5 + Math.floor(random() * 6))]));

  it('reports under the new codes roll up to commune and province rows and no district row', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const files = namPoToday.flatMap((code) => [
      { name: `${code}-hts-ban-2026-Q3.csv`, bytes: banCsv(code, 'Quý III/2026', villagesOf.get(code)!) },
      { name: `${code}-hts-xa-2026-Q3.json`, bytes: xaJson(code, '2026-Q3', randomOffice(random)) },
    ]);
    const ids = await send(token, files);
    for (const id of ids) expect((await decided(id)).status).toBe('accepted');

    const rows = await services.db
      .selectFrom('analytics.indicator_snapshot')
      .selectAll()
      .where('period', '=', '2026-Q3')
      .where('indicator', '=', 'villages_total')
      .execute();
    expect(rows.filter((r) => r.level === 'district')).toEqual([]);
    const communes = rows.filter((r) => r.level === 'commune');
    expect(communes).toHaveLength(45);
    expect(communes.every((c) => c.parent_code === '11')).toBe(true);
    expect(communes.find((c) => c.unit_code === '03166')).toMatchObject({
      unit_name: 'Xã Mường Chà',
      numerator: villagesOf.get('03166')!.length,
    });
    const total = [...villagesOf.values()].reduce((n, v) => n + v.length, 0);
    expect(await snapshotRow(services.db, 'province', '11', '2026-Q3', 'villages_total')).toMatchObject({
      numerator: total,
      communes_reporting: 6,
      communes_expected: 45,
    });
    const fiber = [...villagesOf.values()].flat().filter((v) => v.fiber).length;
    expect(await snapshotRow(services.db, 'province', '11', '2026-Q3', 'fiber_village_rate')).toMatchObject({
      numerator: fiber,
      denominator: total,
    });
  });

  it('the old code 03170 in a 2026-Q3 report is rejected, and the message names 03176 Xã Nà Bủng in Vietnamese and English', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const [id] = await send(token, [
      { name: '03170-hts-ban-2026-Q3.csv', bytes: banCsv('03170', '2026-Q3', randomVillages(random, 3)) },
    ]);
    const status = await decided(id!);
    expect(status.status).toBe('rejected');
    expect(status.errors).toHaveLength(1);
    expect(status.errors[0]).toMatchObject({ code: 'META_COMMUNE_RETIRED', value: '03170' });
    expect(status.errors[0].message.vi).toContain('03176 Xã Nà Bủng');
    expect(status.errors[0].message.vi).toContain('không còn hiệu lực');
    expect(status.errors[0].message.en).toContain('03176 Xã Nà Bủng');
    expect(status.errors[0].message.en).toContain('no longer valid for 2026-Q3');
  });

  it('a late pre-reform report (2025-Q2, uploaded now) is validated and rolled up on the old hierarchy', async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const seed = await readFile(join(namPo, '03170-hts-ban-2023-Q2.csv'), 'utf8');
    const late = seed.replaceAll('Quý II/2023', 'Quý II/2025');
    const [id] = await send(token, [{ name: '03170-hts-ban-2025-Q2.csv', bytes: late }]);
    expect((await decided(id!)).status).toBe('accepted');

    const stored = await services.db
      .selectFrom('submission')
      .select(['province_code', 'district_code', 'period_end'])
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ province_code: '11', district_code: '103', period_end: '2025-06-30' });
    const villages = seed.trim().split('\n').length - 1;
    expect(await snapshotRow(services.db, 'commune', '03170', '2025-Q2', 'villages_total')).toMatchObject({
      unit_name: 'Xã Nà Bủng',
      parent_code: '103',
      numerator: villages,
    });
    expect(await snapshotRow(services.db, 'district', '103', '2025-Q2', 'villages_total')).toMatchObject({
      numerator: villages,
      communes_reporting: 1,
      communes_expected: 15,
    });
    expect(await snapshotRow(services.db, 'province', '11', '2025-Q2', 'villages_total')).toMatchObject({
      communes_expected: 129,
    });
    // …and it is recast onto today's Xã Nà Bủng (03176), one of its two predecessors.
    expect(await recastRow('commune', '03176', '2025-Q2', 'villages_total')).toMatchObject({
      numerator: villages,
      predecessors_reporting: 1,
      predecessors_expected: 2,
      exact: true,
    });
  });
});

describe("the seed's 2023-Q2 Nậm Pồ reports recast onto today's communes", () => {
  it('Xã Mường Chà equals the sum of Chà Cang, Chà Nưa, Nậm Tin and Pa Tần exactly', async () => {
    for (const indicator of indicators) {
      const expected = await sumOfCommunes(['03166', '03187', '03156', '03165'], '2023-Q2', indicator);
      const recast = await recastRow('commune', '03166', '2023-Q2', indicator);
      expect({ indicator, numerator: recast.numerator, denominator: recast.denominator }).toEqual({
        indicator,
        ...expected,
      });
      expect(recast).toMatchObject({
        unit_name: 'Xã Mường Chà',
        parent_code: '11',
        predecessors_reporting: 4,
        predecessors_expected: 4,
        exact: true,
        approximate_for: 0,
      });
      const value =
        expected.denominator === null
          ? expected.numerator
          : expected.denominator === 0
            ? null
            : expected.numerator! / expected.denominator;
      expect(recast.value).toBe(value);
    }
  });

  it('every commune of the former Nậm Pồ is the exact sum of its predecessors', async () => {
    const predecessors: Record<string, string[]> = {
      '03169': ['03169', '03168', '03171', '03173'],
      '03175': ['03175', '03174'],
      '03176': ['03170', '03176'],
      '03199': ['03199', '03198'],
    };
    for (const [today, old] of Object.entries(predecessors)) {
      for (const indicator of indicators) {
        const recast = await recastRow('commune', today, '2023-Q2', indicator);
        expect({ today, indicator, numerator: recast.numerator, denominator: recast.denominator }).toEqual({
          today,
          indicator,
          ...(await sumOfCommunes(old, '2023-Q2', indicator)),
        });
        expect(recast.exact).toBe(true);
      }
    }
  });

  it('Xã Quảng Lâm shows 1 of its 2 predecessors reported: the former Xã Quảng Lâm of Huyện Mường Nhé did not report', async () => {
    for (const indicator of indicators) {
      const recast = await recastRow('commune', '03164', '2023-Q2', indicator);
      expect(recast).toMatchObject({
        unit_name: 'Xã Quảng Lâm',
        predecessors_reporting: 1,
        predecessors_expected: 2,
        exact: true,
      });
      expect({ numerator: recast.numerator, denominator: recast.denominator }).toEqual(
        await sumOfCommunes(['03167'], '2023-Q2', indicator),
      );
    }
  });

  it("Điện Biên's province figures on today's boundaries equal the period's own, exactly, with 15 of 129 communes reporting", async () => {
    for (const indicator of indicators) {
      const own = await snapshotRow(services.db, 'province', '11', '2023-Q2', indicator);
      const recast = await recastRow('province', '11', '2023-Q2', indicator);
      expect({ numerator: recast.numerator, denominator: recast.denominator, value: recast.value }).toEqual({
        numerator: own.numerator,
        denominator: own.denominator,
        value: own.value,
      });
      expect(recast).toMatchObject({ predecessors_reporting: 15, predecessors_expected: 129, exact: true });
    }
  });

  it('stores the current recast of 2023-Q2 (communes merged since) as rows of its own, of 2026-Q3 (today’s hierarchy) as a link to its snapshot', async () => {
    const current = async (period: string) => {
      const { recast_version } = await services.db
        .selectFrom('recast_head')
        .select('recast_version')
        .where('province_code', '=', '11')
        .where('period', '=', period)
        .executeTakeFirstOrThrow();
      const of = { province: '11', period, version: recast_version };
      const rows = await services.db
        .selectFrom('recast_row')
        .select('unit_code')
        .where('province_code', '=', of.province)
        .where('period', '=', of.period)
        .where('recast_version', '=', of.version)
        .execute();
      const alias = await services.db
        .selectFrom('recast_alias')
        .select('snapshot_version')
        .where('province_code', '=', of.province)
        .where('period', '=', of.period)
        .where('recast_version', '=', of.version)
        .execute();
      return { rows: rows.length, alias: alias.length };
    };
    // 45 of today's communes and the province, 10 indicators each.
    expect(await current('2023-Q2')).toEqual({ rows: 460, alias: 0 });
    expect(await current('2026-Q3')).toEqual({ rows: 0, alias: 1 });
  });

  it("Điện Biên's fibre rate 2023-Q2 … 2026-Q3 is one series on today's boundaries, over HTTP (boundaries=current) and the CLI", async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const r = await getJson(
      running.url!,
      token,
      '/v1/snapshots?boundaries=current&level=province&unit=11&indicator=fiber_village_rate',
    );
    expect(r.status).toBe(200);
    expect(r.body.boundaries).toBe('current');
    expect(r.body.snapshots.map((s: any) => s.period)).toEqual(['2023-Q2', '2025-Q2', '2026-Q3']);
    expect(r.body.snapshots.every((s: any) => s.exact === true && s.unit_name === 'Tỉnh Điện Biên')).toBe(true);
    expect(r.body.snapshots[0]).toMatchObject({ numerator: 65, denominator: 121 });

    const communes = await getJson(
      running.url!,
      token,
      '/v1/snapshots?boundaries=current&level=commune&period=2023-Q2&indicator=villages_total',
    );
    expect(communes.body.snapshots).toHaveLength(45);
    expect(communes.body.snapshots.filter((s: any) => s.numerator !== null).map((s: any) => s.unit_code)).toEqual(
      namPoToday,
    );
    expect((await getJson(running.url!, token, '/v1/snapshots?boundaries=current&level=district')).status).toBe(400);
    const csv = await getJson(
      running.url!,
      token,
      '/v1/snapshots?boundaries=current&level=commune&unit=03166&period=2023-Q2&format=csv',
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('predecessors_reporting,predecessors_expected,exact,approximate_for');

    const printed = await tonghop(
      'snapshot',
      '--boundaries',
      'current',
      '--period',
      '2023-Q2',
      '--level',
      'commune',
      '--unit',
      '03164',
    );
    expect(printed).toMatch(/03164\s+Xã Quảng Lâm\s+villages_total\s+\d+\s+\d+\s+1\/2\s+exact/u);
  });
});

describe('a split commune from another province (Phường Cống Vị, Hà Nội, went into Ngọc Hà and Giảng Võ)', () => {
  const villages: Village[] = randomVillages(seeded(7), 4, 'Tổ');
  const office = randomOffice(seeded(8));
  const toNgocHa = villages.slice(0, 2);
  const toGiangVo = villages.slice(2);

  beforeAll(async () => {
    const token = await tokenFor(services.db, 'province', '01');
    const ids = await send(token, [
      { name: '00007-hts-ban-2023-Q2.csv', bytes: banCsv('00007', '2023-Q2', villages) },
      { name: '00007-hts-xa-2023-Q2.json', bytes: xaJson('00007', '2023-Q2', office) },
    ]);
    for (const id of ids) expect((await decided(id)).status).toBe('accepted');
  });

  it('without a village assignment, both of its successors are marked approximate, for 1 commune, and nothing is apportioned', async () => {
    for (const unit of ['00008', '00025']) {
      for (const indicator of indicators) {
        expect(await recastRow('commune', unit, '2023-Q2', indicator)).toMatchObject({
          exact: false,
          approximate_for: 1,
          predecessors_reporting: 1,
          numerator: null,
          denominator: null,
        });
      }
    }
    // The province figure is exact all the same: Phường Cống Vị is whole inside Hà Nội.
    expect(await recastRow('province', '01', '2023-Q2', 'villages_total')).toMatchObject({
      numerator: 4,
      exact: true,
      predecessors_reporting: 1,
    });
    expect(await recastRow('province', '01', '2023-Q2', 'computers_total')).toMatchObject({
      numerator: office.computers,
      exact: true,
    });
  });

  it('once an assignment is uploaded (CLI), each successor is exact and holds the villages assigned to it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tonghop-assign-'));
    const file = join(dir, 'assignment.csv');
    const lines = [
      'old_commune_code,old_commune_name,village,new_commune_code,new_commune_name',
      ...toNgocHa.map((v) => `00007,Phường Cống Vị,${v.name},00008,Phường Ngọc Hà`),
      ...toGiangVo.map((v) => `00007,Phường Cống Vị,${v.name.replace('Tổ ', '')},00025,Phường Giảng Võ`),
      '00007,Phường Cống Vị,,00025,Phường Giảng Võ',
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const before = new Date();
    const out = await tonghop('units', 'village-assignment', 'import', file);
    expect(out).toContain('imported 5 village assignments of 1 old commune\n');
    expect(out).toContain('rolled up 1 province-period again\n');

    const sum = (vs: readonly Village[], f: (v: Village) => number) => vs.reduce((t, v) => t + f(v), 0);
    for (const [unit, assigned] of [
      ['00008', toNgocHa],
      ['00025', toGiangVo],
    ] as const) {
      expect(await recastRow('commune', unit, '2023-Q2', 'villages_total')).toMatchObject({
        numerator: assigned.length,
        exact: true,
        approximate_for: 0,
      });
      expect(await recastRow('commune', unit, '2023-Q2', 'fiber_village_rate')).toMatchObject({
        numerator: assigned.filter((v) => v.fiber).length,
        denominator: assigned.length,
      });
      expect(await recastRow('commune', unit, '2023-Q2', 'smartphone_rate')).toMatchObject({
        numerator: sum(assigned, (v) => v.smartphone),
        denominator: sum(assigned, (v) => v.population),
      });
    }
    expect(await recastRow('commune', '00025', '2023-Q2', 'computers_total')).toMatchObject({
      numerator: office.computers,
      exact: true,
    });
    expect(await recastRow('commune', '00008', '2023-Q2', 'computers_total')).toMatchObject({
      numerator: null,
      exact: true,
    });

    // As it stood before the assignment: approximate, in an earlier version.
    const asOf = await getJson(
      running.url!,
      admin,
      `/v1/snapshots?boundaries=current&level=commune&unit=00008&period=2023-Q2&indicator=villages_total&as_of=${before.toISOString()}`,
    );
    expect(asOf.body.snapshots).toEqual([
      expect.objectContaining({ exact: false, approximate_for: 1, numerator: null }),
    ]);
  });

  it('an assignment to a commune the old commune did not go into is refused, and nothing changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tonghop-assign-'));
    const file = join(dir, 'wrong.csv');
    await writeFile(file, `old_commune_code,village,new_commune_code\n00007,${toNgocHa[0]!.name},03166\n`);
    await expect(tonghop('units', 'village-assignment', 'import', file)).rejects.toThrow(
      /not in the crosswalk.*00007 → 03166/su,
    );
    expect(await recastRow('commune', '00008', '2023-Q2', 'villages_total')).toMatchObject({
      numerator: toNgocHa.length,
      exact: true,
    });
  });
});
