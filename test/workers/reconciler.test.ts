import { join } from 'node:path';
import { Worker } from 'bullmq';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.ts';
import { storeSubmissions } from '../../src/ingest/submissions/store.ts';
import { workerConnection } from '../../src/queue/connections.ts';
import { queueNames } from '../../src/queue/queues.ts';
import type { Running } from '../../src/start.ts';
import { reconcile, reconcileAction } from '../../src/workers/reconciler.ts';
import { importUnitFile, namPo, namPoFiles, settled, waitFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

// The reconciler is called by hand here, with its clock moved past RECONCILE_STALE_S; the
// processes' own sweeps are kept out of the way by a long interval.
const services = useServices({ RECONCILE_INTERVAL_S: '3600', RECONCILE_STALE_S: '60', JOB_LOCK_S: '2' });
let ingest: Running;
const principal = { level: 'province' as const, code: '11', id: 'test' };
const later = (deps: Deps): Deps => ({ ...deps, now: () => new Date(Date.now() + 120_000) });

async function storeOne(name: string) {
  const [file] = await namPoFiles((n) => n.startsWith(name));
  const [stored] = await storeSubmissions(
    services.db,
    principal,
    {},
    [{ filename: file!.name, contentType: null, bytes: Buffer.from(file!.bytes) }],
    null,
    new Date(),
  );
  return stored!.id;
}

async function statusOf(id: number) {
  return services.db
    .selectFrom('submission')
    .select(['status', 'version', 'errors', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A worker on the test's normalize queue whose every run fails with `error`. */
async function failingWorker(error: () => Error): Promise<Worker<unknown, void>> {
  const worker = new Worker<unknown, void>(queueNames.normalize, async () => Promise.reject(error()), {
    connection: workerConnection(services.env.REDIS_URL!),
    prefix: services.env.QUEUE_PREFIX,
  });
  worker.on('error', () => {});
  return worker;
}

beforeAll(async () => {
  ingest = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

describe('what the reconciler does with a stale submission', () => {
  it('leaves a running job alone, adds a missing one or a completed one whose outcome was lost, retries a failed one, gives up on one started often', () => {
    expect(reconcileAction(1, 'active', 10)).toBe('leave');
    expect(reconcileAction(1, 'completed', 10)).toBe('enqueue');
    expect(reconcileAction(1, 'waiting', 10)).toBe('leave');
    expect(reconcileAction(0, 'missing', 10)).toBe('enqueue');
    expect(reconcileAction(3, 'failed', 10)).toBe('retry');
    expect(reconcileAction(10, 'failed', 10)).toBe('give-up');
    expect(reconcileAction(10, 'waiting', 10)).toBe('give-up');
    expect(reconcileAction(10, 'active', 10)).toBe('leave');
  });
});

describe('the reconciler recovers what Redis lost', () => {
  it('a submission committed but never enqueued is enqueued and then decided', async () => {
    const id = await storeOne('03156-hts-xa');
    expect(await ingest.deps.queues.normalize.getJob(`sub-${id}`)).toBeUndefined();
    expect((await reconcile(ingest.deps)).submissions).toBe(0); // not stale yet
    expect((await reconcile(later(ingest.deps))).submissions).toBe(1);
    expect(await ingest.deps.queues.normalize.getJob(`sub-${id}`)).toBeDefined();
    const worker = await services.start('worker');
    await waitFor(async () => (await statusOf(id)).status === 'accepted', 'the submission to be accepted');
    await worker.stop();
  });

  it('a job that failed every attempt on a transient fault is retried from the start, and the submission accepted', async () => {
    const id = await storeOne('03165-hts-xa');
    await ingest.deps.queues.normalize.add(
      'normalize',
      { submissionId: id },
      { jobId: `sub-${id}`, attempts: 2, backoff: { type: 'fixed', delay: 10 } },
    );
    const failing = await failingWorker(() =>
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    await waitFor(
      async () => (await ingest.deps.queues.normalize.getJobState(`sub-${id}`)) === 'failed',
      'the job to fail',
    );
    await failing.close();
    expect((await statusOf(id)).status).toBe('queued');

    const swept = await reconcile(later(ingest.deps));
    expect(swept).toMatchObject({ submissions: 0, retried: 1, gaveUp: 0 });
    const worker = await services.start('worker');
    await waitFor(async () => (await statusOf(id)).status === 'accepted', 'the submission to be accepted');
    await worker.stop();
  });

  it('a submission started NORMALIZE_MAX_RUNS times without an outcome is rejected as PROCESSING_FAILED, not handed out again', async () => {
    const id = await storeOne('03166-hts-xa');
    await services.db
      .updateTable('submission')
      .set({ status: 'processing', attempts: ingest.deps.config.NORMALIZE_MAX_RUNS })
      .where('id', '=', id)
      .execute();
    const swept = await reconcile(later(ingest.deps));
    expect(swept.gaveUp).toBe(1);
    const s = await statusOf(id);
    expect(s.status).toBe('rejected');
    expect((s.errors as { code: string; message: { vi: string; en: string } }[]).map((e) => e.code)).toEqual([
      'PROCESSING_FAILED',
    ]);
    expect(await ingest.deps.queues.normalize.getJob(`sub-${id}`)).toBeUndefined();
  });

  it('a rollup lost from Redis is run again from rollup_due', async () => {
    const worker = await services.start('worker');
    const id = await storeOne('03167-hts-xa');
    await reconcile(later(ingest.deps));
    await waitFor(async () => (await statusOf(id)).status === 'accepted', 'the submission to be accepted');
    await worker.stop();
    // No rollup worker has run: the rollup waits on the queue. Redis loses it.
    await ingest.deps.queues.rollup.obliterate({ force: true });
    expect(await services.db.selectFrom('rollup_due').select('period').execute()).toHaveLength(1);
    expect((await reconcile(later(ingest.deps))).rollups).toBe(1);
    const rollup = await services.start('rollup');
    await settled(services.db, ingest.deps.queues);
    const head = await services.db
      .selectFrom('snapshot_head')
      .select('snapshot_version')
      .where('province_code', '=', '11')
      .executeTakeFirst();
    expect(head?.snapshot_version).toBeGreaterThan(0);
    await rollup.stop();
  });
});

describe('a job that can never succeed', () => {
  it('is rejected as PROCESSING_FAILED at once and its job fails without retries; a transient fault is retried and accepted', async () => {
    // A fault inside the persist transaction, as a bug or a broken constraint would give: XX000 for one
    // commune's rows, 40001 (serialization failure) once for another's.
    await sql`create sequence flaky_once`.execute(services.db);
    await sql`
      create function chaos_fault() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from submission where id = new.submission_id and filename like '03168%') then
          raise exception 'a bug' using errcode = 'XX000';
        end if;
        if exists (select 1 from submission where id = new.submission_id and filename like '03169%') and nextval('flaky_once') = 1 then
          raise exception 'could not serialize access' using errcode = '40001';
        end if;
        return new;
      end $$`.execute(services.db);
    await sql`create trigger chaos_fault before insert on report_row for each row execute function chaos_fault()`.execute(
      services.db,
    );
    try {
      const broken = await storeOne('03168-hts-ban');
      const flaky = await storeOne('03169-hts-ban');
      const worker = await services.start('worker');
      expect((await reconcile(later(ingest.deps))).submissions).toBe(2);
      await waitFor(
        async () => !['queued', 'processing'].includes((await statusOf(broken)).status),
        'the broken submission to be decided',
      );
      await waitFor(
        async () => !['queued', 'processing'].includes((await statusOf(flaky)).status),
        'the flaky submission to be decided',
      );

      const b = await statusOf(broken);
      expect(b.status).toBe('rejected');
      expect((b.errors as { code: string }[]).map((e) => e.code)).toEqual(['PROCESSING_FAILED']);
      const job = await ingest.deps.queues.normalize.getJob(`sub-${broken}`);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);

      const f = await statusOf(flaky);
      expect(f).toMatchObject({ status: 'accepted', version: 1 });
      expect(f.attempts).toBe(2);
      const rows = await services.db
        .selectFrom('report_row')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('submission_id', '=', flaky)
        .executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBeGreaterThan(0);
      await worker.stop();
    } finally {
      await sql`drop trigger chaos_fault on report_row`.execute(services.db);
    }
  });
});
