// npm run bench:outage: Postgres, then Redis, taken away under load from one `tonghop start`, and
// what people and the data saw (issue 23).
//
// Everything runs on loopback and belongs to the run: a Postgres cluster of its own (initdb into a
// temporary directory, on a free port; crashed with SIGKILL of its postmaster and its backends,
// then started again, which runs crash recovery), a redis-server of its own (SIGKILLed, then
// started again empty on the same port), and the service as a child process (`tonghop start`,
// role all, rate limit lifted). `OUTAGE_CLIENTS` uploaders send small commune reports (each with
// its own Idempotency-Key, sent again after any answer but a 202) for `OUTAGE_LOAD_S` seconds per
// phase; `OUTAGE_AT_S` seconds in, the dependency goes down for `OUTAGE_DOWN_S` seconds. Printed for
// each phase: answers by status before, during and after the outage; when the backlog was decided,
// from the service's return and from the load's end. At the end: files lost, counted twice, and
// every commune, district and province figure against plain sums of the files sent.
// Exit 1 on a 500, a loss, a double count, a figure that differs, or a backlog not decided within
// 20 s of a phase's load end.
//
// Settings (environment): OUTAGE_CLIENTS (100), OUTAGE_LOAD_S (40), OUTAGE_AT_S (15),
// OUTAGE_DOWN_S (5), OUTAGE_SEED, OUTAGE_PHASES (postgres,redis), TONGHOP_ROOT (the tree whose
// bin/tonghop.js runs: point it at a worktree of another branch to measure that branch; this run's
// own code still prepares and checks), PG_BIN (the newest /usr/lib/postgresql/<major>/bin).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createToken } from '../src/accounts/tokens.ts';
import { connectDb } from '../src/db/connect.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { countByStatus, runUploadLoad, type Answer } from '../test/chaos/outage-load.ts';
import { startPostgresCluster } from '../test/chaos/postgres-cluster.ts';
import { freePort, startRedisServer, type RedisServer } from '../test/chaos/redis-server.ts';
import { buildUniverse, slotKey, type ChaosFile, type Universe } from '../test/chaos/synthetic-reports.ts';
import { verifyOutcome } from '../test/chaos/verify-outcome.ts';

const env = process.env;
const clients = Number(env.OUTAGE_CLIENTS ?? 100);
const loadS = Number(env.OUTAGE_LOAD_S ?? 40);
const atS = Number(env.OUTAGE_AT_S ?? 15);
const downS = Number(env.OUTAGE_DOWN_S ?? 5);
const seed = Number(env.OUTAGE_SEED ?? Date.now() % 100_000);
const phases = (env.OUTAGE_PHASES ?? 'postgres,redis').split(',').map((p) => p.trim()) as ('postgres' | 'redis')[];
const root = resolve(env.TONGHOP_ROOT ?? fileURLToPath(new URL('..', import.meta.url)));
/** The bound the issue sets: the backlog decided within this long of the load's end. */
const drainBoundS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const periods = Array.from({ length: 24 }, (_, i) => `${2019 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);

const universe = buildUniverse({
  seed,
  provinces: 4,
  districtsPerProvince: 2,
  communesPerDistrict: 60,
  periods,
  corrections: 0,
  duplicates: 0,
  broken: 0,
  missing: 0,
  notEnqueued: 0,
});
// Period after period, communes in random order within each: a run that stops early leaves whole periods unsent.
function* inOrder(files: readonly ChaosFile[]): Generator<ChaosFile> {
  let r = seed >>> 0 || 1;
  for (const period of periods) {
    const these = files.filter((f) => f.slot.period === period);
    for (let i = these.length - 1; i > 0; i -= 1) {
      r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
      const j = r % (i + 1);
      [these[i], these[j]] = [these[j]!, these[i]!];
    }
    yield* these;
  }
}
const files = inOrder(universe.files);

const logDir = mkdtempSync(join(tmpdir(), 'tonghop-outage-'));
const cluster = await startPostgresCluster(await freePort());
let redis: RedisServer = await startRedisServer();
const redisPort = redis.port;
const httpPort = await freePort();
const dbUrl = cluster.url.replace(/\/postgres$/u, '/tonghop');
const serviceEnv: Record<string, string> = {
  DATABASE_URL: dbUrl,
  REDIS_URL: redis.url,
  QUEUE_PREFIX: 'outage',
  PORT: String(httpPort),
  HOST: '127.0.0.1',
  METRICS_PORT: '0',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_REQUESTS: '1000000000',
  RATE_LIMIT_BYTES: '1000000000000',
};
const serviceLog = createWriteStream(join(logDir, 'service.log'));
const service = spawn(process.execPath, [join(root, 'bin/tonghop.js'), 'start', '--role', 'all'], {
  env: { ...env, ...serviceEnv },
  stdio: ['ignore', 'pipe', 'pipe'],
});
service.stdout!.pipe(serviceLog);
service.stderr!.pipe(serviceLog);
let serviceExited: string | null = null;
service.on(
  'exit',
  (code, signal) =>
    (serviceExited = `the service exited (${code ?? signal}) during the run: see ${logDir}/service.log`),
);
process.on('exit', () => service.kill('SIGKILL'));
const url = `http://127.0.0.1:${httpPort}`;
for (let waited = 0; ; waited += 200) {
  const ready = await fetch(`${url}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (ready) break;
  if (serviceExited || waited > 120_000) throw new Error(serviceExited ?? 'the service did not become ready in 120 s');
  await sleep(200);
}

const db = connectDb(dbUrl, { max: 4 });
await importUnits(db, unitsFromCsv(universe.unitsCsv));
const tokens = new Map<string, string>();
for (const p of universe.provinces)
  tokens.set(p, (await createToken(db, { level: 'province', code: p, label: 'outage' })).token);
const provinceOf = new Map(universe.communes.map((c) => [c.code, c.province]));

console.log(
  `outage run: ${clients} clients, ${loadS} s of load per phase, ${phases.join(' then ')} down ${downS} s ` +
    `from ${atS} s in; service from ${root}; logs in ${logDir}`,
);
console.log(
  `  postgres cluster of its own on 127.0.0.1:${cluster.port}, redis-server on 127.0.0.1:${redisPort}, service on ${url}`,
);

/** Waits until nothing is queued or processing and no rollup is due; the time it happened, or null after `timeoutMs`. */
async function drained(timeoutMs: number): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const pending = await db
      .selectFrom('submission')
      .select('id')
      .where('status', 'in', ['queued', 'processing'])
      .limit(1)
      .execute()
      .then(
        async (subs) =>
          subs.length > 0 || (await db.selectFrom('rollup_due').select('period').limit(1).execute()).length > 0,
      )
      .catch(() => true);
    if (!pending) return performance.now();
    await sleep(100);
  }
  return null;
}

const allAnswers: Answer[] = [];
const idsOfFile = new Map<number, number[]>();
const sent: ChaosFile[] = [];
const problems: string[] = [];
for (const phase of phases) {
  const began = performance.now();
  const until = began + loadS * 1000;
  let downAt = 0;
  let backAt = 0;
  let recoveryMs = 0;
  const fault = (async () => {
    await sleep(atS * 1000);
    downAt = performance.now();
    if (phase === 'postgres') await cluster.crash();
    else await redis.stop();
    await sleep(downS * 1000);
    if (phase === 'postgres') recoveryMs = await cluster.start();
    else redis = await startRedisServer({ port: redisPort });
    backAt = performance.now();
  })();
  const load = await runUploadLoad({
    url,
    tokenOf: (f) => tokens.get(provinceOf.get(f.slot.commune)!)!,
    files,
    clients,
    until,
    graceMs: 120_000,
    keyPrefix: 'outage',
  });
  await fault;
  const drainedAt = await drained(180_000);
  allAnswers.push(...load.answers);
  for (const [k, v] of load.idsOfFile) idsOfFile.set(k, v);
  sent.push(...load.sent);
  problems.push(...load.givenUp);

  const at = (t: number) => s(t - began);
  const what =
    phase === 'postgres'
      ? 'Postgres crash (SIGKILL of the postmaster and backends)'
      : 'Redis crash (SIGKILL), started again empty';
  console.log('');
  console.log(
    `${what}: down at ${at(downAt)} of the load, back at ${at(backAt)}${phase === 'postgres' ? ` (start with crash recovery: ${s(recoveryMs)})` : ''}`,
  );
  console.log(`  uploads: ${load.sent.length} files sent, ${load.answers.length} answers`);
  console.log(`  answers before the outage:        ${countByStatus(load.answers, -Infinity, downAt)}`);
  console.log(`  answers during the outage:        ${countByStatus(load.answers, downAt, backAt)}`);
  console.log(`  answers after the service's return: ${countByStatus(load.answers, backAt)}`);
  const fiveHundreds = load.answers.filter((a) => a.status === '500').length;
  console.log(`  500 answers in this phase: ${fiveHundreds}`);
  if (fiveHundreds > 0) problems.push(`${phase}: ${fiveHundreds} answers were 500`);
  if (drainedAt === null) {
    console.log(`  backlog NOT decided 180 s after the load's end`);
    problems.push(`${phase}: backlog not decided`);
  } else {
    const afterLoad = drainedAt - load.endedAt;
    console.log(
      `  load ended at ${at(load.endedAt)}; backlog decided ${s(drainedAt - backAt)} after the service's ` +
        `return, ${s(Math.max(0, afterLoad))} after the load's end`,
    );
    if (afterLoad > drainBoundS * 1000)
      problems.push(`${phase}: backlog decided ${s(afterLoad)} after the load's end (bound ${drainBoundS} s)`);
  }
  if (serviceExited) problems.push(serviceExited);
}

// The run's own universe cut to what was sent: a period never reached has no figures to compare.
const sentSlots = new Set(sent.map((f) => slotKey(f.slot)));
const sentPeriods = periods.filter((p) => sent.some((f) => f.slot.period === p));
const cut: Universe = {
  ...universe,
  files: sent,
  periods: sentPeriods,
  current: new Map([...universe.current].filter(([key]) => sentSlots.has(key))),
};
const verdict = await verifyOutcome(db, cut, idsOfFile);
// A unit with no report in the last, partly sent period has no snapshot row; none is expected of it.
const unreported = verdict.snapshotMismatches.filter((m) =>
  /: no row, expected null\/null \(0\/\d+ communes\)$/u.test(m),
);
const mismatches = verdict.snapshotMismatches.filter((m) => !unreported.includes(m));
const figures = verdict.snapshotsTotal - unreported.length;
console.log('');
console.log(
  `all phases: ${sent.length} files sent, ${allAnswers.length} answers (${countByStatus(allAnswers)}); statuses ${JSON.stringify(verdict.statuses)}`,
);
console.log(`  lost: ${verdict.lost.length}${verdict.lost.length ? ` (${verdict.lost.slice(0, 5).join('; ')})` : ''}`);
console.log(
  `  counted twice: ${verdict.countedTwice.length}${verdict.countedTwice.length ? ` (${verdict.countedTwice.slice(0, 5).join('; ')})` : ''}`,
);
console.log(
  `  wrong outcome: ${verdict.wrongOutcome.length}${verdict.wrongOutcome.length ? ` (${verdict.wrongOutcome.slice(0, 5).join('; ')})` : ''}`,
);
console.log(
  `  figures equal: ${figures - mismatches.length} of ${figures}${mismatches.length ? ` (${mismatches.slice(0, 5).join('; ')})` : ''}`,
);
problems.push(
  ...verdict.lost.map((l) => `lost: ${l}`),
  ...verdict.countedTwice.map((c) => `counted twice: ${c}`),
  ...verdict.wrongOutcome,
  ...mismatches,
);

if (!serviceExited) {
  const exited = new Promise((r) => service.once('exit', r));
  service.kill('SIGTERM');
  await exited;
}
await db.destroy();
await redis.stop();
await cluster.stop();
console.log(problems.length === 0 ? 'OUTAGE RUN PASSED' : `OUTAGE RUN FAILED: ${problems.slice(0, 10).join('; ')}`);
process.exit(problems.length === 0 ? 0 : 1);
