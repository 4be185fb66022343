import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueNormalize } from '../../src/queue/queues.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { sampleValue, scrape } from '../support/prometheus.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

const header =
  'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
  'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';
const rejectedFiles = [
  { name: 'bad-1.csv', bytes: `${header}\n03156,2023-Q2,Bản Một,10,50,có,không,có,60,1.5\n` },
  { name: 'bad-2.csv', bytes: `${header}\n03165,2023-Q2,Bản Hai,,40,x,có,có,10,abc\n` },
];

describe('/metrics', () => {
  it('after a batch, the figures are what happened: accepted, rejected, queue counts, and snapshot lag back to zero', async () => {
    const { db } = services;
    const ingest = await services.start('ingest');
    const worker = await services.start('worker');
    await importUnitFile(db, join(namPo, 'units.csv'));
    const token = await tokenFor(db, 'province', '11');
    const queues = ingest.deps.queues;

    // 30 good reports, 2 bad ones, and a job whose submission does not exist (it can only fail).
    const files = await namPoFiles();
    for (const file of [...files, ...rejectedFiles])
      expect((await upload(ingest.url!, token, [file])).status).toBe(202);
    await enqueueNormalize(queues, 999_999);
    await waitFor(async () => {
      const pending = await db
        .selectFrom('submission')
        .select('id')
        .where('status', 'in', ['queued', 'processing'])
        .execute();
      const { failed } = await queues.normalize.getJobCounts('failed');
      return pending.length === 0 && failed === 1;
    }, 'every submission decided');

    // No rollup worker yet: the accepted reports are in no snapshot.
    let m = await scrape(ingest.url!);
    expect(sampleValue(m, 'tonghop_submissions', { status: 'accepted' })).toBe(30);
    expect(sampleValue(m, 'tonghop_submissions', { status: 'rejected' })).toBe(2);
    expect(sampleValue(m, 'tonghop_submissions', { status: 'queued' })).toBe(0);
    expect(sampleValue(m, 'tonghop_submissions', { status: 'processing' })).toBe(0);
    expect(sampleValue(m, 'tonghop_queue_jobs', { queue: 'normalize', state: 'completed' })).toBe(32);
    expect(sampleValue(m, 'tonghop_queue_jobs', { queue: 'normalize', state: 'failed' })).toBe(1);
    expect(sampleValue(m, 'tonghop_queue_jobs', { queue: 'normalize', state: 'waiting' })).toBe(0);
    expect(sampleValue(m, 'tonghop_queue_jobs', { queue: 'normalize', state: 'active' })).toBe(0);
    expect(
      sampleValue(m, 'tonghop_queue_jobs', { queue: 'rollup', state: 'waiting' })! +
        sampleValue(m, 'tonghop_queue_jobs', { queue: 'rollup', state: 'delayed' })!,
    ).toBe(1);
    expect(sampleValue(m, 'tonghop_queue_workers', { queue: 'normalize' })).toBe(1);
    expect(sampleValue(m, 'tonghop_queue_workers', { queue: 'rollup' })).toBe(0);
    expect(sampleValue(m, 'tonghop_rollups_due')).toBe(1);
    expect(sampleValue(m, 'tonghop_snapshot_lag_seconds')).toBeGreaterThan(0);
    expect(sampleValue(m, 'tonghop_dependency_up', { dependency: 'redis' })).toBe(1);
    expect(sampleValue(m, 'tonghop_dependency_up', { dependency: 'postgres' })).toBe(1);
    expect(sampleValue(m, 'process_cpu_user_seconds_total', { role: 'ingest' })).toBeGreaterThan(0);

    // The worker process serves what it measured on its own listener.
    const w = await scrape(worker.metricsUrl!);
    expect(
      sampleValue(w, 'tonghop_job_duration_seconds_count', {
        queue: 'normalize',
        outcome: 'completed',
        role: 'worker',
      }),
    ).toBe(32);
    expect(sampleValue(w, 'tonghop_job_duration_seconds_count', { queue: 'normalize', outcome: 'failed' })).toBe(1);
    expect(
      sampleValue(w, 'tonghop_job_duration_seconds_bucket', { queue: 'normalize', outcome: 'completed', le: '+Inf' }),
    ).toBe(32);
    expect(sampleValue(w, 'tonghop_reconciler_sweeps_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(w, 'tonghop_reconciler_actions_total', { action: 'requeue_submission' })).toBe(0);
    expect(sampleValue(w, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);

    // The rollup worker arrives: the snapshot catches up and the lag is back to zero.
    const rollup = await services.start('rollup');
    await settled(db, queues);
    m = await scrape(ingest.url!);
    expect(sampleValue(m, 'tonghop_snapshot_lag_seconds')).toBe(0);
    expect(sampleValue(m, 'tonghop_rollups_due')).toBe(0);
    expect(sampleValue(m, 'tonghop_queue_workers', { queue: 'rollup' })).toBe(1);
    const rollupsCompleted = sampleValue(m, 'tonghop_queue_jobs', { queue: 'rollup', state: 'completed' })!;
    expect(rollupsCompleted).toBeGreaterThanOrEqual(1);
    const r = await scrape(rollup.metricsUrl!);
    expect(sampleValue(r, 'tonghop_job_duration_seconds_count', { queue: 'rollup', outcome: 'completed' })).toBe(
      rollupsCompleted,
    );
    expect(sampleValue(r, 'tonghop_rollup_duration_seconds_count', { changed: 'true' })).toBe(1);

    // A report sent again unchanged is a duplicate: counted, and the snapshot stays current.
    expect((await upload(ingest.url!, token, [files[0]!])).status).toBe(202);
    await waitFor(
      async () =>
        (await db.selectFrom('submission').select('id').where('status', '=', 'duplicate').execute()).length === 1,
      'the duplicate',
    );
    await settled(db, queues);
    m = await scrape(ingest.url!);
    expect(sampleValue(m, 'tonghop_submissions', { status: 'duplicate' })).toBe(1);
    expect(sampleValue(m, 'tonghop_submissions', { status: 'accepted' })).toBe(30);
    expect(sampleValue(m, 'tonghop_queue_jobs', { queue: 'normalize', state: 'completed' })).toBe(33);
    expect(sampleValue(m, 'tonghop_snapshot_lag_seconds')).toBe(0);
  });
});
