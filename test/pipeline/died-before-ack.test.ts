import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload, waitFor } from '../support/builders.ts';
import { spawnTonghop, type TonghopProcess } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

// Short locks, so a dead worker's job is taken over within seconds; no reconciler sweeps, so only
// BullMQ's stalled-job check brings the job back.
const services = useServices({ JOB_LOCK_S: '1', RECONCILE_INTERVAL_S: '3600' });
const dieAfterCommit = fileURLToPath(new URL('../support/die-after-commit.ts', import.meta.url));
const children: TonghopProcess[] = [];
let ingest: Running;
let token: string;

function child(args: readonly string[], script?: string): TonghopProcess {
  if (!script) {
    const p = spawnTonghop(args, services.env);
    children.push(p);
    return p;
  }
  const c = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...services.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  c.stdout.on('data', (d: Buffer) => (output += d.toString()));
  c.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const p = {
    child: c,
    output: () => output,
    exited: new Promise<number | null>((resolve) => c.on('exit', (code) => resolve(code))),
  };
  children.push(p);
  return p;
}

async function stopChild(p: TonghopProcess) {
  p.child.kill('SIGTERM');
  await p.exited;
}

async function figures() {
  return services.db
    .selectFrom('analytics.indicator_snapshot')
    .select(['level', 'unit_code', 'indicator', 'numerator', 'denominator', 'snapshot_version'])
    .where('period', '=', '2023-Q2')
    .orderBy('level')
    .orderBy('unit_code')
    .orderBy('indicator')
    .execute();
}

async function lastRun() {
  return services.db
    .selectFrom('rollup_run')
    .select(['id', 'snapshot_version'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** The commune's report with one more village: a correction, so a new version. */
async function correction(commune: string, village: string) {
  const [file] = await namPoFiles((n) => n.startsWith(`${commune}-hts-ban`));
  return {
    name: `${commune}-correction.csv`,
    bytes: `${file!.bytes.toString('utf8').trim()}\n${commune},2023-Q2,${village},3,9,Có,Có,Có,1,1\n`,
  };
}

let worker: TonghopProcess;
let rollup: TonghopProcess;

beforeAll(async () => {
  ingest = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
  worker = child(['start', '--role', 'worker']);
  rollup = child(['start', '--role', 'rollup']);
  for (const file of await namPoFiles()) expect((await upload(ingest.url!, token, [file])).status).toBe(202);
  await settled(services.db, ingest.deps.queues, 120_000);
});

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
});

describe('a worker that dies between its commit and its acknowledgment', () => {
  it('normalize: the job runs again on another worker and leaves exactly one new version and an unchanged snapshot', async () => {
    await stopChild(worker);
    const dying = child(['normalize'], dieAfterCommit);
    await waitFor(async () => dying.output().includes('ready'), 'the dying worker to start');
    const r = await upload(ingest.url!, token, [await correction('03166', 'Bản Sau Cùng')]);
    const id: number = r.body.submissions[0].id;
    await dying.exited;
    expect(dying.output()).toContain(`committed sub-${id}`);
    expect(await ingest.deps.queues.normalize.getJobState(`sub-${id}`)).toBe('active');
    await settled(services.db, ingest.deps.queues, 120_000);
    const before = { figures: await figures(), run: await lastRun() };
    const rows = await services.db
      .selectFrom('report_row')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();

    worker = child(['start', '--role', 'worker']);
    await waitFor(
      async () => (await ingest.deps.queues.normalize.getJobState(`sub-${id}`)) === 'completed',
      'the stalled job to run again',
      60_000,
    );
    await settled(services.db, ingest.deps.queues, 120_000);

    const versions = await services.db
      .selectFrom('submission')
      .select(['id', 'status', 'version'])
      .where('commune_code', '=', '03166')
      .where('form', '=', 'HTS-BAN')
      .orderBy('id')
      .execute();
    expect(versions.map((v) => [v.status, v.version])).toEqual([
      ['superseded', 1],
      ['accepted', 2],
    ]);
    const rowsAfter = await services.db
      .selectFrom('report_row')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(rowsAfter.n).toBe(rows.n);
    // The rerun asked for the rollup again (the crash could have come before it did); it ran and changed nothing.
    const run = await lastRun();
    expect(run.id).toBeGreaterThan(before.run.id);
    expect(run.snapshot_version).toBeNull();
    expect(await figures()).toEqual(before.figures);
  });

  it('rollup: the job runs again on another rollup process and appends no second snapshot version', async () => {
    await stopChild(rollup);
    const dying = child(['rollup'], dieAfterCommit);
    await waitFor(async () => dying.output().includes('ready'), 'the dying rollup worker to start');
    const versionBefore = (await figures())[0]!.snapshot_version;
    expect((await upload(ingest.url!, token, [await correction('03167', 'Bản Mới Tách')])).status).toBe(202);
    await dying.exited;
    const jobId = /committed (\S+)/u.exec(dying.output())![1]!;
    expect(await ingest.deps.queues.rollup.getJobState(jobId)).toBe('active');
    const committed = await figures();
    expect(committed[0]!.snapshot_version).toBe(versionBefore + 1);

    rollup = child(['start', '--role', 'rollup']);
    await waitFor(
      async () => (await ingest.deps.queues.rollup.getJobState(jobId)) === 'completed',
      'the stalled rollup to run again',
      60_000,
    );
    await settled(services.db, ingest.deps.queues, 120_000);
    expect((await lastRun()).snapshot_version).toBeNull();
    expect(await figures()).toEqual(committed);
  });
});
