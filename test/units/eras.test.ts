import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCrosswalk } from '../../src/units/import.ts';
import { provinceUnitsAt, successorsAt } from '../../src/units/lookup.ts';
import { importUnitFile, namPoCommunes } from '../support/builders.ts';
import { crosswalk2025, importNationalLists, list2024, list2025 } from '../support/national-lists.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function counts() {
  const units = await services.db
    .selectFrom('admin_unit')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const pairs = await services.db
    .selectFrom('unit_crosswalk')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { units: units.n, pairs: pairs.n };
}

describe('the real national lists, each with its validity', () => {
  beforeAll(async () => {
    await importNationalLists(services.db);
  });

  it('2023-Q2 in Điện Biên (11) has Huyện Nậm Pồ (103) with its 15 communes', async () => {
    const units = await provinceUnitsAt(services.db, '11', '2023-06-30');
    expect(units.find((u) => u.level === 'province')).toMatchObject({ code: '11', name: 'Tỉnh Điện Biên' });
    expect(units.find((u) => u.level === 'district' && u.code === '103')).toMatchObject({
      name: 'Huyện Nậm Pồ',
      province_code: '11',
    });
    const namPo = units.filter((u) => u.level === 'commune' && u.district_code === '103');
    expect(namPo.map((c) => c.code)).toEqual(namPoCommunes);
    expect(namPo.find((c) => c.code === '03166')).toMatchObject({ name: 'Xã Chà Cang' });
    expect(namPo.find((c) => c.code === '03176')).toMatchObject({ name: 'Xã Vàng Đán' });
    expect(namPo.find((c) => c.code === '03170')).toMatchObject({ name: 'Xã Nà Bủng' });
  });

  it('2026-Q3 in Điện Biên has no district and 45 communes, among them 03166 Xã Mường Chà and 03176 Xã Nà Bủng', async () => {
    const units = await provinceUnitsAt(services.db, '11', '2026-09-30');
    expect(units.filter((u) => u.level === 'district')).toEqual([]);
    const communes = units.filter((u) => u.level === 'commune');
    expect(communes).toHaveLength(45);
    expect(communes.every((c) => c.district_code === null && c.province_code === '11')).toBe(true);
    expect(communes.find((c) => c.code === '03166')).toMatchObject({ name: 'Xã Mường Chà' });
    expect(communes.find((c) => c.code === '03176')).toMatchObject({ name: 'Xã Nà Bủng' });
    expect(communes.find((c) => c.code === '03170')).toBeUndefined();
  });

  it('the day before and the day of the reform fall in different eras', async () => {
    const before = await provinceUnitsAt(services.db, '11', '2025-06-30');
    const after = await provinceUnitsAt(services.db, '11', '2025-07-01');
    expect(before.filter((u) => u.level === 'commune')).toHaveLength(129);
    expect(after.filter((u) => u.level === 'commune')).toHaveLength(45);
  });

  it('the whole country is 63 provinces before the reform and 34 after', async () => {
    for (const [day, provinces, communes] of [
      ['2025-06-30', 63, 10_035],
      ['2025-07-01', 34, 3_321],
    ] as const) {
      const rows = await services.db
        .selectFrom('admin_unit')
        .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
        .groupBy('level')
        .execute();
      const n = Object.fromEntries(rows.map((r) => [r.level, r.n]));
      expect(n).toMatchObject({ province: provinces, commune: communes });
    }
  });

  it('an old commune code points to its successors: 03170 (Xã Nà Bủng) went into 03176 Xã Nà Bủng', async () => {
    expect(await successorsAt(services.db, '03170', '2026-09-30')).toEqual([
      { code: '03176', name: 'Xã Nà Bủng', province_code: '11', district_code: null },
    ]);
  });

  it('importing the lists and the crosswalk again with their dates updates without duplicating', async () => {
    const before = await counts();
    expect(before).toEqual({ units: 63 + 691 + 10_035 + 34 + 3_321, pairs: 10_599 });
    await importNationalLists(services.db);
    expect(await counts()).toEqual(before);
  });
});

describe('validity given after the fact', () => {
  const fresh = useServices();

  it('a list imported without dates is given its end by importing it again with --valid-to, then the next list imports', async () => {
    await importUnitFile(fresh.db, list2024);
    await expect(importUnitFile(fresh.db, list2025, { validFrom: '2025-07-01' })).rejects.toThrow(
      /overlap.*--valid-to/su,
    );
    await importUnitFile(fresh.db, list2024, { validTo: '2025-06-30' });
    await importUnitFile(fresh.db, list2025, { validFrom: '2025-07-01' });
    await importCrosswalk(fresh.db, await readFile(crosswalk2025, 'utf8'));
    const chaCang = await fresh.db
      .selectFrom('admin_unit')
      .select(['name', 'valid_from', 'valid_to', 'district_code'])
      .where('level', '=', 'commune')
      .where('code', '=', '03166')
      .orderBy('valid_from')
      .execute();
    expect(chaCang).toEqual([
      { name: 'Xã Chà Cang', valid_from: '1900-01-01', valid_to: '2025-06-30', district_code: '103' },
      { name: 'Xã Mường Chà', valid_from: '2025-07-01', valid_to: null, district_code: null },
    ]);
  });
});
