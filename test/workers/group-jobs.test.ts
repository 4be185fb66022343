import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { storeSubmissions } from '../../src/ingest/submissions/store.ts';
import { normalizeGroupJobId } from '../../src/queue/queues.ts';
import type { Running } from '../../src/start.ts';
import { createNormalizeProcessor } from '../../src/workers/normalize/processor.ts';
import { reconcile } from '../../src/workers/reconciler.ts';
import {
  importUnitFile,
  namPo,
  namPoFiles,
  settled,
  snapshotRow,
  tokenFor,
  upload,
  waitFor,
} from '../support/builders.ts';
import { zipOf } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

// One normalize job per group of submissions (issue 22): the reconciler is called by hand with its
// clock moved past RECONCILE_STALE_S; the processes' own sweeps are kept out of the way.
const services = useServices({ RECONCILE_INTERVAL_S: '3600', RECONCILE_STALE_S: '60' });
let ingest: Running;
const later = (deps: Deps): Deps => ({ ...deps, now: () => new Date(Date.now() + 120_000) });

async function statusOf(id: number) {
  return services.db
    .selectFrom('submission')
    .select(['status', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  ingest = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

describe('a ZIP of a district office', () => {
  it('is one normalize job; a reconciler sweep finds its submissions in it and adds nothing; decided, it is rolled up once, with golden figures', async () => {
    const files = await namPoFiles();
    const token = await tokenFor(services.db, 'province', '11');
    const r = await upload(ingest.url!, token, [
      { name: 'nam-po.zip', bytes: zipOf(files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes) }))) },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const ids: number[] = r.body.submissions.map((s: { id: number }) => s.id);
    expect(ids).toHaveLength(30);

    const jobs = await ingest.deps.queues.normalize.getJobs(['waiting']);
    expect(jobs.map((j) => j.id)).toEqual([normalizeGroupJobId(ids)]);
    expect(jobs[0]!.data).toEqual({ submissionIds: ids });

    // Stale by the reconciler's clock, yet waiting in their group's job: left alone.
    expect(await reconcile(later(ingest.deps))).toMatchObject({ submissions: 0, retried: 0, gaveUp: 0 });
    expect(await ingest.deps.queues.normalize.getJobCountByTypes('waiting')).toBe(1);

    const worker = await services.start('worker');
    const rollup = await services.start('rollup');
    await settled(services.db, ingest.deps.queues);
    const statuses = await services.db.selectFrom('submission').select('status').where('id', 'in', ids).execute();
    expect(statuses.every((s) => s.status === 'accepted')).toBe(true);
    const runs = await services.db
      .selectFrom('rollup_run')
      .select('snapshot_version')
      .where('province_code', '=', '11')
      .where('period', '=', '2023-Q2')
      .execute();
    expect(runs).toHaveLength(1);
    expect(await snapshotRow(services.db, 'district', '103', '2023-Q2', 'fiber_village_rate')).toMatchObject({
      numerator: 65,
      denominator: 121,
    });
    await worker.stop();
    await rollup.stop();
  });
});

describe('a group run again after its worker died', () => {
  it('hands the submissions it had started and not decided to jobs of their own, and decides the rest', async () => {
    const files = (await namPoFiles((n) => n.includes('hts-xa'))).slice(0, 3).map((f) => ({
      filename: f.name.replace('2023-Q2', '2023-Q3'),
      contentType: null,
      bytes: Buffer.from(f.bytes.toString('utf8').replaceAll('2023-Q2', '2023-Q3')),
    }));
    const [a, b, c] = (
      await storeSubmissions(services.db, { level: 'province', code: '11', id: 'test' }, {}, files, null, new Date())
    ).map((s) => s.id);
    // The dead worker had taken `a`.
    await services.db
      .updateTable('submission')
      .set({ status: 'processing', attempts: 1 })
      .where('id', '=', a!)
      .execute();
    const job = await ingest.deps.queues.normalize.add(
      'normalize',
      { submissionIds: [a!, b!, c!] },
      { jobId: normalizeGroupJobId([a!, b!, c!]) },
    );
    // As BullMQ hands it out the second time.
    job.attemptsStarted = 2;

    const result = await createNormalizeProcessor(ingest.deps)(job);
    expect(result).toMatchObject({ submissions: 2, statuses: { accepted: 2 } });
    expect((await statusOf(b!)).status).toBe('accepted');
    expect((await statusOf(c!)).status).toBe('accepted');
    expect(await statusOf(a!)).toMatchObject({ status: 'processing', attempts: 1 });
    expect(await ingest.deps.queues.normalize.getJobState(`sub-${a}`)).toBe('waiting');

    const worker = await services.start('worker');
    await waitFor(
      async () => (await statusOf(a!)).status === 'accepted',
      'the started submission to be decided in its own job',
    );
    expect((await statusOf(a!)).attempts).toBe(2);
    await worker.stop();
  });
});
