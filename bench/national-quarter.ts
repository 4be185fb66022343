// A national quarter through the pipeline, against the raw Postgres floor (issue 6) and the script
// floor (issue 22).
//   node bench/national-quarter.ts [--units FILE] [--communes N] [--concurrency N] [--workers N] [--zip] [--quality on|off] [--history N]
// --quality sets QUALITY_WARNINGS for the processes (issue 20); --history N first writes N earlier
// quarters of every commune's reports in SQL (bench/quality-history.ts), so the warnings are judged
// against a history as they would be in production (bench/quality-cost.ts runs off and on).
// Starts ingest, normalize worker(s) and rollup as separate processes on the local Postgres and
// Redis, uploads one HTS-BAN and one HTS-XA file per commune over HTTP — or, with --zip, one ZIP of
// its communes' files per province (the bulk path) — waits until every snapshot is final, then
// loads the same rows with COPY and computes the same figures with one GROUP BY, runs the one-process
// script an analyst would write (read, parse, check, COPY, GROUP BY), and checks all three agree.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { connectDb, ensureDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createToken } from '../src/accounts/tokens.ts';
import { parsePeriod } from '../src/schema/period.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { spawnTonghop, type TonghopProcess } from '../test/support/processes.ts';
import { runFloor } from './floor.ts';
import { runScriptFloor } from './script-floor.ts';
import { zipOf } from '../test/support/report-files.ts';
import { seedHistory } from './quality-history.ts';
import {
  communeFiles,
  seededRandom,
  syntheticUnits,
  unitsCsv,
  unitsFromFile,
  type BenchFile,
} from './quarter-generator.ts';
import { benchEnvironment, cpuSeconds, cpuSecondsOf, percentile } from './support.ts';
import { uploadAll, uploadClient } from './upload-client.ts';
import { runQueueFloor } from './queue-floor.ts';
import { runUploadFloor } from './upload-floor.ts';

const { values: args } = parseArgs({
  options: {
    units: { type: 'string' },
    communes: { type: 'string', default: '10600' },
    concurrency: { type: 'string', default: '32' },
    workers: { type: 'string', default: '1' },
    period: { type: 'string', default: '2023-Q2' },
    zip: { type: 'boolean', default: false },
    quality: { type: 'string', default: 'on' },
    history: { type: 'string', default: '0' },
  },
});

const period = parsePeriod(args.period!)!;
const units = args.units
  ? unitsFromFile(args.units)
  : syntheticUnits(63, Math.round((705 * Number(args.communes)) / 10_600), Number(args.communes));
const random = seededRandom(42);
const files: BenchFile[] = units.flatMap((u) => communeFiles(u, period.canonical, random));
const villageRows = files.filter((f) => f.form === 'HTS-BAN').reduce((n, f) => n + f.rows, 0);
// The bulk path: a province office sends one ZIP of its communes' files.
const uploads: { name: string; text: string | Buffer; province: string; files: number }[] = args.zip
  ? [...Map.groupBy(files, (f) => f.province)].map(([province, list]) => ({
      name: `tinh-${province}-${period.canonical}.zip`,
      text: zipOf(list.map((f) => ({ name: f.name, data: Buffer.from(f.text) }))),
      province,
      files: list.length,
    }))
  : files.map((f) => ({ ...f, files: 1 }));
const concurrency = Math.min(Number(args.concurrency), uploads.length);
const load = () => (os.loadavg() as number[]).map((x) => x.toFixed(2)).join(' ');
const loadAtStart = load();

const progress = (what: string) => process.stderr.write(`[${new Date().toISOString()}] ${what}\n`);
const { config, env, drop } = await benchEnvironment('quarter');
progress(`generated ${files.length} files; database ${config.DATABASE_URL}`);
await ensureDatabase(config.DATABASE_URL);
const db = connectDb(config.DATABASE_URL, { max: 4 });
await migrateToLatest(db);
await importUnits(db, unitsFromCsv(unitsCsv(units)));
progress('units imported');
if (Number(args.history) > 0)
  progress(
    `history: ${await seedHistory(db, period.canonical, Number(args.history))} report rows of ${args.history} earlier quarters written`,
  );
const provinces = [...new Set(units.map((u) => u.province))];
const tokens = new Map<string, string>();
for (const p of provinces)
  tokens.set(p, (await createToken(db, { level: 'province', code: p, roles: ['submit', 'read'] })).token);

const processEnv: Record<string, string> = {
  ...env,
  PORT: String(3400 + (process.pid % 500)),
  METRICS_PORT: '0',
  LOG_LEVEL: 'warn',
  QUALITY_WARNINGS: args.quality!,
};
// BENCH_PROFILE=DIR writes a V8 CPU profile of each process there, for `node bench/profile-top.ts`.
if (process.env.BENCH_PROFILE) processEnv.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE}`;
const children: { role: string; proc: TonghopProcess }[] = [
  { role: 'ingest', proc: spawnTonghop(['start', '--role', 'ingest'], processEnv) },
];
for (let i = 0; i < Number(args.workers); i += 1)
  children.push({ role: `worker${i + 1}`, proc: spawnTonghop(['start', '--role', 'worker'], processEnv) });
children.push({ role: 'rollup', proc: spawnTonghop(['start', '--role', 'rollup'], processEnv) });
const base = `http://127.0.0.1:${processEnv.PORT}`;
for (;;) {
  const ok = await fetch(`${base}/health/live`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise((r) => setTimeout(r, 100));
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/u.exec(status)![1]) / 1024;
}

// Snapshot lag during the run: how long the oldest change has waited for its rollup.
const lags: number[] = [];
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const r = await sql<{
      lag: number | null;
    }>`select extract(epoch from now() - min(due_since))::float8 as lag from rollup_due`.execute(db);
    lags.push(r.rows[0]?.lag ?? 0);
    await new Promise((res) => setTimeout(res, 250));
  }
})();

progress('processes up; uploading');
// Postgres backends end with their connections: counted here are the long-lived pools' and what ended is missed, so the figure is a lower bound.
const cpuBefore = {
  roles: children.map((c) => cpuSeconds(c.proc.child.pid!)),
  client: process.cpuUsage(),
  postgres: cpuSecondsOf('postgres'),
  redis: cpuSecondsOf('redis-server'),
};
const uploadedAt = new Map<number, number>();
const started = Date.now();
const postFile = uploadClient(base, concurrency);
await uploadAll(uploads, concurrency, async (f) => {
  const t = Date.now();
  const r = await postFile(f.name, f.text, tokens.get(f.province)!);
  if (r.status !== 202) throw new Error(`upload ${f.name}: ${r.status} ${r.body}`);
  const body = JSON.parse(r.body) as { submissions: { id: number }[]; refused: unknown[] };
  if (body.submissions.length !== f.files)
    throw new Error(
      `upload ${f.name}: ${body.submissions.length} of ${f.files} files stored, refused ${JSON.stringify(body.refused)}`,
    );
  for (const s of body.submissions) uploadedAt.set(s.id, t);
});
const uploadSeconds = (Date.now() - started) / 1000;
progress(`uploaded in ${uploadSeconds.toFixed(1)} s; waiting for the snapshots`);

for (;;) {
  const dead = children.filter((c) => c.proc.child.exitCode !== null);
  if (dead.length > 0)
    throw new Error(`a process died: ${dead.map((c) => `${c.role}: ${c.proc.output().slice(-2000)}`).join('\n')}`);
  const pending = await db
    .selectFrom('submission')
    .select('id')
    .where('status', 'in', ['queued', 'processing'])
    .limit(1)
    .execute();
  const due = await db.selectFrom('rollup_due').select('period').limit(1).execute();
  if (pending.length === 0 && due.length === 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
const totalSeconds = (Date.now() - started) / 1000;
// The Postgres backends of each process's pools, by the application name start.ts gives them.
const backends = await sql<{
  pid: number;
  name: string;
}>`select pid, application_name as name from pg_stat_activity where datname = current_database()`.execute(db);
const backendCpu = new Map<string, number>();
for (const b of backends.rows) {
  try {
    backendCpu.set(b.name || 'bench', (backendCpu.get(b.name || 'bench') ?? 0) + cpuSeconds(b.pid));
  } catch {
    // Gone meanwhile.
  }
}
const clientCpu = process.cpuUsage(cpuBefore.client);
const cpu = [
  ...children.map((c, i) => `${c.role} ${(cpuSeconds(c.proc.child.pid!) - cpuBefore.roles[i]!).toFixed(1)}`),
  `bench client ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)}`,
  `postgres ≥ ${(cpuSecondsOf('postgres') - cpuBefore.postgres).toFixed(1)}`,
  `redis ${(cpuSecondsOf('redis-server') - cpuBefore.redis).toFixed(1)}`,
];
sampling = false;
await sampler;

const rss = children.map((c) => ({ role: c.role, mb: peakRssMb(c.proc.child.pid!) }));
const statuses = await db
  .selectFrom('submission')
  .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
  .groupBy('status')
  .execute();
const rollups = await db
  .selectFrom('rollup_run')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
const firstIn = await sql<{ id: number; at: Date }>`
  select ss.submission_id as id, min(rr.finished_at) as at
    from snapshot_source ss
    join rollup_run rr on rr.province_code = ss.province_code and rr.period = ss.period and rr.snapshot_version = ss.snapshot_version
   group by ss.submission_id`.execute(db);
const latencies = firstIn.rows
  .map((r) => (new Date(r.at).getTime() - uploadedAt.get(r.id)!) / 1000)
  .filter((x) => Number.isFinite(x));

// Idle latency: single files, one at a time, for the next quarter (so the compared quarter is untouched).
const nextPeriod = parsePeriod(`${period.year}-Q4`)!;
const idle: number[] = [];
for (let i = 0; i < 10; i += 1) {
  const u = units[(i * 997) % units.length]!;
  const [ban] = communeFiles(u, nextPeriod.canonical, seededRandom(1000 + i));
  const form = new FormData();
  form.append('file', new Blob([ban!.text]), ban!.name);
  const t = Date.now();
  const r = await fetch(`${base}/v1/submissions`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${tokens.get(u.province)}` },
  });
  const id = ((await r.json()) as { submissions: { id: number }[] }).submissions[0]!.id;
  for (;;) {
    const hit = await db
      .selectFrom('snapshot_source')
      .select('submission_id')
      .where('submission_id', '=', id)
      .executeTakeFirst();
    if (hit) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  idle.push((Date.now() - t) / 1000);
}

for (const c of children) c.proc.child.kill('SIGTERM');
await Promise.all(children.map((c) => c.proc.exited));

const floor = await runFloor(db, files, period);
const script = await runScriptFloor(db, files, period);
const uploadFloor = await runUploadFloor(uploads, concurrency);
const queueFloor = await runQueueFloor(config.REDIS_URL, `${config.QUEUE_PREFIX}_floor`, files.length);
const snap = await db
  .selectFrom('analytics.indicator_snapshot')
  .select(['level', 'unit_code', 'indicator', 'numerator', 'denominator'])
  .where('level', 'in', ['district', 'province'])
  .where('period', '=', period.canonical)
  .execute();
const pipelineFigures = new Map(
  snap.map((r) => [`${r.level}|${r.unit_code}|${r.indicator}`, `${r.numerator}/${r.denominator}`]),
);
const mismatches = floor.figures.filter(
  (f) => pipelineFigures.get(`${f.level}|${f.unit}|${f.indicator}`) !== `${f.numerator}/${f.denominator}`,
);
const scriptMismatches = script.figures.filter(
  (f) => pipelineFigures.get(`${f.level}|${f.unit}|${f.indicator}`) !== `${f.numerator}/${f.denominator}`,
);

const fmt = (x: number) => x.toFixed(3);
console.log(`tonghop national quarter benchmark — ${new Date().toISOString()}`);
console.log(
  `machine: ${(await import('node:os')).cpus().length} cores, ${Math.round((await import('node:os')).totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
console.log(
  `input: ${provinces.length} provinces, ${new Set(units.map((u) => u.district)).size} districts, ${units.length} ` +
    `communes, ${files.length} files, ${villageRows} village rows (${args.units ?? 'synthetic'})`,
);
console.log(
  `setup: ${children.length} processes (ingest, ${args.workers} worker, rollup), ${
    args.zip
      ? `${uploads.length} province ` +
        `ZIP uploads (${Math.min(...uploads.map((u) => u.files))}–${Math.max(...uploads.map((u) => u.files))} ` +
        `files, ${(Math.max(...uploads.map((u) => u.text.length)) / 1024).toFixed(0)} KiB at most)`
      : `${uploads.length} single-file uploads`
  }, ` +
    `upload concurrency ${concurrency}; QUALITY_WARNINGS=${args.quality}, ${args.history} earlier quarters of history`,
);
console.log(`load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end`);
const warned = await db
  .selectFrom('quality_warning')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
console.log(`data-quality warnings stored: ${warned.n}`);
console.log(`statuses: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}`);
console.log('');
console.log(
  `pipeline end-to-end:        ${totalSeconds.toFixed(2)} s (uploads done after ${uploadSeconds.toFixed(2)} s)`,
);
console.log(
  `throughput:                 ${(files.length / totalSeconds).toFixed(0)} files/s, ${(villageRows / totalSeconds).toFixed(0)} village rows/s`,
);
console.log(
  `upload → province snapshot: p50 ${fmt(percentile(latencies, 50))} s, p95 ${fmt(percentile(latencies, 95))} ` +
    `s, p99 ${fmt(percentile(latencies, 99))} s (during the batch)`,
);
console.log(
  `upload → province snapshot: p50 ${fmt(percentile(idle, 50))} s, p95 ${fmt(percentile(idle, 95))} s (idle, ${idle.length} single files)`,
);
console.log(
  `snapshot lag during run:    p95 ${fmt(percentile(lags, 95))} s, max ${fmt(Math.max(...lags))} s (${lags.length} samples)`,
);
console.log(`rollups run:                ${rollups.n}`);
console.log(
  `CPU seconds in the run:      ${cpu.join(', ')} (of ${(totalSeconds * (await import('node:os')).cpus().length).toFixed(1)} available)`,
);
console.log(
  `postgres CPU by pool:        ${[...backendCpu]
    .sort()
    .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
    .join(', ')} (backends' lifetime, open at the end)`,
);
console.log(
  `peak RSS:                   ${rss.map((r) => `${r.role} ${r.mb.toFixed(0)} MB`).join(', ')}, bench ` +
    `client ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
console.log('');
console.log(
  `floor (COPY + GROUP BY):    ${floor.seconds.toFixed(3)} s (COPY ${floor.copySeconds.toFixed(3)} s, GROUP BY ${floor.groupSeconds.toFixed(3)} s)`,
);
console.log(`ratio pipeline / floor:     ${(totalSeconds / floor.seconds).toFixed(1)}×`);
console.log(
  `pipeline = floor:           ${mismatches.length === 0 ? 'yes' : 'NO'} (${floor.figures.length} district and ` +
    `province figures compared, ${mismatches.length} differ)`,
);
console.log(
  `script floor (one process): ${script.seconds.toFixed(3)} s to read the ${files.length} files from a folder ` +
    `(${script.readSeconds.toFixed(3)} s), parse and check them (${script.checkSeconds.toFixed(3)} s, ${script.rejected} ` +
    `rejected), COPY (${script.copySeconds.toFixed(3)} s) and GROUP BY (${script.groupSeconds.toFixed(3)} s); ` +
    `CPU ${script.cpuSeconds.toFixed(1)} s in the script`,
);
console.log(`ratio pipeline / script:    ${(totalSeconds / script.seconds).toFixed(1)}×`);
console.log(
  `pipeline = script:          ${scriptMismatches.length === 0 ? 'yes' : 'NO'} (${script.figures.length} figures compared, ${scriptMismatches.length} differ)`,
);
console.log(
  `upload floor (HTTP only):   ${uploadFloor.seconds.toFixed(2)} s for the same ${uploads.length} uploads to an ` +
    `endpoint that parses, hashes and answers 202, storing nothing; CPU server ${uploadFloor.serverCpu.toFixed(1)} ` +
    `s, client ${uploadFloor.clientCpu.toFixed(1)} s`,
);
console.log(
  `queue floor (BullMQ only):  ${queueFloor.seconds.toFixed(2)} s to add ${queueFloor.jobs} normalize jobs (in ` +
    `groups of 8) and run them with a processor that does nothing; CPU producer ${queueFloor.producerCpu.toFixed(1)} ` +
    `s, worker ${queueFloor.workerCpu.toFixed(1)} s, redis ${queueFloor.redisCpu.toFixed(1)} s`,
);
if (mismatches.length > 0 || scriptMismatches.length > 0) {
  console.log(mismatches.slice(0, 5));
  process.exitCode = 1;
}

await db.destroy();
await drop();
