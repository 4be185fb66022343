/**
 * The chaos run: a batch of commune reports sent through the real pipeline (ingest in this
 * process; worker and rollup processes as `tonghop start --role …` children) while it is hurt on
 * purpose, then checked against plain sums of what was sent.
 *
 * Faults:
 * - a worker or rollup process SIGKILLed every few seconds, and started again;
 * - FLUSHALL of Redis once: every job, deduplication key and lock is gone;
 * - every Postgres connection to the run's database terminated once
 *   (`pg_terminate_backend`). This stands in for a Postgres restart: Postgres on this machine is
 *   shared with other people's tests, and restarting it would break theirs. What our processes see
 *   is the same (57P01 admin_shutdown, then "Connection terminated" on every pooled client);
 * - some submissions committed but never enqueued, as if the ingest died between the two.
 *
 * The run owns everything it hurts: its own redis-server on a free port and its own database,
 * dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { connectDb } from '../../src/db/connect.ts';
import { storeSubmissions } from '../../src/ingest/submissions/store.ts';
import { createToken } from '../../src/accounts/tokens.ts';
import { createQueues } from '../../src/queue/queues.ts';
import { submissionsOf, type NormalizeJob } from '../../src/schema/jobs.ts';
import { start, type Running } from '../../src/start.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import { checkRecoveries, type Fault } from './fault-recovery.ts';
import { startPipelineProcesses, type Member, type PipelineProcesses } from './pipeline-processes.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';
import { buildUniverse, type ChaosFile, type UniverseOptions } from './synthetic-reports.ts';
import { verifyOutcome, type Verdict } from './verify-outcome.ts';

export type ChaosOptions = {
  universe: UniverseOptions;
  /** Postgres to create the run's database on (its own database is created and dropped). */
  baseDatabaseUrl: string;
  /** Normalize worker processes; one rollup process runs beside them. @defaultValue 2 */
  workers?: number;
  /** A process is killed every this many ms while the batch runs. */
  killEveryMs: number;
  /** Stop after this many kills (the small run in `npm test`). */
  maxKills?: number;
  /** Wait (up to 10 s) until the victim has a job in flight before killing it. */
  killWhenBusy?: boolean;
  /** FLUSHALL and the connection drop happen when this fraction of the uploads has been sent. */
  flushAt: number;
  dropAt: number;
  uploadConcurrency?: number;
  /** How long the pipeline may take to settle once everything is sent. */
  settleTimeoutMs?: number;
  /** Settings for every process of the run, over the run's own (e.g. JOB_LOCK_S). */
  env?: Record<string, string>;
  progress?: (line: string) => void;
};

export type ChaosReport = {
  seed: number;
  provinces: number;
  communes: number;
  periods: string[];
  verdict: Verdict;
  faults: Fault[];
  uploadRetries: number;
  uploadMs: number;
  totalMs: number;
  logDir: string;
  /** Why the run could not finish, when it could not. */
  error: string | null;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** POST /v1/submissions with an Idempotency-Key, retried through faults: a retry after a lost answer gets the first answer again, not a second submission. */
async function upload(url: string, token: string, file: ChaosFile): Promise<{ ids: number[]; retries: number }> {
  for (let attempt = 0; ; attempt += 1) {
    let problem: string;
    try {
      const form = new FormData();
      for (const [k, v] of Object.entries(file.fields)) form.append(k, v);
      form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
      const r = await fetch(new URL('/v1/submissions', url), {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': `chaos-${file.index}` },
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await r.json().catch(() => null)) as { submissions?: { id: number }[] } | null;
      if (r.status === 202 && body?.submissions) return { ids: body.submissions.map((s) => s.id), retries: attempt };
      if (r.status !== 429 && r.status < 500) throw new Error(`${file.name}: HTTP ${r.status} ${JSON.stringify(body)}`);
      problem = `HTTP ${r.status}`;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(`${file.name}:`)) throw error;
      problem = String(error);
    }
    if (attempt >= 60) throw new Error(`${file.name}: gave up after ${attempt} retries (${problem})`);
    await sleep(Math.min(2000, 100 * (attempt + 1)));
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = performance.now();
  const say = options.progress ?? (() => {});
  const universe = buildUniverse(options.universe);
  const logDir = mkdtempSync(join(tmpdir(), 'tonghop-chaos-'));
  const dbName = `tonghop_chaos_${process.pid}_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(options.baseDatabaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const faults: Fault[] = [];
  const idsOfFile = new Map<number, number[]>();
  let uploadRetries = 0;
  let uploadMs = 0;
  let error: string | null = null;
  let verdict: Verdict | null = null;

  let redis: RedisServer | null = null;
  let ingest: Running | null = null;
  let processes: PipelineProcesses | null = null;
  const admin = new pg.Client({ connectionString: options.baseDatabaseUrl });
  await admin.connect();
  const db = connectDb(dbUrl.toString(), { max: 4 });
  let queues: ReturnType<typeof createQueues> | null = null;
  let stopKilling = false;
  let monitoring = true;
  let killLoop: Promise<void> = Promise.resolve();
  let monitor: Promise<void> = Promise.resolve();

  try {
    redis = await startRedisServer();
    const env: Record<string, string> = {
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'chaos',
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ROLLUP_DEBOUNCE_MS: '200',
      RECONCILE_INTERVAL_S: '3',
      RECONCILE_STALE_S: '5',
      NORMALIZE_CONCURRENCY: '4',
      RATE_LIMIT_REQUESTS: '1000000',
      ...options.env,
    };
    ingest = await start(loadConfig(env), 'ingest', {
      log: pino({ level: 'warn' }, pino.destination({ dest: join(logDir, 'ingest.log'), sync: false })),
    });
    queues = createQueues(redis.url, 'chaos');
    await importUnits(db, unitsFromCsv(universe.unitsCsv));
    const tokens = new Map<string, { token: string; id: number }>();
    for (const p of universe.provinces)
      tokens.set(p, await createToken(db, { level: 'province', code: p, label: 'chaos', roles: ['submit', 'read'] }));
    const provinceOf = new Map(universe.communes.map((c) => [c.code, c.province]));
    say(
      `chaos: ${universe.files.length} files, ${universe.communes.length} communes in ${universe.provinces.length} ` +
        `provinces, periods ${universe.periods.join(' ')}; logs in ${logDir}`,
    );

    processes = await startPipelineProcesses({ env, workers: options.workers ?? 2, logDir });
    const procs = processes;
    const q = queues;

    monitor = (async () => {
      while (monitoring) {
        await checkRecoveries(db, q, faults).catch(() => undefined);
        await sleep(250);
      }
    })();

    // Committed, never enqueued: the ingest "died" between its commit and its enqueue.
    const orphans = universe.files.filter((f) => f.notEnqueued);
    const orphanIds: number[] = [];
    for (const f of orphans) {
      const province = provinceOf.get(f.slot.commune)!;
      const principal = { level: 'province' as const, code: province, id: `token:${tokens.get(province)!.id}` };
      const stored = await storeSubmissions(
        db,
        principal,
        f.fields,
        [{ filename: f.name, contentType: null, bytes: f.bytes }],
        null,
        new Date(),
      );
      idsOfFile.set(
        f.index,
        stored.map((s) => s.id),
      );
      orphanIds.push(...stored.map((s) => s.id));
    }
    faults.push({
      kind: 'no-enqueue',
      target: 'ingest',
      at: new Date(),
      submissions: orphanIds,
      rollups: [],
      jobs: [],
      requeuedMs: null,
      note: `${orphanIds.length} submissions committed, never enqueued`,
      recoveredMs: null,
    });

    const activeOn = async (m: Member) => {
      const queue = m.role === 'worker' ? q.normalize : q.rollup;
      const jobs = await queue.getJobs(['active']).catch(() => []);
      return jobs.filter((j) => j?.processedBy === m.jobName());
    };
    let kills = 0;
    const restarts: Promise<void>[] = [];
    killLoop = (async () => {
      let turn = 0;
      while (!stopKilling && (options.maxKills === undefined || kills < options.maxKills)) {
        await sleep(options.killEveryMs);
        if (stopKilling) break;
        const victim = procs.members[turn % procs.members.length]!;
        turn += 1;
        let inFlight = await activeOn(victim);
        for (
          let waited = 0;
          options.killWhenBusy && inFlight.length === 0 && waited < 10_000 && !stopKilling;
          waited += 100
        ) {
          await sleep(100);
          inFlight = await activeOn(victim);
        }
        const fault: Fault = {
          kind: 'kill',
          target: victim.label,
          at: new Date(),
          submissions: victim.role === 'worker' ? inFlight.flatMap((j) => submissionsOf(j.data as NormalizeJob)) : [],
          rollups:
            victim.role === 'rollup' ? inFlight.map((j) => j.data as { provinceCode: string; period: string }) : [],
          jobs: inFlight.map((j) => ({
            queue: victim.role === 'worker' ? ('normalize' as const) : ('rollup' as const),
            id: j.id!,
          })),
          note: '',
          requeuedMs: null,
          recoveredMs: null,
        };
        const { killedPid, ready } = await procs.killAndRestart(victim);
        fault.note = `pid ${killedPid}, ${inFlight.length} job(s) in flight`;
        faults.push(fault);
        kills += 1;
        say(`  kill ${victim.label}: ${fault.note}`);
        restarts.push(
          ready.then(
            (ms) => void (fault.note += `; restarted in ${(ms / 1000).toFixed(1)} s`),
            () => void (fault.note += '; killed again while starting'),
          ),
        );
      }
    })();

    const pendingWork = async (statuses: ('queued' | 'processing')[]) => {
      const subs = await db.selectFrom('submission').select('id').where('status', 'in', statuses).execute();
      const due = await db.selectFrom('rollup_due').select(['province_code', 'period']).execute();
      return {
        submissions: subs.map((s) => s.id),
        rollups: due.map((d) => ({ provinceCode: d.province_code, period: d.period })),
      };
    };
    const flush = async () => {
      const work = await pendingWork(['queued', 'processing']);
      const at = new Date();
      await redis!.flushAll();
      faults.push({
        kind: 'flush',
        target: 'redis',
        at,
        ...work,
        jobs: [],
        requeuedMs: null,
        note: `FLUSHALL: jobs of ${work.submissions.length} submissions and ${work.rollups.length} due rollups gone`,
        recoveredMs: null,
      });
      say(`  FLUSHALL: ${work.submissions.length} submissions, ${work.rollups.length} rollups`);
    };
    const drop = async () => {
      const work = await pendingWork(['processing']);
      const at = new Date();
      const r = await admin.query<{ n: string }>(
        'select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [dbName],
      );
      faults.push({
        kind: 'drop',
        target: 'postgres',
        at,
        ...work,
        jobs: [],
        requeuedMs: null,
        note: `${r.rows[0]!.n} connections terminated; ${work.submissions.length} submissions mid-processing`,
        recoveredMs: null,
      });
      say(`  connections dropped: ${r.rows[0]!.n}`);
    };

    const sendable = universe.files.filter((f) => !f.notEnqueued);
    let sent = 0;
    const triggers = [
      { at: options.flushAt, fire: flush, fired: false },
      { at: options.dropAt, fire: drop, fired: false },
    ];
    const faultTasks: Promise<void>[] = [];
    const uploadStart = performance.now();
    for (const round of [1, 2] as const) {
      const files = shuffled(
        sendable.filter((f) => f.round === round),
        options.universe.seed + round,
      );
      let next = 0;
      await Promise.all(
        Array.from({ length: options.uploadConcurrency ?? 8 }, async () => {
          while (next < files.length) {
            const file = files[next]!;
            next += 1;
            const province = provinceOf.get(file.slot.commune)!;
            const { ids, retries } = await upload(ingest!.url!, tokens.get(province)!.token, file).catch(
              (e: unknown) => {
                error ??= String(e);
                return { ids: [], retries: 0 };
              },
            );
            idsOfFile.set(file.index, ids);
            uploadRetries += retries;
            sent += 1;
            for (const t of triggers) {
              if (!t.fired && sent >= t.at * sendable.length) {
                t.fired = true;
                faultTasks.push(t.fire().catch((e: unknown) => void (error ??= `fault: ${String(e)}`)));
              }
            }
          }
        }),
      );
      say(`  round ${round}: ${files.length} files sent`);
    }
    uploadMs = performance.now() - uploadStart;
    await Promise.all(faultTasks);

    const deadline = Date.now() + (options.settleTimeoutMs ?? 600_000);
    const waitUntil = async (what: string, probe: () => Promise<boolean>) => {
      while (!(await probe().catch(() => false))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(250);
      }
    };
    await waitUntil(
      'every submission to be decided',
      async () =>
        (
          await db
            .selectFrom('submission')
            .select('id')
            .where('status', 'in', ['queued', 'processing'])
            .limit(1)
            .execute()
        ).length === 0,
    );
    stopKilling = true;
    await killLoop;
    await Promise.all(restarts);
    await waitUntil('the rollups and every fault to settle', async () => {
      if ((await db.selectFrom('rollup_due').select('period').limit(1).execute()).length > 0) return false;
      const counts = await q.rollup.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
      return (await checkRecoveries(db, q, faults)) === 0;
    });
    say(`  settled after ${((performance.now() - began) / 1000).toFixed(1)} s`);
    verdict = await verifyOutcome(db, universe, idsOfFile);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    stopKilling = true;
    monitoring = false;
    await killLoop.catch(() => undefined);
    await monitor;
    if (!verdict) verdict = await verifyOutcome(db, universe, idsOfFile).catch(() => null);
    await processes?.stop().catch(() => undefined);
    await ingest?.stop().catch(() => undefined);
    await queues?.close().catch(() => undefined);
    await db.destroy();
    await redis?.stop();
    await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    await admin.end();
  }
  return {
    seed: options.universe.seed,
    provinces: universe.provinces.length,
    communes: universe.communes.length,
    periods: universe.periods,
    verdict: verdict ?? {
      filesSent: universe.files.length,
      statuses: {},
      lost: ['(not verified)'],
      countedTwice: [],
      wrongOutcome: [],
      snapshotsEqual: 0,
      snapshotsTotal: 0,
      snapshotMismatches: [],
    },
    faults,
    uploadRetries,
    uploadMs,
    totalMs: performance.now() - began,
    logDir,
    error,
  };
}
