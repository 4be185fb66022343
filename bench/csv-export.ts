// The national commune CSV export's two writers side by side, in one process, on one connection (issue 22):
//   node bench/csv-export.ts
// `node`: node-postgres reads each row into an object and csv.ts writes each cell (the export
// before issue 22's last round); `sql`: Postgres writes each line (export/csv-sql.ts) and this
// process only joins them. The writers take turns, BENCH_ROUNDS times each; each prints its
// rows/s and the CPU seconds per 100,000 rows of this process and of its Postgres backend (the
// machine is shared: compare CPU, not wall time), and the two outputs are checked to be the same
// bytes. The rows: a national quarter of synthetic communes (10,035 × 10 indicators) in a
// database of its own, or, with BENCH_REUSE=<database>, a history kept by `BENCH_KEEP=1 npm run
// bench:analyst` (its 2025-Q2).
import { createHash } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { connectDb, ensureDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { csvChunks, csvLineChunks } from '../src/export/csv.ts';
import { snapshotColumns, streamSnapshotCsvLines, streamSnapshots } from '../src/read/snapshots.ts';
import { benchEnvironment, cpuSeconds } from './support.ts';

const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 5);
const period = '2025-Q2';
const bench = await benchEnvironment('csv_export');
const url = env.BENCH_REUSE
  ? bench.config.DATABASE_URL.replace(/\/[^/]*$/u, `/${env.BENCH_REUSE}`)
  : bench.config.DATABASE_URL;
if (!env.BENCH_REUSE) await ensureDatabase(url);
// One connection: the cursor's backend is the one whose CPU is read.
const db = connectDb(url, { max: 1 });
if (!env.BENCH_REUSE) {
  await migrateToLatest(db);
  await sql`insert into snapshot_head
    select 'P' || lpad(p::text, 2, '0'), ${period}, '2025-06-30', 1, 'h', now() from generate_series(1, 63) as p`.execute(
    db,
  );
  // Names, codes and figures shaped like the real ones: Vietnamese names, counts, sums with decimals, rates as doubles.
  await sql`insert into snapshot_row (province_code, period, snapshot_version, level, unit_code, unit_name, parent_code,
      indicator, numerator, denominator, value, communes_reporting, communes_expected, computed_at, communes_covered)
    select 'P' || lpad((c % 63 + 1)::text, 2, '0'), ${period}, 1, 'commune', lpad(c::text, 5, '0'),
      'Xã Nậm Pồ ' || c, lpad((c / 12)::text, 3, '0'), 'chi_tieu_' || i, n, d,
      case when i > 5 then n::float8 / d::float8 end, 1, 1, now() - make_interval(secs => c * 37.123457), 1
    from generate_series(1, 10035) as c, generate_series(1, 10) as i,
      lateral (select round((random() * 5000)::numeric, (c + i) % 3) as n, (1000 + (random() * 5000)::int)::numeric as d) as x`.execute(
    db,
  );
  await sql`analyze snapshot_row`.execute(db);
}
const backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
const admin = { level: 'admin' as const, code: null, id: 'bench' };
const today = '2026-01-01';
const filter = { level: 'commune' as const, period };

const writers = {
  node: () => csvChunks(snapshotColumns, streamSnapshots(db, admin, filter, today)),
  sql: () => csvLineChunks(snapshotColumns, streamSnapshotCsvLines(db, admin, filter, today)),
};
type Run = { seconds: number; cpu: number; backendCpu: number; rows: number; bytes: number; hash: string };
const runs: Record<keyof typeof writers, Run[]> = { node: [], sql: [] };

async function once(writer: keyof typeof writers): Promise<Run> {
  const hash = createHash('sha256');
  let rows = -1;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const backendCpu = cpuSeconds(backend);
  const started = performance.now();
  for await (const chunk of writers[writer]()) {
    hash.update(chunk);
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows += 1;
  }
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpu: (used.user + used.system) / 1e6,
    backendCpu: cpuSeconds(backend) - backendCpu,
    rows,
    bytes,
    hash: hash.digest('hex'),
  };
}

await once('node'); // warm the JIT, the caches and the connection; not counted
await once('sql');
for (let i = 0; i < rounds; i += 1) for (const w of ['node', 'sql'] as const) runs[w].push(await once(w));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`tonghop CSV export writers — ${new Date().toISOString()}`);
console.log(
  `machine: ${os.cpus().length} cores, node ${process.version}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} ` +
    `(shared: CPU per row is the figure to compare); ${env.BENCH_REUSE ? `database ${env.BENCH_REUSE}` : 'synthetic quarter'}, ` +
    `${runs.node[0]!.rows.toLocaleString('en')} rows, median of ${rounds} rounds each`,
);
for (const w of ['node', 'sql'] as const) {
  const r = runs[w];
  const rows = r[0]!.rows;
  console.log(
    `  ${w.padEnd(5)} ${Math.round(median(r.map((x) => rows / x.seconds)))
      .toLocaleString('en')
      .padStart(
        9,
      )} rows/s wall; this process ${median(r.map((x) => (1e5 * x.cpu) / rows)).toFixed(3)} CPU s per 100k rows ` +
      `(${Math.round(median(r.map((x) => rows / x.cpu))).toLocaleString('en')} rows per CPU s); its Postgres backend ` +
      `${median(r.map((x) => (1e5 * x.backendCpu) / rows)).toFixed(3)} CPU s per 100k rows; ${(r[0]!.bytes / 2 ** 20).toFixed(1)} MiB`,
  );
}
const hashes = new Set([...runs.node, ...runs.sql].map((r) => r.hash));
console.log(
  hashes.size === 1 ? '  the two writers wrote the same bytes' : `  THE WRITERS DIFFER: ${hashes.size} outputs`,
);
await db.destroy();
if (!env.BENCH_REUSE) await bench.drop();
if (hashes.size !== 1) process.exitCode = 1;
