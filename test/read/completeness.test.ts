import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getJson, importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('GET /v1/completeness', () => {
  it('answers what the rollup stored in analytics.completeness, and before any report, every commune as missing', async () => {
    const running = await services.start('all');
    const { db } = services;
    await importUnitFile(db, join(namPo, 'units.csv'));
    const token = await tokenFor(db, 'province', '11');

    const before = await getJson(running.url!, token, '/v1/completeness?level=district&unit=103&period=2023-Q2');
    expect(before.status).toBe(200);
    for (const f of before.body.forms) expect(f).toMatchObject({ expected: 15, reported: 0 });
    expect(before.body.forms[0].missing).toHaveLength(15);

    // Five communes' village reports and three communes' office reports: partly reported.
    const files = await namPoFiles();
    const chosen = [
      ...files.filter((f) => /ban/iu.test(f.name)).slice(0, 5),
      ...files.filter((f) => /xa/iu.test(f.name)).slice(0, 3),
    ];
    for (const file of chosen) expect((await upload(running.url!, token, [file])).status).toBe(202);
    await settled(db, running.deps.queues);

    const stored = await sql<{ form: string; expected: number; reported: number; missing: string[] }>`
      select form, expected, reported, missing from analytics.completeness
       where level = 'district' and unit_code = '103' and period = '2023-Q2' order by form`.execute(db);
    const answered = await getJson(running.url!, token, '/v1/completeness?level=district&unit=103&period=2023-Q2');
    expect(answered.status).toBe(200);
    expect(stored.rows.map((r) => r.reported).sort()).toEqual([3, 5]);
    expect(
      answered.body.forms.map(
        (f: { form: string; expected: number; reported: number; missing: { code: string }[] }) => ({
          form: f.form,
          expected: f.expected,
          reported: f.reported,
          missing: f.missing.map((m) => m.code),
        }),
      ),
    ).toEqual(stored.rows);
    expect(answered.body.forms[0].missing[0].name).toMatch(/^Xã /u);
  });
});
