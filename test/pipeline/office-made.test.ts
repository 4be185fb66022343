import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importUnitFile, namPo, settled, snapshotRow, tokenFor, upload } from '../support/builders.ts';
import { layouts, namPoOfficeFiles, namPoReports, officeWorkbook } from '../support/office-layouts.ts';
import { rewriteXlsx } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('the Nậm Pồ seed as commune offices make their files', () => {
  it('30 office-made workbooks over HTTP, processed by real workers, give the golden figures; a total row that does not add up is rejected', async () => {
    const running = await services.start('all');
    const { db } = services;
    await importUnitFile(db, join(namPo, 'units.csv'));
    const token = await tokenFor(db, 'province', '11');

    const files = await namPoOfficeFiles();
    for (const file of files) {
      const response = await upload(running.url!, token, [file]);
      expect(response.status, JSON.stringify(response.body)).toBe(202);
    }
    // Another quarter's report of one commune, its total row's household figure off by one.
    const [report] = await namPoReports();
    const good = await officeWorkbook({ ...report!, period: 'Quý III/2023' }, layouts[0]!);
    const households = report!.rows.reduce((sum, row) => sum + Number(row[1]), 0);
    const bad = rewriteXlsx(good, 'xl/worksheets/sheet1.xml', (xml) =>
      xml.replace(`<v>${households}</v>`, `<v>${households + 1}</v>`),
    );
    expect(bad.equals(good)).toBe(false);
    expect((await upload(running.url!, token, [{ name: 'tong-sai.xlsx', bytes: bad }])).status).toBe(202);
    await settled(db, running.deps.queues);

    const decided = await db.selectFrom('submission').select(['status', 'errors', 'period']).execute();
    expect(decided.filter((s) => s.period === '2023-Q2' && s.status !== 'accepted')).toEqual([]);
    expect(decided.filter((s) => s.period === '2023-Q2')).toHaveLength(30);
    const rejected = decided.find((s) => s.period === '2023-Q3');
    expect(rejected).toMatchObject({
      status: 'rejected',
      errors: [expect.objectContaining({ code: 'TOTAL_MISMATCH', column: 'C (Số hộ)', value: String(households + 1) })],
    });
    expect(JSON.stringify(rejected!.errors)).toContain(
      `says ${households + 1} in column C (Số hộ), but the rows above add up to ${households}`,
    );

    const district = (indicator: string) => snapshotRow(db, 'district', '103', '2023-Q2', indicator);
    expect(await district('villages_total')).toMatchObject({ numerator: 121, value: 121 });
    expect(await district('fiber_village_rate')).toMatchObject({ numerator: 65, denominator: 121 });
    expect(await district('mobile_village_rate')).toMatchObject({ numerator: 112, denominator: 121 });
    expect(await district('mobile_3g_village_rate')).toMatchObject({ numerator: 107, denominator: 121 });
    expect(await district('specialized_network_commune_rate')).toMatchObject({
      numerator: 15,
      denominator: 15,
      value: 1,
    });
    expect((await district('staff_computer_rate')).value).toBe(1);
  });
});
