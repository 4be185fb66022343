import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importUnitFile, namPo, namPoFiles, settled, snapshotRow, tokenFor, upload } from '../support/builders.ts';
import { spawnTonghop, type TonghopProcess } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const children: TonghopProcess[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
});

const quarters = ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4'];

describe('two worker processes on one queue', () => {
  it('share the work and count no row twice', async () => {
    const ingest = await services.start('ingest');
    await services.start('rollup');
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const token = await tokenFor(services.db, 'province', '11');
    for (let i = 0; i < 2; i += 1)
      children.push(
        spawnTonghop(['start', '--role', 'worker'], { ...services.env, LOG_LEVEL: 'warn', NORMALIZE_CONCURRENCY: '4' }),
      );

    // The same seed for four quarters: 120 files, each quarter must give the seed's figures.
    const files = await namPoFiles();
    let sent = 0;
    for (const quarter of quarters) {
      for (const f of files) {
        const text = f.bytes
          .toString('utf8')
          .replaceAll('Quý II/2023', quarter)
          .replaceAll('"2023-Q2"', `"${quarter}"`);
        const r = await upload(ingest.url!, token, [{ name: f.name, bytes: text }]);
        expect(r.status).toBe(202);
        sent += 1;
      }
    }
    await settled(services.db, ingest.deps.queues, 120_000);

    const decided = await services.db.selectFrom('submission').select(['status']).execute();
    expect(decided.filter((s) => s.status === 'accepted')).toHaveLength(sent);
    const jobs = await ingest.deps.queues.normalize.getJobs(['completed'], 0, 1000);
    const byWorker = new Map<string, number>();
    for (const j of jobs) byWorker.set(j.processedBy ?? '?', (byWorker.get(j.processedBy ?? '?') ?? 0) + 1);
    console.log('normalize jobs per worker process:', Object.fromEntries(byWorker));
    expect(byWorker.size).toBe(2);
    for (const n of byWorker.values()) expect(n).toBeGreaterThan(0);

    const rows = await services.db
      .selectFrom('report_row')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(4 * (121 + 15));
    for (const quarter of quarters) {
      expect(await snapshotRow(services.db, 'district', '103', quarter, 'villages_total')).toMatchObject({
        numerator: 121,
      });
      expect(await snapshotRow(services.db, 'province', '11', quarter, 'fiber_village_rate')).toMatchObject({
        numerator: 65,
        denominator: 121,
      });
    }
  });
});
