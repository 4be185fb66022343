import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import {
  getJson,
  importUnitFile,
  namPo,
  namPoFiles,
  settled,
  snapshotRow,
  tokenFor,
  upload,
  type FileToSend,
} from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let token: string;
let admin: string;
let files2023: FileToSend[];

/** The Nậm Pồ reports again, as the same communes' reports of 2024-Q1. */
const as2024 = (f: FileToSend): FileToSend => ({
  name: f.name.replace('2023-Q2', '2024-Q1'),
  bytes: f.bytes.toString().replaceAll('Quý II/2023', 'Quý I/2024').replaceAll('2023-Q2', '2024-Q1'),
});

/** HTS-BAN as shipped, plus, from 2024: households with fibre (a filtered sum) and an optional public wifi column with its indicator. */
async function banVersion2(): Promise<string> {
  const shipped = await readFile(new URL('../../data/forms/hts-ban.yaml', import.meta.url), 'utf8');
  return shipped
    .replace('periodicity: quarter', 'valid_from: 2024-01-01\nperiodicity: quarter')
    .replace(
      'rules:',
      '  - { key: public_wifi, header: Có wifi công cộng, en: Public wifi, type: yesno, required: false }\nrules:',
    )
    .replace(
      'indicators:',
      '  households_fiber: { sum: households, where: fiber }\n  villages_wifi: { count_yes: public_wifi }\nindicators:',
    )
    .concat(
      '  - { code: fiber_household_rate, name: { vi: Tỷ lệ hộ ở thôn có cáp quang, en: Households in villages ' +
        'with fibre }, numerator: households_fiber, denominator: households }\n',
      '  - { code: wifi_village_rate, name: { vi: Tỷ lệ thôn có wifi công cộng, en: Villages with public wifi ' +
        '}, numerator: villages_wifi, denominator: villages }\n',
    );
}

async function postForm(body: string) {
  const response = await fetch(new URL('/v1/forms', running.url!), {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/yaml' },
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Σ households and Σ households of villages with fibre, read straight from the fixture CSVs. */
async function householdsInFixtures(): Promise<{ all: number; fiber: number }> {
  let all = 0;
  let fiber = 0;
  for (const f of await namPoFiles((n) => n.includes('-hts-ban-'))) {
    for (const line of f.bytes.toString().trim().split('\n').slice(1)) {
      const cells = line.split(',');
      all += Number(cells[3]);
      if (cells[5] === 'Có') fiber += Number(cells[3]);
    }
  }
  return { all, fiber };
}

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  admin = await tokenFor(services.db, 'admin');
  files2023 = await namPoFiles();
  for (const file of [...files2023, ...files2023.map(as2024)])
    expect((await upload(running.url!, token, [file])).status).toBe(202);
  await settled(services.db, running.deps.queues);
});

const head = async (period: string) =>
  (
    await services.db
      .selectFrom('snapshot_head')
      .select('snapshot_version')
      .where('province_code', '=', '11')
      .where('period', '=', period)
      .executeTakeFirstOrThrow()
  ).snapshot_version;
const indicatorsOf = async (period: string) =>
  (
    await services.db
      .selectFrom('analytics.indicator_snapshot')
      .select('indicator')
      .distinct()
      .where('period', '=', period)
      .orderBy('indicator')
      .execute()
  ).map((r) => r.indicator);

describe('a new version of a form, valid from 2024-01-01', () => {
  it('adds its indicator to 2024 and later, computed again from the stored rows; 2023-Q2 keeps its version and the golden figures', async () => {
    const before2023 = await head('2023-Q2');
    const before2024 = await head('2024-Q1');
    expect(await indicatorsOf('2024-Q1')).not.toContain('fiber_household_rate');

    const posted = await postForm(await banVersion2());
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body).toMatchObject({
      forms: [{ code: 'HTS-BAN', version: 2, valid_from: '2024-01-01', changed: true }],
      rollups_due: 1,
    });
    await settled(services.db, running.deps.queues);

    const { all, fiber } = await householdsInFixtures();
    expect(fiber).toBeGreaterThan(0);
    expect(fiber).toBeLessThan(all);
    const household = await snapshotRow(services.db, 'province', '11', '2024-Q1', 'fiber_household_rate');
    expect(household).toMatchObject({
      numerator: fiber,
      denominator: all,
      communes_reporting: 15,
      communes_covered: 15,
    });
    expect(household.value).toBe(fiber / all);
    expect(await snapshotRow(services.db, 'district', '103', '2024-Q1', 'fiber_household_rate')).toMatchObject({
      numerator: fiber,
      denominator: all,
    });
    expect(await head('2024-Q1')).toBe(before2024 + 1);

    // A column the stored reports never had: missing, never 0, and said to cover no commune.
    expect(await snapshotRow(services.db, 'province', '11', '2024-Q1', 'wifi_village_rate')).toMatchObject({
      numerator: null,
      denominator: null,
      value: null,
      communes_reporting: 15,
      communes_covered: 0,
    });

    // 2023-Q2: the old version serves it; nothing was computed again.
    expect(await head('2023-Q2')).toBe(before2023);
    expect(await indicatorsOf('2023-Q2')).not.toContain('fiber_household_rate');
    const district = (indicator: string) => snapshotRow(services.db, 'district', '103', '2023-Q2', indicator);
    expect(await district('villages_total')).toMatchObject({ numerator: 121, value: 121 });
    expect(await district('fiber_village_rate')).toMatchObject({ numerator: 65, denominator: 121 });
    expect(await district('mobile_village_rate')).toMatchObject({ numerator: 112, denominator: 121 });
    expect(await district('mobile_3g_village_rate')).toMatchObject({ numerator: 107, denominator: 121 });
    expect((await district('smartphone_rate')).value).toBeCloseTo(0.47, 2);
    expect((await district('epayment_rate')).value).toBeGreaterThan(0.22);
    expect(await district('specialized_network_commune_rate')).toMatchObject({
      numerator: 15,
      denominator: 15,
      value: 1,
    });
    expect((await district('staff_computer_rate')).value).toBe(1);
    // The 2024 figures of the old indicators are the same as 2023's: the same rows.
    expect(await snapshotRow(services.db, 'province', '11', '2024-Q1', 'fiber_village_rate')).toMatchObject({
      numerator: 65,
      denominator: 121,
    });
  });

  it('checks each period with its own version: the new column is refused for 2023-Q2 and counted for 2024-Q1', async () => {
    const withWifi = (f: FileToSend) => {
      const [header, ...rows] = f.bytes.toString().trim().split('\n');
      return {
        name: f.name,
        bytes: [`${header},Có wifi công cộng`, ...rows.map((r, i) => `${r},${i === 0 ? 'Có' : 'Không'}`)].join('\n'),
      };
    };
    const [ban2023] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    expect((await upload(running.url!, token, [withWifi(ban2023!)])).status).toBe(202);
    expect((await upload(running.url!, token, [withWifi(as2024(ban2023!))])).status).toBe(202);
    await settled(services.db, running.deps.queues);
    const last = await services.db
      .selectFrom('submission')
      .select(['period', 'status', 'errors'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(last.map((s) => [s.period, s.status])).toEqual([
      ['2024-Q1', 'accepted'],
      ['2023-Q2', 'rejected'],
    ]);
    expect((last[1]!.errors as any[]).map((e) => e.code)).toEqual(['HEADER_UNKNOWN']);
    const wifi = await snapshotRow(services.db, 'province', '11', '2024-Q1', 'wifi_village_rate');
    const villages0315 = ban2023!.bytes.toString().trim().split('\n').length - 1;
    expect(wifi).toMatchObject({
      numerator: 1,
      denominator: villages0315,
      communes_reporting: 15,
      communes_covered: 1,
    });
  });

  it('is listed with every version, gives each period its template, and an identical import changes nothing', async () => {
    const again = await postForm(await banVersion2());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ forms: [{ code: 'HTS-BAN', version: 2, changed: false }], rollups_due: 0 });
    const forms = await getJson(running.url!, null, '/v1/forms');
    const ban = forms.body.forms.find((f: any) => f.code === 'HTS-BAN');
    expect(ban.versions.map((v: any) => [v.version, v.valid_from])).toEqual([
      [1, null],
      [2, '2024-01-01'],
    ]);
    const headersOf = async (query: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(
        await (await fetch(new URL(`/v1/forms/HTS-BAN/template.xlsx${query}`, running.url!))).arrayBuffer(),
      );
      return (wb.worksheets[0]!.getRow(6).values as unknown[]).filter((v) => v !== undefined);
    };
    expect(await headersOf('?period=2023-Q2')).not.toContain('Có wifi công cộng');
    expect(await headersOf('')).toContain('Có wifi công cộng');
    const refused = await fetch(new URL('/v1/forms', running.url!), {
      method: 'POST',
      body: await banVersion2(),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
    });
    expect(refused.status).toBe(403);
  });
});
