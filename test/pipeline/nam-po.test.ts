import { describe, expect, it } from 'vitest';
import {
  namPo,
  namPoFiles,
  importUnitFile,
  settled,
  snapshotRow,
  tokenFor,
  upload,
  type FileToSend,
} from '../support/builders.ts';
import { namPoOfficeFiles } from '../support/office-files.ts';
import { useServices } from '../support/services.ts';
import { join } from 'node:path';

// The same 30 reports as CSV and JSON, and as LibreOffice saved them as Excel 97–2003 and as ODS.
const sources: [string, () => Promise<FileToSend[]>][] = [
  ['CSV and JSON', () => namPoFiles()],
  ['.xls (Excel 97–2003, saved by LibreOffice)', async () => namPoOfficeFiles('xls')],
  ['.ods (saved by LibreOffice)', async () => namPoOfficeFiles('ods')],
];

describe.each(sources)('the Nậm Pồ seed, 2023-Q2, as %s', (_, filesOf) => {
  const services = useServices();

  it('uploaded commune by commune over HTTP and processed by the real workers, gives the golden figures', async () => {
    const running = await services.start('all');
    const { db } = services;
    await importUnitFile(db, join(namPo, 'units.csv'));
    const token = await tokenFor(db, 'province', '11');

    const files = await filesOf();
    expect(files).toHaveLength(30);
    for (const file of files) {
      const response = await upload(running.url!, token, [file]);
      expect(response.status, JSON.stringify(response.body)).toBe(202);
    }
    await settled(db, running.deps.queues);

    const statuses = await db.selectFrom('submission').select(['status', 'errors']).execute();
    expect(
      statuses.filter((s) => s.status !== 'accepted'),
      JSON.stringify(statuses.filter((s) => s.status !== 'accepted')),
    ).toEqual([]);

    const district = (indicator: string) => snapshotRow(db, 'district', '103', '2023-Q2', indicator);
    expect(await district('villages_total')).toMatchObject({ numerator: 121, denominator: null, value: 121 });
    expect(await district('fiber_village_rate')).toMatchObject({ numerator: 65, denominator: 121 });
    expect((await district('fiber_village_rate')).value).toBeCloseTo(0.537, 3);
    expect(await district('mobile_village_rate')).toMatchObject({ numerator: 112, denominator: 121 });
    expect((await district('mobile_village_rate')).value).toBeCloseTo(0.926, 3);
    expect(await district('mobile_3g_village_rate')).toMatchObject({ numerator: 107, denominator: 121 });
    expect((await district('mobile_3g_village_rate')).value).toBeCloseTo(0.884, 3);
    expect((await district('staff_computer_rate')).value).toBe(1);
    expect(await district('specialized_network_commune_rate')).toMatchObject({
      numerator: 15,
      denominator: 15,
      value: 1,
    });
    expect((await district('smartphone_rate')).value).toBeCloseTo(0.47, 2);
    expect((await district('epayment_rate')).value).toBeGreaterThan(0.22);
    expect(await district('fiber_village_rate')).toMatchObject({
      communes_reporting: 15,
      communes_expected: 15,
      parent_code: '11',
    });

    for (const indicator of [
      'villages_total',
      'fiber_village_rate',
      'mobile_village_rate',
      'mobile_3g_village_rate',
      'smartphone_rate',
      'epayment_rate',
      'staff_computer_rate',
      'specialized_network_commune_rate',
    ]) {
      const d = await district(indicator);
      const p = await snapshotRow(db, 'province', '11', '2023-Q2', indicator);
      expect({ numerator: p.numerator, denominator: p.denominator }).toEqual({
        numerator: d.numerator,
        denominator: d.denominator,
      });
    }
    const communeRows = await db
      .selectFrom('analytics.indicator_snapshot')
      .select('unit_code')
      .where('level', '=', 'commune')
      .where('indicator', '=', 'villages_total')
      .execute();
    expect(communeRows).toHaveLength(15);
  });
});
