// What an analyst waits for over ten years of national history (issue 22).
//   npm run bench:analyst            (40 quarters; BENCH_QUARTERS=8 for a quick run)
// Builds, in a database of its own (tonghop_bench_analyst_…, dropped at the end unless
// BENCH_KEEP=1): the real 2024 and 2025 unit lists and crosswalk (read from BENCH_UNITS_DIR,
// default /work/shared/data), one quarter of each era loaded through the pipeline's own functions
// (stored, normalized, rolled up, recast), some province-periods corrected BENCH_VERSIONS times,
// then the other quarters copied from them in SQL (history-clone.ts). Then the queries of the
// analyst page, the API and the docs' SQL examples from BENCH_CLIENTS concurrent clients, once
// idle and once while a national quarter is uploaded to ingest + worker + rollup processes;
// then national exports in CSV and XLSX. Prints p50/p95/p99 per query, export rows/s, peak RSS
// of every process and the load average beside each figure (the machine is shared), and what each
// HTTP request cost the serving process and its Postgres backends in CPU. BENCH_BATCH=0 skips the
// batch, BENCH_EXPORT_ROUNDS=0 the idle exports.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { createToken } from '../src/accounts/tokens.ts';
import { storeSubmissions } from '../src/ingest/submissions/store.ts';
import { querySnapshots } from '../src/read/snapshots.ts';
import { parsePeriod } from '../src/schema/period.ts';
import { vietnamDay } from '../src/schema/vietnam-day.ts';
import { start } from '../src/start.ts';
import { importCrosswalk, importUnits, unitsFromCsv } from '../src/units/import.ts';
import { normalizeSubmissions } from '../src/workers/normalize/normalize.ts';
import { rollupProvincePeriod } from '../src/workers/rollup/persist.ts';
import { spawnTonghop, type TonghopProcess } from '../test/support/processes.ts';
import { cloneQuarter } from './history-clone.ts';
import { communeFiles, seededRandom, unitsFromFile, type BenchFile, type BenchUnit } from './quarter-generator.ts';
import { benchEnvironment, cpuSeconds, percentile, untilLive } from './support.ts';
import { uploadAll, uploadClient } from './upload-client.ts';

const env = process.env;
const quarterCount = Math.min(40, Math.max(4, Number(env.BENCH_QUARTERS ?? 40)));
const clients = Number(env.BENCH_CLIENTS ?? 20);
const perKind = Number(env.BENCH_REQUESTS ?? 100);
const corrections = Number(env.BENCH_VERSIONS ?? 30);
const versionedCount = Number(env.BENCH_VERSION_PROVINCES ?? 3);
const keep = env.BENCH_KEEP === '1';
const dataDir = env.BENCH_UNITS_DIR ?? '/work/shared/data';
const runBatch = env.BENCH_BATCH !== '0';
// BENCH_ONLY_EXPORTS=1: the exports alone (and their memory), without the query rounds before them.
const onlyExports = env.BENCH_ONLY_EXPORTS === '1';

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const progress = (what: string) => process.stderr.write(`[${new Date().toISOString()}] (load ${load()}) ${what}\n`);
const lines: string[] = [];
const out = (line = '') => {
  lines.push(line);
  console.log(line);
};

// 2016-Q1 … 2025-Q4, or its last BENCH_QUARTERS. The reform took effect on 2025-07-01.
const quarters = Array.from({ length: 40 }, (_, i) => `${2016 + Math.floor(i / 4)}-Q${(i % 4) + 1}`).slice(
  40 - quarterCount,
);
const oldSeed = '2025-Q2';
const newSeed = '2025-Q3';
const isOld = (q: string) => parsePeriod(q)!.lastDay <= '2025-06-30';
// The quarters whose corrected provinces keep every version (the others are copied as their current version alone).
const versionedQuarters = [quarters[0]!, quarters[Math.floor(quarters.length / 2) - 1]!, oldSeed];
const batchPeriod = env.BENCH_BATCH_PERIOD ?? '2026-Q1';

const oldUnits = unitsFromFile(`${dataDir}/vn-admin-units-2024.csv`);
const newUnits = unitsFromFile(`${dataDir}/vn-admin-units-2025.csv`);
const crosswalkText = readFileSync(`${dataDir}/vn-commune-crosswalk-2025.csv`, 'utf8');
// Today's province of each old province, through its communes' successors.
const newProvinceOfCommune = new Map(newUnits.map((u) => [u.commune, u.province]));
const todayOf = new Map<string, string>();
for (const line of crosswalkText.trim().split('\n').slice(1)) {
  const [from, to] = line.split(',');
  const old = oldUnits.find((u) => u.commune === from);
  if (old && !todayOf.has(old.province)) todayOf.set(old.province, newProvinceOfCommune.get(to!)!);
}
const oldProvinces = [...new Set(oldUnits.map((u) => u.province))];
const newProvinces = [...new Set(newUnits.map((u) => u.province))];
// The provinces with the most communes get the many versions: the costliest as_of.
const communesOf = (p: string) => oldUnits.filter((u) => u.province === p).length;
const versioned = [...oldProvinces].sort((a, b) => communesOf(b) - communesOf(a)).slice(0, versionedCount);

const bench = await benchEnvironment('analyst');
// BENCH_REUSE=NAME measures again on a history a run kept (BENCH_KEEP=1) instead of building one.
const reuse = env.BENCH_REUSE;
const databaseUrl = reuse ? bench.config.DATABASE_URL.replace(/\/[^/]*$/u, `/${reuse}`) : bench.config.DATABASE_URL;
const config = { ...bench.config, DATABASE_URL: databaseUrl };
const benchEnv = { ...bench.env, DATABASE_URL: databaseUrl };
progress(`database ${config.DATABASE_URL}; ${quarterCount} quarters ${quarters[0]}…${quarters.at(-1)}`);
const running = await start({ ...config, RECONCILE_INTERVAL_S: 3600 }, 'ingest', { log: pino({ level: 'warn' }) });
const { deps } = running;
const db = deps.db;
const admin = { level: 'admin' as const, code: null, id: 'bench' };
const timings: string[] = [];
const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const r = await f();
  timings.push(`${what}: ${((performance.now() - t) / 1000).toFixed(1)} s (load ${load()})`);
  progress(timings.at(-1)!);
  return r;
};

// --- The history -------------------------------------------------------------------------
if (!reuse)
  await timed('units: 2024 list, 2025 list, crosswalk', async () => {
    await importUnits(
      db,
      unitsFromCsv(readFileSync(`${dataDir}/vn-admin-units-2024.csv`, 'utf8'), { validTo: '2025-06-30' }),
    );
    await importUnits(
      db,
      unitsFromCsv(readFileSync(`${dataDir}/vn-admin-units-2025.csv`, 'utf8'), { validFrom: '2025-07-01' }),
    );
    await importCrosswalk(db, crosswalkText);
  });

async function storeAndNormalize(files: readonly BenchFile[]) {
  for (let i = 0; i < files.length; i += 512) {
    const chunk = files.slice(i, i + 512);
    const stored = await storeSubmissions(
      db,
      admin,
      {},
      chunk.map((f) => ({ filename: f.name, contentType: null, bytes: Buffer.from(f.text) })),
      null,
      new Date(),
    );
    const ids = stored.map((s) => s.id);
    for (let j = 0; j < ids.length; j += 64) await normalizeSubmissions(deps, ids.slice(j, j + 64));
  }
}

async function loadQuarter(units: readonly BenchUnit[], period: string, seed: number) {
  const random = seededRandom(seed);
  await storeAndNormalize(units.flatMap((u) => communeFiles(u, period, random)));
  for (const p of new Set(units.map((u) => u.province)))
    await rollupProvincePeriod(db, deps.forms, { provinceCode: p, period }, new Date());
}

if (!reuse)
  await timed(`${oldSeed} through the pipeline (2024 list, ${oldUnits.length} communes)`, () =>
    loadQuarter(oldUnits, oldSeed, 1),
  );
if (!reuse)
  await timed(`${newSeed} through the pipeline (2025 list, ${newUnits.length} communes)`, () =>
    loadQuarter(newUnits, newSeed, 2),
  );
if (!reuse)
  await timed(`${corrections} corrections of ${oldSeed} in provinces ${versioned.join(', ')}`, async () => {
    const random = seededRandom(3);
    for (let i = 0; i < corrections; i += 1) {
      for (const p of versioned) {
        const communes = oldUnits.filter((u) => u.province === p);
        const [ban] = communeFiles(communes[(i * 37) % communes.length]!, oldSeed, random);
        await storeAndNormalize([ban!]);
        await rollupProvincePeriod(db, deps.forms, { provinceCode: p, period: oldSeed }, new Date());
      }
    }
  });
if (!reuse)
  await timed(`${quarterCount - 2} quarters copied in SQL (history-clone.ts)`, async () => {
    for (const q of quarters)
      if (q !== oldSeed && q !== newSeed)
        await cloneQuarter(db, isOld(q) ? oldSeed : newSeed, q, { headOnly: !versionedQuarters.includes(q) });
  });
if (!reuse) await timed('vacuum analyze', () => sql`vacuum analyze`.execute(db));
const size = await sql<{
  snapshot_rows: string;
  recast_rows: string;
  versions: string;
  bytes: string;
  max_versions: number;
}>`
  select (select count(*) from snapshot_row) as snapshot_rows, (select count(*) from recast_row) as recast_rows,
         (select count(*) from snapshot_version) as versions, pg_database_size(current_database()) as bytes,
         (select max(snapshot_version) from snapshot_head) as max_versions`.execute(db);
const s = size.rows[0]!;
const historyLine =
  `history: ${quarterCount} national quarters (${quarters[0]}…${quarters.at(-1)}), ${Number(s.snapshot_rows).toLocaleString('en')} ` +
  `snapshot rows, ${Number(s.recast_rows).toLocaleString('en')} recast rows, ${Number(s.versions).toLocaleString('en')} ` +
  `snapshot versions (up to ${s.max_versions} in a province-period), database ${(Number(s.bytes) / 2 ** 30).toFixed(2)} GiB`;
progress(historyLine);

// --- Tokens and the server ---------------------------------------------------------------
// An instant between versions 1 and 2 of the corrected province-periods: as_of there reads version 1.
const second = await db
  .selectFrom('snapshot_version')
  .select((eb) => eb.fn.min('computed_at').as('at'))
  .where('province_code', '=', versioned[0]!)
  .where('period', '=', oldSeed)
  .where('snapshot_version', '=', 2)
  .executeTakeFirst();
const asOfFirst = new Date(new Date(second?.at ?? new Date()).getTime() - 5);
const tokenOf = new Map<string, string>();
for (const p of newProvinces)
  tokenOf.set(p, (await createToken(db, { level: 'province', code: p, roles: ['submit', 'read'] })).token);
const adminToken = (await createToken(db, { level: 'admin', code: null })).token;
const port = 3900 + (process.pid % 500);
// The bench's clients share one address: the rate limit is not what is measured here (test/ingest covers it).
const processEnv: Record<string, string> = {
  ...benchEnv,
  PORT: String(port),
  METRICS_PORT: '0',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_REQUESTS: '1000000',
  RATE_LIMIT_READ_REQUESTS: '1000000',
};
// BENCH_PROFILE=DIR writes a V8 CPU profile of each process there, for `node bench/profile-top.ts`.
if (env.BENCH_PROFILE) processEnv.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${env.BENCH_PROFILE}`;
const children: { role: string; proc: TonghopProcess }[] = [
  { role: 'ingest', proc: spawnTonghop(['start', '--role', 'ingest'], processEnv) },
];
const base = `http://127.0.0.1:${port}`;
await untilLive(base, children[0]!.proc);

function procStatus(pid: number, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`, 'u').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
}
// Postgres backends of this database: their peak resident size counts the shared buffers they
// touched (shared by all), so their private memory (RssAnon) is sampled too.
const pgPeak = { hwm: 0, anon: 0 };
async function samplePostgres() {
  const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  for (const { pid } of r.rows) {
    pgPeak.hwm = Math.max(pgPeak.hwm, procStatus(pid, 'VmHWM'));
    pgPeak.anon = Math.max(pgPeak.anon, procStatus(pid, 'RssAnon'));
  }
}
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    await samplePostgres().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
  }
})();
const rssLine = () =>
  `peak RSS: ${children.map((c) => `${c.role} ${procStatus(c.proc.child.pid!, 'VmHWM').toFixed(0)} MB`).join(', ')}, ` +
  `bench client ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ` +
  `postgres backend ${pgPeak.hwm.toFixed(0)} MB (private ${pgPeak.anon.toFixed(0)} MB; the rest is shared buffers)`;

// --- The queries ----------------------------------------------------------------------------
const agent = new Agent({ keepAlive: true, maxSockets: clients });
function get(path: string, token: string): Promise<{ status: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent, headers: { authorization: `Bearer ${token}` } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          bytes: body.length,
          body: res.statusCode === 200 ? '' : body.toString('utf8').slice(0, 300),
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
const analystPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: clients });

const indicator = 'fiber_village_rate';
const pick = <T>(xs: readonly T[], r: () => number) => xs[Math.floor(r() * xs.length)]!;
const oldQuarters = quarters.filter(isOld);
const districtsOf = new Map<string, string[]>();
for (const u of oldUnits)
  districtsOf.set(u.province, [...new Set([...(districtsOf.get(u.province) ?? []), u.district])]);
const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

type Call = { kind: string; run: () => Promise<{ ok: boolean; detail?: string }> };
const http = (kind: string, path: string, token: string): Call => ({
  kind,
  run: async () => {
    const r = await get(path, token);
    return r.status === 200 ? { ok: true } : { ok: false, detail: `${r.status} ${path} ${r.body}` };
  },
});
const sqlCall = (kind: string, text: string, values: unknown[]): Call => ({
  kind,
  run: async () => {
    await analystPool.query(text, values);
    return { ok: true };
  },
});

/** One request of each kind, about a province and period drawn at random (old era or new). */
function callsFor(r: () => number): Call[] {
  const period = pick(quarters, r);
  const today = pick(newProvinces, r);
  const merged = oldProvinces.filter((p) => todayOf.get(p) === today);
  const province = isOld(period) ? pick(merged, r) : today;
  const token = tokenOf.get(today)!;
  const v = pick(versioned, r);
  const vToken = tokenOf.get(todayOf.get(v)!)!;
  const vPeriod = pick(versionedQuarters, r);
  const oldProvince = pick(oldProvinces, r);
  return [
    http('page: periods', '/v1/periods', token),
    http("page: a province's communes", `/v1/snapshots${q({ province, period, indicator })}`, token),
    http('page: series, period boundaries', `/v1/snapshots${q({ level: 'province', unit: today, indicator })}`, token),
    http(
      'api: series, current boundaries',
      `/v1/snapshots${q({ level: 'province', unit: today, indicator, boundaries: 'current' })}`,
      token,
    ),
    http('page: reporting (completeness)', `/v1/reporting${q({ period, province })}`, token),
    http('api: completeness', `/v1/completeness${q({ period, level: 'province', unit: province })}`, token),
    http(
      'api: reporting rates',
      `/v1/reporting-rates${q({ form: 'HTS-BAN', period, level: 'province', unit: province })}`,
      token,
    ),
    http(
      'page: lineage of a province figure',
      `/v1/lineage${q({ level: 'province', unit: province, period, indicator })}`,
      token,
    ),
    http(
      'page: as_of into version 1',
      `/v1/snapshots${q({ province: v, period: vPeriod, indicator, as_of: asOfFirst.toISOString() })}`,
      vToken,
    ),
    http(
      'api: lineage as_of version 1',
      `/v1/lineage${q({ level: 'province', unit: v, period: vPeriod, indicator, as_of: asOfFirst.toISOString() })}`,
      vToken,
    ),
    sqlCall(
      'sql: district example (interfaces.md)',
      `select unit_name, indicator, numerator, denominator, round(value::numeric, 3) from analytics.indicator_snapshot
        where level = 'district' and unit_code = $1 and period = $2`,
      [pick(districtsOf.get(oldProvince)!, r), pick(oldQuarters, r)],
    ),
    sqlCall(
      'sql: recast series (units.md)',
      `select period, numerator, denominator, value, predecessors_reporting, exact from analytics.indicator_snapshot_recast
        where level = 'province' and unit_code = $1 and indicator = $2 order by period`,
      [today, indicator],
    ),
  ];
}

/** CPU seconds of the serving process's Postgres backends (application_name tonghop-ingest), by pid. */
async function ingestBackendCpu(): Promise<Map<number, number>> {
  const r = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database() and application_name = 'tonghop-ingest'`.execute(
    db,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of r.rows) {
    try {
      cpu.set(pid, cpuSeconds(pid));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return cpu;
}
const backendCpuSince = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((a, [pid, s]) => a + s - (before.get(pid) ?? 0), 0);

type Round = {
  latencies: Map<string, number[]>;
  failures: Map<string, string[]>;
  seconds: number;
  loadBefore: string;
  loadAfter: string;
  ingestCpu: number;
  backendCpu: number;
};
/** `clients` workers take calls from one list until it is empty, or until `until` says stop. */
async function round(seed: number, until?: () => boolean): Promise<Round> {
  const r = seededRandom(seed);
  const latencies = new Map<string, number[]>();
  const failures = new Map<string, string[]>();
  const loadBefore = load();
  // The serving process's own CPU: what a request costs it, whatever else the machine runs.
  const cpuBefore = cpuSeconds(children[0]!.proc.child.pid!);
  const backendsBefore = await ingestBackendCpu();
  const started = performance.now();
  let made = 0;
  let queue: Call[] = [];
  const next = (): Call | null => {
    if (until ? until() : made >= perKind) return null;
    if (queue.length === 0) {
      queue = callsFor(r);
      made += 1;
    }
    return queue.shift()!;
  };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let call = next(); call; call = next()) {
        const t = performance.now();
        const result = await call.run().catch((e: Error) => ({ ok: false, detail: e.message }));
        const ms = performance.now() - t;
        if (result.ok) latencies.set(call.kind, [...(latencies.get(call.kind) ?? []), ms]);
        else failures.set(call.kind, [...(failures.get(call.kind) ?? []), result.detail ?? '']);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    latencies,
    failures,
    seconds,
    loadBefore,
    loadAfter: load(),
    ingestCpu: cpuSeconds(children[0]!.proc.child.pid!) - cpuBefore,
    backendCpu: backendCpuSince(backendsBefore, await ingestBackendCpu()),
  };
}

function printRound(title: string, r: Round, targetMs: number) {
  const n = [...r.latencies.values()].reduce((a, l) => a + l.length, 0);
  const httpRequests = [...r.latencies]
    .filter(([kind]) => !kind.startsWith('sql'))
    .reduce((a, [, l]) => a + l.length, 0);
  out(
    `${title}: ${n} requests from ${clients} clients in ${r.seconds.toFixed(1)} s (${(n / r.seconds).toFixed(0)} ` +
      `req/s); load average ${r.loadBefore} → ${r.loadAfter}`,
  );
  out(
    `  ingest process CPU: ${r.ingestCpu.toFixed(1)} s in ${r.seconds.toFixed(1)} s (${((100 * r.ingestCpu) / r.seconds).toFixed(0)}% ` +
      `of a core), ${((1000 * r.ingestCpu) / httpRequests).toFixed(1)} ms per HTTP request; its Postgres backends ` +
      `${r.backendCpu.toFixed(1)} s, ${((1000 * r.backendCpu) / httpRequests).toFixed(1)} ms per HTTP request`,
  );
  out(
    `  ${'query'.padEnd(40)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  target p95 ≤ ${targetMs} ms`,
  );
  for (const [kind, l] of r.latencies) {
    const p95 = percentile(l, 95);
    out(
      `  ${kind.padEnd(40)} ${String(l.length).padStart(5)} ${percentile(l, 50).toFixed(1).padStart(8)} ` +
        `${p95.toFixed(1).padStart(8)} ${percentile(l, 99).toFixed(1).padStart(8)} ` +
        ` ${p95 <= targetMs ? 'met' : 'MISSED'}`,
    );
  }
  for (const [kind, f] of r.failures) out(`  FAILED ${kind}: ${f.length}× ${f[0]}`);
}

// as_of and lineage must answer what they answered before the fix: checked here on the big history.
for (const period of versionedQuarters) {
  const check = await fetch(
    `${base}/v1/snapshots${q({ province: versioned[0]!, period, as_of: asOfFirst.toISOString() })}`,
    { headers: { authorization: `Bearer ${tokenOf.get(todayOf.get(versioned[0]!)!)!}` } },
  );
  const rows = ((await check.json()) as { snapshots: { snapshot_version: number }[] }).snapshots;
  if (rows.length === 0 || rows.some((x) => x.snapshot_version !== 1))
    throw new Error(`as_of ${period}: ${rows.length} rows, not version 1`);
}

async function exportOnce(format: 'csv' | 'xlsx', params: Record<string, string>) {
  const loadBefore = load();
  const ingestPid = children[0]!.proc.child.pid!;
  const cpuBefore = cpuSeconds(ingestPid);
  const t = performance.now();
  let rows = 0;
  let bytes = 0;
  let status = 0;
  await new Promise<void>((resolve, reject) => {
    const req = request(`${base}/v1/snapshots${q({ ...params, format })}`, {
      agent,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (format === 'csv') for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) rows += 1;
      });
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  if (status !== 200) throw new Error(`export ${format}: ${status}`);
  return {
    seconds: (performance.now() - t) / 1000,
    ingestCpu: cpuSeconds(ingestPid) - cpuBefore,
    ingestRss: procStatus(ingestPid, 'VmRSS'),
    rows: format === 'csv' ? rows - 1 : rows,
    bytes,
    loadBefore,
    loadAfter: load(),
  };
}

async function exports(title: string) {
  const national = { level: 'commune', period: oldSeed };
  const expected = Number(
    (
      await db
        .selectFrom('analytics.indicator_snapshot')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('level', '=', 'commune')
        .where('period', '=', oldSeed)
        .executeTakeFirstOrThrow()
    ).n,
  );
  // The floor: the same rows read by the same query through node-postgres in this process, held, not formatted or sent.
  const floorLoad = load();
  const floorStarted = performance.now();
  const floorRows = (await querySnapshots(db, admin, { level: 'commune', period: oldSeed }, vietnamDay(new Date())))
    .length;
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  const csv = await exportOnce('csv', national);
  const xlsx = await exportOnce('xlsx', national);
  const line = (
    what: string,
    e: {
      seconds: number;
      rows: number;
      bytes: number;
      loadBefore: string;
      loadAfter: string;
      ingestCpu: number;
      ingestRss: number;
    },
    rows: number,
  ) =>
    out(
      `  ${what.padEnd(42)} ${rows.toLocaleString('en').padStart(10)} rows ${(e.bytes / 2 ** 20).toFixed(1).padStart(7)} ` +
        `MiB ${e.seconds.toFixed(2).padStart(7)} s ${Math.round(rows / e.seconds)
          .toLocaleString('en')
          .padStart(
            9,
          )} rows/s  ${rows / e.seconds >= 100_000 ? 'met' : 'MISSED'} (load ${e.loadBefore} → ${e.loadAfter}); ` +
        `ingest CPU ${e.ingestCpu.toFixed(2)} s (${Math.round(rows / Math.max(e.ingestCpu, 0.01)).toLocaleString('en')} rows per CPU s), ` +
        `RSS after ${e.ingestRss.toFixed(0)} MB`,
    );
  out(`${title} (one client, target ≥ 100,000 rows/s):`);
  if (csv.rows !== expected) out(`  CSV ROW COUNT WRONG: ${csv.rows} rows, ${expected} in the period`);
  out(
    `  ${'floor: the query alone (node-postgres, held)'.padEnd(42)} ${floorRows.toLocaleString('en').padStart(10)} ` +
      `rows ${''.padStart(11)} ${floorSeconds.toFixed(2).padStart(7)} s ${Math.round(floorRows / floorSeconds)
        .toLocaleString('en')
        .padStart(9)} rows/s  (load ${floorLoad})`,
  );
  line(`national communes ${oldSeed}, CSV`, csv, csv.rows);
  line(`national communes ${oldSeed}, XLSX`, xlsx, expected);
  // Every period's communes (4 M rows on the full history) once, idle: it shows the export whole and its memory bounded.
  if (env.BENCH_EXPORT_ALL !== '0' && title.includes('idle')) {
    const allExpected = Number(
      (
        await db
          .selectFrom('snapshot_head as h')
          .innerJoin('snapshot_row as r', (j) =>
            j
              .onRef('r.province_code', '=', 'h.province_code')
              .onRef('r.period', '=', 'h.period')
              .onRef('r.snapshot_version', '=', 'h.snapshot_version'),
          )
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('r.level', '=', 'commune')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const all = await exportOnce('csv', { level: 'commune' });
    if (all.rows !== allExpected) out(`  CSV ROW COUNT WRONG: ${all.rows} rows, ${allExpected} expected`);
    line(`national communes, every period, CSV`, all, all.rows);
  }
}

/** Each query alone, one client, 20 times: its latency without the others, and the serving process's CPU per request. */
async function alone(seed: number) {
  const r = seededRandom(seed);
  const calls = Array.from({ length: 20 }, () => callsFor(r));
  out(`each query alone (one client, 20 each): load average ${load()}`);
  out(
    `  ${'query'.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'ingest CPU ms/request'.padStart(22)} ${'its Postgres CPU'.padStart(17)}`,
  );
  for (let k = 0; k < calls[0]!.length; k += 1) {
    const times: number[] = [];
    const cpu = cpuSeconds(children[0]!.proc.child.pid!);
    const backends = await ingestBackendCpu();
    for (const set of calls) {
      const t = performance.now();
      const result = await set[k]!.run();
      if (!result.ok) throw new Error(`${set[k]!.kind}: ${result.detail}`);
      times.push(performance.now() - t);
    }
    const kind = calls[0]![k]!.kind;
    const perRequest = kind.startsWith('sql')
      ? '—'
      : ((1000 * (cpuSeconds(children[0]!.proc.child.pid!) - cpu)) / calls.length).toFixed(1);
    const postgres = kind.startsWith('sql')
      ? '—'
      : ((1000 * backendCpuSince(backends, await ingestBackendCpu())) / calls.length).toFixed(1);
    out(
      `  ${kind.padEnd(40)} ${percentile(times, 50).toFixed(1).padStart(8)} ${percentile(times, 95).toFixed(1).padStart(8)} ` +
        `${perRequest.padStart(22)} ${postgres.padStart(17)}`,
    );
  }
}

out(`tonghop analyst benchmark — ${new Date().toISOString()}`);
out(
  `machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ` +
    `shared with other work (load average beside each figure)`,
);
out(historyLine);
for (const t of timings) out(`  ${t}`);
out(
  `versioned province-periods: provinces ${versioned.join(', ')} × quarters ${versionedQuarters.join(', ')}, ${corrections + 1} ` +
    `versions each; as_of = ${asOfFirst.toISOString()} (version 1)`,
);
out('');
if (!onlyExports) {
  await round(7); // warm the caches and the server's JIT; not counted
  await alone(5);
  printRound('idle', await round(11), 100);
}
for (let i = Number(env.BENCH_EXPORT_ROUNDS ?? 1); i > 0; i -= 1) await exports('exports, idle');
out(rssLine());
out('');

if (runBatch) {
  // The national batch: a quarter on today's units uploaded over HTTP to ingest, a worker and rollup, as bench/national-quarter.ts runs it.
  children.push(
    { role: 'worker', proc: spawnTonghop(['start', '--role', 'worker'], processEnv) },
    { role: 'rollup', proc: spawnTonghop(['start', '--role', 'rollup'], processEnv) },
  );
  const random = seededRandom(99);
  const files = newUnits.flatMap((u) => communeFiles(u, batchPeriod, random));
  const post = uploadClient(base, 16);
  let done = false;
  const batchStarted = performance.now();
  const batch = (async () => {
    await uploadAll(files, 16, async (f) => {
      const r = await post(f.name, f.text, tokenOf.get(f.province)!);
      if (r.status !== 202) throw new Error(`upload ${f.name}: ${r.status} ${r.body}`);
    });
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
      await new Promise((r) => setTimeout(r, 200));
    }
  })().finally(() => (done = true));
  const during = await round(13, () => done);
  await batch;
  const batchSeconds = (performance.now() - batchStarted) / 1000;
  out(
    `national batch: ${files.length} files of ${batchPeriod} (2025 list, ${newUnits.length} communes) through ` +
      `ingest + worker + rollup in ${batchSeconds.toFixed(1)} s`,
  );
  printRound('during the batch', during, 300);
  // The exports while a second batch runs would need a second quarter; they are timed after it, with the workers still up.
  await exports('exports, after the batch (worker and rollup processes up)');
  out(rssLine());
}

sampling = false;
await sampler;
for (const c of children) c.proc.child.kill('SIGTERM');
await Promise.all(children.map((c) => c.proc.exited));
agent.destroy();
await analystPool.end();
await running.stop();
if (keep || reuse) {
  // The database stays; the run's queues and counters in Redis do not.
  const redis = new Redis(config.REDIS_URL);
  const keys = await redis.keys(`${config.QUEUE_PREFIX}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
  progress(`kept ${config.DATABASE_URL}`);
} else await bench.drop();
