import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { importNationalLists } from '../support/national-lists.ts';
import { banCsv, randomVillages, seeded } from '../support/reports.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let admin: string;
const random = seeded(42);

/** Uploads one HTS-BAN report and waits for its decision; `given` are request fields (else the file says it all). */
async function submit(token: string, commune: string, period: string, given: Record<string, string> = {}) {
  const r = await upload(
    running.url!,
    token,
    [{ name: `${commune}-${period}.csv`, bytes: banCsv(commune, period, randomVillages(random, 3)) }],
    given,
  );
  if (r.status !== 202) return { http: r.status, status: null, errors: [] };
  const id = r.body.submissions[0].id as number;
  const decided = await waitFor(async () => {
    const s = await getJson(running.url!, admin, `/v1/submissions/${id}`);
    return ['queued', 'processing'].includes(s.body.status) ? null : s.body;
  }, `submission ${id}`);
  return {
    http: 202,
    id,
    status: decided.status as string,
    errors: decided.errors.map((e: any) => e.code) as string[],
  };
}

beforeAll(async () => {
  running = await services.start('all');
  await importNationalLists(services.db);
  admin = await tokenFor(services.db, 'admin');
});

describe("a province token made for today's Tuyên Quang (08)", () => {
  let tuyenQuang: string;
  beforeAll(async () => {
    tuyenQuang = await tokenFor(services.db, 'province', '08');
  });

  it('submits a 2023-Q2 report of a commune of the former Hà Giang (02), merged into it', async () => {
    // 00691 Phường Trần Phú of Hà Giang is today's 00691 Phường Hà Giang 2 of Tuyên Quang.
    expect(await submit(tuyenQuang, '00691', '2023-Q2', { commune: '00691' })).toMatchObject({
      http: 202,
      status: 'accepted',
    });
    await settled(services.db, running.deps.queues);
  });

  it("reads the former Hà Giang's 2023-Q2 snapshots and completeness, and its own province on today's boundaries", async () => {
    const rows = await getJson(running.url!, tuyenQuang, '/v1/snapshots?period=2023-Q2&indicator=villages_total');
    expect(rows.status).toBe(200);
    const codes = rows.body.snapshots.map((s: any) => `${s.level} ${s.unit_code}`);
    expect(codes).toContain('province 02');
    expect(codes).toContain('commune 00691');
    expect(
      (await getJson(running.url!, tuyenQuang, '/v1/completeness?period=2023-Q2&level=province&unit=02')).status,
    ).toBe(200);
    const recast = await getJson(
      running.url!,
      tuyenQuang,
      '/v1/snapshots?boundaries=current&level=province&indicator=villages_total',
    );
    expect(recast.body.snapshots).toEqual([
      expect.objectContaining({ unit_code: '08', period: '2023-Q2', numerator: 3, predecessors_reporting: 1 }),
    ]);
  });

  it('covers no other old province: a 2023-Q2 report of Điện Biên is refused at the door, or by the worker when only the file names the commune', async () => {
    expect(await submit(tuyenQuang, '03166', '2023-Q2', { commune: '03166' })).toMatchObject({ http: 403 });
    expect(await submit(tuyenQuang, '03166', '2023-Q2')).toMatchObject({
      status: 'rejected',
      errors: ['META_FORBIDDEN'],
    });
    expect(
      (await getJson(running.url!, tuyenQuang, '/v1/completeness?period=2023-Q2&level=province&unit=11')).status,
    ).toBe(403);
  });
});

describe("a token made for the former Hà Giang (02) keeps the former Hà Giang's periods", () => {
  it('submits for 00691 in 2023-Q2, but not in 2026-Q3, when 00691 is a ward of Tuyên Quang', async () => {
    const haGiang = await tokenFor(services.db, 'province', '02');
    expect(await submit(haGiang, '00691', '2023-Q2')).toMatchObject({ status: 'accepted' });
    expect(await submit(haGiang, '00691', '2026-Q3')).toMatchObject({ status: 'rejected', errors: ['META_FORBIDDEN'] });
  });
});

describe("a commune token made for today's Xã Mường Chà (03166)", () => {
  let muongCha: string;
  beforeAll(async () => {
    muongCha = await tokenFor(services.db, 'commune', '03166');
  });

  it('submits the 2023-Q2 report of Xã Chà Nưa (03187), one of its predecessors', async () => {
    expect(await submit(muongCha, '03187', '2023-Q2', { commune: '03187' })).toMatchObject({ status: 'accepted' });
    expect(await submit(muongCha, '03166', '2023-Q2')).toMatchObject({ status: 'accepted' });
    await settled(services.db, running.deps.queues);
  });

  it("reads its predecessors' 2023-Q2 commune rows and its own recast, and nothing of other communes", async () => {
    const own = await getJson(running.url!, muongCha, '/v1/snapshots?period=2023-Q2&indicator=villages_total');
    // Its four predecessors (Chà Cang, Chà Nưa, Nậm Tin, Pa Tần), two of which reported.
    expect(own.body.snapshots.map((s: any) => `${s.level} ${s.unit_code}`).sort()).toEqual([
      'commune 03156',
      'commune 03165',
      'commune 03166',
      'commune 03187',
    ]);
    expect(
      own.body.snapshots
        .filter((s: any) => s.numerator !== null)
        .map((s: any) => s.unit_code)
        .sort(),
    ).toEqual(['03166', '03187']);
    const recast = await getJson(running.url!, muongCha, '/v1/snapshots?boundaries=current&indicator=villages_total');
    expect(recast.body.snapshots).toEqual([
      expect.objectContaining({
        level: 'commune',
        unit_code: '03166',
        period: '2023-Q2',
        numerator: 6,
        predecessors_reporting: 2,
        predecessors_expected: 4,
      }),
    ]);
  });

  it('does not cover other communes: 03169 in 2023-Q2, 03175 in 2026-Q3', async () => {
    expect(await submit(muongCha, '03169', '2023-Q2', { commune: '03169' })).toMatchObject({ http: 403 });
    expect(await submit(muongCha, '03169', '2023-Q2')).toMatchObject({
      status: 'rejected',
      errors: ['META_FORBIDDEN'],
    });
    expect(await submit(muongCha, '03175', '2026-Q3', { commune: '03175' })).toMatchObject({ http: 403 });
  });

  it('submits its own reports after the reform', async () => {
    expect(await submit(muongCha, '03166', '2026-Q3')).toMatchObject({ status: 'accepted' });
  });
});
