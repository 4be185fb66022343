import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from '../support/builders.ts';
import { spawnTonghop, type TonghopProcess } from '../support/child.ts';
import { useServices, type TestServices } from '../support/services.ts';

/** Two installations side by side: one with three worker processes, one with a single worker. */
const three = useServices();
const one = useServices();
const children: TonghopProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

async function figures(db: Db) {
  const rows = await db
    .selectFrom('analytics.indicator_snapshot')
    .select([
      'level',
      'unit_code',
      'unit_name',
      'parent_code',
      'period',
      'indicator',
      'numerator',
      'denominator',
      'value',
      'communes_reporting',
      'communes_expected',
    ])
    .orderBy('period')
    .orderBy('level')
    .orderBy('unit_code')
    .orderBy('indicator')
    .execute();
  const completeness = await db
    .selectFrom('analytics.completeness')
    .select(['level', 'unit_code', 'period', 'form', 'expected', 'reported', 'missing'])
    .orderBy('period')
    .orderBy('level')
    .orderBy('unit_code')
    .orderBy('form')
    .execute();
  const lineage = await db
    .selectFrom('snapshot_source as s')
    .innerJoin('snapshot_head as h', (j) =>
      j
        .onRef('h.province_code', '=', 's.province_code')
        .onRef('h.period', '=', 's.period')
        .onRef('h.snapshot_version', '=', 's.snapshot_version'),
    )
    .innerJoin('submission as sub', 'sub.id', 's.submission_id')
    .select(['s.period', 's.commune_code', 's.form', 'sub.sha256'])
    .orderBy('s.period')
    .orderBy('s.commune_code')
    .orderBy('s.form')
    .execute();
  return { rows, completeness, lineage };
}

async function sendBatch(services: TestServices, url: string) {
  const token = await tokenFor(services.db, 'province', '11');
  for (const file of await namPoFiles()) expect((await upload(url, token, [file])).status).toBe(202);
}

describe('several worker processes on one queue', () => {
  it('three worker processes share the work, and the snapshots are those of a single worker', async () => {
    // The reference: one worker, in one process.
    const single = await one.start('all');
    await importUnitFile(one.db, join(namPo, 'units.csv'));
    await sendBatch(one, single.url!);
    await settled(one.db, single.deps.queues);

    // Three worker processes (as on three hosts) on one Redis and one Postgres.
    const ingest = await three.start('ingest');
    await three.start('rollup');
    await importUnitFile(three.db, join(namPo, 'units.csv'));
    const names = ['w1', 'w2', 'w3'];
    for (const name of names) {
      children.push(
        spawnTonghop(['start', '--role', 'worker'], {
          ...three.env,
          LOG_LEVEL: 'info',
          METRICS_PORT: '0',
          WORKER_NAME: name,
          NORMALIZE_CONCURRENCY: '2',
        }),
      );
    }
    await Promise.all(children.map((c) => c.waitForLog('tonghop started')));
    await sendBatch(three, ingest.url!);
    await settled(three.db, ingest.deps.queues);

    const jobs = await ingest.deps.queues.normalize.getJobs(['completed']);
    expect(jobs).toHaveLength(30);
    const perWorker = Object.fromEntries(names.map((n) => [n, jobs.filter((j) => j.processedBy === n).length]));
    if (process.env.TEST_FIGURES) console.log('normalize jobs per worker', perWorker);
    for (const name of names) expect(perWorker[name], `jobs taken by ${name}`).toBeGreaterThanOrEqual(1);
    expect(Object.values(perWorker).reduce((a, b) => a + b, 0)).toBe(30);
    // Each worker's own log agrees with what BullMQ recorded.
    children.forEach((c, i) =>
      expect(c.records().filter((r) => r.msg === 'submission decided')).toHaveLength(perWorker[names[i]!]!),
    );

    const subs = await three.db.selectFrom('submission').select(['status', 'attempts']).execute();
    expect(subs.every((s) => s.status === 'accepted' && s.attempts === 1)).toBe(true);
    const [got, want] = [await figures(three.db), await figures(one.db)];
    expect(got.rows.length).toBeGreaterThan(0);
    expect(got).toEqual(want);

    for (const c of children) c.child.kill('SIGTERM');
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0, 0]);
  });
});
