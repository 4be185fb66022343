import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { spawnTonghop, type TonghopProcess } from '../support/child.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const children: TonghopProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

const header =
  'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
  'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';

/** A report long enough to take a while to decide, so that it is surely in flight when SIGTERM comes. */
function bigReport(rows: number) {
  const lines = [header];
  for (let i = 1; i <= rows; i++) lines.push(`03156,2023-Q3,Bản ${i},10,50,có,có,có,20,10`);
  return { name: 'big.csv', bytes: lines.join('\n') };
}

function startWorker(name: string): TonghopProcess {
  const worker = spawnTonghop(['start', '--role', 'worker'], {
    ...services.env,
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
    WORKER_NAME: name,
    NORMALIZE_CONCURRENCY: '2',
  });
  children.push(worker);
  return worker;
}

describe('graceful shutdown', () => {
  it('SIGTERM during a batch finishes the jobs in flight, takes no more, and loses none', async () => {
    const { db } = services;
    const ingest = await services.start('ingest');
    await services.start('rollup');
    await importUnitFile(db, join(namPo, 'units.csv'));
    const token = await tokenFor(db, 'province', '11');
    const queues = ingest.deps.queues;

    // A long report first, then 90 submissions (the 30 reports, three times over), all waiting.
    const big = (await upload(ingest.url!, token, [bigReport(8000)])).body.submissions[0].id as number;
    const files = await namPoFiles();
    for (let round = 0; round < 3; round++)
      for (const file of files) expect((await upload(ingest.url!, token, [file])).status).toBe(202);
    const total = 91;
    const statusOf = async (id: number) =>
      (await db.selectFrom('submission').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    const decided = async () =>
      Number(
        (
          await db
            .selectFrom('submission')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', 'not in', ['queued', 'processing'])
            .executeTakeFirstOrThrow()
        ).n,
      );

    const first = startWorker('first');
    await first.waitForLog('tonghop started');
    // As shipped: the process replaced itself, same pid, with one whose young generation is small (bin/tonghop.js).
    expect(readFileSync(`/proc/${first.child.pid}/cmdline`, 'utf8').split('\0')).toEqual(
      expect.arrayContaining(['--max-semi-space-size=8', '--max-old-space-size=192']),
    );
    await waitFor(async () => (await statusOf(big)) === 'processing', 'the long report in flight');
    const killedAt = Date.now();
    const decidedAtKill = await decided();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    if (process.env.TEST_FIGURES)
      console.log(
        `SIGTERM with ${decidedAtKill} decided; exited after ${Date.now() - killedAt} ms with ${await decided()} decided`,
      );
    const log = first.records().map((r) => r.msg);
    expect(log).toContain('stopping: finishing jobs in flight');
    expect(log.at(-1)).toBe('stopped');

    // The long report, in flight at SIGTERM, was finished before the process left.
    expect(await statusOf(big)).toBe('accepted');
    // Mid-batch: some decided, some still waiting; none left half-done, none taken and dropped.
    const afterFirst = await decided();
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    expect(afterFirst).toBeLessThan(total);
    expect(await db.selectFrom('submission').select('id').where('status', '=', 'processing').execute()).toEqual([]);
    expect(await queues.normalize.getJobCounts('active', 'failed')).toEqual({ active: 0, failed: 0 });
    expect((await queues.normalize.getJobCounts('waiting')).waiting).toBe(total - afterFirst);

    const second = startWorker('second');
    await settled(db, queues);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const rows = await db.selectFrom('submission').select(['id', 'status', 'attempts']).execute();
    expect(rows).toHaveLength(total);
    expect(rows.filter((r) => ['queued', 'processing'].includes(r.status))).toEqual([]);
    expect(rows.filter((r) => r.status === 'accepted')).toHaveLength(31);
    // Each job ran exactly once: a job abandoned mid-flight would have run again (attempts 2).
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);
    const jobs = await queues.normalize.getJobs(['completed']);
    const by = (name: string) => jobs.filter((j) => j.processedBy === name).length;
    expect(jobs.find((j) => j.id === `sub-${big}`)!.processedBy).toBe('first');
    expect(by('first')).toBe(afterFirst);
    expect(by('second')).toBe(total - afterFirst);
    expect((await queues.normalize.getJobCounts('failed')).failed).toBe(0);

    // The worker's log lines are keyed by job, submission, commune and period.
    const decidedLine = second.records().find((r) => r.msg === 'submission decided');
    expect(decidedLine).toMatchObject({ queue: 'normalize', period: '2023-Q2' });
    expect(decidedLine!.jobId).toBe(`sub-${decidedLine!.submissionId}`);
    expect(decidedLine!.commune).toMatch(/^\d{5}$/u);
  });
});
