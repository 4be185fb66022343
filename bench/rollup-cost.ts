// What one rollup of a province-period costs, in the rollup's Node process and in its Postgres
// backend, by kind of rollup (issue 22): the first of each province-period (every report new), one
// after a single commune's correction (the common case while uploads still arrive), and one with
// nothing changed (a job run again).
//   node bench/rollup-cost.ts [--provinces N] [--communes N] [--statements] [--profile DIR]
// The quarter is loaded through the pipeline's own functions (stored, normalized in batches); the
// rollups run here one after another on a pool of one connection, so its backend's CPU is theirs
// alone. --statements also times each statement from the client, grouped by its first words;
// --profile writes a CPU profile of the rollups of each kind to DIR.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { connectDb } from '../src/db/connect.ts';
import { start } from '../src/start.ts';
import { importUnits, unitsFromCsv } from '../src/units/import.ts';
import { rollupProvincePeriod } from '../src/workers/rollup/persist.ts';
import { communeFiles, scaledUnits, seededRandom, unitsCsv } from './quarter-generator.ts';
import { benchEnvironment, cpuSeconds, storeAndNormalize } from './support.ts';
import { sql } from 'kysely';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const { values: args } = parseArgs({
  options: {
    provinces: { type: 'string', default: '63' },
    communes: { type: 'string', default: '10600' },
    period: { type: 'string', default: '2023-Q2' },
    statements: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const units = scaledUnits(Number(args.provinces), Number(args.communes));
const provinces = [...new Set(units.map((u) => u.province))];
const period = args.period!;
const progress = (what: string) => process.stderr.write(`[${new Date().toISOString()}] ${what}\n`);

const statementMs = new Map<string, { n: number; ms: number }>();
if (args.statements) {
  // The client's time of each statement (its round trip and Postgres's work), by its first words.
  const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function timed(this: pg.Client, ...a: unknown[]) {
    const text = typeof a[0] === 'string' ? a[0] : ((a[0] as { text?: string })?.text ?? '');
    const kind = text.replace(/\s+/gu, ' ').trim().slice(0, 70);
    const t = performance.now();
    const out = query.apply(this, a);
    if (out instanceof Promise)
      void out.finally(() => {
        const s = statementMs.get(kind) ?? { n: 0, ms: 0 };
        s.n += 1;
        s.ms += performance.now() - t;
        statementMs.set(kind, s);
      });
    return out;
  } as typeof pg.Client.prototype.query;
}

const { config, drop } = await benchEnvironment('rollupcost');
const running = await start({ ...config, RECONCILE_INTERVAL_S: 3600 }, 'ingest', { log: pino({ level: 'warn' }) });
const { deps } = running;
await importUnits(deps.db, unitsFromCsv(unitsCsv(units)));

const random = seededRandom(7);
await storeAndNormalize(
  deps,
  units.flatMap((u) => communeFiles(u, period, random)),
);
await sql`analyze`.execute(deps.db);
progress(`loaded ${period}: ${units.length} communes in ${provinces.length} provinces`);

const rollupDb = connectDb(config.DATABASE_URL, { max: 1, name: 'bench-rollup' });
const [backend] = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(rollupDb)).rows;

async function rollupAll(kind: string) {
  statementMs.clear();
  const session = args.profile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const node = process.cpuUsage();
  const pgBefore = cpuSeconds(backend!.pid);
  const t = performance.now();
  let changed = 0;
  for (const p of provinces) {
    const r = await rollupProvincePeriod(rollupDb, deps.forms, { provinceCode: p, period }, new Date());
    if (r.changed) changed += 1;
  }
  const wall = performance.now() - t;
  const cpu = process.cpuUsage(node);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${args.profile}/${kind.split(' ')[0]}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
  const per = (x: number) => (x / provinces.length).toFixed(1);
  console.log(
    `${kind.padEnd(34)} ${provinces.length} rollups (${changed} changed): per rollup ${per(wall)} ms wall, ` +
      `${per((cpu.user + cpu.system) / 1000)} ms Node CPU, ${per((cpuSeconds(backend!.pid) - pgBefore) * 1000)} ms Postgres CPU`,
  );
  if (args.statements)
    for (const [k, v] of [...statementMs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
      console.log(`    ${per(v.ms).padStart(6)} ms  ×${(v.n / provinces.length).toFixed(1)}  ${k}`);
}

console.log(
  `rollup cost: ${provinces.length} provinces, ${units.length} communes (${Math.round(units.length / provinces.length)} a province), period ${period}`,
);
await rollupAll('first (every report new)');
// One commune of each province corrects its village report.
const corrected = provinces.map((p) => units.find((u) => u.province === p)!);
const again = seededRandom(8);
await storeAndNormalize(
  deps,
  corrected.map((u) => communeFiles(u, period, again)[0]!),
);
await rollupAll('after one correction a province');
await rollupAll('nothing changed');

await rollupDb.destroy();
await running.stop();
await drop();
