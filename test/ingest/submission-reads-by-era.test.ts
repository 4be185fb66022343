import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { importNationalLists } from '../support/national-lists.ts';
import { banCsv, randomVillages, seeded } from '../support/reports.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let admin: string;
const random = seeded(14);

/** Uploads one HTS-BAN report as the admin and waits until it is decided; its id. */
async function accepted(commune: string, period: string): Promise<number> {
  const r = await upload(running.url!, admin, [
    { name: `${commune}-${period}.csv`, bytes: banCsv(commune, period, randomVillages(random, 3)) },
  ]);
  expect(r.status).toBe(202);
  const id = r.body.submissions[0].id as number;
  await waitFor(async () => {
    const s = await getJson(running.url!, admin, `/v1/submissions/${id}`);
    return s.body.status === 'accepted' ? s.body : null;
  }, `submission ${id}`);
  return id;
}

let new00070: number;
let old00070: number;
let new00691: number;
let old00691: number;

beforeAll(async () => {
  running = await services.start('all');
  await importNationalLists(services.db);
  admin = await tokenFor(services.db, 'admin');
  // 00070 was Phường Hàng Trống (merged into today's 00082 Cửa Nam, among others) and is today's Phường Hoàn Kiếm.
  old00070 = await accepted('00070', '2024-Q4');
  new00070 = await accepted('00070', '2026-Q3');
  // 00691 was Phường Trần Phú of Hà Giang (02) and is today's Phường Hà Giang 2 of Tuyên Quang (08).
  old00691 = await accepted('00691', '2024-Q4');
  new00691 = await accepted('00691', '2026-Q3');
  await settled(services.db, running.deps.queues);
});

describe("a commune token of today's 00082 (Cửa Nam), into which the old 00070 (Hàng Trống) merged", () => {
  let cuaNam: string;
  beforeAll(async () => {
    cuaNam = await tokenFor(services.db, 'commune', '00082');
  });

  it("lists the old 00070's 2024-Q4 report, not today's 00070's 2026-Q3 one", async () => {
    const list = await getJson(running.url!, cuaNam, '/v1/submissions?commune=00070');
    expect(list.status).toBe(200);
    expect(list.body.submissions.map((s: any) => s.id)).toEqual([old00070]);
  });

  it("reads neither the status nor the file of today's 00070's 2026-Q3 report", async () => {
    expect((await getJson(running.url!, cuaNam, `/v1/submissions/${new00070}`)).status).toBe(404);
    expect((await getJson(running.url!, cuaNam, `/v1/submissions/${new00070}/file`)).status).toBe(403);
    expect((await getJson(running.url!, cuaNam, `/v1/submissions/${old00070}`)).status).toBe(200);
    expect((await getJson(running.url!, cuaNam, `/v1/submissions/${old00070}/file`)).status).toBe(200);
  });

  it("sees no period of today's 00070 in what 00070 owes", async () => {
    const due = await getJson(running.url!, cuaNam, '/v1/due?commune=00070');
    expect(due.status).toBe(200);
    const periods = due.body.periods.map((p: any) => p.period);
    expect(periods).toContain('2024-Q4');
    expect(periods.filter((p: string) => p >= '2025-Q3')).toEqual([]);
  });
});

describe('a province token of the former Hà Giang (02), whose 00691 is a ward of Tuyên Quang today', () => {
  let haGiang: string;
  beforeAll(async () => {
    haGiang = await tokenFor(services.db, 'province', '02');
  });

  it("reads 00691's pre-reform report and not its new-era one", async () => {
    const list = await getJson(running.url!, haGiang, '/v1/submissions?commune=00691');
    expect(list.body.submissions.map((s: any) => s.id)).toEqual([old00691]);
    expect((await getJson(running.url!, haGiang, `/v1/submissions/${new00691}`)).status).toBe(404);
    expect((await getJson(running.url!, haGiang, `/v1/submissions/${new00691}/file`)).status).toBe(403);
    expect((await getJson(running.url!, haGiang, `/v1/submissions/${old00691}/file`)).status).toBe(200);
    const due = await getJson(running.url!, haGiang, '/v1/due?commune=00691');
    expect(due.body.periods.map((p: any) => p.period).filter((p: string) => p >= '2025-Q3')).toEqual([]);
  });

  it("while today's Tuyên Quang (08) reads both", async () => {
    const tuyenQuang = await tokenFor(services.db, 'province', '08');
    const list = await getJson(running.url!, tuyenQuang, '/v1/submissions?commune=00691');
    expect(list.body.submissions.map((s: any) => s.id).sort()).toEqual([old00691, new00691].sort());
  });

  it('a commune it never covered is still 403', async () => {
    expect((await getJson(running.url!, haGiang, '/v1/submissions?commune=00070')).status).toBe(403);
    expect((await getJson(running.url!, haGiang, '/v1/due?commune=00070')).status).toBe(403);
  });
});

describe('file ids are digits only', () => {
  it('answers 404 to 0x10, 1e1 and +1 rather than reading another id', async () => {
    for (const id of ['0x1', '1e0', '+1', ' 1', '01']) {
      expect((await getJson(running.url!, admin, `/v1/submissions/${encodeURIComponent(id)}/file`)).status).toBe(404);
    }
    expect((await getJson(running.url!, admin, `/v1/submissions/${old00070}/file`)).status).toBe(200);
  });
});
